"""The loan pages: an application from the form to its repayment, each action offered only to
who may take it, every refusal shown; the list found by search and status; the portfolio."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.loans.models import Loan, Repayment
from omboon.loans.tests.conftest import DISBURSED_ON, TERMS, apply, disbursed
from omboon.orgs.models import Role
from omboon.testing.factories import make_user
from omboon.testing.i18n import in_english, thai_in_chrome

D = dt.date
pytestmark = pytest.mark.django_db


def url(org, tail=""):
    return f"/o/{org.code}/loans/{tail}"


def page(response) -> str:
    return response.content.decode()


def test_an_application_from_the_form_to_its_approval(fund, client):
    client.force_login(fund.treasurer)
    form = page(client.get(url(fund.group, "new/")))
    assert "เงินกู้สามัญ" in form and "กู้ได้ไม่เกิน 50,000.00 บาท" in form
    borrower, g1, g2 = fund.members[:3]
    response = client.post(url(fund.group, "new/"), {
        "product": fund.product.pk, "member": borrower.number, "principal": "30,000", "purpose": "ซื้อปุ๋ย",
        "applied_on": "05/01/2569", "guarantor_1": g1.number, "guarantor_1_consented": "1",
        "guarantor_2": g2.number})  # g1's signed consent form came with it; g2's did not
    loan = Loan.objects.get()
    assert response.status_code == 302 and response["Location"] == url(fund.group, f"{loan.pk}/")
    assert loan.principal == 30_000_00 and loan.applied_on == D(2026, 1, 5)
    assert [(g.member, g.consent, g.consent_on, g.consent_by) for g in loan.guarantors.order_by("pk")] == [
        (g1, "given", D(2026, 1, 5), fund.treasurer), (g2, "pending", None, None)]
    detail = page(client.get(response["Location"]))
    assert "รออนุมัติ" in detail and "สามหมื่นบาทถ้วน" in detail
    assert 'id="approve"' not in detail and "ผู้บันทึกคำขออนุมัติเองไม่ได้" in detail
    assert client.post(url(fund.group, f"{loan.pk}/approve/")).status_code == 422  # the service says no too
    client.force_login(fund.chair)
    detail = page(client.get(url(fund.group, f"{loan.pk}/")))
    assert 'id="approve"' not in detail and f"ผู้ค้ำ {g2.number} {g2.full_name} ยังไม่ยินยอมค้ำประกัน" in detail
    assert "รอผู้ค้ำยินยอม" in page(client.get(url(fund.group)))  # the approvers' queue says so too
    refused = client.post(url(fund.group, f"{loan.pk}/approve/"))
    assert refused.status_code == 422 and loan.approvals.count() == 0
    # the chair records g2's signed form: checked and shown back, then confirmed
    check = client.post(url(fund.group, f"{loan.pk}/consent/"), {"guarantor": g2.pk, "decision": "given",
                                                                  "date": "06/01/2569"})
    assert check.status_code == 200 and 'id="consent-confirm-button"' in page(check)
    assert "ลงนามหนังสือยินยอมค้ำประกันเงินกู้สัญญา" in page(check) and loan.guarantors.get(member=g2).consent == "pending"
    done = client.post(url(fund.group, f"{loan.pk}/consent/"), {"guarantor": g2.pk, "decision": "given",
                                                                 "date": "06/01/2569", "action": "confirm"})
    assert done.status_code == 302
    detail = page(client.get(url(fund.group, f"{loan.pk}/")))
    assert 'id="approve"' in detail and "รอผู้ค้ำยินยอม" not in detail and "6 ม.ค. 2569" in detail
    assert client.post(url(fund.group, f"{loan.pk}/approve/")).status_code == 302
    loan.refresh_from_db()
    assert loan.status == Loan.Status.APPROVED and loan.approved_by == fund.chair


def test_the_form_shows_every_problem_at_once(fund, client):
    client.force_login(fund.treasurer)
    response = client.post(url(fund.group, "new/"), {
        "product": fund.product.pk, "member": "9999", "principal": "abc", "purpose": "",
        "guarantor_1": "8888"})
    assert response.status_code == 422
    text = page(response)
    assert "ไม่พบสมาชิกเลขที่นี้ในกลุ่ม" in text and "ไม่พบผู้ค้ำประกันเลขที่นี้ในกลุ่ม" in text
    response = client.post(url(fund.group, "new/"), {
        "product": fund.product.pk, "member": fund.members[0].number, "principal": "60000", "purpose": ""})
    text = page(response)
    assert "เกินวงเงินสูงสุด 50,000.00 บาท" in text and "ต้องระบุวัตถุประสงค์การกู้" in text
    assert not Loan.objects.exists()


def test_reject_needs_a_reason(fund, client):
    loan = apply(fund)
    client.force_login(fund.chair)
    assert client.post(url(fund.group, f"{loan.pk}/reject/"), {"reason": ""}).status_code == 422
    assert client.post(url(fund.group, f"{loan.pk}/reject/"), {"reason": "รายได้ไม่พอ"}).status_code == 302
    loan.refresh_from_db()
    assert loan.status == Loan.Status.REJECTED and "รายได้ไม่พอ" in page(client.get(url(fund.group, f"{loan.pk}/")))


def test_disburse_then_repay_with_a_confirmation_in_words(fund, client):
    loan = apply(fund)
    from omboon.loans import services
    services.loan_approve(actor=fund.chair, loan=loan)
    client.force_login(fund.treasurer)
    assert 'id="disburse"' in page(client.get(url(fund.group, f"{loan.pk}/")))
    # checked first: the amount in words, to whom and how, the first instalment; nothing is paid yet
    check = page(client.post(url(fund.group, f"{loan.pk}/disburse/"), {"date": "15/01/2569", "action": "check"}))
    assert 'id="disburse-confirm-button"' in check and "สองหมื่นบาทถ้วน" in check and "จ่ายเป็นเงินสด" in check
    loan.refresh_from_db()
    assert loan.status == Loan.Status.APPROVED
    assert client.post(url(fund.group, f"{loan.pk}/disburse/"), {"date": "15/01/2569",
                                                                 "action": "confirm"}).status_code == 302
    loan.refresh_from_db()
    assert loan.status == Loan.Status.DISBURSED and loan.disbursed_on == DISBURSED_ON
    detail = page(client.get(url(fund.group, f"{loan.pk}/")))
    assert 'class="schedule"' in detail and detail.count('class="due"') == 12
    check = client.post(url(fund.group, f"{loan.pk}/repay/"), {"amount": "1,800", "date": "15/02/2569",
                                                               "action": "check"})
    text = page(check)
    assert check.status_code == 200 and "หนึ่งพันแปดร้อยบาทถ้วน" in text and 'id="repay-confirm-button"' in text
    # the first instalment is 200 interest (1% of 20,000) + 1,575 principal; the 25 left over goes
    # to the second instalment's interest, which comes before its principal
    assert "ดอกเบี้ย 225.00" in text and "เงินต้น 1,575.00" in text
    assert not Repayment.objects.exists()
    done = client.post(url(fund.group, f"{loan.pk}/repay/"), {"amount": "1800", "date": "15/02/2569",
                                                              "action": "confirm"})
    assert done.status_code == 302
    r = Repayment.objects.get()
    assert (r.amount, r.interest, r.principal, r.date) == (1_800_00, 225_00, 1_575_00, D(2026, 2, 15))
    assert "18,425.00" in page(client.get(url(fund.group, f"{loan.pk}/")))  # outstanding principal


def test_an_overpayment_is_refused_on_the_page(fund, client):
    loan = disbursed(fund)
    client.force_login(fund.treasurer)
    response = client.post(url(fund.group, f"{loan.pk}/repay/"), {"amount": "999999", "action": "check"})
    assert response.status_code == 422 and "ไม่รับเงินเกิน" in page(response)


def test_the_committee_reverses_the_latest_repayment(fund, client):
    from omboon.loans import services
    loan = disbursed(fund)
    r = services.loan_repay(actor=fund.treasurer, loan=loan, amount=1_000_00, date=D(2026, 2, 1))
    client.force_login(fund.treasurer)  # a treasurer may approve too; an auditor may not
    auditor = make_user(fund.group, Role.AUDITOR)
    client.force_login(auditor)
    assert 'id="reverse"' not in page(client.get(url(fund.group, f"{loan.pk}/")))
    assert client.post(url(fund.group, f"{loan.pk}/reverse/"), {"repayment": r.pk, "reason": "x"}).status_code == 403
    client.force_login(fund.chair)
    assert client.post(url(fund.group, f"{loan.pk}/reverse/"), {"repayment": r.pk, "reason": ""}).status_code == 422
    assert client.post(url(fund.group, f"{loan.pk}/reverse/"),
                       {"repayment": r.pk, "reason": "รับเงินผิดสัญญา"}).status_code == 302
    r.refresh_from_db()
    assert r.reversal is not None


def test_the_list_searches_and_filters(fund, client):
    first = disbursed(fund, member=fund.members[1])
    second = apply(fund, member=fund.members[2])
    client.force_login(fund.treasurer)
    open_loans = page(client.get(url(fund.group)))
    assert fund.members[1].full_name in open_loans and fund.members[2].full_name in open_loans
    applied = page(client.get(url(fund.group, "?status=applied")))
    assert fund.members[2].full_name in applied and fund.members[1].full_name not in applied
    found = page(client.get(url(fund.group, f"?status=all&q={fund.members[1].first_name}")))
    assert f'/{first.pk}/"' in found and f'/{second.pk}/"' not in found
    by_number = page(client.get(url(fund.group, f"?status=all&q={second.number}")))
    assert f'/{second.pk}/"' in by_number
    by_member = page(client.get(url(fund.group, f"?status=all&member={fund.members[2].pk}")))
    assert f'/{second.pk}/"' in by_member and f'/{first.pk}/"' not in by_member


def test_the_list_pages_through_many_loans(fund, client):
    from omboon.loans.models import LoanProductVersion
    version = LoanProductVersion.objects.get(product=fund.product)
    member = fund.members[0]
    Loan.objects.bulk_create([Loan(organisation=fund.group, number=n, member=member, product_version=version,
                                   principal=1_000_00, purpose="x", applied_on=D(2026, 1, 1)) for n in range(1, 121)])
    client.force_login(fund.treasurer)
    first = client.get(url(fund.group))
    assert "120 สัญญา" in page(first) and "หน้า 1 จาก 3" in page(first)
    assert "หน้า 3 จาก 3" in page(client.get(url(fund.group, "?page=3")))


def test_the_portfolio_page_labels_par_apart_from_the_arrears_rate(fund, client):
    disbursed(fund)  # nothing repaid: on 1 May 2026 three instalments are overdue, the oldest since 15 Feb
    client.force_login(fund.treasurer)
    text = page(client.get(url(fund.group, "portfolio/?on=01/05/2569")))
    assert "20,000.00" in text and "PAR30" in text and "อัตราเงินต้นค้างชำระ (ไม่ใช่ PAR)" in text
    assert page(client.get(url(fund.group, "portfolio/?on=31/02/2569"))).count("errorlist") == 1


def test_the_menu_and_the_member_page_lead_to_loans_for_those_who_may_see_them(fund, client):
    member = fund.members[0]
    client.force_login(fund.treasurer)
    home = page(client.get(f"/o/{fund.group.code}/"))
    assert f'href="/o/{fund.group.code}/loans/"' in home
    member_page = page(client.get(f"/o/{fund.group.code}/members/{member.pk}/"))
    assert f"/loans/?member={member.pk}" in member_page
    client.force_login(make_user(fund.group, Role.MEMBER))
    assert f'href="/o/{fund.group.code}/loans/"' not in page(client.get(f"/o/{fund.group.code}/"))
    assert client.get(url(fund.group)).status_code == 403


def test_the_loan_pages_in_english(fund, client):
    loan = disbursed(fund)
    english = in_english(client, fund.treasurer)
    for tail in ("", "?status=all", "new/", "portfolio/", f"{loan.pk}/"):
        text = page(english.get(url(fund.group, tail)))
        assert [t for t in thai_in_chrome(text) if fund.group.name_th not in t] == [], tail  # the name is data
    detail = page(english.get(url(fund.group, f"{loan.pk}/")))
    assert "Repayment schedule" in detail and "Repaying" in detail and "a year" in detail
    check = page(english.post(url(fund.group, f"{loan.pk}/repay/"), {"amount": "1800", "date": "15/02/2026",
                                                                      "action": "check"}))
    assert "Confirm receipt of" in check and [t for t in thai_in_chrome(check) if fund.group.name_th not in t] == []


def test_an_overpayment_to_savings_is_stated_before_confirm_and_listed_after(fund, client):
    """Where the product credits an overpayment to savings, the confirmation says how much goes
    into which account before anything is posted, and the loan's repayments list it."""
    from omboon.loans import selectors, services
    from omboon.savings import selectors as savings_selectors
    from omboon.savings import services as savings
    vol = savings.product_create(actor=fund.chair, organisation=fund.group, code="VOL", kind="voluntary",
                                 name_th="เงินฝากออมทรัพย์", effective_from=D(2020, 1, 1))
    account = savings.account_open(actor=fund.treasurer, organisation=fund.group, member=fund.members[0],
                                   product=vol, opened_on=D(2025, 12, 1))
    product = services.product_create(actor=fund.chair, organisation=fund.group, code="OVER", name_th="เงินกู้ OVER",
                                      terms=TERMS, max_amount=50_000_00, effective_from=D(2020, 1, 1),
                                      overpayment_to_savings=True)
    loan = services.loan_apply(actor=fund.treasurer, organisation=fund.group, member=fund.members[0], product=product,
                               principal=12_000_00, purpose="ซื้อปุ๋ย", guarantors=(), applied_on=D(2026, 1, 5))
    services.loan_approve(actor=fund.chair, loan=loan)
    loan = services.loan_disburse(actor=fund.treasurer, loan=loan, date=DISBURSED_ON)
    owed = selectors.still_owed(loan)
    client.force_login(fund.treasurer)
    amount = f"{(owed + 250_00) / 100:.2f}"
    check = client.post(url(fund.group, f"{loan.pk}/repay/"), {"amount": amount, "date": "15/02/2569",
                                                                "action": "check"})
    text = page(check)
    assert check.status_code == 200 and 'id="repay-surplus"' in text
    assert "เกิน 250.00 บาท เข้าบัญชีออมทรัพย์" in text and account.number in text
    assert not Repayment.objects.exists()  # nothing posted before the confirmation
    done = client.post(url(fund.group, f"{loan.pk}/repay/"), {"amount": amount, "date": "15/02/2569",
                                                               "action": "confirm"})
    assert done.status_code == 302
    r = Repayment.objects.get()
    assert (r.amount, r.to_savings) == (owed, 250_00) and savings_selectors.balance(account) == 250_00
    after = page(client.get(url(fund.group, f"{loan.pk}/")))
    assert 'data-figure="to-savings">250.00' in after


