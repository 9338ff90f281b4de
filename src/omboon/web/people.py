"""A group's people and their roles: what the users pages and ``omboon users`` share.

The writes are ``orgs.services`` (roles, passwords, deactivation: ranks, the last chair, audit);
this module only adds what needs the members' register too — a member's login is linked to
its member record in the same transaction (``members.services.member_link_user``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from omboon.core.errors import raise_if
from omboon.members import services as member_services
from omboon.members.models import Member
from omboon.orgs import rules
from omboon.orgs import services as org_services
from omboon.orgs.models import Organisation, Role, RoleAssignment


@dataclass
class Person:
    user: object
    roles: list[str]
    member_number: str


def people_of(organisation: Organisation) -> list[Person]:
    """Every user holding a role in the organisation, active or not (deactivated users stay)."""
    by_user: dict[int, Person] = {}
    for ra in (RoleAssignment.objects.filter(organisation=organisation).select_related("user")
               .order_by("user__username", "role")):
        by_user.setdefault(ra.user_id, Person(ra.user, [], "")).roles.append(ra.role)
    numbers = dict(Member.objects.filter(organisation=organisation, user_id__in=list(by_user))
                   .values_list("user_id", "number"))
    for user_id, person in by_user.items():
        person.member_number = numbers.get(user_id, "")
    return list(by_user.values())


def user_of(organisation: Organisation, username: str):
    """The user ``username`` if they hold a role in ``organisation``, else None."""
    return (get_user_model().objects.filter(username=username, roles__organisation=organisation)
            .distinct().first())


def user_by_id(organisation: Organisation, user_id: int):
    """The user ``user_id`` if they hold a role in ``organisation``, else None."""
    return (get_user_model().objects.filter(pk=user_id, roles__organisation=organisation)
            .distinct().first())


def one_time_password() -> str:
    """A password made for someone, told to them once (12 characters, URL-safe)."""
    return secrets.token_urlsafe(9)


def _member(organisation: Organisation, number: str) -> Member | None:
    return Member.objects.filter(organisation=organisation, number=number).first() if number else None


@transaction.atomic
def person_add(*, actor, organisation: Organisation, username: str, password: str, role: str,
               first_name: str = "", last_name: str = "", email: str = "", member_number: str = ""):
    member = _member(organisation, member_number)
    raise_if([*rules.check_password(password),
              *rules.check_member_linked(role, member_number, member is not None)])
    user = org_services.user_create(actor=actor, username=username, password=password,
                                    organisation=organisation, role=role, first_name=first_name,
                                    last_name=last_name, email=email)
    if role == Role.MEMBER:
        member_services.member_link_user(actor=actor, member=member, user=user)
    return user


@transaction.atomic
def person_grant(*, actor, organisation: Organisation, user, role: str, member_number: str = ""):
    member = _member(organisation, member_number)
    linked = Member.objects.filter(organisation=organisation, user=user).exists()
    if role == Role.MEMBER and not linked:
        raise_if(rules.check_member_linked(role, member_number, member is not None))
    assignment = org_services.role_grant(actor=actor, user=user, organisation=organisation, role=role)
    if role == Role.MEMBER and not linked:
        member_services.member_link_user(actor=actor, member=member, user=user)
    return assignment
