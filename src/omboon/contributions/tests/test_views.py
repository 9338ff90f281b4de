"""Pages: collection day (works as a plain form), single payment, print, void, passbooks."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from omboon.contributions import services
from omboon.contributions.models import CollectionDay, CollectionDraft, CollectionDraftLine, Kind, Receipt
from omboon.contributions.tests.conftest import make_member
from omboon.orgs.models import Role
from omboon.testing.factories import make_user


@pytest.fixture
def client_for(db):
    def make(user):
        c = Client()
        c.force_login(user)
        return c
    return make


def url(group, tail=""):
    return f"/o/{group.code}/contributions/{tail}"


def test_collection_day_as_a_plain_form(client_for, treasurer, group):
    """Without JavaScript: tick, save the page (a piece into the draft day), confirm, save."""
    members = [make_member(group, join_date=dt.date(2024, 1, 1)) for _ in range(5)]
    c = client_for(treasurer)
    page = c.get(url(group, "collect/"))
    assert page.status_code == 200
    html = page.content.decode()
    assert all(m.full_name in html for m in members)
    assert f'name="amt-{members[0].pk}"' in html
    data = {"m": [m.pk for m in members], "date": "", "token": "t-1", "go": "confirm"}
    for m in members[:3]:
        data[f"paid-{m.pk}"] = "1"
        data[f"amt-{m.pk}"] = "30"
    response = c.post(url(group, "collect/"), data)
    assert response.status_code == 302 and response["Location"].endswith("/collect/confirm/")
    assert not Receipt.objects.exists()  # a draft: nothing in the books yet
    assert c.post(url(group, "collect/"), data).status_code == 302  # double submit: the same piece
    confirm = c.get(response["Location"]).content.decode()
    assert "บันทึก 3 คน รวม 90.00 บาท" in confirm and "เก้าสิบบาทถ้วน" in confirm
    draft = CollectionDraft.objects.get()
    final = {"draft": draft.pk, "count": 3, "total": 9000, "action": "post"}
    response = c.post(url(group, "collect/confirm/"), final)
    assert response.status_code == 302
    assert Receipt.objects.count() == 3
    assert c.post(url(group, "collect/confirm/"), final).status_code == 302  # double tap: the same day
    assert Receipt.objects.count() == 3 and CollectionDay.objects.count() == 1
    day_page = c.get(response["Location"])
    assert "RC25" in day_page.content.decode()


def test_collection_day_shows_every_bad_row(client_for, treasurer, group):
    a, b, ok = make_member(group), make_member(group), make_member(group)
    c = client_for(treasurer)
    data = {"m": [a.pk, b.pk, ok.pk], f"paid-{a.pk}": "1", f"amt-{a.pk}": "abc", f"paid-{b.pk}": "1",
            f"amt-{b.pk}": "-5", f"paid-{ok.pk}": "1", f"amt-{ok.pk}": "30", "token": "t-2"}
    response = c.post(url(group, "collect/"), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert f"{a.number} {a.full_name}" in html and f"{b.number} {b.full_name}" in html
    assert 'value="abc"' in html  # what was typed stays on the page
    assert not Receipt.objects.exists()
    assert list(CollectionDraftLine.objects.values_list("member_id", flat=True)) == [ok.pk]


def test_single_payment_print_and_void(client_for, treasurer, group):
    m = make_member(group, join_date=dt.date(2024, 1, 1))
    c = client_for(treasurer)
    page = c.get(url(group, f"pay/?number={m.number}"))
    assert page.status_code == 200 and m.full_name in page.content.decode()
    response = c.post(url(group, "pay/"), {"member_id": m.pk, "date": "", Kind.DAILY_SAVING: "100",
                                           "token": "p-1"})
    assert response.status_code == 302
    receipt = Receipt.objects.get()
    for size in ("a5", "slip"):
        printed = c.get(url(group, f"receipts/{receipt.pk}/print/{size}/")).content.decode()
        assert "ใบเสร็จรับเงิน" in printed and "หนึ่งร้อยบาทถ้วน" in printed
    pdf = c.get(url(group, f"receipts/{receipt.pk}/pdf/slip/"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    c.post(url(group, f"receipts/{receipt.pk}/void/"), {"reason": "ผิดคน", "confirmed": "1"})
    receipt.refresh_from_db()
    assert receipt.is_void
    assert "ยกเลิก" in c.get(url(group, f"receipts/{receipt.pk}/print/a5/")).content.decode()


def test_member_sees_only_their_own_passbook(client_for, group):
    me = make_member(group, join_date=dt.date(2024, 1, 1))
    other = make_member(group, join_date=dt.date(2024, 1, 1))
    user = make_user(group, Role.MEMBER, username="member-me")
    me.user = user
    me.save()
    treasurer = make_user(group, Role.TREASURER, username="t2")
    r = services.receipt_issue(actor=treasurer, organisation=group, member=me, date=timezone.localdate(),
                               items=[(Kind.DAILY_SAVING, 3100)])
    theirs = services.receipt_issue(actor=treasurer, organisation=group, member=other,
                                    date=timezone.localdate(), items=[(Kind.DAILY_SAVING, 3100)])
    c = client_for(user)
    mine = c.get(url(group, "passbook/"))
    assert mine.status_code == 302 and mine["Location"].endswith(f"/passbook/{me.pk}/")
    assert "31.00" in c.get(mine["Location"]).content.decode()
    assert c.get(url(group, f"passbook/{other.pk}/")).status_code == 404
    assert c.get(url(group, f"receipts/{r.pk}/")).status_code == 200
    assert c.get(url(group, f"receipts/{theirs.pk}/")).status_code == 404
    assert c.get(url(group, "collect/")).status_code == 403
    assert c.get(url(group, "arrears/")).status_code == 403
    pdf = c.get(url(group, f"passbook/{me.pk}/pdf/"))
    assert pdf.content.startswith(b"%PDF")


def test_other_groups_and_read_only_roles(client_for, group, tree, auditor):
    m = make_member(tree.group_b)
    c = client_for(auditor)
    assert c.get(url(group, "arrears/")).status_code == 200
    assert c.get(url(group, "receipts/")).status_code == 200
    assert c.post(url(group, "collect/"), {}).status_code == 403
    assert c.get(url(group, f"passbook/{m.pk}/")).status_code == 404
    assert c.get(url(tree.group_b, "receipts/")).status_code == 404


def test_plans_and_grants_pages(client_for, treasurer, group):
    c = client_for(treasurer)
    response = c.post(url(group, "plans/"), {"kind": Kind.ANNUAL_FEE, "amount": "50", "frequency": "yearly",
                                             "effective_from": "01/01/2567", "note": "มติที่ประชุม"})
    assert response.status_code == 302
    assert "50.00" in c.get(url(group, "plans/")).content.decode()
    bad = c.post(url(group, "plans/"), {"kind": Kind.ANNUAL_FEE, "amount": "-5", "frequency": "yearly",
                                        "effective_from": "01/02/2567"})
    assert bad.status_code == 422
    response = c.post(url(group, "grants/"), {"kind": Kind.STATE_MATCHING, "amount": "10,000",
                                              "payer_name": "พอช.", "date": "", "paid_into": "bank",
                                              "token": "g-1"})
    assert response.status_code == 302
    assert Receipt.objects.get().total == 1_000_000
    assert c.get(url(group)).status_code == 200
    assert c.get(url(group, "arrears/")).status_code == 200
