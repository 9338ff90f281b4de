"""Write-off and recovery as worked examples: a borrower stops paying, the treasurer asks to
write off what is left, the chair (a second person) approves; later the borrower pays some of
it back, a recovery the chair approves too. Each is corrected by a reversal."""

import pytest

from omboon.core.errors import RuleViolation
from omboon.loans import selectors, services
from omboon.loans.models import Adjustment, Loan
from omboon.loans.tests.conftest import D, disbursed
from omboon.loans.tests.test_allowance import close, lend
from omboon.loans.tests.test_services import fields, on_books
from omboon.orgs.models import Role
from omboon.testing.factories import make_user


def written_off(fund, against="expense"):
    loan = disbursed(fund)
    services.loan_repay(actor=fund.treasurer, loan=loan, amount=1_000_00, date=D(2026, 2, 15))  # 800 principal
    asked = services.write_off_request(actor=fund.treasurer, loan=loan, reason="ย้ายออกจากหมู่บ้าน", against=against,
                                       date=D(2026, 9, 30))
    return loan, services.adjustment_approve(actor=fund.chair, adjustment=asked)


def test_a_write_off_asked_by_one_and_approved_by_another_takes_the_outstanding_off_1300(fund):
    loan = disbursed(fund)
    services.loan_repay(actor=fund.treasurer, loan=loan, amount=1_000_00, date=D(2026, 2, 15))
    asked = services.write_off_request(actor=fund.treasurer, loan=loan, reason="ย้ายออก", date=D(2026, 9, 30))
    assert asked.amount == 19_200_00 and asked.status == "pending" and on_books(loan) == 19_200_00  # nothing posted
    with pytest.raises(RuleViolation) as refused:
        services.adjustment_approve(actor=fund.treasurer, adjustment=asked)  # the one who asked
    assert fields(refused) == ["approved_by"]
    done = services.adjustment_approve(actor=fund.chair, adjustment=asked)
    loan.refresh_from_db()
    assert loan.status == Loan.Status.WRITTEN_OFF and done.entry.document_number
    assert on_books(loan) == 0 == selectors.outstanding_principal(loan) and on_books(loan, "5500") == 19_200_00


def test_against_the_allowance_the_write_off_debits_1320(fund):
    loan, _done = written_off(fund, against="allowance")
    assert on_books(loan, "1320") == 19_200_00 and on_books(loan, "5500") == 0


def test_a_written_off_loan_takes_no_repayment_but_a_recovery_to_income(fund):
    loan, _done = written_off(fund)
    with pytest.raises(RuleViolation) as refused:
        services.loan_repay(actor=fund.treasurer, loan=loan, amount=100_00, date=D(2026, 10, 1))
    assert [p.field for p in refused.value.problems] == ["status"]
    assert "recovery instead" in refused.value.problems[0].message_en
    with pytest.raises(RuleViolation) as refused:  # more than was written off
        services.recovery_request(actor=fund.treasurer, loan=loan, amount=19_200_01, reason="คืน", date=D(2026, 10, 1))
    assert fields(refused) == ["amount"]
    asked = services.recovery_request(actor=fund.treasurer, loan=loan, amount=5_000_00, reason="ญาติชำระแทน",
                                      date=D(2026, 10, 1))
    services.adjustment_approve(actor=fund.chair, adjustment=asked)
    assert -on_books(loan, "4800") == 5_000_00 and on_books(loan) == 0 and selectors.recoverable(loan) == 14_200_00


def test_a_rejection_posts_nothing_and_a_second_request_waits_for_the_first(fund):
    loan = disbursed(fund)
    asked = services.write_off_request(actor=fund.treasurer, loan=loan, reason="ย้ายออก", date=D(2026, 9, 30))
    with pytest.raises(RuleViolation) as refused:
        services.write_off_request(actor=fund.treasurer, loan=loan, reason="อีกครั้ง", date=D(2026, 9, 30))
    assert fields(refused) == ["loan"]
    services.adjustment_reject(actor=fund.chair, adjustment=asked, reason="ยังติดตามได้")
    loan.refresh_from_db()
    assert loan.status == Loan.Status.DISBURSED and on_books(loan) == 20_000_00


def test_a_repayment_after_the_request_makes_the_approval_refuse(fund):
    loan = disbursed(fund)
    asked = services.write_off_request(actor=fund.treasurer, loan=loan, reason="ย้ายออก", date=D(2026, 9, 30))
    services.loan_repay(actor=fund.treasurer, loan=loan, amount=1_000_00, date=D(2026, 10, 1))
    with pytest.raises(RuleViolation) as refused:
        services.adjustment_approve(actor=fund.chair, adjustment=asked)
    assert fields(refused) == ["amount"]


