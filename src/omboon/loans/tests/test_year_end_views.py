"""The year-end pages: drafted from the form, the per-member list in pages, a what-if that
saves nothing, the meeting's decision and two approvals (each form offered only to who may use
it), post and pay confirmed in baht and words, every refusal shown."""

from __future__ import annotations

import pytest

from omboon.loans.models import YearEndAllocation
from omboon.loans.tests.year_end_books import year_2025
from omboon.orgs.models import Role
from omboon.testing.factories import make_user

pytestmark = pytest.mark.django_db
POOL = {"year": "2568", "model": "pool", "base": "all", "reserve": "20", "dividend": "40", "refund": "20",
        "welfare": "10", "committee": "5", "public": "5"}


def url(org, tail=""):
    return f"/o/{org.code}/loans/year-end/{tail}"


def page(response) -> str:
    return response.content.decode()


def test_from_the_draft_to_the_payment(client):
    books = year_2025()
    client.force_login(books.treasurer)
    assert "จัดทำร่างการจัดสรร" in page(client.get(url(books.group)))
    response = client.post(url(books.group), POOL)
    allocation = YearEndAllocation.objects.get()
    assert response.status_code == 302 and response["Location"] == url(books.group, f"{allocation.pk}/")
    detail = page(client.get(response["Location"]))
    assert books.a.full_name in detail and 'data-figure="net-income"' in detail
    assert 'id="year-end-approve"' not in detail  # the drafter never approves
    # a what-if of other percentages: shown beside the draft, never saved
    what_if = page(client.get(url(books.group, f"{allocation.pk}/"), {
        "what_if": "1", "model": "pool", "reserve": "50", "dividend": "50", "refund": "0", "welfare": "0",
        "committee": "0", "public": "0"}))
    assert 'data-what-if="dividend"' in what_if and "ทดลองคำนวณ" in what_if
    allocation.refresh_from_db()
    assert allocation.refund > 0 and allocation.dividend_pct == 40
    client.force_login(books.chair)
    assert 'id="year-end-approve"' in page(client.get(url(books.group, f"{allocation.pk}/")))
    assert client.post(url(books.group, f"{allocation.pk}/approve/"), {
        "meeting_on": "15/02/2569", "resolution": "อนุมัติตามร่าง"}).status_code == 302
    assert 'id="year-end-approve"' not in page(client.get(url(books.group, f"{allocation.pk}/")))
    client.force_login(books.committee)
    assert client.post(url(books.group, f"{allocation.pk}/approve/")).status_code == 302
    client.force_login(books.treasurer)
    # post: first the confirmation in baht and words, then the entry
    confirm = page(client.post(url(books.group, f"{allocation.pk}/post/"), {"date": "20/02/2569"}))
    assert 'id="confirm"' in confirm and "บาท" in confirm
    allocation.refresh_from_db()
    assert allocation.status == "approved"
    assert client.post(url(books.group, f"{allocation.pk}/post/"), {"date": "20/02/2569", "confirmed": "1"}
                       ).status_code == 302
    confirm = page(client.post(url(books.group, f"{allocation.pk}/pay/"), {"date": "25/02/2569", "how": "cash"}))
    assert 'id="confirm"' in confirm and "สมาชิก 3 คน" in confirm
    assert client.post(url(books.group, f"{allocation.pk}/pay/"), {"date": "25/02/2569", "how": "cash",
                                                                   "confirmed": "1"}).status_code == 302
    allocation.refresh_from_db()
    assert allocation.status == "paid" and allocation.payment is not None


def test_refusals_are_shown_and_nothing_is_written(client):
    books = year_2025()
    client.force_login(books.treasurer)
    response = client.post(url(books.group), {**POOL, "reserve": "5"})
    assert response.status_code == 422 and "ทุนสำรองต้องไม่น้อยกว่าร้อยละ 10" in page(response)
    assert not YearEndAllocation.objects.exists()
    client.post(url(books.group), POOL)
    allocation = YearEndAllocation.objects.get()
    # the drafter's own approval, asked for by hand, is refused by the service
    response = client.post(url(books.group, f"{allocation.pk}/approve/"), {"meeting_on": "15/02/2569",
                                                                           "resolution": "x"})
    assert response.status_code == 422 and "ผู้จัดทำร่างอนุมัติร่างของตนเองไม่ได้" in page(response)
    allocation.refresh_from_db()
    assert allocation.status == "draft"
    # the auditor sees the allocation and no form
    client.force_login(make_user(books.group, Role.AUDITOR))
    detail = page(client.get(url(books.group, f"{allocation.pk}/")))
    assert books.a.full_name in detail
    assert not any(f'id="year-end-{form}"' in detail for form in ("draft", "approve", "post", "pay", "reverse"))
