"""The loans imports as worked examples: a village fund moving from paper brings its trial
balance forward (1300 loans to members in total), then each running loan — its borrower, terms,
what was paid and what is still owed, its guarantors — so that 1300 becomes the borrowers' and
each schedule shows the instalments already paid; then the repayments made since, each shared
out as ``loan_repay`` shares it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from omboon.core.errors import RuleViolation
from omboon.imports import services
from omboon.imports.models import ImportJob
from omboon.imports.tests.helpers import csv_bytes, run_import
from omboon.ledger.models import JournalEntry, JournalLine
from omboon.ledger.services import period_close
from omboon.loans import allocation, schedule, selectors
from omboon.loans import services as loan_services
from omboon.loans.models import Guarantor, Loan, Repayment
from omboon.loans.tests.conftest import TERMS, make_member
from omboon.members.models import Member
from omboon.orgs.models import Organisation, Role
from omboon.testing.factories import make_group, make_user

D = dt.date
CUT_OVER = D(2024, 12, 31)
HEADERS = ["เลขที่สมาชิก", "ประเภทเงินกู้", "เงินต้น", "วันที่รับเงินกู้", "ชำระแล้ว", "เงินต้นคงเหลือ", "ผู้ค้ำประกัน",
           "วันที่ยอดยกมา"]
FIRST = schedule.build(TERMS, 20_000_00, D(2024, 6, 15))  # 12 monthly instalments from 15 July 2024
FLAT = schedule.Terms(method="flat", rate=Decimal(1), per="month", every="month", term=10)
SECOND = schedule.build(FLAT, 5_000_00, D(2024, 10, 1))  # 550 baht a month from 1 November 2024


def baht(satang: int) -> str:
    return f"{satang / 100:,.2f}"


@dataclass
class Fund:
    group: Organisation
    treasurer: object
    chair: object
    members: list


@pytest.fixture
def vf(db) -> Fund:
    """A village fund whose books start on 31 December 2024 (no entry before), with the product
    GEN (12 monthly instalments at 12% a year, declining balance, rounded to 5 baht)."""
    group = make_group("VFI", "กองทุนหมู่บ้านนำเข้า", group_type=Organisation.GroupType.VILLAGE_FUND)
    chair = make_user(group, Role.CHAIR)
    loan_services.product_create(actor=chair, organisation=group, code="GEN", name_th="เงินกู้สามัญ", terms=TERMS,
                                 max_amount=50_000_00, effective_from=D(2024, 1, 1), guarantors_above=20_000_00,
                                 guarantors_required=2)
    return Fund(group, make_user(group, Role.TREASURER), chair, [make_member(group) for _ in range(5)])


def opening(vf: Fund, loans_total: int) -> None:
    rows = [["1100", "50,000.00", "", "31/12/2567"], ["1300", baht(loans_total), "", "31/12/2567"],
            ["3100", "", baht(50_000_00 + loans_total), "31/12/2567"]]
    run_import(vf.group, "opening-balances", csv_bytes(["รหัสบัญชี", "เดบิต", "เครดิต", "วันที่ยอดยกมา"], rows))


def loans_rows(vf: Fund) -> list[list]:
    m = [x.number for x in vf.members]
    paid_six = sum(i.total for i in FIRST[:6])
    return [[m[0], "GEN", "20,000", "15/06/2567", baht(paid_six), baht(FIRST[5].balance), f"{m[2]}, {m[3]}",
             "31/12/2567"],
            [m[1], "เงินกู้สามัญ", "5,000", "01/10/2567", "0", "5,000", "", "31/12/2567"]]


def flat_terms_file(vf: Fund) -> bytes:
    """The second loan on other terms than its product's: 1% a month flat, 10 instalments."""
    rows = [[*row[:6], "", "", "", "", *row[6:]] for row in loans_rows(vf)]
    rows[1][6:10] = ["คงที่", "1", "ต่อเดือน", "10"]
    headers = [*HEADERS[:6], "วิธีคิดดอกเบี้ย", "อัตราดอกเบี้ย", "อัตราต่อ", "จำนวนงวด", *HEADERS[6:]]
    return csv_bytes(headers, rows)