def test_the_audit_trail_of_a_loan_reads_in_thai_on_a_thai_page(fund, client):
    """A loan's every step in the audit trail — the product, the application with its guarantors,
    approval, disbursement, a repayment, a write-off asked — labelled in Thai, its codes by their
    names and its money in baht: no English word but the capital codes and the logins."""
    from omboon.loans import services
    from omboon.web.tests.crawl import foreign_words

    borrower, g1, g2 = fund.members[:3]
    loan = disbursed(fund, 30_000_00, member=borrower, guarantors=[g1, g2])
    services.loan_repay(actor=fund.treasurer, loan=loan, amount=1_300_00, date=D(2026, 2, 15))
    services.write_off_request(actor=fund.treasurer, loan=loan, reason="ย้ายถิ่น ติดต่อไม่ได้", date=D(2026, 11, 30))
    import re

    from omboon.core.models import AuditEvent

    client.force_login(fund.chair)
    actions = sorted(set(AuditEvent.objects.filter(action__startswith="loans.").values_list("action", flat=True)))
    assert len(actions) == 6  # product_create, loan_apply, _approve, _disburse, _repay, write_off_request
    text = ""
    for action in actions:  # the loans' own events (the group's set-up is the organisations')
        response = client.get(f"/o/{fund.group.code}/audit/", {"action": action})
        assert response.status_code == 200
        text += page(response)
    assert "สัญญาเงินกู้" in text and "ผู้ค้ำประกัน" in text and "1,000.00 บาท" in text  # the principal repaid
    shown = re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<(script|style)\b.*?</\1>", "", text))
    for login in (fund.treasurer.username, fund.chair.username):  # logins are data
        shown = shown.replace(login, " ")
    assert sorted(set(foreign_words([shown], "th"))) == []


