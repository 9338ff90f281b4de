"""The ledger screens in English: a user who switched the language gets English headings,
labels and buttons (the language cookie the Thai-first middleware reads); Thai stays the
default. Data such as memos and names stay as they were typed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from omboon.ledger.models import Voucher
from omboon.testing.i18n import in_english, thai_in_chrome

pytestmark = pytest.mark.django_db


def url(name, **kw):
    return reverse(name, kwargs={"org": "BDC", **kw})


@pytest.fixture
def english(client, treasurer):
    return in_english(client, treasurer)


def _voucher(client) -> Voucher:
    client.post(url("ledger-voucher-create"), {
        "kind": "payment", "date": "05/03/2024", "counterparty": "ร้านเครื่องเขียนบ้านดอนไชย",
        "memo": "ค่าเครื่องเขียน", "line-0-account": "5200", "line-0-fund": "WEL", "line-0-debit": "1,250.50",
        "line-1-account": "1100", "line-1-fund": "WEL", "line-1-credit": "1,250.50"})
    return Voucher.objects.get()


def test_ledger_home_voucher_form_and_lists_in_english(english):
    home = english.get(url("ledger-home")).content.decode()
    assert '<html lang="en">' in home
    assert "Cash and bank" in home and "Vouchers awaiting approval" in home and "Financial statements" in home
    assert "Trial balance" in home  # the statements are listed by their English titles
    assert thai_in_chrome(home) == []
    form = english.get(url("ledger-voucher-create")).content.decode()
    assert "New voucher" in form and "Debit" in form and "Credit" in form and "Account" in form
    assert "Total debits must equal total credits" in form
    assert thai_in_chrome(form) == []
    assert "Voucher saved, awaiting approval" in english.post(url("ledger-voucher-create"), {
        "kind": "payment", "date": "05/03/2024", "memo": "stationery", "line-0-account": "5200",
        "line-0-fund": "WEL", "line-0-debit": "10", "line-1-account": "1100", "line-1-fund": "WEL",
        "line-1-credit": "10"}, follow=True).content.decode()
    vouchers = english.get(url("ledger-vouchers")).content.decode()
    assert "Recorded by" in vouchers and "Document no." in vouchers and thai_in_chrome(vouchers) == []
    periods = english.get(url("ledger-periods")).content.decode()
    assert "Month-end close" in periods and "Closed on" in periods and thai_in_chrome(periods) == []


def test_voucher_detail_print_and_journal_in_english(english, chair, client):
    voucher = _voucher(english)
    detail = english.get(url("ledger-voucher-detail", voucher_id=voucher.pk)).content.decode()
    assert "Payment voucher" in detail and "Waiting for approval by a committee member" in detail
    assert "Cancel voucher" in detail and thai_in_chrome(detail) == []
    client.force_login(chair)
    assert f"Payment voucher draft no. {voucher.pk} approved" in client.post(
        url("ledger-voucher-approve", voucher_id=voucher.pk), {"confirmed": "1"}, follow=True).content.decode()
    asked = english.post(url("ledger-voucher-post", voucher_id=voucher.pk)).content.decode()
    assert "Confirm: post" in asked and [t for t in thai_in_chrome(asked) if voucher.memo not in t] == []
    posted = english.post(url("ledger-voucher-post", voucher_id=voucher.pk), {"confirmed": "1"}, follow=True)
    voucher.refresh_from_db()
    assert f"Posted as {voucher.entry.document_number}" in posted.content.decode()
    printed = english.get(url("ledger-voucher-print", voucher_id=voucher.pk)).content.decode()
    assert '<html lang="en">' in printed and "Account code" in printed and "Prepared by" in printed
    assert "Ban Don Chai" in printed  # the group's English name
    assert thai_in_chrome(printed) == []
    journal = english.get(url("ledger-entries")).content.decode()
    assert "Journal" in journal and "Document no." in journal and thai_in_chrome(journal) == []
    entry = english.get(url("ledger-entry-detail", entry_id=voucher.entry_id)).content.decode()
    assert "Debit" in entry and "Reverse" in entry and thai_in_chrome(entry) == []


def test_thai_stays_the_default(client, treasurer):
    client.force_login(treasurer)
    home = client.get(url("ledger-home")).content.decode()
    assert '<html lang="th">' in home
    assert "เงินสดและเงินฝากธนาคาร" in home and "งบการเงิน" in home and "Cash and bank" not in home
    form = client.get(url("ledger-voucher-create")).content.decode()
    assert "บันทึกใบสำคัญ" in form and "เดบิต" in form and "New voucher" not in form
