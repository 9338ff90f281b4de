"""A reschedule as worked examples: a member borrows 20,000 baht on 15 January 2026 (12 monthly
instalments of 1,775 baht at 12% a year), pays February's, then a flood takes March's and
April's. On 1 May the treasurer asks to spread the 18,425 baht still owed over 12 new
instalments from 1 June; the chair (a second person) approves. The ledger moves nothing; the
two missed instalments' interest (184.25 + 168.34 baht) is kept, due with the first new one."""

import datetime as dt
from decimal import Decimal

import pytest

from omboon.core.errors import RuleViolation
from omboon.ledger.models import JournalEntry
from omboon.ledger.services import period_reopen
from omboon.loans import arrears, selectors, services
from omboon.loans.allocation import Parts
from omboon.loans.models import Loan, Reschedule
from omboon.loans.schedule import build
from omboon.loans.tests.conftest import TERMS, D, disbursed
from omboon.loans.tests.test_allowance import close, lend
from omboon.loans.tests.test_services import fields, on_books

MAY_1, JUNE_1 = D(2026, 5, 1), D(2026, 6, 1)


def asked(fund, loan, **kw):
    values = {"term": 12, "first_due": JUNE_1, "reason": "น้ำท่วมนา", "date": MAY_1}
    values.update(kw)
    return services.reschedule_request(actor=fund.treasurer, loan=loan, **values)


def flooded(fund):
    """The loan after February's instalment was paid and March's and April's were not."""
    loan = disbursed(fund)
    services.loan_repay(actor=fund.treasurer, loan=loan, amount=1_775_00, date=D(2026, 2, 15))
    loan.refresh_from_db()
    return loan


def standing_on(loan, day):
    loan.refresh_from_db()
    return arrears.standing(selectors.schedule_of(loan), selectors.settled(loan), loan.principal, day)


def test_asked_by_one_approved_by_another_a_new_schedule_of_what_is_owed_and_nothing_posted(fund):
    loan = flooded(fund)
    assert standing_on(loan, MAY_1).days_overdue == 47  # since 15 March
    entries = JournalEntry.objects.count()
    r = asked(fund, loan)
    assert (r.status, r.principal, r.terms["term"]) == ("pending", 18_425_00, 12)
    assert selectors.schedule_of(loan)[1].due == D(2026, 3, 15)  # nothing changes until approved
    with pytest.raises(RuleViolation) as refused:
        services.reschedule_approve(actor=fund.treasurer, reschedule=r)  # the one who asked
    assert fields(refused) == ["approved_by"]
    r = services.reschedule_approve(actor=fund.chair, reschedule=r)
    assert (r.settled_principal, r.settled_interest, r.kept_interest) == (1_575_00, 200_00, 184_25 + 168_34)
    loan.refresh_from_db()
    assert loan.rescheduled_on == MAY_1 and loan.status == Loan.Status.DISBURSED
    assert JournalEntry.objects.count() == entries  # the ledger moves nothing
    assert on_books(loan) == 18_425_00 == selectors.outstanding_principal(loan)
    now = selectors.schedule_of(loan)
    paid_part, new = now[0], now[1:]
    assert (paid_part.due, paid_part.principal, paid_part.interest) == (D(2026, 2, 15), 1_575_00, 200_00)
    fresh = build(TERMS, 18_425_00, MAY_1, JUNE_1)  # the new schedule of the outstanding principal
    assert [i.due for i in new] == [i.due for i in fresh] and len(new) == 12 and new[0].due == JUNE_1
    assert [i.principal for i in new] == [i.principal for i in fresh]
    assert new[0].interest == fresh[0].interest + 184_25 + 168_34  # the kept interest falls due with it
    assert sum(i.principal for i in now) == 20_000_00
    assert standing_on(loan, D(2026, 5, 20)).days_overdue == 0  # the old arrears end with the reschedule
    assert standing_on(loan, D(2026, 6, 11)).days_overdue == 10  # the new schedule's own
    # the old schedule is kept, and shown beside the new one
    (first, old), (made_by, current) = selectors.schedules_of(loan)
    assert first is None and old[1].due == D(2026, 3, 15) and made_by == r and current == now


def test_repayments_after_it_follow_the_new_schedule(fund):
    loan = flooded(fund)
    services.reschedule_approve(actor=fund.chair, reschedule=asked(fund, loan))
    loan.refresh_from_db()
    first_new = selectors.schedule_of(loan)[1]
    paid = services.loan_repay(actor=fund.treasurer, loan=loan, amount=first_new.total, date=JUNE_1)
    assert (paid.interest, paid.principal) == (first_new.interest, first_new.principal)
    assert standing_on(loan, D(2026, 6, 20)).days_overdue == 0
    assert selectors.still_owed(loan) == sum(i.total for i in selectors.schedule_of(loan)[2:])
    with pytest.raises(RuleViolation) as refused:  # dated before the reschedule: its schedule is gone
        services.loan_repay(actor=fund.treasurer, loan=loan, amount=100_00, date=D(2026, 4, 30))
    assert fields(refused) == ["date"] and "reschedule" in refused.value.problems[0].message_en


