"""The contributions screens in English: collection day, single payment, receipts (screen and
print), arrears, plans, grants and the passbook. Thai stays the default; member names and
amounts in Thai words are data and stay Thai."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.contributions.models import Kind, Receipt
from omboon.contributions.tests.conftest import make_member
from omboon.testing.i18n import in_english, thai_in_chrome

pytestmark = pytest.mark.django_db


def url(group, tail=""):
    return f"/o/{group.code}/contributions/{tail}"


@pytest.fixture
def english(client, treasurer):
    return in_english(client, treasurer)


def test_collection_day_payment_and_lists_in_english(english, group):
    member = make_member(group, join_date=dt.date(2024, 1, 1))
    index = english.get(url(group)).content.decode()
    assert "Contributions" in index and "Receipts today" in index and "Recent receipts" in index
    assert thai_in_chrome(index) == []
    collect = english.get(url(group, "collect/")).content.decode()
    assert "Collection day" in collect and "Save all" in collect and "1 member · " in collect
    assert member.full_name in collect  # the name is data and stays Thai (it labels the tick box)
    assert [t for t in thai_in_chrome(collect) if member.full_name not in t] == []
    pay = english.get(url(group, f"pay/?number={member.number}")).content.decode()
    assert "Single payment" in pay and "Issue receipt" in pay and "Date received (dd/mm/yyyy)" in pay
    assert "One baht a day (baht)" in pay  # the kind's label from the model, in English
    assert [t for t in thai_in_chrome(pay) if member.full_name not in t] == []  # the h2 is the member
    done = english.post(url(group, "pay/"), {"member_id": member.pk, "date": "", Kind.DAILY_SAVING: "100",
                                             "token": "p-en"}, follow=True).content.decode()
    receipt = Receipt.objects.get()
    assert f"Receipt {receipt.document_number} issued" in done
    for tail, heading in (("arrears/", "Members in arrears"), ("plans/", "Contribution plans"),
                          ("grants/", "Matching grants (state/CODI, local government) and donations"),
                          ("receipts/", "Receipt")):
        page = english.get(url(group, tail)).content.decode()
        assert f"<h1>{heading}" in page, tail
        assert thai_in_chrome(page) == [], tail


def test_receipt_print_and_passbook_in_english(english, group):
    member = make_member(group, join_date=dt.date(2024, 1, 1))
    english.post(url(group, "pay/"), {"member_id": member.pk, "date": "", Kind.DAILY_SAVING: "100",
                                      "token": "p-en"})
    receipt = Receipt.objects.get()
    detail = english.get(url(group, f"receipts/{receipt.pk}/")).content.decode()
    assert "Paid into" in detail and "Void this receipt" in detail and "Print 80-mm slip" in detail
    assert thai_in_chrome(detail) == []
    printed = english.get(url(group, f"receipts/{receipt.pk}/print/a5/")).content.decode()
    assert '<html lang="en">' in printed and "Received from" in printed and "Treasurer" in printed
    assert "หนึ่งร้อยบาทถ้วน" in printed  # the amount in Thai words, as the law asks
    assert thai_in_chrome(printed) == []
    english.post(url(group, f"receipts/{receipt.pk}/void/"), {"reason": "wrong member", "confirmed": "1"})
    assert "Void" in english.get(url(group, f"receipts/{receipt.pk}/print/a5/")).content.decode()
    passbook = english.get(url(group, f"passbook/{member.pk}/")).content.decode()
    assert "Member passbook" in passbook and "Total contributed" in passbook and "Paid up to" in passbook
    assert [t for t in thai_in_chrome(passbook) if member.full_name not in t] == []


def test_thai_stays_the_default(client, treasurer, group):
    client.force_login(treasurer)
    index = client.get(url(group)).content.decode()
    assert "รับเงินสมทบ" in index and "ใบเสร็จวันนี้" in index and "Receipts today" not in index
    collect = client.get(url(group, "collect/")).content.decode()
    assert "บันทึกทั้งหมด" in collect and "Save all" not in collect
