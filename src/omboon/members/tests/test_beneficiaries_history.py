"""Worked examples: beneficiaries, the history of status changes, vulnerable-group flags."""

import datetime as dt

import pytest

from omboon.core.errors import RuleViolation
from omboon.core.models import AuditEvent
from omboon.members import services
from omboon.members.models import Beneficiary, Member, MemberStatusChange
from omboon.members.tests.helpers import row


@pytest.fixture
def member(tree):
    return services.member_create(actor=None, organisation=tree.group_a, **row(1))


# --- beneficiaries ------------------------------------------------------------------------

def test_beneficiaries_replace_the_old_list_and_are_audited(member, treasurer):
    services.beneficiaries_set(actor=treasurer, member=member, rows=[
        {"name": "นายสมชาย ใจดี", "relation": "บุตร", "share_percent": 100},
    ])
    kept = services.beneficiaries_set(actor=treasurer, member=member, rows=[
        {"name": "นายสมชาย ใจดี", "relation": "บุตร", "share_percent": "๖๐", "phone": "0811111111"},
        {"name": "นางสาวสมใจ ใจดี", "relation": "บุตร", "share_percent": "40%"},
        {"name": "", "relation": "", "share_percent": "", "phone": ""},  # a form's spare line
    ])
    assert [(b.position, b.name, b.share_percent) for b in kept] == [
        (1, "นายสมชาย ใจดี", 60), (2, "นางสาวสมใจ ใจดี", 40)]
    assert Beneficiary.objects.filter(member=member).count() == 2
    assert kept[0].organisation == member.organisation
    event = AuditEvent.objects.filter(action="members.beneficiaries_set").latest("id")
    assert [b["share_percent"] for b in event.before["beneficiaries"]] == [100]
    assert [b["share_percent"] for b in event.after["beneficiaries"]] == [60, 40]


def test_shares_must_add_up_to_exactly_100(member):
    with pytest.raises(RuleViolation) as caught:
        services.beneficiaries_set(actor=None, member=member, rows=[
            {"name": "ก", "share_percent": 50}, {"name": "ข", "share_percent": 30}])
    [p] = caught.value.problems
    assert (p.field, p.value) == ("share_percent", 80)
    assert "ต้องเท่ากับ 100%" in p.message_th and "add up to 80%" in p.message_en
    assert not Beneficiary.objects.exists()


def test_every_row_problem_names_its_row_and_nothing_changes(member):
    services.beneficiaries_set(actor=None, member=member, rows=[{"name": "เดิม", "share_percent": 100}])
    with pytest.raises(RuleViolation) as caught:
        services.beneficiaries_set(actor=None, member=member, rows=[
            {"name": "ก", "share_percent": 50},
            {"name": "", "relation": "บุตร", "share_percent": 25},
            {"name": "ค", "share_percent": "ครึ่ง"},
        ])
    found = {(p.row, p.field): p for p in caught.value.problems}
    assert set(found) == {(2, "name"), (3, "share_percent")}
    assert found[(2, "name")].message_th == "ต้องระบุชื่อผู้รับผลประโยชน์"
    assert "whole percent" in found[(3, "share_percent")].message_en
    assert list(Beneficiary.objects.values_list("name", flat=True)) == ["เดิม"]


def test_an_empty_list_clears_the_beneficiaries(member):
    services.beneficiaries_set(actor=None, member=member, rows=[{"name": "ก", "share_percent": 100}])
    assert services.beneficiaries_set(actor=None, member=member, rows=[]) == []
    assert not Beneficiary.objects.exists()


# --- status history -----------------------------------------------------------------------

def test_every_status_change_is_kept(tree, treasurer):
    member = services.member_create(actor=None, organisation=tree.group_a, **row(1, status="applied"))
    services.member_status_change(actor=treasurer, member=member, status="active", on=dt.date(2020, 1, 1))
    services.member_status_change(actor=treasurer, member=member, status="resigned", on="1/3/2567",
                                  reason="ย้ายไปต่างจังหวัด")
    history = list(MemberStatusChange.objects.filter(member=member))
    assert [(h.from_status, h.to_status, h.date) for h in history] == [
        ("applied", "active", dt.date(2020, 1, 1)),
        ("active", "resigned", dt.date(2024, 3, 1)),
    ]
    assert history[1].reason == "ย้ายไปต่างจังหวัด"
    assert history[1].actor == treasurer and history[1].organisation == tree.group_a


def test_a_refused_status_change_leaves_no_history(member):
    with pytest.raises(RuleViolation):
        services.member_status_change(actor=None, member=member, status="applied", on=dt.date(2024, 1, 1))
    assert not MemberStatusChange.objects.exists()


# --- vulnerable groups --------------------------------------------------------------------

def test_vulnerable_flags_are_stored_and_elderly_is_derived(tree):
    member = services.member_create(actor=None, organisation=tree.group_a,
                                    **row(1, birth_date=dt.date(1960, 5, 1), disabled="ใช่",
                                          low_income=True))
    assert (member.disabled, member.chronically_ill, member.low_income) == (True, False, True)
    services.member_update(actor=None, member=member, chronically_ill="1", disabled=False)
    member = Member.objects.get(pk=member.pk)
    assert (member.disabled, member.chronically_ill) == (False, True)
    assert not member.is_elderly(dt.date(2020, 4, 30))
    assert member.is_elderly(dt.date(2020, 5, 1))


def test_a_bulk_list_carries_the_flags(tree):
    services.members_bulk_create(actor=None, organisation=tree.group_a,
                                 rows=[row(1, low_income="x"), row(2)])
    assert list(Member.objects.order_by("number").values_list("low_income", flat=True)) == [True, False]