def test_the_penalty_and_the_days_overdue_use_the_current_schedule(fund):
    loan = flooded(fund)
    services.reschedule_approve(actor=fund.chair, reschedule=asked(fund, loan))
    loan.refresh_from_db()
    assert selectors.penalty_on(loan, D(2026, 5, 31)) == 0  # nothing of the new schedule is overdue
    row = selectors.loan_rows([loan], D(2026, 5, 31))[0]
    assert (row.outstanding, row.days_overdue) == (18_425_00, 0)
    assert not selectors.in_arrears(loan.member, D(2026, 5, 31))


def test_reversed_while_nothing_is_paid_on_the_new_schedule(fund):
    loan = flooded(fund)
    r = services.reschedule_approve(actor=fund.chair, reschedule=asked(fund, loan))
    paid = services.loan_repay(actor=fund.treasurer, loan=loan, amount=1_000_00, date=JUNE_1)
    with pytest.raises(RuleViolation) as refused:
        services.reschedule_reverse(actor=fund.chair, reschedule=r, reason="ตกลงกันใหม่")
    assert fields(refused) == ["reschedule"]
    services.repayment_reverse(actor=fund.chair, repayment=paid, reason="บันทึกผิด")
    services.reschedule_reverse(actor=fund.chair, reschedule=r, reason="ตกลงกันใหม่")
    loan.refresh_from_db()
    assert loan.rescheduled_on is None and selectors.schedules_of(loan)[-1][0] is None
    assert standing_on(loan, MAY_1).days_overdue == 47  # back on the first schedule
    with pytest.raises(RuleViolation) as refused:
        services.reschedule_reverse(actor=fund.chair, reschedule=r, reason="อีกครั้ง")
    assert fields(refused) == ["reschedule"]


def test_a_repayment_before_it_cannot_be_reversed_while_it_stands(fund):
    loan = flooded(fund)
    february = loan.repayments.get()
    services.reschedule_approve(actor=fund.chair, reschedule=asked(fund, loan))
    with pytest.raises(RuleViolation) as refused:
        services.repayment_reverse(actor=fund.chair, repayment=february, reason="บันทึกผิด")
    assert "reverse the reschedule first" in refused.value.problems[0].message_en


def test_a_second_reschedule_starts_from_the_first_ones_schedule(fund):
    loan = flooded(fund)
    services.reschedule_approve(actor=fund.chair, reschedule=asked(fund, loan))
    loan.refresh_from_db()
    services.loan_repay(actor=fund.treasurer, loan=loan, amount=selectors.schedule_of(loan)[1].total, date=JUNE_1)
    second = services.reschedule_approve(actor=fund.chair, reschedule=asked(
        fund, loan, term=6, rate=Decimal(6), date=D(2026, 9, 1), first_due=D(2026, 10, 1)))
    loan.refresh_from_db()
    now = selectors.schedule_of(loan)
    assert len(selectors.schedules_of(loan)) == 3 and loan.rescheduled_on == D(2026, 9, 1)
    assert sum(i.principal for i in now) == 20_000_00 and now[-1].due == D(2027, 3, 1)
    assert second.principal == 18_425_00 - now[1].principal
    assert selectors.current_terms(loan)["rate"] == "6"
    assert (second.settled_principal, second.settled_interest) == (now[0].principal + now[1].principal,
                                                                    now[0].interest + now[1].interest)


def test_bad_input_is_refused_in_thai_and_english_and_nothing_is_written(fund):
    loan = flooded(fund)
    cases = [({"term": 13}, "term"),  # longer than the product's 12 instalments
             ({"term": 0}, "term"),
             ({"rate": Decimal(-1)}, "rate"),
             ({"first_due": MAY_1}, "first_due"),
             ({"date": D(2026, 2, 1)}, "date"),  # before February's repayment
             ({"reason": " "}, "reason")]
    for change, field in cases:
        with pytest.raises(RuleViolation) as refused:
            asked(fund, loan, **change)
        assert fields(refused) == [field], change
        problem = refused.value.problems[0]
        assert problem.message_th and problem.message_en and problem.message_th != problem.message_en
    assert not Reschedule.objects.exists()
    r = asked(fund, loan)
    with pytest.raises(RuleViolation) as refused:  # one request at a time
        asked(fund, loan)
    assert fields(refused) == ["loan"]
    services.reschedule_reject(actor=fund.chair, reschedule=r, reason="ยังชำระได้")
    loan.refresh_from_db()
    assert loan.rescheduled_on is None and Reschedule.objects.get().status == "rejected"


