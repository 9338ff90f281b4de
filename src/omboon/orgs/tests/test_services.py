"""Worked examples for organisations: a tree, its subtree queries, and refused input."""

import datetime as dt

import pytest

from omboon.core.errors import RuleViolation
from omboon.core.models import AuditEvent
from omboon.orgs import selectors
from omboon.orgs.models import Organisation
from omboon.testing.factories import make_group, make_network


def test_tree_paths_nest_and_subtree_is_one_query(tree, django_assert_num_queries):
    assert tree.group_a.path.startswith(tree.zone.path)
    assert tree.zone.path.startswith(tree.province.path)
    assert tree.group_a.depth == 2
    with django_assert_num_queries(1):
        codes = [o.code for o in selectors.groups_below(tree.province)]
    assert sorted(codes) == ["BDC", "MPA", "NGA"]
    assert sorted(o.code for o in selectors.groups_below(tree.zone)) == ["BDC", "MPA"]


def test_ancestors_in_order(tree):
    assert [o.code for o in selectors.ancestors(tree.group_a)] == ["LP", "LP-S"]


def test_create_is_audited(db):
    org = make_network("CR", "เครือข่ายเชียงราย", province_code="57")
    event = AuditEvent.objects.get(action="orgs.organisation_create")
    assert event.organisation == org and event.after["code"] == "CR"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"founded_on": dt.date.today() + dt.timedelta(days=1)}, "founded_on"),
        ({"province_code": "99"}, "province_code"),
        ({"province_code": "52", "district_code": "5001"}, "district_code"),
        ({"province_code": "52", "district_code": "5201", "subdistrict_code": "520999"}, "subdistrict_code"),
        ({"group_type": ""}, "group_type"),
    ],
)
def test_bad_input_names_the_field_in_thai_and_english_and_saves_nothing(db, kwargs, field):
    with pytest.raises(RuleViolation) as caught:
        make_group("X1", "กลุ่มทดลอง", **kwargs)
    problem = next(p for p in caught.value.problems if p.field == field)
    assert problem.message_th and problem.message_en
    assert not Organisation.objects.filter(code="X1").exists()
    assert not AuditEvent.objects.exists()


def test_duplicate_code_is_refused(tree):
    with pytest.raises(RuleViolation) as caught:
        make_group("BDC", "ซ้ำ")
    assert caught.value.problems[0].field == "code"
    assert "BDC" in caught.value.problems[0].message_th


def test_a_group_cannot_be_a_parent(tree):
    with pytest.raises(RuleViolation):
        make_group("SUB", "กลุ่มย่อย", parent=tree.group_a)


def test_an_organisation_is_edited_with_its_rules_and_the_change_is_audited(tree):
    """The chair renames the group and moves its fiscal year to October; a bad month is refused."""
    from omboon.orgs import services

    group = services.organisation_update(actor=None, organisation=tree.group_a, name_en="Ban Don Chai fund",
                                         fiscal_year_start_month=10)
    assert (group.name_en, group.fiscal_year_start_month) == ("Ban Don Chai fund", 10)
    event = AuditEvent.objects.filter(action="orgs.organisation_update").latest("id")
    assert event.before["fiscal_year_start_month"] == 1 and event.after["fiscal_year_start_month"] == 10
    with pytest.raises(RuleViolation) as caught:
        services.organisation_update(actor=None, organisation=group, fiscal_year_start_month=13)
    assert caught.value.problems[0].field == "fiscal_year_start_month"
    with pytest.raises(RuleViolation):
        services.organisation_update(actor=None, organisation=group, code="NEW")  # not editable here
    assert Organisation.objects.get(pk=group.pk).fiscal_year_start_month == 10


def test_a_role_taken_back_leaves_the_user_without_it_and_is_audited(tree):
    from omboon.orgs import scoping, services
    from omboon.orgs.models import Role
    from omboon.testing.factories import make_user

    user = make_user(tree.group_a, Role.TREASURER)
    assert scoping.resolve(user, tree.group_a).can(scoping.WRITE)
    services.role_revoke(actor=None, user=user, organisation=tree.group_a, role=Role.TREASURER)
    user = type(user).objects.get(pk=user.pk)  # roles are read once per user object (a request)
    assert not scoping.resolve(user, tree.group_a).can(scoping.WRITE)
    event = AuditEvent.objects.get(action="orgs.role_revoke")
    assert event.before == {"user": user.username, "role": Role.TREASURER}
    services.role_revoke(actor=None, user=user, organisation=tree.group_a, role=Role.TREASURER)  # again: nothing
    assert AuditEvent.objects.filter(action="orgs.role_revoke").count() == 1
