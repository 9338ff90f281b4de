"""Export a group's members, beneficiaries and payments, import them into an empty group, get the
same reports — the books, and each member's paid-through date, arrears and passbook total."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.contributions import selectors as contributions
from omboon.core import reporting
from omboon.imports import exports
from omboon.imports.tests.helpers import (
    MEMBER_HEADERS,
    PAYMENT_HEADERS,
    csv_bytes,
    member_rows,
    payment_rows,
    run_import,
)
from omboon.members.selectors import member_counts

pytestmark = pytest.mark.django_db


def _trial_balance(org):
    result = reporting.get("trial-balance").build(organisation=org, start=None, end=None)
    return [[{k: v for k, v in row.items() if k not in ("group",)} for row in table.rows] for table in result.tables]


def _coverage(org, as_of=dt.date(2021, 6, 30)):
    """Per member number: each kind's paid-through date and arrears, and the passbook's total."""
    from omboon.members.models import Member

    members = Member.objects.filter(organisation=org).order_by("number")
    out = {}
    for mc in contributions.coverage_of(members, org, as_of=as_of):
        out[mc.member.number] = ({k: (c.paid_through, c.arrears, c.months_behind) for k, c in mc.kinds.items()},
                                 contributions.passbook(mc.member, as_of=as_of).total_paid)
    return out


def test_round_trip_gives_the_same_reports(tree, actor):
    source, target = tree.group_a, tree.group_b
    headers = [*MEMBER_HEADERS, "สถานะ", "วันที่ลาออก/เสียชีวิต"]
    rows = [[*r, "", ""] for r in member_rows(25)]
    rows[3][-2:] = ["ลาออก", "30/06/2563"]
    rows[4][-2:] = ["เสียชีวิต", "01/02/2563"]
    run_import(source, "members", csv_bytes(headers, rows), actor=actor)
    payments = [r for r in payment_rows(25, 12) if not (r[0] in ("0004", "0005") and r[1] >= "05/02/2563"
                                                         and r[1].endswith("2563"))]
    payments += [["0001", "05/01/2562", "ค่าธรรมเนียมแรกเข้า", "50"], ["0002", "06/01/2562", "ค่าสมทบรายปี", "1,200"]]
    checked, _ = run_import(source, "payments", csv_bytes(PAYMENT_HEADERS, payments), actor=actor)
    assert checked.problems == []
    beneficiaries = [["0001", "นาย", "สมชาย", "ใจดี", "บุตร", "60"], ["0001", "นาง", "มาลี", "ใจดี", "บุตร", "40"],
                     ["0002", "", "บุญมี", "ศรีสุข", "คู่สมรส", "100"]]
    checked, _ = run_import(source, "beneficiaries", csv_bytes(
        ["เลขที่สมาชิก", "คำนำหน้า", "ชื่อผู้รับผลประโยชน์", "นามสกุลผู้รับผลประโยชน์", "ความสัมพันธ์", "ส่วนแบ่งร้อยละ"],
        beneficiaries), actor=actor)
    assert checked.problems == []

    members_file = exports.export_members(source)
    payments_file = exports.export_payments(source)
    checked, _ = run_import(target, "members", members_file, actor=actor, filename="members.csv")
    assert checked.problems == [], checked.problems[:3]
    checked, _ = run_import(target, "payments", payments_file, actor=actor, filename="payments.csv")
    assert checked.problems == [], checked.problems[:3]
    checked, _ = run_import(target, "beneficiaries", exports.export_beneficiaries(source), actor=actor,
                            filename="beneficiaries.csv")
    assert checked.problems == [], checked.problems[:3]

    assert member_counts(source) == member_counts(target)
    assert _trial_balance(source) == _trial_balance(target)
    assert exports.export_members(source) == exports.export_members(target)
    assert exports.export_payments(source) == exports.export_payments(target)
    assert exports.export_beneficiaries(source) == exports.export_beneficiaries(target)
    figures = _coverage(source)
    assert figures == _coverage(target)
    # the imported payments count: joined 1/1/2560, 30 baht a month through 2562 at one baht a day owed
    paid_through, arrears, _behind = figures["0003"][0]["daily_saving"]
    assert paid_through is not None and arrears > 0 and figures["0003"][1] > 0
