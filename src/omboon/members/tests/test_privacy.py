"""Worked examples of who sees a national ID: the edit form never pre-fills it, a search
finds a member by a whole valid ID only (so 30 searches for digit fragments rebuild nothing),
and every whole-ID search and every reveal is in the audit trail."""

import re

import pytest

from omboon.core import national_id
from omboon.core.models import AuditEvent
from omboon.members import privacy, services
from omboon.members.models import Member
from omboon.members.tests.helpers import row
from omboon.orgs import scoping
from omboon.orgs.models import Role
from omboon.testing.factories import make_user

pytestmark = pytest.mark.django_db
FULL_ID = re.compile(r"(?<!\d)\d{13}(?!\d)|\d-\d{4}-\d{5}-\d{2}-\d")


@pytest.fixture
def member(tree):
    return services.member_create(actor=None, organisation=tree.group_a, **row(1))


def _ids(html: str) -> set[str]:
    return {national_id.clean(m) for m in FULL_ID.findall(html)}


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.COMMITTEE])
def test_a_read_only_role_does_not_get_the_edit_form(client, tree, member, role):
    client.force_login(make_user(tree.group_a, role))
    assert client.get(f"/o/BDC/members/{member.pk}/edit/").status_code == 403
    client.force_login(make_user(tree.zone, Role.COORDINATOR))
    assert client.get(f"/o/BDC/members/{member.pk}/edit/").status_code == 403


@pytest.mark.parametrize("role", [Role.TREASURER, Role.CHAIR, Role.SECRETARY])
def test_the_edit_form_shows_the_id_masked_and_never_in_full(client, tree, member, role):
    client.force_login(make_user(tree.group_a, role))
    page = client.get(f"/o/BDC/members/{member.pk}/edit/").content.decode()
    assert member.national_id not in _ids(page)
    assert national_id.masked(member.national_id) in page
    assert 'name="national_id" id="m-national_id" value=""' in page


def test_saving_the_form_without_typing_an_id_keeps_it_and_typing_one_changes_it(client, tree, treasurer, member):
    client.force_login(treasurer)
    form = {"number": member.number, "title": "นาย", "first_name": "สมชาย", "last_name": "ใจดี", "sex": "M",
            "national_id": "", "birth_date": "01/01/2513", "join_date": "01/03/2558"}
    assert client.post(f"/o/BDC/members/{member.pk}/edit/", form).status_code == 302
    member.refresh_from_db()
    assert member.first_name == "สมชาย" and member.national_id == row(1)["national_id"]
    new_id = national_id.with_check_digit("310370099999")
    assert client.post(f"/o/BDC/members/{member.pk}/edit/", {**form, "national_id": new_id}).status_code == 302
    member.refresh_from_db()
    assert member.national_id == new_id and member.id_hash == national_id.keyed_hash(new_id)


def test_search_is_no_id_oracle(client, tree, treasurer, member):
    """Digit fragments next to the member number find nothing about the ID: only the whole ID does."""
    client.force_login(treasurer)
    pid = member.national_id
    fragments = [pid[i:i + n] for n in (6, 9, 12) for i in range(13 - n + 1)]
    for fragment in fragments:
        page = client.get("/o/BDC/members/", {"q": fragment}).content.decode()
        assert member.full_name not in page, f"the fragment {fragment} found the member"
    page = client.get("/o/BDC/members/", {"q": pid[:12]}).content.decode()
    assert "ค้นหาด้วยเลขประจำตัวประชาชนได้เฉพาะเลขเต็ม 13 หลัก" in page and "never by part of it" not in page
    # a wrong check digit is no ID either
    wrong = pid[:12] + str((int(pid[12]) + 1) % 10)
    assert member.full_name not in client.get("/o/BDC/members/", {"q": wrong}).content.decode()
    assert not AuditEvent.objects.filter(action="members.member_id_searched").exists()
    # the whole ID, typed as on the card, finds the member, and that search is audited; the
    # page it lands on carries the ID's keyed hash, never the ID (no link, history or log holds it)
    response = client.get("/o/BDC/members/", {"q": national_id.formatted(pid)}, follow=True)
    found = response.content.decode()
    assert member.full_name in found and pid not in _ids(found)
    assert response.redirect_chain and pid not in response.redirect_chain[-1][0]
    event = AuditEvent.objects.get(action="members.member_id_searched")
    assert event.actor == treasurer and event.organisation == tree.group_a
    assert pid not in str(event.after) and pid not in event.summary


def test_a_search_as_you_type_sends_the_browser_to_the_hashed_address(client, tree, treasurer, member):
    client.force_login(treasurer)
    response = client.get("/o/BDC/members/", {"q": member.national_id}, HTTP_HX_REQUEST="true")
    assert member.national_id not in response["HX-Redirect"] and "q=id%3A" in response["HX-Redirect"]


def test_the_api_search_matches_a_whole_id_only_and_audits_it(client, tree, treasurer, member):
    client.force_login(treasurer)
    assert client.get("/api/v1/members/BDC", {"q": member.national_id[:10]}).json()["count"] == 0
    assert client.get("/api/v1/members/BDC", {"q": member.national_id}).json()["count"] == 1
    assert AuditEvent.objects.filter(action="members.member_id_searched").count() == 1


def test_a_network_coordinator_finds_a_whole_id_across_its_groups(client, tree, coordinator, member):
    client.force_login(coordinator)
    page = client.get("/o/LP-S/members/", {"q": member.national_id}, follow=True).content.decode()
    assert member.full_name in page and member.national_id not in _ids(page)


def test_shown_id_masks_unless_own_or_revealed(tree, member, treasurer):
    auditor = make_user(tree.group_a, Role.AUDITOR)
    assert privacy.shown_id(member, user=auditor) == national_id.masked(member.national_id)
    assert privacy.shown_id(member, user=treasurer) == national_id.masked(member.national_id)
    revealed = services.member_reveal_id(actor=treasurer, member=member)
    assert privacy.shown_id(member, user=treasurer, revealed=revealed) == national_id.formatted(member.national_id)
    own = make_user(tree.group_a, Role.MEMBER)
    Member.objects.filter(pk=member.pk).update(user=own)
    member.refresh_from_db()
    assert privacy.shown_id(member, user=own) == national_id.formatted(member.national_id)
    assert privacy.may_reveal(scoping.resolve(treasurer, tree.group_a), member)
    assert not privacy.may_reveal(scoping.resolve(auditor, tree.group_a), member)
    assert not privacy.may_reveal(scoping.resolve(make_user(tree.zone, Role.COORDINATOR), tree.zone), member)
