"""The books' money actions ask first and then tell: approving, posting and cancelling a
voucher, reversing an entry and closing a month each answer the first press with what will
happen (the baht in figures and Thai words), move nothing until the confirmation's own button,
and then name the draft, the document number or the month. A press the rules refuse (the
maker approving their own voucher) is refused at once, without a confirmation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from omboon.ledger import services
from omboon.ledger.models import JournalEntry, Period, Voucher
from omboon.ledger.services import Line

pytestmark = pytest.mark.django_db
OK = {"confirmed": "1"}


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def voucher(treasurer, tree):
    return services.voucher_create(actor=treasurer, organisation=tree.group_a, kind="payment",
                                   date=dt.date(2024, 3, 5), memo="ค่าไปรษณีย์",
                                   lines=[Line("5200", debit=1_250_50), Line("1100", credit=1_250_50)])


def test_a_voucher_is_approved_then_posted_each_after_a_confirmation(voucher, treasurer, chair):
    base = f"/o/BDC/ledger/vouchers/{voucher.pk}/"
    own = _client(treasurer).post(base + "approve/", follow=True)
    assert 'id="confirm"' not in own.content.decode() and "ผู้อนุมัติต้องไม่ใช่ผู้บันทึก" in own.content.decode()

    c = _client(chair)
    asked = c.post(base + "approve/").content.decode()
    assert 'class="card confirm approve"' in asked and "1,250.50 บาท" in asked
    assert "(หนึ่งพันสองร้อยห้าสิบบาทห้าสิบสตางค์)" in asked and 'id="approve"' not in asked
    assert Voucher.objects.get().status == "draft"
    done = c.post(base + "approve/", OK, follow=True)
    assert _messages(done) == [f"อนุมัติใบสำคัญจ่าย ร่างเลขที่ {voucher.pk} แล้ว 1,250.50 บาท รอลงบัญชี"]

    c = _client(treasurer)
    assert "ยืนยัน ลงบัญชี 1,250.50 บาท" in c.post(base + "post/").content.decode()
    assert not JournalEntry.objects.exists()
    done = c.post(base + "post/", OK, follow=True)
    assert _messages(done) == ["ลงบัญชีแล้ว เลขที่ PV2567/00001 1,250.50 บาท หากผิดให้กลับรายการที่หน้าเอกสาร"]
    again = c.post(base + "post/", OK, follow=True)  # a double tap
    assert JournalEntry.objects.count() == 1 and again.status_code == 200


def test_cancel_reverse_and_close_ask_first(voucher, treasurer, tree):
    c = _client(treasurer)
    asked = c.post(f"/o/BDC/ledger/vouchers/{voucher.pk}/cancel/", {"reason": "ซ้ำ"}).content.decode()
    assert 'class="card confirm reject"' in asked and "ไม่มีเงินเข้าออก" in asked
    c.post(f"/o/BDC/ledger/vouchers/{voucher.pk}/cancel/", {"reason": "ซ้ำ", **OK})
    assert Voucher.objects.get().status == "cancelled"

    entry = services.entry_post(actor=treasurer, organisation=tree.group_a, date=dt.date(2024, 1, 5),
                                doc_type="receipt", lines=[Line("1100", debit=100_00), Line("4600", credit=100_00)])
    path = f"/o/BDC/ledger/entries/{entry.pk}/reverse/"
    asked = c.post(path, {"date": "06/01/2567", "reason": "ผิดบัญชี"}).content.decode()
    assert f"ยืนยัน กลับรายการ {entry.document_number}" in asked and "(หนึ่งร้อยบาทถ้วน)" in asked
    assert not JournalEntry.objects.filter(reverses=entry).exists()
    done = c.post(path, {"date": "06/01/2567", "reason": "ผิดบัญชี", **OK}, follow=True)
    reversal = JournalEntry.objects.get(reverses=entry)
    assert _messages(done) == [f"กลับรายการแล้ว: {reversal.document_number}"]

    asked = c.post("/o/BDC/ledger/periods/").content.decode()
    assert "ยืนยัน ปิดบัญชีเดือน 01/2567" in asked and not Period.objects.filter(closed_at__isnull=False).exists()
    done = c.post("/o/BDC/ledger/periods/", OK, follow=True)
    assert _messages(done) == ["ปิดบัญชีเดือน 01/2567 แล้ว"]
