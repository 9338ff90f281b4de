"""Who sees what: roles in a group, coordinators over a subtree, strangers nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from omboon.core.errors import RuleViolation
from omboon.members.models import Member
from omboon.orgs import scoping
from omboon.orgs.models import Role
from omboon.testing.factories import make_user


def test_treasurer_writes_in_own_group_only(tree, treasurer):
    access = scoping.access_org(treasurer, "BDC", scoping.WRITE)
    assert access.roles == {Role.TREASURER}
    with pytest.raises(Http404):
        scoping.access_org(treasurer, "MPA")


def test_coordinator_reads_whole_subtree_and_writes_nothing(tree, coordinator):
    visible = set(scoping.visible_organisations(coordinator).values_list("code", flat=True))
    assert visible == {"LP-S", "BDC", "MPA"}
    assert scoping.access_org(coordinator, "BDC", scoping.RECORDS)
    with pytest.raises(PermissionDenied):
        scoping.access_org(coordinator, "BDC", scoping.WRITE)
    with pytest.raises(Http404):
        scoping.access_org(coordinator, "NGA")


def test_an_api_operation_finds_its_organisation_as_the_caller_may_use_it(tree, coordinator):
    """``org_of(request, code)``: what every domain's API calls; records by default."""
    from types import SimpleNamespace

    request = SimpleNamespace(user=coordinator)
    assert scoping.org_of(request, "BDC") == tree.group_a  # a coordinator reads the group's records
    with pytest.raises(PermissionDenied):
        scoping.org_of(request, "BDC", scoping.WRITE)
    with pytest.raises(Http404):
        scoping.org_of(request, "NGA")


def test_auditor_is_read_only(tree, auditor):
    access = scoping.access_org(auditor, "BDC", scoping.AUDIT)
    assert not access.can(scoping.WRITE) and not access.can(scoping.APPROVE)


def test_member_role_sees_only_the_home_page(tree):
    user = make_user(tree.group_a, Role.MEMBER)
    access = scoping.access_org(user, "BDC")
    assert access.own_records_only
    with pytest.raises(PermissionDenied):
        scoping.access_org(user, "BDC", scoping.RECORDS)


def test_in_scope_of_a_network_covers_its_groups(tree):
    import datetime as dt
    for org, n in [(tree.group_a, "1"), (tree.group_b, "2"), (tree.group_c, "3")]:
        Member.objects.create(organisation=org, number=n, first_name="ก", last_name="ข", sex="F",
                              national_id=f"110000000000{n}", birth_date=dt.date(1960, 1, 1),
                              join_date=dt.date(2015, 1, 1))
    assert scoping.in_scope(Member.objects, tree.zone).count() == 2
    assert scoping.in_scope(Member.objects, tree.group_c).count() == 1
    other = Member.objects.get(organisation=tree.group_b)
    with pytest.raises(Http404):
        scoping.get_in_scope(Member.objects, tree.group_a, other.pk)


def test_user_without_role_is_refused(tree):
    with pytest.raises(RuleViolation) as caught:
        make_user(tree.group_a, "")
    assert caught.value.problems[0].field == "role"


def test_coordinator_role_needs_a_network(tree):
    with pytest.raises(RuleViolation):
        make_user(tree.group_a, Role.COORDINATOR)
