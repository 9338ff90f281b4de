"""Worked examples: a collection day saved in pieces into a draft day, then confirmed and
posted as one entry (issue 13). Sizes: a few members, and 210 for the pages and the field limit."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from omboon.contributions import drafts, selectors
from omboon.contributions.models import (
    CollectionDay,
    CollectionDraft,
    CollectionDraftLine,
    CollectionDraftPiece,
    Receipt,
)
from omboon.contributions.tests.conftest import baht, make_member
from omboon.core.errors import RuleViolation
from omboon.ledger.models import JournalEntry
from omboon.members.models import Member

D = dt.date
TODAY = D(2025, 6, 15)
DAY = D(2025, 6, 1)


def piece(treasurer, group, key, *rows, day=DAY):
    return drafts.collection_draft_save(actor=treasurer, organisation=group, date=day, key=key, today=TODAY,
                                          rows=[{"member": m.pk, "paid": paid, "amount": amount}
                                                for m, paid, amount in rows])


def test_pieces_build_one_draft_day_and_touch_no_books(treasurer, group):
    a, b, c = (make_member(group) for _ in range(3))
    first = piece(treasurer, group, "k1", (a, True, "30"), (b, True, "31.50"))
    assert (first.count, first.total, first.saved) == (2, baht(61.5), [a.pk, b.pk])
    second = piece(treasurer, group, "k2", (c, True, "40"), (b, False, ""))  # b unticked on a later page
    assert (second.count, second.total, second.removed) == (2, baht(70), [b.pk])
    assert CollectionDraft.objects.get().status == CollectionDraft.Status.OPEN
    assert not Receipt.objects.exists() and not JournalEntry.objects.exists()


def test_the_same_piece_twice_records_it_once(treasurer, group):
    a = make_member(group)
    piece(treasurer, group, "k1", (a, True, "30"))
    piece(treasurer, group, "k2", (a, True, "50"))  # she corrected the amount
    again = piece(treasurer, group, "k1", (a, True, "30"))  # the first piece arrives late, resent
    assert again.repeated and (again.count, again.total) == (1, baht(50))
    assert CollectionDraftLine.objects.get().amount == baht(50)
    assert CollectionDraftPiece.objects.count() == 2
    day = drafts.collection_draft_post(actor=treasurer, organisation=group,
                                         draft=CollectionDraft.objects.get(), today=TODAY)
    stale = piece(treasurer, group, "k2", (a, True, "50"))  # a stale page resent after the final save
    assert stale.repeated and stale.draft.collection_day == day
    assert not CollectionDraft.objects.filter(status="open").exists()
    assert Receipt.objects.filter(member=a).count() == 1


def test_thai_digits_and_commas_are_read(treasurer, group):
    a, b, c = (make_member(group) for _ in range(3))
    result = piece(treasurer, group, "k", (a, True, "๓๐"), (b, True, "1,234.50"), (c, True, "๑,๐๐๐"))
    assert not result.problems
    assert selectors.draft_amounts(result.draft) == {a.pk: baht(30), b.pk: baht(1234.5), c.pk: baht(1000)}


def test_a_member_who_left_is_named_and_the_rest_of_the_piece_is_saved(treasurer, group):
    a, gone, b = make_member(group), make_member(group, first_name="สมหมาย"), make_member(group)
    gone.status, gone.status_date = Member.Status.RESIGNED, D(2025, 5, 20)  # left after the page was opened
    gone.save()
    result = piece(treasurer, group, "k", (a, True, "30"), (gone, True, "30"), (b, True, "30"))
    assert result.saved == [a.pk, b.pk] and (result.count, result.total) == (2, baht(60))
    [problem] = result.problems[gone.pk]
    assert f"{gone.number} {gone.full_name}" in problem.message_th and "ลาออก" in problem.message_th
    assert f"{gone.number} {gone.full_name}" in problem.message_en and "resigned" in problem.message_en
    assert "not saved" in problem.message_en


def test_final_save_posts_one_entry_with_gapless_receipts_after_confirmation(treasurer, group):
    members = [make_member(group) for _ in range(4)]
    piece(treasurer, group, "k1", *[(m, True, "30") for m in members[:2]])
    piece(treasurer, group, "k2", *[(m, True, "40") for m in members[2:]])
    draft = CollectionDraft.objects.get()
    with pytest.raises(RuleViolation) as refused:  # the day changed after she confirmed 3 members
        drafts.collection_draft_post(actor=treasurer, organisation=group, draft=draft, count=3,
                                       total=baht(100), today=TODAY)
    assert "confirm it again" in refused.value.problems[0].message_en
    day = drafts.collection_draft_post(actor=treasurer, organisation=group, draft=draft, count=4,
                                         total=baht(140), today=TODAY)
    assert (day.count, day.total, day.date) == (4, baht(140), DAY)
    assert JournalEntry.objects.count() == 1
    numbers = sorted(Receipt.objects.values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4]
    again = drafts.collection_draft_post(actor=treasurer, organisation=group, draft=draft, count=4,
                                           total=baht(140), today=TODAY)
    assert again == day and Receipt.objects.count() == 4 and JournalEntry.objects.count() == 1
    draft.refresh_from_db()
    assert draft.status == CollectionDraft.Status.POSTED and draft.collection_day == day


def test_a_member_who_left_before_the_final_save_stops_it_by_name(treasurer, group):
    a, b = make_member(group), make_member(group)
    piece(treasurer, group, "k", (a, True, "30"), (b, True, "30"))
    b.status, b.status_date = Member.Status.DECEASED, D(2025, 5, 30)
    b.save()
    with pytest.raises(RuleViolation) as refused:
        drafts.collection_draft_post(actor=treasurer, organisation=group, draft=CollectionDraft.objects.get(),
                                       today=TODAY)
    assert f"{b.number} {b.full_name}" in refused.value.problems[0].message_th
    assert not Receipt.objects.exists()


# --- the pages ----------------------------------------------------------------------------------

@pytest.fixture
def web(client, treasurer):
    client.force_login(treasurer)
    return client


def url(group, tail=""):
    return f"/o/{group.code}/contributions/{tail}"


def form_fields(html: str) -> list[tuple[str, str]]:
    """(name, value) of every field the collection form sends (ticked boxes only)."""
    form = html[html.index('id="collect-form"'):html.index("</form>", html.index('id="collect-form"'))]
    out = []
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        if 'type="checkbox"' in tag and " checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        out.append((name.group(1), value.group(1) if value else ""))
    return out


def test_a_full_page_stays_far_below_the_field_limit(web, group):
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 1000  # Django's default stays
    size = selectors.COLLECT_PAGE_SIZE
    assert size <= 100
    members = [make_member(group, join_date=D(2024, 1, 1)) for _ in range(2 * size + 10)]
    html = web.get(url(group, "collect/")).content.decode()
    fields = form_fields(html)
    assert sum(1 for n, _ in fields if n == "m") == size  # one page
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    for m in members[:size]:  # every row of the page ticked
        data[f"paid-{m.pk}"] = ["1"]
        data[f"amt-{m.pk}"] = ["30"]
    data["go"] = ["next"]
    sent = sum(len(v) for v in data.values())
    assert sent <= 3 * size + 10 < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = web.post(url(group, "collect/"), data)
    assert response.status_code == 302 and "page=2" in response["Location"]
    assert CollectionDraftLine.objects.count() == size
    page3 = web.get(url(group, "collect/?page=3")).content.decode()
    assert "3 จาก 3" in page3 and members[-1].full_name in page3


def test_search_village_and_only_unpaid(web, group):
    a = make_member(group, first_name="บุญมา", moo=5)
    b = make_member(group, moo=5)
    c = make_member(group, moo=7)
    found = web.get(url(group, "collect/?q=บุญมา")).content.decode()
    assert a.full_name in found and b.full_name not in found
    village = web.get(url(group, "collect/?moo=5")).content.decode()
    assert a.full_name in village and b.full_name in village and c.full_name not in village
    web.post(url(group, "collect/"), {"m": [a.pk], f"paid-{a.pk}": "1", f"amt-{a.pk}": "30", "token": "u1"})
    unpaid = web.get(url(group, "collect/?unpaid=1")).content.decode()
    assert a.full_name not in unpaid and b.full_name in unpaid and c.full_name in unpaid
    fragment = web.get(url(group, "collect/?q=บุญมา"), headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div id="collect-list">') and "<html" not in fragment


def test_a_dropped_connection_loses_nothing_saved(web, group, treasurer):
    a, b = make_member(group), make_member(group)
    answer = web.post(url(group, "collect/"), {"m": [a.pk], f"paid-{a.pk}": "1", f"amt-{a.pk}": "๓๕",
                                               "token": "js-1"}, headers={"Accept": "application/json"})
    assert answer.json()["count"] == 1 and answer.json()["total"] == baht(35)
    # the phone lost its signal and sends the same piece again, then the page is opened anew
    again = web.post(url(group, "collect/"), {"m": [a.pk], f"paid-{a.pk}": "1", f"amt-{a.pk}": "๓๕",
                                              "token": "js-1"}, headers={"Accept": "application/json"})
    assert again.json()["repeated"] is True and again.json()["count"] == 1
    fresh = Client()
    fresh.force_login(treasurer)
    html = fresh.get(url(group, "collect/")).content.decode()
    assert f'id="paid-{a.pk}" checked' in html and f'id="paid-{b.pk}" checked' not in html
    assert 'value="35.00"' in html
    assert "ในรายการวันนี้ 1 คน รวม 35.00 บาท" in html


def test_json_piece_names_a_member_who_left(web, group):
    a, gone = make_member(group), make_member(group)
    gone.status, gone.status_date = Member.Status.EXPELLED, timezone.localdate() - dt.timedelta(days=1)
    gone.save()
    answer = web.post(url(group, "collect/"), {"m": [a.pk, gone.pk], f"paid-{a.pk}": "1", f"amt-{a.pk}": "30",
                                               f"paid-{gone.pk}": "1", f"amt-{gone.pk}": "30", "token": "j"},
                      headers={"Accept": "application/json"}).json()
    assert answer["saved"] == [a.pk] and answer["count"] == 1
    assert gone.full_name in answer["problems"][str(gone.pk)][0]


def test_confirmation_page_offers_to_drop_a_member_who_left(web, group):
    a, b = make_member(group), make_member(group)
    web.post(url(group, "collect/"), {"m": [a.pk, b.pk], f"paid-{a.pk}": "1", f"amt-{a.pk}": "30",
                                      f"paid-{b.pk}": "1", f"amt-{b.pk}": "20", "token": "c1"})
    b.status, b.status_date = Member.Status.RESIGNED, timezone.localdate() - dt.timedelta(days=1)
    b.save()
    page = web.get(url(group, "collect/confirm/")).content.decode()
    assert b.full_name in page and 'id="drop-unpayable"' in page and 'id="confirm-submit"' not in page
    dropped = web.post(url(group, "collect/"), {"m": [b.pk], "token": "c2", "go": "confirm"})
    assert dropped["Location"].endswith("/collect/confirm/")
    page = web.get(dropped["Location"]).content.decode()
    assert "บันทึก 1 คน รวม 30.00 บาท" in page and "สามสิบบาทถ้วน" in page
    draft = CollectionDraft.objects.get()
    web.post(url(group, "collect/confirm/"), {"draft": draft.pk, "count": 1, "total": 3000, "action": "post"})
    assert CollectionDay.objects.get().count == 1 and Receipt.objects.get().member == a


def test_discarding_a_draft_day(web, group):
    a = make_member(group)
    web.post(url(group, "collect/"), {"m": [a.pk], f"paid-{a.pk}": "1", f"amt-{a.pk}": "30", "token": "d1"})
    draft = CollectionDraft.objects.get()
    assert web.post(url(group, "collect/confirm/"), {"draft": draft.pk, "action": "discard"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == CollectionDraft.Status.DISCARDED and not Receipt.objects.exists()


def test_a_whole_national_id_in_the_search_is_audited_and_kept_out_of_the_url(web, group):
    from omboon.core.models import AuditEvent

    a = make_member(group)
    response = web.get(url(group, "collect/"), {"q": a.national_id})
    assert response.status_code == 302 and a.national_id not in response["Location"]
    assert "id%3A" in response["Location"]
    assert AuditEvent.objects.filter(action="members.member_id_searched").exists()
    assert a.full_name in web.get(response["Location"]).content.decode()


def test_next_page_of_only_unpaid_skips_nobody(web, group):
    size = selectors.COLLECT_PAGE_SIZE
    members = [make_member(group, join_date=D(2024, 1, 1)) for _ in range(2 * size + 5)]
    first = members[:size]
    data = {"m": [m.pk for m in first], "unpaid": "1", "page": "1", "go": "next", "token": "n1"}
    for m in first[:-3]:  # three were not there
        data[f"paid-{m.pk}"], data[f"amt-{m.pk}"] = "1", "30"
    response = web.post(url(group, "collect/"), data)
    assert "page=" not in response["Location"]  # still page 1 of who has not paid: the 3, then the rest
    html = web.get(response["Location"]).content.decode()
    assert first[-1].full_name in html and members[size].full_name in html


def test_the_contributions_page_points_to_an_unposted_day(web, group):
    a = make_member(group)
    web.post(url(group, "collect/"), {"m": [a.pk], f"paid-{a.pk}": "1", f"amt-{a.pk}": "30", "token": "i1"})
    index = web.get(url(group)).content.decode()
    assert "ที่ยังไม่บันทึกบัญชี (1 คน รวม 30.00 บาท)" in index
