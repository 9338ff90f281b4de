import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from omboon.core import national_id
from omboon.demo import generator, names
from omboon.demo.accounts import DEMO_USERS
from omboon.members.models import Member
from omboon.orgs import rules as org_rules
from omboon.orgs.models import Organisation, Role, RoleAssignment

END = dt.date(2025, 6, 30)


class _Rollback(Exception):
    pass


def _build_and_read(**kw):
    """Build inside a transaction, read what matters, roll everything back."""
    kw.setdefault("end", END)
    kw.setdefault("members", 30)
    kw.setdefault("populate", False)  # the registry's determinism; each app tests its own history
    out = {}
    try:
        with transaction.atomic():
            result = generator.build(**kw)
            out["members"] = generator.member_fingerprint()
            out["orgs"] = list(Organisation.objects.order_by("code").values_list(
                "code", "kind", "name_th", "parent__code", "founded_on", "subdistrict_code"))
            out["users"] = sorted(get_user_model().objects.values_list("username", flat=True))
            out["result"] = result
            raise _Rollback
    except _Rollback:
        pass
    return out


@pytest.mark.django_db
def test_same_seed_gives_the_same_data_and_another_seed_differs():
    first = _build_and_read(seed=7, groups=6)
    second = _build_and_read(seed=7, groups=6)
    third = _build_and_read(seed=8, groups=6)
    assert first["members"] and first["members"] == second["members"]
    assert first["orgs"] == second["orgs"]
    assert first["members"] != third["members"]


@pytest.mark.django_db
def test_small_network_has_the_layout_sizes_and_plausible_members():
    # The registry only: the apps' populate steps read members and never change them (each
    # app's test_demo checks its history; test_commands_demo runs the whole populated build).
    generator.build(seed=1, groups=6, members=30, end=END, populate=False)
    tree = {o.code: o for o in Organisation.objects.select_related("parent")}
    assert tree["LP"].parent is None
    assert {c for c, o in tree.items() if o.parent_id and o.parent.code == "LP-S"} == {
        "BDC", "MPA", "MTH", "TNB", "MYO"}
    assert [c for c, o in tree.items() if o.parent_id and o.parent.code == "LP-N"] == ["LNU"]
    assert tree["MPA"].subdistrict_code == "520803" and tree["MPA"].district_code == "5208"
    assert tree["MYO"].district_code == "5212"

    members = list(Member.objects.select_related("organisation"))
    for code in ("BDC", "MPA", "MTH", "TNB", "MYO", "LNU"):
        count = sum(1 for m in members if m.organisation.code == code)
        assert 15 <= count <= 45, (code, count)
    ids = [m.national_id for m in members]
    assert len(ids) == len(set(ids))
    statuses = {m.status for m in members}
    assert Member.Status.ACTIVE in statuses
    assert sum(m.status == Member.Status.ACTIVE for m in members) > 0.7 * len(members)
    for m in members:
        assert national_id.is_valid(m.national_id)
        assert m.first_name in (names.FEMALE_FIRST_NAMES if m.sex == "F" else names.MALE_FIRST_NAMES)
        assert m.last_name in names.SURNAMES
        age = generator._years_between(m.birth_date, END)
        assert m.title == names.title_for(m.sex, age, m.title == names.MRS)
        assert m.organisation.founded_on <= m.join_date <= END
        assert m.birth_date <= m.join_date
        assert 1 <= m.moo <= 15
        assert m.subdistrict_code == m.organisation.subdistrict_code
        if m.status in (Member.Status.RESIGNED, Member.Status.DECEASED):
            assert m.join_date < m.status_date <= END
        else:
            assert m.status_date is None
        if m.phone:
            assert len(m.phone) == 10 and m.phone.startswith("0")


@pytest.mark.django_db
def test_demo_users_one_per_role_and_the_member_login_is_linked():
    generator.build(seed=2, groups=6, members=30, end=END, populate=False)
    User = get_user_model()
    for spec in DEMO_USERS:
        user = User.objects.get(username=spec.username)
        assert RoleAssignment.objects.filter(user=user, role=spec.role,
                                             organisation__code=spec.organisation).exists()
        assert user.check_password("omboon-demo")
    assert User.objects.get(username="admin").is_superuser
    linked = Member.objects.get(user__username="member")
    assert linked.organisation.code == "BDC" and linked.status == Member.Status.ACTIVE
    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert roles == {Role.TREASURER, Role.CHAIR, Role.SECRETARY, Role.COMMITTEE, Role.AUDITOR,
                     Role.MEMBER, Role.COORDINATOR, Role.ADMIN}


@pytest.mark.django_db
def test_same_size_option_and_refusal_on_a_non_empty_database():
    result = generator.build(seed=1, groups=2, members=25, vary_sizes=False, end=END, populate=False)
    assert result.member_counts == {"BDC": 25, "MPA": 25}
    assert not Organisation.objects.filter(code="LP-N").exists()
    with pytest.raises(generator.DatabaseNotEmpty):
        generator.build(seed=1, groups=2, members=25, end=END, populate=False)


@pytest.mark.django_db
def test_other_apps_populate_is_called_per_group_with_a_seeded_rng(monkeypatch):
    calls = []

    def populate(*, organisation, rng, start, end, actor):
        calls.append((organisation.code, rng.random(), start, end, actor))

    monkeypatch.setattr(generator, "populate_modules", lambda: [("omboon.fake", populate)])
    result = generator.build(seed=3, groups=3, members=10, end=END)
    assert [c[0] for c in calls] == ["BDC", "MPA", "MTH"]
    assert all(c[2] == Organisation.objects.get(code=c[0]).founded_on and c[3] == END
               and c[4] is None for c in calls)
    assert calls[0][1] == generator.group_rng(3, "BDC", "omboon.fake").random()
    assert result.populated == ["omboon.fake"]


def test_populate_modules_are_found_among_installed_omboon_apps():
    found = generator.populate_modules()
    assert all(app.startswith("omboon.") and app != "omboon.demo" for app, _ in found)
    assert all(callable(fn) for _, fn in found)


@pytest.mark.django_db
def test_generated_groups_use_real_lampang_subdistricts_in_the_right_zone():
    specs = generator.group_specs(40, seed=1)
    assert len(specs) == 40
    assert len({s.code for s in specs}) == 40
    for spec in specs:
        assert org_rules.check_code(spec.code) == []
        sub = generator.geography.subdistrict(spec.subdistrict_code)
        assert sub is not None and sub.province_code == "52"
        expected = generator.SOUTH if sub.district_code in generator.SOUTH_DISTRICTS else generator.NORTH
        assert spec.zone == expected
    assert generator.group_specs(40, seed=1) == specs
    # more groups than Lampang has subdistricts: village-level groups
    many = generator.group_specs(150, seed=1)
    assert len({s.code for s in many}) == 150
    assert any(s.moo for s in many)


def test_group_sizes_vary_around_the_average():
    specs = generator.group_specs(6, seed=1)
    sizes = generator.group_sizes(1, specs, 600)
    assert all(300 <= n <= 900 for n in sizes) and len(set(sizes)) > 1
    assert generator.group_sizes(1, specs, 600, vary=False) == [600] * 6
