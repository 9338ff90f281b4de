"""Export a group's members and payments, import them into an empty group, get the same reports."""

from __future__ import annotations

import pytest

from omboon.imports import exports
from omboon.imports.tests.helpers import MEMBER_HEADERS, PAYMENT_HEADERS, csv_bytes, member_rows, payment_rows, run_import
from omboon.members.selectors import member_counts
from omboon.reports import registry

pytestmark = pytest.mark.django_db


def _trial_balance(org):
    result = registry.get("trial-balance").build(organisation=org, start=None, end=None)
    return [[{k: v for k, v in row.items() if k not in ("group",)} for row in table.rows] for table in result.tables]


def test_round_trip_gives_the_same_reports(tree, actor):
    source, target = tree.group_a, tree.group_b
    headers = [*MEMBER_HEADERS, "สถานะ", "วันที่ลาออก/เสียชีวิต"]
    rows = [r + ["", ""] for r in member_rows(25)]
    rows[3][-2:] = ["ลาออก", "30/06/2563"]
    rows[4][-2:] = ["เสียชีวิต", "01/02/2563"]
    run_import(source, "members", csv_bytes(headers, rows), actor=actor)
    payments = [r for r in payment_rows(25, 12) if not (r[0] in ("0004", "0005") and r[1] >= "05/02/2563"
                                                         and r[1].endswith("2563"))]
    payments += [["0001", "05/01/2562", "ค่าธรรมเนียมแรกเข้า", "50"], ["0002", "06/01/2562", "ค่าสมทบรายปี", "1,200"]]
    checked, _ = run_import(source, "payments", csv_bytes(PAYMENT_HEADERS, payments), actor=actor)
    assert checked.problems == []

    members_file = exports.export_members(source)
    payments_file = exports.export_payments(source)
    checked, _ = run_import(target, "members", members_file, actor=actor, filename="members.csv")
    assert checked.problems == [], checked.problems[:3]
    checked, _ = run_import(target, "payments", payments_file, actor=actor, filename="payments.csv")
    assert checked.problems == [], checked.problems[:3]

    assert member_counts(source) == member_counts(target)
    assert _trial_balance(source) == _trial_balance(target)
    assert exports.export_members(source) == exports.export_members(target)
    assert exports.export_payments(source) == exports.export_payments(target)
