"""A collection day of 3,000 members in one sitting, in Chromium on a 360-px phone window
(issue 13). The rows of each page of 100 are ticked by script (with the amount typed in Thai
digits), but every page is the real page and every save the page's own submit button: 30
pieces into the draft day, the confirmation, the final save. No page scrolls sideways."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.contributions import selectors
from omboon.contributions.models import CollectionDay, CollectionDraft, Receipt
from omboon.core import national_id
from omboon.ledger.models import JournalEntry
from omboon.members.models import Member
from omboon.orgs.models import Role
from omboon.testing.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEMBERS = 3000
WIDTH = 360
TICK_ALL = """() => {
  document.querySelectorAll('#collect-form tbody tr[data-member]').forEach(function (row) {
    row.querySelector('input[type=checkbox]').checked = true;
    row.querySelector('input.amount').value = '๓๑';
  });
  return document.querySelectorAll('#collect-form tbody tr[data-member]').length;
}"""


def _members(group, n: int) -> None:
    rows = []
    for i in range(1, n + 1):
        nid = national_id.with_check_digit(f"5{group.pk % 1000:03d}{i:08d}")
        rows.append(Member(organisation=group, number=f"{i:04d}", title="นาย", first_name=f"สมชาย{i}",
                           last_name="รักดี", sex=Member.Sex.MALE, national_id=nid, id_hash=national_id.keyed_hash(nid),
                           birth_date=dt.date(1970, 1, 1), join_date=dt.date(2024, 1, 1), moo=1 + i % 12,
                           status=Member.Status.ACTIVE))
    Member.objects.bulk_create(rows, batch_size=500)


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} is {width} px wide on a {WIDTH}-px phone"


def test_a_collection_day_of_3000_members_on_a_phone(tree, page, login, live_server):
    group = tree.group_a
    make_user(group, Role.TREASURER, username="kaew")
    _members(group, MEMBERS)
    login(page, "kaew")
    page.goto(f"{live_server.url}/o/{group.code}/contributions/collect/")
    _no_sideways_scroll(page)
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height < 12_000, f"the unfiltered page is {height} px long"  # was 54,000 px for 789 members
    print(f"collection page: {height} px long at {WIDTH} px wide")
    pages = -(-MEMBERS // selectors.COLLECT_PAGE_SIZE)
    for n in range(1, pages + 1):
        assert f"{n} / {pages}" in page.inner_text(".collect-pages .current")
        assert page.evaluate(TICK_ALL) == selectors.COLLECT_PAGE_SIZE
        button = "#collect-save-next" if n < pages else "#collect-submit"
        with page.expect_navigation():
            page.click(button)
    page.wait_for_url(f"{live_server.url}/o/{group.code}/contributions/collect/confirm/")
    _no_sideways_scroll(page)
    assert "บันทึก 3000 คน รวม 93,000.00 บาท" in page.inner_text("#confirm-sum")
    assert "เก้าหมื่นสามพันบาทถ้วน" in page.inner_text(".confirm-day")
    assert not Receipt.objects.exists() and not JournalEntry.objects.exists()  # a draft, not yet the books
    with page.expect_navigation():
        page.click("#confirm-submit")
    page.wait_for_url(f"{live_server.url}/o/{group.code}/contributions/collect/*/")
    _no_sideways_scroll(page)

    assert Receipt.objects.count() == MEMBERS
    day = CollectionDay.objects.get()
    assert (day.count, day.total) == (MEMBERS, MEMBERS * 3100)
    assert sorted(Receipt.objects.values_list("number", flat=True)) == list(range(1, MEMBERS + 1))  # gapless
    assert JournalEntry.objects.count() == 1
    assert CollectionDraft.objects.get().status == CollectionDraft.Status.POSTED