def on_1300(group, member=None, **kw) -> int:
    lines = JournalLine.objects.filter(organisation=group, account__code="1300", **kw)
    if member is not None:
        lines = lines.filter(member=member)
    return sum(line.debit - line.credit for line in lines)


@pytest.fixture
def brought(vf) -> Fund:
    opening(vf, FIRST[5].balance + 5_000_00)
    checked, job = run_import(vf.group, "loans", flat_terms_file(vf), actor=vf.treasurer)
    assert checked.ok and job.status == ImportJob.Status.DONE
    return vf


def test_running_loans_move_1300_onto_the_borrowers_and_their_schedules_show_what_was_paid(brought):
    vf = brought
    first, second = Loan.objects.filter(organisation=vf.group).order_by("number")
    assert (first.member, second.member) == (vf.members[0], vf.members[1])
    assert first.status == second.status == Loan.Status.DISBURSED and (first.number, second.number) == (1, 2)
    # 1300 in the books is the sum of the outstanding balances, each borrower's line their loan's
    assert on_1300(vf.group) == FIRST[5].balance + 5_000_00 == sum(
        selectors.outstanding_principal(loan) for loan in (first, second))
    assert on_1300(vf.group, vf.members[0]) == selectors.outstanding_principal(first) == FIRST[5].balance
    assert on_1300(vf.group, vf.members[1]) == 5_000_00 and on_1300(vf.group, member__isnull=True) == 0
    # the first loan's schedule: six instalments paid, the seventh due on 15 January 2025
    left = allocation.remaining(selectors.schedule_of(first), selectors.settled(first))
    assert [p.total for p in left[:6]] == [0] * 6 and left[6].total == FIRST[6].total
    assert selectors.loan_rows([first], CUT_OVER)[0].days_overdue == 0
    # the second on the file's terms, not the product's: 50 baht interest a month, two months behind
    assert second.terms["method"] == "flat" and [i.interest for i in selectors.schedule_of(second)] == [50_00] * 10
    assert selectors.loan_rows([second], CUT_OVER)[0].days_overdue == (CUT_OVER - D(2024, 11, 1)).days
    assert set(Guarantor.objects.filter(loan=first).values_list("member", flat=True)) == {
        vf.members[2].pk, vf.members[3].pk}
    # what was paid before the cut-over is history: it cannot be reversed
    [before] = Repayment.objects.filter(loan=first)
    assert (before.date, before.principal, before.interest) == (
        CUT_OVER, 20_000_00 - FIRST[5].balance, sum(i.interest for i in FIRST[:6]))
    with pytest.raises(RuleViolation) as exc:
        loan_services.repayment_reverse(actor=vf.chair, repayment=before, reason="ผิด")
    assert "brought_forward" in {p.code for p in exc.value.problems}


def test_bad_rows_name_the_row_and_the_field(vf):
    opening(vf, 30_000_00)
    m = [x.number for x in vf.members]
    Member.objects.filter(pk=vf.members[4].pk).update(status=Member.Status.RESIGNED, status_date=D(2024, 5, 1))
    rows = [["9999", "GEN", "10,000", "15/06/2567", "0", "10,000", "", "31/12/2567"],  # no such member
            [m[0], "XYZ", "10,000", "15/06/2567", "0", "10,000", "", "31/12/2567"],  # no such product
            [m[0], "GEN", "10,000", "15/06/2567", "0", "10,000", m[0], "31/12/2567"],  # the borrower guarantees
            [m[1], "GEN", "10,000", "15/06/2567", "0", "10,000", m[4], "31/12/2567"],  # the guarantor has left
            [m[2], "GEN", "10,000", "15/06/2567", "0", "12,000", "", "31/12/2567"],  # balance above principal
            [m[3], "GEN", "10,000", "15/06/2567", "100", "9,000", "", "31/12/2567"]]  # paid < principal repaid
    checked = services.import_check(organisation=vf.group, kind="loans", data=csv_bytes(HEADERS, rows),
                                     filename="l.csv")
    assert [(p.row, p.field, p.code) for p in checked.problems if p.row] == [
        (2, "member", "no_member"), (3, "product", "no_product"), (4, "guarantors", ""), (5, "guarantors", ""),
        (6, "balance", "over_principal"), (7, "paid", "paid_under_principal")]
    texts = {p.row: (p.message_th, p.message_en) for p in checked.problems if p.row}
    assert texts[4] == ("ผู้กู้ค้ำประกันตนเองไม่ได้", "the borrower cannot guarantee the loan")
    assert "has not left" in texts[5][1] and "above the principal lent" in texts[6][1]
    # what passed is not what the books hold: nothing is imported, not even the good rows
    assert checked.accepted == [] and [p.code for p in checked.file_problems] == ["opening_differs"]


