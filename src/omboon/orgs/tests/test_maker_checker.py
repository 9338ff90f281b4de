"""Maker-checker: the one check every request's approval runs (``orgs.maker_checker.second_person``)."""

import datetime as dt

from omboon.orgs import services
from omboon.orgs.maker_checker import second_person
from omboon.orgs.models import Role
from omboon.testing.factories import make_user

SAID = {"field": "approver", "th": "ผู้อนุมัติต้องไม่ใช่ผู้บันทึกคำขอถอน",
        "en": "the approver cannot be the person who asked for the withdrawal"}


def test_a_chair_approves_what_the_treasurer_asked_for(tree, treasurer, chair):
    assert second_person(chair, tree.group_a, "withdrawals", [treasurer.pk], **SAID) == []


def test_the_person_who_asked_cannot_approve_it_themselves(tree, chair):
    [problem] = second_person(chair, tree.group_a, "withdrawals", [chair.pk], **SAID)
    assert (problem.field, problem.code) == ("approver", "second_person")
    assert problem.message_en == "the approver cannot be the person who asked for the withdrawal"
    assert problem.message_th == "ผู้อนุมัติต้องไม่ใช่ผู้บันทึกคำขอถอน"


def test_any_of_several_makers_is_refused(tree, treasurer, chair):
    """An import names two makers: who uploaded the file and who submitted it."""
    assert second_person(chair, tree.group_a, "vouchers", [treasurer.pk, chair.pk], **SAID)
    assert not second_person(chair, tree.group_a, "vouchers", [treasurer.pk, None], **SAID)


def test_someone_who_may_not_approve_is_told_so_before_anything_else(tree, auditor):
    """A member holds no approve right, an auditor reads only (here each asked for it too, and
    is told first that they may not approve); nobody at all is refused as well."""
    member = make_user(tree.group_a, Role.MEMBER)
    for actor in (member, auditor, None):
        [problem] = second_person(actor, tree.group_a, "withdrawals", [getattr(actor, "pk", None)], **SAID)
        assert problem.message_en == "the approver must be a committee member who may approve"


def test_the_bylaws_name_who_approves(tree, treasurer, chair):
    """Where the bylaws say only the chair approves claims, a committee member may not."""
    committee = make_user(tree.group_a, Role.COMMITTEE)
    services.bylaws_set(actor=None, organisation=tree.group_a, effective_from=dt.date(2020, 1, 1),
                        settings={"approvers": {"claims": ["chair"]}})
    assert second_person(chair, tree.group_a, "claims", [treasurer.pk], **SAID) == []
    [problem] = second_person(committee, tree.group_a, "claims", [treasurer.pk], **SAID,
                              may_en="the approver must be one the bylaws name")
    assert problem.message_en == "the approver must be one the bylaws name"