# --- a member's own page ----------------------------------------------------------------------

def test_a_member_reads_their_loans_and_what_they_stand_guarantor_for_on_their_own_page(fund, client):
    """The borrower reads the loan's outstanding principal; each guarantor reads what they stand
    for — the outstanding principal of a disbursed loan, the amount of an application — with the
    borrower's name; a member who neither borrows nor guarantees reads neither."""
    from omboon.loans import services

    borrower, g1, g2, other, nobody = fund.members[:5]
    loan = disbursed(fund, 30_000_00, member=borrower, guarantors=[g1, g2])
    services.loan_repay(actor=fund.treasurer, loan=loan, amount=1_300_00, date=D(2026, 2, 15))  # 300 interest
    asked = apply(fund, 10_000_00, member=other, guarantors=[g1])

    def own_page(member, lang="th"):
        user = make_user(fund.group, Role.MEMBER)
        member.user = user
        member.save(update_fields=["user"])
        client.force_login(user)
        client.cookies["django_language"] = lang
        response = client.get(f"/o/{fund.group.code}/")
        assert response.status_code == 200
        (record,) = response.context["records"]
        return record, page(response)

    record, text = own_page(borrower)
    assert [(r.loan.number, r.outstanding) for r in record.loans] == [(loan.number, 29_000_00)]
    assert "เงินกู้ของฉัน" in text and "29,000.00" in text and "เงินกู้ที่ฉันค้ำประกัน" not in text

    record, text = own_page(g1)
    assert record.loans == []
    assert [(r.loan.number, r.loan.member) for r in record.guarantees] == [(loan.number, borrower),
                                                                             (asked.number, other)]
    assert "เงินกู้ที่ฉันค้ำประกัน" in text and borrower.full_name in text and other.full_name in text
    assert "29,000.00" in text and "10,000.00" in text and "เงินกู้ของฉัน" not in text

    record, text = own_page(nobody)
    assert record.loans == record.guarantees == []
    assert "เงินกู้ของฉัน" not in text and "เงินกู้ที่ฉันค้ำประกัน" not in text

    _, text = own_page(g2, lang="en")
    assert "Loans I guarantee" in text and "Exposure (baht)" in text and "the outstanding principal" in text
    assert "ค้ำประกัน" not in text and "ค้าง (วัน)" not in text  # the names are data; the headings English
