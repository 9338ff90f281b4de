"""The reschedule pages as worked examples: the loan of test_reschedule (20,000 baht from 15
January 2026, February's instalment paid, March's and April's not). The treasurer asks, on the
loan's page, to spread the 18,425 baht still owed over 12 new instalments from 1 June; the page
shows the new schedule and the interest kept (184.25 + 168.34 baht) before anything is
recorded; the chair approves from the queue. The one who asked cannot approve; a rejection
needs a reason; the chair reverses while nothing is paid on the new schedule; an auditor sees
no button and is refused at the door."""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal

import pytest

from omboon.loans import selectors, services
from omboon.loans import views_reschedule as pages
from omboon.loans.models import Reschedule
from omboon.loans.tests.conftest import D, disbursed
from omboon.orgs.models import Role
from omboon.testing.factories import make_user
from omboon.testing.i18n import in_english, thai_in_chrome

pytestmark = pytest.mark.django_db
KEPT = 184_25 + 168_34
ASKED = {"date": "01/05/2569", "first_due": "01/06/2569", "method": "declining", "rate": "12", "per": "year",
         "term": "12", "every": "month", "grace_principal": "0", "grace_interest": "0", "rounding": "500",
         "reason": "น้ำท่วมนา"}


def url(org, tail=""):
    return f"/o/{org.code}/loans/{tail}"


def page(response) -> str:
    return response.content.decode()


def flooded(fund):
    loan = disbursed(fund)
    services.loan_repay(actor=fund.treasurer, loan=loan, amount=1_775_00, date=D(2026, 2, 15))
    loan.refresh_from_db()
    return loan


def asked(fund, loan, **kw) -> Reschedule:
    values = {"term": 12, "first_due": D(2026, 6, 1), "reason": "น้ำท่วมนา", "date": D(2026, 5, 1), **kw}
    return services.reschedule_request(actor=fund.treasurer, loan=loan, **values)


def test_asked_previewed_confirmed_then_approved_by_a_second_person(fund, client):
    loan = flooded(fund)
    client.force_login(fund.treasurer)
    detail = page(client.get(url(fund.group, f"{loan.pk}/")))
    assert 'id="reschedule-ask"' in detail
    form = page(client.get(url(fund.group, f"{loan.pk}/reschedule/")))
    assert 'id="reschedule-form"' in form and 'name="rate" id="rs-rate" value="12"' in form  # the current terms
    preview = client.post(url(fund.group, f"{loan.pk}/reschedule/"), ASKED)
    text = page(preview)
    assert preview.status_code == 200 and 'id="reschedule-preview"' in text and not Reschedule.objects.exists()
    assert "18,425.00" in text and "หนึ่งหมื่นแปดพันสี่ร้อยยี่สิบห้าบาทถ้วน" in text  # lent anew, in words
    assert "352.59" in text  # the interest kept, due with the first new instalment
    shown = selectors.reschedule_preview(loan, services.new_terms(loan, 12, Decimal(12)), D(2026, 5, 1), D(2026, 6, 1))
    assert (shown.outstanding, shown.kept_interest, shown.first_new) == (18_425_00, KEPT, 1)
    assert 'class="new"' in text and text.count('class="new"') == len(shown.rows) - 1 == 12
    done = client.post(url(fund.group, f"{loan.pk}/reschedule/"), {**ASKED, "confirmed": "1"})
    r = Reschedule.objects.get()
    assert done.status_code == 302 and done["Location"] == url(fund.group, f"{loan.pk}/reschedules/{r.pk}/")
    assert (r.status, r.principal, r.date, r.first_due) == ("pending", 18_425_00, D(2026, 5, 1), D(2026, 6, 1))
    shown = page(client.get(done["Location"]))
    assert f"ปรับโครงสร้างหนี้ เลขที่ {r.pk}" in shown and f"เลขที่ {r.pk} สัญญา {loan.number}" in shown  # the message
    assert 'id="reschedule-approve"' not in shown and "ผู้บันทึกอนุมัติเองไม่ได้" in shown
    assert 'id="reschedule-schedule"' in shown and "352.59" in shown  # the new schedule, if approved now
    decide = url(fund.group, f"{loan.pk}/reschedules/{r.pk}/decide/")
    refused = client.post(decide, {"action": "approve", "confirmed": "1"})
    assert refused.status_code == 422 and "ต้องไม่ใช่ผู้บันทึกคำขอ" in page(refused)
    assert 'id="reschedule-ask"' not in page(client.get(url(fund.group, f"{loan.pk}/")))  # one request at a time

    client.force_login(fund.chair)
    queue = page(client.get(url(fund.group, "reschedules/")))
    assert f'id="approve-{r.pk}"' in queue and f'id="reject-{r.pk}"' in queue and "18,425.00" in queue
    confirm = client.post(decide, {"action": "approve", "next": url(fund.group, "reschedules/")})
    assert confirm.status_code == 200 and 'id="confirm-submit"' in page(confirm)
    r.refresh_from_db()
    assert r.status == "pending"  # nothing until confirmed
    approved = client.post(decide, {"action": "approve", "next": url(fund.group, "reschedules/"), "confirmed": "1"})
    assert approved.status_code == 302 and approved["Location"] == url(fund.group, "reschedules/")
    r.refresh_from_db()
    assert r.status == "approved" and r.approved_by == fund.chair and r.kept_interest == KEPT
    after = page(client.get(url(fund.group, f"{loan.pk}/")))
    assert "ตารางผ่อนชำระปัจจุบัน (หลังปรับโครงสร้างหนี้)" in after
    assert f"ตารางผ่อนชำระเดิม (ก่อนปรับโครงสร้างหนี้เลขที่ {r.pk}" in after  # the old one kept
    assert 'id="reschedule-reverse-link"' in after
    assert f'id="approve-{r.pk}"' not in page(client.get(url(fund.group, "reschedules/")))