def test_a_total_that_differs_from_the_books_opening_is_refused_whole(vf):
    opening(vf, 1_000_00)
    with pytest.raises(RuleViolation) as exc:
        run_import(vf.group, "loans", flat_terms_file(vf), actor=vf.treasurer)
    [problem] = exc.value.problems
    assert problem.code == "opening_differs" and "1300" in problem.message_th and "1,000.00 baht" in problem.message_en
    assert not Loan.objects.filter(organisation=vf.group).exists()
    assert not JournalEntry.objects.filter(organisation=vf.group, idempotency_key__endswith="loans:all").exists()


REPAYMENT_HEADERS = ["เลขที่สัญญา", "เลขที่สมาชิก", "วันที่ชำระ", "จำนวนเงิน"]


def test_repayments_are_shared_out_as_loan_repay_shares_them(brought):
    vf = brought
    second = Loan.objects.get(organisation=vf.group, number=2)
    seventh = FIRST[6].total
    rows = [["1", "", "15/01/2568", baht(seventh)],
            ["", vf.members[1].number, "20/01/2568", "1,100"],  # the two instalments behind, by member number
            ["2", "", "01/02/2568", "600"]]  # the third and 50 baht of the fourth's interest
    checked, job = run_import(vf.group, "loan-repayments", csv_bytes(REPAYMENT_HEADERS, rows), actor=vf.treasurer)
    assert checked.ok and job.status == ImportJob.Status.DONE
    assert checked.summary == {"repayments": 3, "total": seventh + 1_700_00}
    got = [(r.loan.number, r.interest, r.principal) for r in
           Repayment.objects.filter(loan__organisation=vf.group, date__gt=CUT_OVER).order_by("date")]
    assert got == [(1, FIRST[6].interest, FIRST[6].principal), (2, 100_00, 1_000_00), (2, 100_00, 500_00)]
    assert on_1300(vf.group, vf.members[1]) == selectors.outstanding_principal(second) == 3_500_00
    assert JournalEntry.objects.filter(organisation=vf.group, doc_type="receipt").count() == 3  # a receipt each


def test_repayments_refused_into_a_closed_month_a_closed_or_written_off_loan_or_above_what_is_owed(brought):
    vf = brought
    first, second = Loan.objects.filter(organisation=vf.group).order_by("number")
    for month in ((2024, 12), (2025, 1)):
        period_close(actor=vf.chair, organisation=vf.group, year=month[0], month=month[1], today=D(2025, 3, 1))
    owed = selectors.still_owed(first)
    loan_services.loan_repay(actor=vf.treasurer, loan=first, amount=owed, date=D(2025, 2, 10))  # repaid: closed
    request = loan_services.write_off_request(actor=vf.treasurer, loan=second, reason="ย้ายถิ่น", date=D(2025, 2, 11))
    loan_services.adjustment_approve(actor=vf.chair, adjustment=request)
    third = make_member(vf.group)
    rows = [["1", "", "20/01/2568", "100"],  # January 2025 is closed
            ["1", "", "20/02/2568", "100"],  # the loan is repaid and closed
            ["2", "", "20/02/2568", "100"],  # written off: a recovery, not a repayment
            ["7", "", "20/02/2568", "100"],  # no such loan
            ["", third.number, "20/02/2568", "100"]]  # no running loan
    checked = services.import_check(organisation=vf.group, kind="loan-repayments",
                                     data=csv_bytes(REPAYMENT_HEADERS, rows), filename="r.csv")
    assert [(p.row, p.field, p.code) for p in checked.problems] == [
        (2, "date", "closed"), (3, "amount", ""), (3, "status", ""), (4, "status", ""), (5, "loan", "no_loan"),
        (6, "member", "which_loan")]
    written_off = checked.problems[3]
    assert "record a recovery" in written_off.message_en and "บันทึกเป็นรับชำระหนี้สูญ" in written_off.message_th