def test_reversals_undo_a_recovery_then_the_write_off(fund):
    loan, done = written_off(fund)
    asked = services.recovery_request(actor=fund.treasurer, loan=loan, amount=1_000_00, reason="คืน",
                                      date=D(2026, 10, 1))
    recovery = services.adjustment_approve(actor=fund.chair, adjustment=asked)
    with pytest.raises(RuleViolation) as refused:
        services.adjustment_reverse(actor=fund.chair, adjustment=done, reason="ผิด")
    assert fields(refused) == ["adjustment"]
    services.adjustment_reverse(actor=fund.chair, adjustment=recovery, reason="เช็คคืน")
    services.adjustment_reverse(actor=fund.chair, adjustment=done, reason="ยังติดตามได้")
    loan.refresh_from_db()
    assert loan.status == Loan.Status.DISBURSED and on_books(loan) == 19_200_00 == selectors.outstanding_principal(loan)
    assert on_books(loan, "5500") == 0 == on_books(loan, "4800")
    assert Adjustment.objects.filter(loan=loan, reversal__isnull=False).count() == 2


def test_a_clerk_cannot_approve_and_a_back_dated_write_off_is_refused(fund):
    loan = disbursed(fund)
    services.loan_repay(actor=fund.treasurer, loan=loan, amount=1_000_00, date=D(2026, 2, 15))
    with pytest.raises(RuleViolation) as refused:
        services.write_off_request(actor=fund.treasurer, loan=loan, reason="x", against="elsewhere",
                                   date=D(2026, 2, 1))
    assert fields(refused) == ["against", "date"]
    asked = services.write_off_request(actor=fund.treasurer, loan=loan, reason="x", date=D(2026, 3, 1))
    clerk = make_user(fund.group, Role.AUDITOR)  # may read, not approve
    with pytest.raises(RuleViolation) as refused:
        services.adjustment_approve(actor=clerk, adjustment=asked)
    assert fields(refused) == ["approved_by"]


def test_the_pages_ask_confirm_approve_and_reverse_a_write_off(fund, client):
    loan = disbursed(fund)
    base = f"/o/{fund.group.code}/loans/{loan.pk}/"
    client.force_login(fund.treasurer)
    form = {"date": "30/09/2569", "reason": "ย้ายออก", "against": "expense"}
    check = client.post(base + "write-off/", {**form, "action": "check"}).content.decode()
    assert "20,000.00" in check and "สองหมื่นบาทถ้วน" in check and 'id="adjust-confirm-button"' in check
    assert Adjustment.objects.count() == 0
    assert client.post(base + "write-off/", {**form, "action": "confirm"}).status_code == 302
    page = client.get(base).content.decode()
    assert "ผู้บันทึกอนุมัติเองไม่ได้" in page and 'id="adjustment-approve"' not in page
    asked = Adjustment.objects.get()
    client.force_login(fund.chair)
    page = client.get(base).content.decode()
    assert 'id="adjustment-approve"' in page and 'id="adjustment-reject"' in page
    done = client.post(base + "adjustment/", {"adjustment": asked.pk, "action": "approve"}, follow=True)
    asked.refresh_from_db()
    assert asked.entry.document_number in done.content.decode() and "ตัดเป็นหนี้สูญแล้ว" in done.content.decode()
    assert 'id="repay-form"' not in done.content.decode() and 'id="adjustment-reverse"' in done.content.decode()
    refused = client.post(base + "repay/", {"amount": "100", "date": "01/10/2569", "action": "confirm"})
    assert refused.status_code == 422 and "รับชำระหนี้สูญแทน" in refused.content.decode()
    undone = client.post(base + "adjustment/", {"adjustment": asked.pk, "action": "reverse", "reason": "ผิด"},
                         follow=True)
    loan.refresh_from_db()
    assert loan.status == Loan.Status.DISBURSED and "กลับรายการ" in undone.content.decode()


def test_a_recovery_from_the_page_is_refused_above_what_was_written_off(fund, client):
    loan, _done = written_off(fund)
    client.force_login(fund.treasurer)
    refused = client.post(f"/o/{fund.group.code}/loans/{loan.pk}/recover/",
                          {"amount": "19,200.01", "date": "01/10/2569", "reason": "คืน", "action": "check"})
    assert refused.status_code == 422 and "19,200.00" in refused.content.decode()


# --- penalty and waivers --------------------------------------------------------------------------

def with_penalty(fund, rate="2", fine=0):
    from decimal import Decimal

    from omboon.loans.schedule import Terms
    from omboon.loans.tests.conftest import TERMS

    terms = Terms(**{**TERMS.as_dict(), "rate": TERMS.rate, "penalty_rate": Decimal(rate), "penalty_fine": fine})
    services.product_version_create(actor=fund.chair, product=fund.product, effective_from=D(2025, 1, 1), terms=terms,
                                    max_amount=50_000_00, guarantors_above=20_000_00, guarantors_required=2)
    return disbursed(fund)


