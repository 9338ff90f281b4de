"""Write-off and recovery as worked examples: a borrower stops paying, the treasurer asks to
write off what is left, the chair (a second person) approves; later the borrower pays some of
it back, a recovery the chair approves too. Each is corrected by a reversal."""

import pytest

from omboon.core.errors import RuleViolation
from omboon.loans import selectors, services
from omboon.loans.models import Adjustment, Loan
from omboon.loans.tests.conftest import D, disbursed
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