def test_a_repayment_above_what_is_owed_is_refused_also_after_earlier_rows(brought):
    vf = brought
    second = Loan.objects.get(organisation=vf.group, number=2)
    owed = selectors.still_owed(second)
    rows = [["2", "", "10/01/2568", baht(owed - 100_00)], ["2", "", "11/01/2568", "100.01"],
            ["2", "", "09/01/2568", "1"]]
    checked = services.import_check(organisation=vf.group, kind="loan-repayments",
                                     data=csv_bytes(REPAYMENT_HEADERS, rows), filename="r.csv")
    assert [(p.row, p.field) for p in checked.problems] == [(3, "amount"), (4, "date")]
    assert "more than the 100.00 baht owed" in checked.problems[0].message_en



def test_the_templates_carry_every_column_and_read_back_as_their_kinds():
    """The csv template's headers (Thai, English in brackets) map back to every field."""
    import csv
    import io

    from omboon.imports import exports, kinds
    from omboon.imports.spec import auto_mapping

    for kind in ("loans", "loan-repayments"):
        spec = kinds.get(kind)
        data, _type, _name = exports.template(kind, "csv")
        headers = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert set(auto_mapping(spec, headers).values()) == spec.keys
        assert exports.template(kind, "xlsx")[0][:2] == b"PK"  # a workbook


def test_a_repayment_above_what_is_owed_goes_to_savings_where_the_product_says_so(brought):
    """The product credits an overpayment to the borrower's voluntary savings: the row is taken,
    the loan closes and the surplus stands on the same receipt; a borrower without such an
    account is refused, the row and the field named."""
    from omboon.loans.models import LoanProductVersion
    from omboon.savings import selectors as savings_selectors
    from omboon.savings import services as savings
    vf = brought
    LoanProductVersion.objects.filter(product__organisation=vf.group).update(overpayment_to_savings=True)
    second = Loan.objects.get(organisation=vf.group, number=2)
    owed = selectors.still_owed(second)
    rows = [["2", "", "10/01/2568", baht(owed + 40_00)]]
    checked = services.import_check(organisation=vf.group, kind="loan-repayments",
                                    data=csv_bytes(REPAYMENT_HEADERS, rows), filename="r.csv")
    ((row, field, message),) = [(p.row, p.field, p.message_en) for p in checked.problems]
    assert (row, field) == (2, "amount") and "no voluntary savings account for the surplus" in message
    vol = savings.product_create(actor=vf.chair, organisation=vf.group, code="VOL", kind="voluntary",
                                 name_th="เงินฝากออมทรัพย์", effective_from=D(2024, 1, 1))
    account = savings.account_open(actor=vf.treasurer, organisation=vf.group, member=vf.members[1], product=vol,
                                   opened_on=D(2025, 1, 2))
    checked, job = run_import(vf.group, "loan-repayments", csv_bytes(REPAYMENT_HEADERS, rows), actor=vf.treasurer)
    assert checked.ok and job.status == ImportJob.Status.DONE
    r = Repayment.objects.get(loan=second, date=D(2025, 1, 10))
    assert (r.amount, r.to_savings) == (owed, 40_00) and savings_selectors.balance(account) == 40_00
    second.refresh_from_db()
    assert second.status == Loan.Status.CLOSED and on_1300(vf.group, vf.members[1]) == 0
