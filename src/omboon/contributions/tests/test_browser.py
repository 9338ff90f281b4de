"""A collection day in a real browser on a phone-sized window: the treasurer searches as she
types, the rows she ticks are saved as she goes, she confirms 30 members and saves the day, and
prints a receipt as an 80-mm slip."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from omboon.contributions.models import CollectionDay, Receipt
from omboon.contributions.tests.conftest import make_member
from omboon.orgs.models import Role
from omboon.testing.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_treasurer_records_30_members_and_prints_a_receipt(tree, page, login, live_server):
    group = tree.group_a
    make_user(group, Role.TREASURER, username="kaew")
    members = [make_member(group, join_date=dt.date(2024, 1, 1), first_name=f"สมาชิก{n:02d}", n=n)
               for n in range(1, 36)]
    members[0].first_name = "บุญมา"
    members[0].save()
    login(page, "kaew")
    page.goto(f"{live_server.url}/o/{group.code}/contributions/collect/")
    assert page.locator("table.collect tbody tr").count() == 35

    # search as you type (htmx asks the server for the list): only บุญมา is left on screen
    page.fill("#collect-filter", "บุญมา")
    expect(page.locator("table.collect tbody tr")).to_have_count(1)
    page.fill(f"input[name='amt-{members[0].pk}']", "100")
    assert page.is_checked(f"#paid-{members[0].pk}")  # typing an amount ticks the row
    # the row is saved into the day's draft as she goes, and the running total says so
    expect(page.locator("#collect-total")).to_contain_text("100.00")
    page.fill("#collect-filter", "")
    expect(page.locator("table.collect tbody tr")).to_have_count(35)
    assert page.is_checked(f"#paid-{members[0].pk}")  # what was saved comes back ticked

    for m in members[1:30]:  # 29 more, each ticked with the amount due pre-filled
        page.check(f"#paid-{m.pk}")
    page.click("#collect-submit")  # บันทึกทั้งหมด: the rest of the page is saved, then the confirmation
    page.wait_for_url(f"{live_server.url}/o/{group.code}/contributions/collect/confirm/")
    assert "บันทึก 30 คน" in page.inner_text("#confirm-sum")
    assert not Receipt.objects.exists()  # nothing in the books before the confirmation
    page.click("#confirm-submit")
    page.wait_for_url(f"{live_server.url}/o/{group.code}/contributions/collect/*/")
    assert Receipt.objects.count() == 30 and CollectionDay.objects.get().count == 30
    assert Receipt.objects.get(member=members[0]).total == 10000

    receipt = Receipt.objects.get(member=members[0])
    page.click(f"text={receipt.document_number}")
    page.click("#print-slip")
    page.wait_for_url(f"**/receipts/{receipt.pk}/print/slip/")
    text = page.inner_text("body")
    assert "ใบเสร็จรับเงิน" in text and receipt.document_number in text and "หนึ่งร้อยบาทถ้วน" in text
    assert page.locator("#print-now").is_visible()


def test_rows_ticked_while_offline_are_saved_once_when_the_signal_returns(tree, page, login, live_server):
    from omboon.contributions.models import CollectionDraftLine, CollectionDraftPiece

    group = tree.group_a
    make_user(group, Role.TREASURER, username="kaew")
    members = [make_member(group, join_date=dt.date(2024, 1, 1), n=n) for n in range(1, 6)]
    login(page, "kaew")
    page.goto(f"{live_server.url}/o/{group.code}/contributions/collect/")
    page.context.set_offline(True)  # the phone loses its signal
    page.check(f"#paid-{members[0].pk}")
    page.fill(f"input[name='amt-{members[1].pk}']", "๔๐")  # Thai digits tick the row too
    expect(page.locator("#collect-status")).to_contain_text("ยังไม่ได้บันทึก", timeout=10_000)
    assert not CollectionDraftLine.objects.exists()
    page.context.set_offline(False)  # back: the same piece, with the same key, goes through
    expect(page.locator("#collect-total")).to_contain_text("2 คน", timeout=15_000)
    assert CollectionDraftLine.objects.count() == 2
    assert CollectionDraftLine.objects.get(member=members[1]).amount == 4000
    pieces = CollectionDraftPiece.objects.count()
    page.reload()  # reopening the page shows what was saved, with the running total
    assert page.is_checked(f"#paid-{members[0].pk}") and page.is_checked(f"#paid-{members[1].pk}")
    assert not page.is_checked(f"#paid-{members[2].pk}")
    assert "2 คน" in page.inner_text("#collect-total")
    assert CollectionDraftPiece.objects.count() == pieces and not Receipt.objects.exists()


def test_a_row_the_server_refuses_is_unticked_and_the_status_says_so(tree, page, login, live_server):
    """A ticked row whose amount is empty is not saved: the page must not say "saved" for it."""
    from omboon.contributions.models import CollectionDraftLine

    group = tree.group_a
    make_user(group, Role.TREASURER, username="malee")
    members = [make_member(group, join_date=dt.date(2024, 1, 1), n=n) for n in range(11, 14)]
    login(page, "malee")
    page.goto(f"{live_server.url}/o/{group.code}/contributions/collect/")
    page.fill(f"input[name='amt-{members[0].pk}']", "")
    page.check(f"#paid-{members[0].pk}")
    page.check(f"#paid-{members[1].pk}")
    expect(page.locator("#collect-status")).to_contain_text("ไม่ได้บันทึก 1 แถว", timeout=10_000)
    assert not page.is_checked(f"#paid-{members[0].pk}") and page.is_checked(f"#paid-{members[1].pk}")
    assert "ต้องระบุจำนวนเงิน" in page.inner_text(f"tr[data-member='{members[0].pk}']")
    assert "''" not in page.inner_text(f"tr[data-member='{members[0].pk}']")
    assert list(CollectionDraftLine.objects.values_list("member_id", flat=True)) == [members[1].pk]
