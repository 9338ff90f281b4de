"""Voiding a receipt and taking one payment, as a treasurer meets them: the void asks first
(the amount in baht and Thai words) and then names the receipt and the reversing entry; a
double tap or a stale page voids nothing twice; an amount typed with Thai digits or a comma is
read as the treasurer meant it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from omboon.contributions.models import Kind, Receipt
from omboon.contributions.tests.conftest import make_member
from omboon.ledger.models import JournalEntry

pytestmark = pytest.mark.django_db


def url(group, tail=""):
    return f"/o/{group.code}/contributions/{tail}"


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def paid(treasurer, group):
    """A member's payment of 1,234.50 baht, typed with a comma, taken at the single-payment page."""
    member = make_member(group, join_date=dt.date(2024, 1, 1))
    client = Client()
    client.force_login(treasurer)
    response = client.post(url(group, "pay/"), {"member_id": member.pk, "date": "", Kind.DAILY_SAVING: "1,234.50",
                                                "token": "v-1"})
    assert response.status_code == 302, response.content.decode()[:800]
    return client, Receipt.objects.get()


def test_an_amount_with_a_comma_or_thai_digits(paid, treasurer, group):
    client, receipt = paid
    assert receipt.total == 1_234_50
    member = make_member(group, join_date=dt.date(2024, 1, 1))
    client.post(url(group, "pay/"), {"member_id": member.pk, "date": "", Kind.DAILY_SAVING: "๓๖๕", "token": "v-2"})
    assert Receipt.objects.get(member=member).total == 365_00


def test_voiding_asks_first_then_names_the_receipt_and_the_reversal(paid, group):
    client, receipt = paid
    entries = JournalEntry.objects.count()
    asked = client.post(url(group, f"receipts/{receipt.pk}/void/"), {"reason": "ผิดคน"})
    page = asked.content.decode()
    assert asked.status_code == 200 and 'class="card confirm reject"' in page
    assert f"ยกเลิกใบเสร็จ {receipt.document_number}" in page and "1,234.50 บาท" in page
    assert "(หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์)" in page and 'name="reason" value="ผิดคน"' in page
    receipt.refresh_from_db()
    assert not receipt.is_void and JournalEntry.objects.count() == entries

    done = client.post(url(group, f"receipts/{receipt.pk}/void/"), {"reason": "ผิดคน", "confirmed": "1"}, follow=True)
    receipt.refresh_from_db()
    assert receipt.is_void
    assert _messages(done) == [(f"ยกเลิกใบเสร็จ {receipt.document_number} แล้ว "
                                f"ลงบัญชีกลับรายการ {receipt.void_entry.document_number}")]


def test_a_double_tap_or_a_stale_page_voids_once(paid, group):
    client, receipt = paid
    client.post(url(group, f"receipts/{receipt.pk}/void/"), {"reason": "ผิดคน", "confirmed": "1"})
    entries = JournalEntry.objects.count()
    again = client.post(url(group, f"receipts/{receipt.pk}/void/"), {"reason": "ผิดคน", "confirmed": "1"}, follow=True)
    assert JournalEntry.objects.count() == entries
    assert _messages(again)[-1] == f"ใบเสร็จ {receipt.document_number} ถูกยกเลิกไปแล้ว ไม่ได้ยกเลิกซ้ำ"


def test_the_receipt_names_who_took_the_money_and_their_role(paid, treasurer, group):
    client, receipt = paid
    treasurer.first_name, treasurer.last_name = "นางสมศรี", "ใจดี"
    treasurer.save()
    assert "นางสมศรี ใจดี — เหรัญญิก" in client.get(url(group, f"receipts/{receipt.pk}/")).content.decode()
    printed = client.get(url(group, f"receipts/{receipt.pk}/print/a5/")).content.decode()
    assert "(นางสมศรี ใจดี)<br>เหรัญญิก" in printed and treasurer.username not in printed