def test_a_closed_or_written_off_loan_is_not_rescheduled(fund):
    closed = disbursed(fund)
    services.loan_repay(actor=fund.treasurer, loan=closed, amount=selectors.still_owed(closed), date=D(2026, 2, 1))
    closed.refresh_from_db()
    with pytest.raises(RuleViolation) as refused:
        asked(fund, closed)
    assert "closed" in refused.value.problems[0].message_en and "ปิดแล้ว" in refused.value.problems[0].message_th
    gone = disbursed(fund, member=fund.members[1])
    services.adjustment_approve(actor=fund.chair, adjustment=services.write_off_request(
        actor=fund.treasurer, loan=gone, reason="ย้ายออก", date=D(2026, 4, 1)))
    gone.refresh_from_db()
    with pytest.raises(RuleViolation) as refused:
        asked(fund, gone)
    assert "written off" in refused.value.problems[0].message_en
    assert not Reschedule.objects.exists()


def test_a_repayment_after_the_request_makes_the_approval_refuse(fund):
    loan = flooded(fund)
    r = asked(fund, loan)
    services.loan_repay(actor=fund.treasurer, loan=loan, amount=1_775_00, date=MAY_1)
    with pytest.raises(RuleViolation) as refused:
        services.reschedule_approve(actor=fund.chair, reschedule=r)
    assert fields(refused) == ["principal"]
    assert Reschedule.objects.get().status == "pending"


def test_settled_parts_stay_and_waived_interest_counts_as_settled(fund):
    loan = flooded(fund)
    services.adjustment_approve(actor=fund.chair, adjustment=services.waive_request(
        actor=fund.treasurer, loan=loan, part="interest", amount=184_25, reason="ภัยแล้ง", date=D(2026, 4, 20)))
    r = services.reschedule_approve(actor=fund.chair, reschedule=asked(fund, loan))
    assert r.kept_interest == 168_34 and r.settled_interest == 200_00 + 184_25
    waiver = loan.adjustments.get(kind="waive_interest")
    with pytest.raises(RuleViolation) as refused:
        services.adjustment_reverse(actor=fund.chair, adjustment=waiver, reason="ผิด")
    assert "reverse the reschedule first" in refused.value.problems[0].message_en
    loan.refresh_from_db()
    assert selectors.settled(loan) == Parts(interest=384_25, principal=1_575_00)
    assert dt.date(2026, 6, 1) == selectors.schedule_of(loan)[2].due  # Feb's paid part, March's waived interest


def test_a_reschedule_dated_in_a_closed_month_is_refused_asked_approved_or_reversed(young):
    """A reschedule posts nothing, but from its day it changes what is overdue, so the aging the
    allowance at a closed month-end was posted from. The young fund (books from January 2026)
    lends 12,000 baht on 15 January and closes January and February: a reschedule dated 20
    February is refused with the ledger's words. One dated 5 March is asked; March is closed
    before the chair sees it, so its approval is refused too (reopened, it is approved); closed
    again, its reversal is refused the same way. Nothing is written by a refusal."""
    loan = lend(young, young.members[0], 12_000_00)
    close(young, 2026, 1)
    close(young, 2026, 2)

    def ask(day):
        return services.reschedule_request(actor=young.treasurer, loan=loan, term=10, first_due=D(2026, 4, 15),
                                           reason="น้ำท่วมนา", date=day)

    with pytest.raises(RuleViolation) as refused:
        ask(D(2026, 2, 20))
    closed = next(p for p in refused.value.problems if p.code == "closed")
    assert closed.message("th") == "ปิดบัญชีถึงเดือนกุมภาพันธ์ 2569 แล้ว ลงรายการวันที่ 20 ก.พ. 2569 ไม่ได้"
    assert not Reschedule.objects.exists()
    r = ask(D(2026, 3, 5))
    close(young, 2026, 3)
    with pytest.raises(RuleViolation, match="the books are closed up to March 2026"):
        services.reschedule_approve(actor=young.chair, reschedule=r)
    r.refresh_from_db()
    assert r.status == "pending"
    period_reopen(actor=young.chair, organisation=young.group, year=2026, month=3, reason="ปรับโครงสร้างหนี้ค้าง")
    services.reschedule_approve(actor=young.chair, reschedule=r)
    close(young, 2026, 3)
    with pytest.raises(RuleViolation, match="the books are closed up to March 2026"):
        services.reschedule_reverse(actor=young.chair, reschedule=r, reason="ผิดสัญญา")
    r.refresh_from_db()
    assert r.status == "approved" and r.reversed_on is None
