"""Paying, approving and rejecting a claim from its page: the first press asks, stating what
will happen in baht and in Thai words, and moves nothing; the confirmation's own button does
it, and the message names the claim and the payment voucher, with the reversal at hand.

Bad input as a treasurer meets it: a double tap (the confirmation posted twice), a stale page
(paying a claim someone has rejected since), a date typed in Thai digits, a member who left
since the claim was approved."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.ledger.models import JournalEntry
from omboon.members.models import Member
from omboon.members.services import member_status_change
from omboon.welfare.models import Claim

D = dt.date
pytestmark = pytest.mark.django_db
OK = {"confirmed": "1"}


def url(claim, action=""):
    return f"/o/{claim.organisation.code}/welfare/claims/{claim.pk}/{action}"


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_paying_asks_first_in_baht_and_words_then_names_the_voucher(fund, client):
    claim = fund.approve(fund.submit("sickness", nights=2))
    client.force_login(fund.treasurer)
    entries = JournalEntry.objects.count()
    asked = client.post(url(claim, "pay/"), {"date": "01/07/2568"})
    page = asked.content.decode()
    assert asked.status_code == 200 and 'id="confirm"' in page
    assert f"จ่ายเงินคำขอเลขที่ {claim.pk}" in page and "600.00 บาท" in page and "(หกร้อยบาทถ้วน)" in page
    assert "1 กรกฎาคม 2568" in page and 'name="date" value="01/07/2568"' in page
    assert 'id="pay"' not in page  # the confirmation alone, not the forms under it
    assert JournalEntry.objects.count() == entries and Claim.objects.get(pk=claim.pk).status == "approved"

    done = client.post(url(claim, "pay/"), {"date": "01/07/2568", **OK}, follow=True)
    claim.refresh_from_db()
    voucher = claim.entry.document_number
    assert _messages(done) == [(f"จ่ายเงินคำขอเลขที่ {claim.pk} แล้ว ใบสำคัญจ่าย {voucher} 600.00 บาท "
                                "พิมพ์ใบสำคัญจ่ายได้ หากผิดให้กรรมการกลับรายการจ่ายด้านล่าง")]
    assert 'id="voucher-link"' in done.content.decode()

    # the chair, on the same page, has the reversal at hand
    client.force_login(fund.chair)
    assert 'id="reverse"' in client.get(url(claim)).content.decode()


def test_approve_and_reject_look_different_and_ask_first(fund, client):
    claim = fund.submit("childbirth")
    client.force_login(fund.chair)
    page = client.get(url(claim)).content.decode()
    assert 'id="approve" class="approve"' in page and 'id="reject" class="reject"' in page
    asked = client.post(url(claim, "approve/")).content.decode()
    assert "ยืนยัน อนุมัติ" in asked and "บาทถ้วน)" in asked and Claim.objects.get(pk=claim.pk).status == "submitted"
    asked = client.post(url(claim, "reject/"), {"reason": "ไม่ใช่บุตรของสมาชิก"}).content.decode()
    assert 'class="card confirm reject"' in asked and "เหตุผล: ไม่ใช่บุตรของสมาชิก" in asked
    assert 'name="reason" value="ไม่ใช่บุตรของสมาชิก"' in asked
    done = client.post(url(claim, "reject/"), {"reason": "ไม่ใช่บุตรของสมาชิก", **OK}, follow=True)
    assert _messages(done) == [f"บันทึกการไม่อนุมัติคำขอเลขที่ {claim.pk} แล้ว"]


def test_a_double_tap_pays_once(fund, client):
    claim = fund.approve(fund.submit("sickness", nights=1))
    client.force_login(fund.treasurer)
    first = client.post(url(claim, "pay/"), {"date": "01/07/2568", **OK})
    second = client.post(url(claim, "pay/"), {"date": "01/07/2568", **OK}, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    claim.refresh_from_db()
    assert JournalEntry.objects.filter(idempotency_key=f"welfare-claim:{claim.pk}:pay").count() == 1
    assert claim.entry.document_number in _messages(second)[0]  # the same voucher, told again


def test_a_stale_page_pays_nothing_after_a_rejection(fund, client):
    from omboon.welfare import services

    claim = fund.submit("childbirth")
    services.claim_reject(actor=fund.chair, claim=claim, reason="ไม่ใช่บุตรของสมาชิก")  # meanwhile
    client.force_login(fund.treasurer)
    entries = JournalEntry.objects.count()
    response = client.post(url(claim, "pay/"), {"date": "01/07/2568", **OK})
    assert response.status_code == 422 and 'class="message error"' in response.content.decode()
    assert JournalEntry.objects.count() == entries


def test_a_date_in_thai_digits_and_a_wrong_one(fund, client):
    claim = fund.approve(fund.submit("sickness", nights=1))
    client.force_login(fund.treasurer)
    wrong = client.post(url(claim, "pay/"), {"date": "31/02/2568", **OK})
    assert wrong.status_code == 422 and 'data-field="date"' in wrong.content.decode()
    client.post(url(claim, "pay/"), {"date": "๐๑/๐๗/๒๕๖๘", **OK})
    claim.refresh_from_db()
    assert claim.status == "paid" and claim.paid_on == D(2025, 7, 1)


def test_a_member_who_left_since_approval_is_still_paid_what_was_approved(fund, client):
    claim = fund.approve(fund.submit("sickness", nights=1))
    member_status_change(actor=fund.treasurer, member=claim.member, status=Member.Status.RESIGNED,
                         on=D(2025, 6, 20), reason="ย้ายไปต่างจังหวัด")
    client.force_login(fund.treasurer)
    response = client.post(url(claim, "pay/"), {"date": "01/07/2568", **OK})
    claim.refresh_from_db()
    # the event came before the member left: the benefit is theirs, paid once
    assert response.status_code == 302 and claim.status == "paid"