def test_a_penalty_of_2_percent_a_month_on_overdue_principal_is_paid_first_to_4720(fund):
    loan = with_penalty(fund)
    first = selectors.schedule_of(loan)[0]  # due 15 Feb 2026: 1,575 principal (+200 interest)
    # On 15 March the first instalment is 28 days late (the second falls due that day, not late yet):
    # 1,575 × 2% × 28/30 = 29.40
    charged = services.penalty_charge(actor=fund.treasurer, loan=loan, date=D(2026, 3, 15))
    assert first.principal == 1_575_00 and charged.amount == 29_40 == selectors.penalty_owed(loan)
    r = services.loan_repay(actor=fund.treasurer, loan=loan, amount=500_00, date=D(2026, 3, 15))
    assert (r.penalty, r.interest) == (29_40, 200_00) and -on_books(loan, "4720") == 29_40
    with pytest.raises(RuleViolation) as refused:  # charged already up to that day
        services.penalty_charge(actor=fund.treasurer, loan=loan, date=D(2026, 3, 15))
    assert fields(refused) == ["date"]


def test_a_fixed_fine_for_each_instalment_fallen_due(fund):
    loan = with_penalty(fund, rate="0", fine=50_00)
    # 15 February, March and April fell due unpaid by 20 April; then only 15 May is new
    assert services.penalty_charge(actor=fund.treasurer, loan=loan, date=D(2026, 4, 20)).amount == 150_00
    assert services.penalty_charge(actor=fund.treasurer, loan=loan, date=D(2026, 5, 20)).amount == 50_00


def test_waiving_interest_or_penalty_takes_a_second_person_and_posts_nothing(fund):
    loan = with_penalty(fund)
    services.penalty_charge(actor=fund.treasurer, loan=loan, date=D(2026, 3, 17))
    owed = selectors.still_owed(loan)
    asked = services.waive_request(actor=fund.treasurer, loan=loan, part="penalty", amount=selectors.penalty_owed(loan),
                                   reason="น้ำท่วม", date=D(2026, 3, 18))
    with pytest.raises(RuleViolation) as refused:
        services.adjustment_approve(actor=fund.treasurer, adjustment=asked)
    assert fields(refused) == ["approved_by"]
    services.adjustment_approve(actor=fund.chair, adjustment=asked)
    assert selectors.penalty_owed(loan) == 0 and selectors.still_owed(loan) == owed - asked.amount
    with pytest.raises(RuleViolation) as refused:
        services.waive_request(actor=fund.treasurer, loan=loan, part="interest", amount=10_000_00, reason="x",
                               date=D(2026, 3, 18))
    assert fields(refused) == ["amount"]
    interest = services.waive_request(actor=fund.treasurer, loan=loan, part="interest", amount=200_00, reason="น้ำท่วม",
                                      date=D(2026, 3, 18))
    services.adjustment_approve(actor=fund.chair, adjustment=interest)
    r = services.loan_repay(actor=fund.treasurer, loan=loan, amount=100_00, date=D(2026, 3, 19))
    assert (r.penalty, r.interest, r.principal) == (0, 0, 100_00)  # the first instalment's interest is waived
    services.repayment_reverse(actor=fund.chair, repayment=r, reason="ผิด")
    services.adjustment_reverse(actor=fund.chair, adjustment=interest, reason="ผิด")
    assert selectors.still_owed(loan) == owed - asked.amount and on_books(loan, "4710") == 0


def test_penalty_and_waiver_from_the_page_api_and_command_line(fund, client):
    import io

    from django.core.management import call_command

    loan = with_penalty(fund)
    base = f"/o/{fund.group.code}/loans/{loan.pk}/"
    client.force_login(fund.treasurer)
    check = client.post(base + "penalty/", {"date": "15/03/2569", "action": "check"}).content.decode()
    assert "29.40" in check and "ยี่สิบเก้าบาทสี่สิบสตางค์" in check and 'id="penalty-confirm-button"' in check
    done = client.post(base + "penalty/", {"date": "15/03/2569", "action": "confirm"}, follow=True).content.decode()
    assert "คิดค่าปรับ 29.40 บาท แล้ว" in done and 'data-figure="penalty-owed"' in done
    api = client.post(f"/api/v1/loans/{fund.group.code}/{loan.pk}/waive",
                      {"part": "penalty", "amount": 29_40, "reason": "น้ำท่วม", "date": "2026-03-18"},
                      content_type="application/json")
    assert api.status_code == 201 and api.json()["status"] == "pending"
    out = io.StringIO()
    call_command("loans", "approve-adjustment", "--org", fund.group.code, "--by", fund.chair.username, "--loan",
                 str(loan.number), "--adjustment", str(api.json()["id"]), stdout=out)
    assert "approved" in out.getvalue() and selectors.penalty_owed(loan) == 0
    client.force_login(fund.chair)
    undone = client.post(base + "adjustment/", {"adjustment": api.json()["id"], "action": "reverse", "reason": "ผิด"},
                         follow=True)
    assert undone.status_code == 200 and selectors.penalty_owed(loan) == 29_40


