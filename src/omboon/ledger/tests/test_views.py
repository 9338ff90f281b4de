"""The ledger screens: a treasurer makes a voucher, the chair approves it (never the maker),
it posts and prints with the amount in Thai words; a month is closed and reopened."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from omboon.ledger.models import JournalEntry, Period, Voucher
from omboon.orgs.models import Role
from omboon.testing.factories import make_user

OK = {"confirmed": "1"}  # the confirmation's own button (``test_money_actions``)


def url(name, **kw):
    return reverse(name, kwargs={"org": "BDC", **kw})


def voucher_post_data(**over):
    data = {"kind": "payment", "date": "05/03/2567", "counterparty": "ร้านเครื่องเขียนบ้านดอนไชย",
            "memo": "ค่าเครื่องเขียน", "line-0-account": "5200", "line-0-fund": "WEL", "line-0-debit": "1,250.50",
            "line-1-account": "1100", "line-1-fund": "WEL", "line-1-credit": "1,250.50"}
    data.update(over)
    return data


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_voucher_from_draft_to_posted_and_printed(as_user, treasurer, chair, group):
    c = as_user(treasurer)
    assert c.get(url("ledger-home")).status_code == 200
    page = c.get(url("ledger-voucher-create") + "?kind=payment")
    assert page.status_code == 200 and "line-5-debit" in page.content.decode()
    response = c.post(url("ledger-voucher-create"), voucher_post_data())
    voucher = Voucher.objects.get()
    assert response.status_code == 302 and voucher.status == "draft" and voucher.date == dt.date(2024, 3, 5)
    assert voucher.total == 125050
    # the maker sees no approve button and cannot approve
    detail = c.get(url("ledger-voucher-detail", voucher_id=voucher.pk)).content.decode()
    assert url("ledger-voucher-approve", voucher_id=voucher.pk) not in detail
    refused = c.post(url("ledger-voucher-approve", voucher_id=voucher.pk), follow=True).content.decode()
    assert Voucher.objects.get().status == "draft"
    assert "ผู้อนุมัติต้องไม่ใช่ผู้บันทึก" in refused and "approver:" not in refused  # words, not field names
    # the chair approves, the treasurer posts
    c = as_user(chair)
    c.post(url("ledger-voucher-approve", voucher_id=voucher.pk), OK)
    assert Voucher.objects.get().status == "approved"
    c = as_user(treasurer)
    c.post(url("ledger-voucher-post", voucher_id=voucher.pk), OK)
    voucher = Voucher.objects.get()
    assert voucher.status == "posted" and voucher.entry.document_number == "PV2567/00001"
    printed = c.get(url("ledger-voucher-print", voucher_id=voucher.pk)).content.decode()
    assert "หนึ่งพันสองร้อยห้าสิบบาทห้าสิบสตางค์" in printed and "PV2567/00001" in printed
    assert "ผู้อนุมัติ" in printed and "1,250.50" in printed
    assert c.get(url("ledger-vouchers")).status_code == 200
    assert c.get(url("ledger-entries")).status_code == 200


def test_unbalanced_voucher_shows_the_problem_and_saves_nothing(as_user, treasurer):
    c = as_user(treasurer)
    response = c.post(url("ledger-voucher-create"), voucher_post_data(**{"line-1-credit": "1,000"}), follow=True)
    assert Voucher.objects.count() == 0
    body = response.content.decode()
    assert "ไม่เท่ากับยอดเครดิต" in body and "do not equal credits" not in body  # Thai page, Thai words


def test_reverse_an_entry_from_its_page(as_user, treasurer, post):
    entry = post(dt.date(2024, 3, 5), "Dr 5200 100\nCr 1100 100", doc_type="payment")
    c = as_user(treasurer)
    page = c.get(url("ledger-entry-detail", entry_id=entry.pk)).content.decode()
    assert "PV2567/00001" in page
    c.post(url("ledger-entry-reverse", entry_id=entry.pk), {"date": "06/03/2567", "reason": "ผิดบัญชี", **OK})
    reversal = JournalEntry.objects.get(reverses=entry)
    page = c.get(url("ledger-entry-detail", entry_id=entry.pk)).content.decode()
    assert reversal.document_number in page


def test_close_the_next_month_and_reopen_as_chair(as_user, treasurer, chair, post, group):
    post(dt.date(2024, 1, 5), "Dr 1100 100\nCr 4600 100")
    c = as_user(treasurer)
    assert c.get(url("ledger-periods")).status_code == 200
    c.post(url("ledger-periods"), OK)
    assert Period.objects.get(organisation=group, year=2024, month=1).is_closed
    assert c.post(url("ledger-period-reopen"), {"year": 2024, "month": 1, "reason": "x"}).status_code == 403
    c = as_user(chair)
    c.post(url("ledger-period-reopen"), {"year": 2024, "month": 1, "reason": "ตกหล่น"})
    assert not Period.objects.get(organisation=group, year=2024, month=1).is_closed


def test_auditor_reads_but_cannot_write(as_user, auditor, post):
    post(dt.date(2024, 1, 5), "Dr 1100 100\nCr 4600 100")
    c = as_user(auditor)
    assert c.get(url("ledger-entries")).status_code == 200
    assert c.get(url("ledger-voucher-create")).status_code == 403
    assert c.post(url("ledger-periods")).status_code == 403


def test_network_page_explains_it_keeps_no_books(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("ledger-home", kwargs={"org": "LP-S"})).status_code == 200


def test_a_committee_member_of_the_group_approves(as_user, treasurer, group):
    committee = make_user(group, Role.COMMITTEE, username="committee-x")
    c = as_user(treasurer)
    c.post(url("ledger-voucher-create"), voucher_post_data())
    v = Voucher.objects.get()
    as_user(committee).post(url("ledger-voucher-approve", voucher_id=v.pk), OK)
    assert Voucher.objects.get().approved_by == committee


def test_the_chair_lets_one_person_post_a_no_cash_journal_and_money_out_still_needs_two(client, tree, chair,
                                                                                          treasurer):
    from omboon.ledger import services
    from omboon.ledger.services import Line

    client.force_login(chair)
    client.cookies["django_language"] = "th"
    card = client.get("/o/BDC/ledger/").content.decode().split('id="ledger-settings"')[1].split("</form>")[0]
    assert "การอนุมัติ" in card and not re.search("[A-Za-z]{3,}", re.sub("<[^>]*>", "", card))  # Thai only
    client.cookies["django_language"] = "en"
    card = client.get("/o/BDC/ledger/").content.decode().split('id="ledger-settings"')[1].split("</form>")[0]
    assert "Approvals" in card and not re.search("[\u0e00-\u0e7f]", card)  # English only
    assert client.post("/o/BDC/ledger/settings/", {"journal_single_person": "on"}).status_code == 302
    tree.group_a.refresh_from_db()
    assert tree.group_a.bylaws["journal_single_person"] is True
    journal = services.voucher_create(actor=treasurer, organisation=tree.group_a, kind="journal",
                                      date=dt.date.today(), memo="โอนกองทุน",
                                      lines=[Line("3100", debit=1000), Line("3200", credit=1000)])
    payment = services.voucher_create(actor=treasurer, organisation=tree.group_a, kind="payment",
                                      date=dt.date.today(), memo="ค่าไปรษณีย์",
                                      lines=[Line("5200", debit=1000), Line("1100", credit=1000)])
    client.force_login(treasurer)
    page = client.get(f"/o/BDC/ledger/vouchers/{journal.pk}/").content.decode()
    assert f"/vouchers/{journal.pk}/post/" in page
    assert client.post(f"/o/BDC/ledger/vouchers/{journal.pk}/post/", OK).status_code == 302
    journal.refresh_from_db()
    assert journal.status == "posted" and journal.approved_by is None
    assert f"/vouchers/{payment.pk}/post/" not in client.get(f"/o/BDC/ledger/vouchers/{payment.pk}/").content.decode()
    client.post(f"/o/BDC/ledger/vouchers/{payment.pk}/post/", OK)
    payment.refresh_from_db()
    assert payment.status == "draft"
    # a treasurer may not change the setting
    assert client.post("/o/BDC/ledger/settings/", {}).status_code == 403
