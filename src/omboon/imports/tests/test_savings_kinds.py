"""The savings imports as worked examples: a savings group moving from paper brings its trial
balance forward (2110 and 3400 in total), then each member's accounts with their balances — the
totals must equal the books' — and then the deposits, withdrawals and interest since."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.core import reporting
from omboon.core.errors import RuleViolation
from omboon.imports import services
from omboon.imports.models import ImportJob
from omboon.imports.tests.helpers import csv_bytes, run_import
from omboon.ledger.models import JournalEntry
from omboon.savings import selectors
from omboon.savings.models import Account
from omboon.savings.tests.conftest import make_savings_group

D = dt.date
OPENING = (["รหัสบัญชี", "เดบิต", "เครดิต", "วันที่ยอดยกมา"],
           [["1100", "1,500.00", "", "31/01/2567"], ["2110", "", "1,000.00", "31/01/2567"],
            ["3400", "", "500.00", "31/01/2567"]])
ACCOUNT_HEADERS = ["เลขที่สมาชิก", "ประเภทเงินฝาก", "ยอดคงเหลือ", "วันที่ยอดยกมา"]


@pytest.fixture
def sg(db):
    sg = make_savings_group()
    run_import(sg.group, "opening-balances", csv_bytes(*OPENING))
    return sg


def accounts_file(sg, vol=("600", "400"), shares="500.00"):
    m = [x.number for x in sg.members]
    return csv_bytes(ACCOUNT_HEADERS, [[m[0], "VOL", vol[0], "31/01/2567"],
                                       [m[1], "เงินฝากออมทรัพย์", vol[1], "31/01/2567"],  # by its name
                                       [m[0], "SH", shares, "31/01/2567"], [m[2], "SAJ", "0", "31/01/2567"]])


def test_accounts_are_opened_with_their_balances_moved_from_the_books_opening(sg):
    checked, job = run_import(sg.group, "savings-accounts", accounts_file(sg), actor=sg.treasurer)
    assert checked.ok and job.status == ImportJob.Status.DONE and checked.summary == {"accounts": 4,
                                                                                        "total": 1_500_00}
    held = {(a.member.number, a.product.code): selectors.balance(a) for a in selectors.accounts(sg.group)}
    m = [x.number for x in sg.members]
    assert held == {(m[0], "VOL"): 600_00, (m[1], "VOL"): 400_00, (m[0], "SH"): 500_00, (m[2], "SAJ"): 0}
    entry = JournalEntry.objects.get(organisation=sg.group, idempotency_key__endswith="savings-accounts:all")
    assert entry.doc_type == "opening" and entry.date == D(2024, 1, 31)
    books = reporting.get("savings-balances").build(organisation=sg.group, start=None, end=D(2024, 1, 31)).tables[1]
    assert {r["code"]: (r["members"], r["ledger"], r["difference"]) for r in books.rows} == {
        "2100": (0, 0, 0), "2110": (1_000_00, 1_000_00, 0), "3400": (500_00, 500_00, 0)}


def test_a_total_that_differs_from_the_books_opening_is_refused_whole(sg):
    checked = services.import_check(organisation=sg.group, kind="savings-accounts",
                                     data=accounts_file(sg, vol=("600", "300")), filename="a.csv")
    [problem] = checked.file_problems
    assert problem.code == "opening_differs"
    assert "2110, 900.00 baht, differs from the books' opening balance of 1,000.00 baht" in problem.message_en
    assert "ไม่เท่ากับยอดยกมาในบัญชีแยกประเภท" in problem.message_th and checked.accepted == []
    with pytest.raises(RuleViolation):
        run_import(sg.group, "savings-accounts", accounts_file(sg, vol=("600", "300")), actor=sg.treasurer)
    assert not Account.objects.filter(organisation=sg.group).exists()


def test_rows_name_the_member_product_and_cell_that_are_wrong(sg):
    m = [x.number for x in sg.members]
    data = csv_bytes(ACCOUNT_HEADERS, [["9999", "VOL", "1", "31/01/2567"], [m[0], "XYZ", "1", "31/01/2567"],
                                       [m[1], "VOL", "-5", "31/01/2567"], [m[2], "VOL", "1", "31/01/2567"],
                                       [m[2], "VOL", "1", "31/01/2567"]])
    checked = services.import_check(organisation=sg.group, kind="savings-accounts", data=data, filename="a.csv")
    assert [(p.row, p.field, p.code) for p in checked.problems] == [
        (2, "member", "no_member"), (3, "product", "no_product"), (4, "balance", "not_positive"),
        (6, "product", "duplicate")]


def test_history_posts_a_day_per_type_after_a_second_person_approves(sg):
    run_import(sg.group, "savings-accounts", accounts_file(sg), actor=sg.treasurer)
    m = [x.number for x in sg.members]
    vol0 = selectors.accounts(sg.group).get(member__number=m[0], product__code="VOL")
    rows = [[vol0.number, "", "", "05/02/2567", "ฝาก", "100"], ["", m[1], "VOL", "05/02/2567", "ฝากเงิน", "50"],
            [vol0.number, "", "", "10/02/2567", "ถอน", "200"], [vol0.number, "", "", "30/06/2567", "ดอกเบี้ย", "4.50"]]
    data = csv_bytes(["เลขที่บัญชี", "เลขที่สมาชิก", "ประเภทเงินฝาก", "วันที่", "รายการ", "จำนวนเงิน"], rows)
    checked = services.import_check(organisation=sg.group, kind="savings-transactions", data=data, filename="t.csv")
    job = services.import_job_start(actor=sg.treasurer, organisation=sg.group, kind="savings-transactions",
                                    filename="t.csv", sha=services.file_sha256(data), checked=checked)
    assert job.status == ImportJob.Status.APPROVAL and (job.payout_count, job.payout_total) == (4, 200_00)
    with pytest.raises(RuleViolation):
        services.import_job_run(actor=sg.treasurer, job=job, sheet=services.read(data, "t.csv"), checked=checked)
    assert not JournalEntry.objects.filter(organisation=sg.group, doc_type="receipt").exists()
    checked, job = run_import(sg.group, "savings-transactions", data, actor=sg.treasurer, approver=sg.chair)
    assert job.status == ImportJob.Status.DONE
    assert checked.summary == {"transactions": 4, "deposits": 150_00, "withdrawals": 200_00, "interest": 4_50,
                               "total": 200_00}
    assert selectors.balance(vol0) == 600_00 + 100_00 - 200_00 + 4_50
    assert JournalEntry.objects.filter(organisation=sg.group, doc_type="receipt").count() == 1  # one a day
    months = reporting.get("savings-movements").build(organisation=sg.group, start=D(2024, 1, 1),
                                                      end=D(2024, 6, 30)).tables[0].rows
    assert (months[1]["deposit"], months[1]["withdrawal"], months[-1]["interest"]) == (150_00, 200_00, 4_50)


def test_history_never_takes_an_account_below_zero_nor_goes_back_in_time(sg):
    run_import(sg.group, "savings-accounts", accounts_file(sg), actor=sg.treasurer)
    vol0 = selectors.accounts(sg.group).get(member__number=sg.members[0].number, product__code="VOL")
    rows = [[vol0.number, "05/02/2567", "ถอน", "500"], [vol0.number, "06/02/2567", "ถอน", "200"],
            [vol0.number, "01/01/2567", "ฝาก", "10"], [vol0.number, "07/02/2567", "โอนหุ้น", "10"]]
    data = csv_bytes(["เลขที่บัญชี", "วันที่", "รายการ", "จำนวนเงิน"], rows)
    checked = services.import_check(organisation=sg.group, kind="savings-transactions", data=data, filename="t.csv")
    assert [(p.row, p.field, p.code) for p in checked.problems] == [
        (3, "amount", "negative"), (4, "date", "order"), (5, "type", "value_unknown")]


def test_imported_members_get_the_accounts_the_bylaws_open_on_joining(sg):
    from omboon.imports.tests.helpers import MEMBER_HEADERS, member_rows
    from omboon.savings import services as savings_services

    savings_services.product_set_opening(actor=sg.chair, product=sg.products["SAJ"], opens_on_joining=True)
    checked, job = run_import(sg.group, "members", csv_bytes(MEMBER_HEADERS, member_rows(2, start=901)),
                              actor=sg.treasurer)
    assert job.status == ImportJob.Status.DONE
    # as one member added on the members page: a SAJ account each, from the product's first terms
    # (1 January 2024; they joined in 2560)
    saj = {a.member.number: a for a in Account.objects.filter(product=sg.products["SAJ"]).select_related("member")}
    assert sorted(saj) == ["0901", "0902"] and {a.opened_on for a in saj.values()} == {D(2024, 1, 1)}
    # the savings-accounts import then brings a balance into that account, not a second one
    rows = [["0901", "SAJ", "0", "31/01/2567"]]
    checked, job = run_import(sg.group, "savings-accounts", csv_bytes(ACCOUNT_HEADERS, rows), actor=sg.treasurer)
    assert checked.ok and job.status == ImportJob.Status.DONE
    assert Account.objects.filter(product=sg.products["SAJ"], member__number="0901").count() == 1