def test_reversing_a_waiver_a_closed_loan_counted_on_opens_it_again(fund):
    """Interest waived, the rest repaid: the loan closes. The waiver reversed, the interest is
    owed again and the loan repays again (as after a repayment's reversal)."""
    loan = disbursed(fund)
    interest = selectors.interest_waivable(loan)
    waiver = services.adjustment_approve(actor=fund.chair, adjustment=services.waive_request(
        actor=fund.treasurer, loan=loan, part="interest", amount=interest, reason="ภัยแล้ง", date=D(2026, 2, 1)))
    services.loan_repay(actor=fund.treasurer, loan=loan, amount=selectors.still_owed(loan), date=D(2026, 2, 15))
    loan.refresh_from_db()
    assert loan.status == Loan.Status.CLOSED
    services.adjustment_reverse(actor=fund.chair, adjustment=waiver, reason="ไม่ได้ประชุมอนุมัติ")
    loan.refresh_from_db()
    assert (loan.status, loan.closed_on) == (Loan.Status.DISBURSED, None)
    assert selectors.still_owed(loan) == interest


def test_a_waiver_of_the_last_that_is_owed_closes_the_loan(fund):
    """Reopened by a waiver's reversal, the loan owes only the interest; waived again, it closes."""
    loan = disbursed(fund)
    interest = selectors.interest_waivable(loan)
    waiver = services.adjustment_approve(actor=fund.chair, adjustment=services.waive_request(
        actor=fund.treasurer, loan=loan, part="interest", amount=interest, reason="ภัยแล้ง", date=D(2026, 2, 1)))
    services.loan_repay(actor=fund.treasurer, loan=loan, amount=selectors.still_owed(loan), date=D(2026, 2, 15))
    services.adjustment_reverse(actor=fund.chair, adjustment=waiver, reason="ไม่ได้ประชุมอนุมัติ")
    services.adjustment_approve(actor=fund.chair, adjustment=services.waive_request(
        actor=fund.treasurer, loan=loan, part="interest", amount=interest, reason="ประชุมอนุมัติแล้ว",
        date=D(2026, 3, 1)))
    loan.refresh_from_db()
    assert (loan.status, loan.closed_on, selectors.still_owed(loan)) == (Loan.Status.CLOSED, D(2026, 3, 1), 0)


def test_a_write_off_recovery_or_waiver_dated_in_a_closed_month_is_refused_when_asked(young):
    """A fund whose books begin in January 2026 lends A 12,000 baht on 15 January and closes
    January and February. Asked on 28 February, a write-off (or a waiver) is refused at once with
    the ledger's words, and nothing is left waiting for an approval the ledger would refuse; asked
    on 5 March it is taken and approved. With March closed, a recovery dated 31 March is refused
    the same way; dated 2 April it is taken. (Before, the request was taken and its approval failed.)"""
    loan = lend(young, young.members[0], 12_000_00)
    close(young, 2026, 1)
    close(young, 2026, 2)
    for ask in (lambda: services.write_off_request(actor=young.treasurer, loan=loan, reason="ย้ายออก",
                                                   date=D(2026, 2, 28)),
                lambda: services.waive_request(actor=young.treasurer, loan=loan, part="penalty", amount=1_00,
                                               reason="ภัยแล้ง", date=D(2026, 2, 28))):
        with pytest.raises(RuleViolation) as refused:
            ask()
        closed = next(p for p in refused.value.problems if p.code == "closed")
        assert closed.field == "date" and closed.message("th").startswith("ปิดบัญชีถึงเดือนกุมภาพันธ์ 2569 แล้ว")
        assert closed.message("en").startswith("the books are closed up to February 2026")
    assert not Adjustment.objects.filter(loan=loan).exists()
    asked = services.write_off_request(actor=young.treasurer, loan=loan, reason="ย้ายออก", date=D(2026, 3, 5))
    services.adjustment_approve(actor=young.chair, adjustment=asked)
    close(young, 2026, 3)
    with pytest.raises(RuleViolation) as refused:
        services.recovery_request(actor=young.treasurer, loan=loan, amount=500_00, reason="ญาติชำระแทน",
                                  date=D(2026, 3, 31))
    assert "closed" in {p.code for p in refused.value.problems}
    assert services.recovery_request(actor=young.treasurer, loan=loan, amount=500_00, reason="ญาติชำระแทน",
                                     date=D(2026, 4, 2)).status == "pending"