def test_every_problem_of_the_new_terms_named_and_nothing_recorded(fund, client):
    loan = flooded(fund)
    client.force_login(fund.treasurer)
    response = client.post(url(fund.group, f"{loan.pk}/reschedule/"), {
        **ASKED, "rate": "abc", "first_due": "", "reason": ""})
    assert response.status_code == 422
    fields = {p.field for p in response.context["problems"]}
    assert {"rate", "first_due"} <= fields
    response = client.post(url(fund.group, f"{loan.pk}/reschedule/"), {
        **ASKED, "term": "99", "first_due": "01/04/2569", "reason": "", "grace_principal": "12"})
    fields = {p.field for p in response.context["problems"]}
    assert response.status_code == 422 and {"term", "first_due", "reason"} <= fields
    response = client.post(url(fund.group, f"{loan.pk}/reschedule/"), {**ASKED, "grace_principal": "12",
                                                                        "confirmed": "1"})
    assert response.status_code == 422 and [p.field for p in response.context["problems"]] == ["grace_principal"]
    assert not Reschedule.objects.exists()


def test_new_terms_a_longer_period_and_a_grace_on_principal(fund, client):
    loan = flooded(fund)
    client.force_login(fund.treasurer)
    client.post(url(fund.group, f"{loan.pk}/reschedule/"), {
        **ASKED, "method": "flat", "rate": "1", "per": "month", "grace_principal": "2", "rounding": "1",
        "confirmed": "1"})
    r = Reschedule.objects.get()
    assert {k: r.terms[k] for k in ("method", "rate", "per", "grace_principal", "rounding")} == {
        "method": "flat", "rate": "1", "per": "month", "grace_principal": 2, "rounding": 1}
    services.reschedule_approve(actor=fund.chair, reschedule=r)
    loan.refresh_from_db()
    new = selectors.schedule_of(loan)[1:]
    assert [i.principal for i in new[:2]] == [0, 0] and sum(i.principal for i in new) == 18_425_00


def test_rejected_with_a_reason_after_a_confirmation(fund, client):
    loan = flooded(fund)
    r = asked(fund, loan)
    client.force_login(fund.chair)
    decide = url(fund.group, f"{loan.pk}/reschedules/{r.pk}/decide/")
    assert client.post(decide, {"action": "reject", "reason": ""}).status_code == 422
    confirm = page(client.post(decide, {"action": "reject", "reason": "ขาดเอกสาร"}))
    assert 'class="reject" id="confirm-submit"' in confirm and "ขาดเอกสาร" in confirm
    done = client.post(decide, {"action": "reject", "reason": "ขาดเอกสาร", "confirmed": "1"})
    assert done.status_code == 302
    r.refresh_from_db()
    assert (r.status, r.decision_reason) == ("rejected", "ขาดเอกสาร")
    assert "ไม่อนุมัติ" in page(client.get(done["Location"]))
    client.force_login(fund.treasurer)
    assert 'id="reschedule-ask"' in page(client.get(url(fund.group, f"{loan.pk}/")))  # may ask again


def test_reversed_from_the_loan_page_while_nothing_is_paid_on_the_new_schedule(fund, client):
    loan = flooded(fund)
    r = services.reschedule_approve(actor=fund.chair, reschedule=asked(fund, loan))
    paid = services.loan_repay(actor=fund.treasurer, loan=loan, amount=1_000_00, date=D(2026, 6, 1))
    client.force_login(fund.chair)
    assert 'id="reschedule-reverse-link"' not in page(client.get(url(fund.group, f"{loan.pk}/")))
    decide = url(fund.group, f"{loan.pk}/reschedules/{r.pk}/decide/")
    refused = client.post(decide, {"action": "reverse", "reason": "ตกลงกันใหม่", "confirmed": "1"})
    assert refused.status_code == 422 and "กลับรายการเหล่านั้นก่อน" in page(refused)
    services.repayment_reverse(actor=fund.chair, repayment=paid, reason="บันทึกผิด")
    assert 'id="reschedule-reverse-link"' in page(client.get(url(fund.group, f"{loan.pk}/")))
    assert 'id="reschedule-reverse"' in page(client.get(url(fund.group, f"{loan.pk}/reschedules/{r.pk}/")))
    assert client.post(decide, {"action": "reverse", "reason": "ตกลงกันใหม่"}).status_code == 200  # confirm first
    done = client.post(decide, {"action": "reverse", "reason": "ตกลงกันใหม่", "confirmed": "1"})
    assert done.status_code == 302
    loan.refresh_from_db()
    r.refresh_from_db()
    assert r.is_reversed and loan.rescheduled_on is None
    assert "กลับรายการแล้ว" in page(client.get(done["Location"]))


