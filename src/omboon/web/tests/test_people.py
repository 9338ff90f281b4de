"""A group's people: adding, granting, revoking, resetting and deactivating — with the rules
(a group keeps a chair; nobody grants above their own role; a member login is linked to its
member record), the same from the command line."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from omboon.core.errors import RuleViolation
from omboon.core.models import AuditEvent
from omboon.members import services as member_services
from omboon.members.models import Member
from omboon.members.tests.helpers import row
from omboon.orgs import services
from omboon.orgs.models import Role, RoleAssignment
from omboon.testing.factories import make_user
from omboon.web import people


def _users(*args):
    out = io.StringIO()
    call_command("users", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def chair(tree):
    return make_user(tree.group_a, Role.CHAIR, "chair-a")


def test_the_chair_adds_a_treasurer_and_the_list_shows_them(tree, chair):
    people.person_add(actor=chair, organisation=tree.group_a, username="kanya", password="long-enough-1",
                      role=Role.TREASURER, first_name="กัญญา")
    listed = {p.user.username: p.roles for p in people.people_of(tree.group_a)}
    assert listed == {"chair-a": ["chair"], "kanya": ["treasurer"]}
    assert AuditEvent.objects.filter(action="orgs.user_create", summary="kanya").exists()


def test_nobody_grants_a_role_above_their_own(tree):
    treasurer = make_user(tree.group_a, Role.TREASURER)
    with pytest.raises(RuleViolation, match="above their own"):
        people.person_add(actor=treasurer, organisation=tree.group_a, username="x1",
                          password="long-enough-1", role=Role.CHAIR)
    assert not get_user_model().objects.filter(username="x1").exists()


def test_a_group_keeps_at_least_one_chair(tree, chair):
    with pytest.raises(RuleViolation, match="at least one chair"):
        services.role_revoke(actor=chair, user=chair, organisation=tree.group_a, role=Role.CHAIR)
    with pytest.raises(RuleViolation, match="at least one chair"):
        services.user_deactivate(actor=None, user=chair, organisation=tree.group_a)
    second = make_user(tree.group_a, Role.CHAIR, "chair-b")
    services.role_revoke(actor=second, user=chair, organisation=tree.group_a, role=Role.CHAIR)
    assert not RoleAssignment.objects.filter(user=chair).exists()


def test_a_member_login_is_linked_to_its_member_record(tree, chair):
    member = member_services.member_create(actor=None, organisation=tree.group_a, **row(1))
    with pytest.raises(RuleViolation, match="member record"):
        people.person_add(actor=chair, organisation=tree.group_a, username="m1",
                          password="long-enough-1", role=Role.MEMBER)
    people.person_add(actor=chair, organisation=tree.group_a, username="m1", password="long-enough-1",
                      role=Role.MEMBER, member_number=member.number)
    assert Member.objects.get(pk=member.pk).user.username == "m1"


def test_deactivating_keeps_the_history_and_stops_the_sign_in(tree, chair, client):
    kanya = make_user(tree.group_a, Role.TREASURER, "kanya", password="long-enough-1")
    services.user_deactivate(actor=chair, user=kanya, organisation=tree.group_a)
    kanya.refresh_from_db()
    assert not kanya.is_active and RoleAssignment.objects.filter(user=kanya).exists()
    assert not client.login(username="kanya", password="long-enough-1")
    assert AuditEvent.objects.filter(action="orgs.user_deactivate", summary="kanya").exists()


def test_the_command_line_does_the_same(tree, chair, tmp_path):
    pw = tmp_path / "pw"
    pw.write_text("long-enough-1\n", encoding="utf-8")
    _users("add", "--org", "BDC", "--username", "kanya", "--role", "treasurer", "--password-file", str(pw))
    out = _users("reset-password", "--org", "BDC", "--username", "kanya")
    password = out.split("one-time password:")[1].split()[0]
    assert get_user_model().objects.get(username="kanya").check_password(password)
    _users("grant", "--org", "BDC", "--username", "kanya", "--role", "committee")
    _users("revoke", "--org", "BDC", "--username", "kanya", "--role", "treasurer")
    _users("deactivate", "--org", "BDC", "--username", "kanya")
    listing = _users("list", "--org", "BDC")
    kanya_line = next(line for line in listing.splitlines() if line.startswith("kanya"))
    assert "committee" in kanya_line and "treasurer" not in kanya_line and kanya_line.rstrip().endswith("no")
    with pytest.raises(CommandError, match="at least one chair"):
        _users("revoke", "--org", "BDC", "--username", "chair-a", "--role", "chair")
    with pytest.raises(CommandError, match="taken"):
        _users("add", "--org", "BDC", "--username", "kanya", "--role", "auditor")


def test_the_command_line_sets_and_lists_a_phone(tree, chair, capsys):
    call_command("users", "add", "--org", "BDC", "--username", "dang", "--role", "committee",
                 "--phone", "0812345678")
    call_command("users", "edit", "--org", "BDC", "--username", "dang", "--phone", "02-123-4567")
    call_command("users", "list", "--org", "BDC", "--search", "dang")
    out = capsys.readouterr().out
    assert "02-123-4567" in out and "chair-a" not in out.split("one-time password")[-1]
    with pytest.raises(CommandError, match="phone number"):
        call_command("users", "edit", "--org", "BDC", "--username", "dang", "--phone", "999")