def test_a_role_without_the_right_sees_no_button_and_is_refused(fund, client):
    loan = flooded(fund)
    r = asked(fund, loan)
    auditor = make_user(fund.group, Role.AUDITOR)
    client.force_login(auditor)
    detail = page(client.get(url(fund.group, f"{loan.pk}/")))
    assert 'id="reschedule-ask"' not in detail and "reschedule-pending" in detail
    assert client.get(url(fund.group, f"{loan.pk}/reschedule/")).status_code == 403
    assert client.post(url(fund.group, f"{loan.pk}/reschedule/"), {**ASKED, "confirmed": "1"}).status_code == 403
    shown = page(client.get(url(fund.group, f"{loan.pk}/reschedules/{r.pk}/")))
    assert 'id="reschedule-approve"' not in shown and 'id="reschedule-reject"' not in shown
    decide = url(fund.group, f"{loan.pk}/reschedules/{r.pk}/decide/")
    assert client.post(decide, {"action": "approve", "confirmed": "1"}).status_code == 403
    queue = page(client.get(url(fund.group, "reschedules/")))
    assert f'id="approve-{r.pk}"' not in queue and f"/reschedules/{r.pk}/" in queue
    r.refresh_from_db()
    assert r.status == "pending"


def test_the_queue_pages_through_many(fund, client, monkeypatch):
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    made = []
    for member in fund.members[:3]:
        loan = disbursed(fund, member=member)
        made.append(asked(fund, loan))
    client.force_login(fund.chair)
    first = page(client.get(url(fund.group, "reschedules/")))
    second = page(client.get(url(fund.group, "reschedules/?page=2")))
    assert all(f'id="approve-{r.pk}"' in first for r in made[:2]) and f'id="approve-{made[2].pk}"' in second
    assert "3 รายการ" in first


def test_the_reschedule_pages_in_english(fund, client):
    loan = flooded(fund)
    r = asked(fund, loan)
    english = in_english(client, fund.chair)
    for tail in (f"{loan.pk}/", f"{loan.pk}/reschedules/{r.pk}/", "reschedules/"):
        text = page(english.get(url(fund.group, tail)))
        assert [t for t in thai_in_chrome(text) if fund.group.name_th not in t and "น้ำท่วม" not in t] == [], tail
    english = in_english(client, fund.treasurer)
    services.reschedule_reject(actor=fund.chair, reschedule=r, reason="x")
    for response in (english.get(url(fund.group, f"{loan.pk}/reschedule/")),
                     english.post(url(fund.group, f"{loan.pk}/reschedule/"), {**ASKED, "date": "01/05/2026",
                                                                             "first_due": "01/06/2026"})):
        text = page(response)
        assert [t for t in thai_in_chrome(text) if fund.group.name_th not in t and "น้ำท่วม" not in t] == []
    assert "Reschedule" in text and "352.59" in text


def test_the_longest_term_hint_follows_the_period_chosen(fund, client):
    """The product's longest term is 12 monthly instalments: the form's hint says "ไม่เกิน 12 งวด",
    and carries the hint of each period for the page's own script (loans/reschedule.js, served
    locally), which shows the one chosen — 52 weekly instalments, one yearly — in the page's
    language: the limit the check on submit uses."""
    loan = flooded(fund)
    client.force_login(fund.treasurer)
    form = page(client.get(url(fund.group, f"{loan.pk}/reschedule/")))
    assert "/static/loans/reschedule.js" in form
    hint = re.search(r'id="rs-term-hint" aria-live="polite" data-hints="([^"]*)">([^<]*)<', form)
    assert hint.group(2) == "ไม่เกิน 12 งวด ตามประเภทเงินกู้"
    assert json.loads(html.unescape(hint.group(1))) == {
        "week": "ไม่เกิน 52 งวด ตามประเภทเงินกู้", "month": "ไม่เกิน 12 งวด ตามประเภทเงินกู้",
        "year": "ไม่เกิน 1 งวด ตามประเภทเงินกู้"}
    assert [selectors.reschedule_max_term(loan, D(2026, 5, 1), e) for e in ("week", "month", "year")] == [52, 12, 1]
    english = page(in_english(client, fund.treasurer).get(url(fund.group, f"{loan.pk}/reschedule/")))
    hints = json.loads(html.unescape(re.search(r'data-hints="([^"]*)"', english).group(1)))
    assert hints["week"] == "at most 52 instalments, as the loan product allows" and "ไม่เกิน" not in english
    weekly = client.post(url(fund.group, f"{loan.pk}/reschedule/"), {**ASKED, "every": "week", "term": "53"})
    assert weekly.status_code == 422 and "52" in page(weekly)  # the check on submit: the same limit
