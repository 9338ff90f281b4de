"""A group's people and their roles: what the users pages and ``omboon users`` share.

The writes are ``orgs.services`` (roles, passwords, deactivation: ranks, the last chair, audit);
this module only adds what needs the members' register too — a member's login is linked to
its member record in the same transaction (``members.services.member_link_user``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from omboon.core.errors import raise_if
from omboon.members import services as member_services
from omboon.members.models import Member
from omboon.orgs import rules
from omboon.orgs import services as org_services
from omboon.orgs.models import Organisation, Role, RoleAssignment, UserContact


@dataclass
class Person:
    user: object
    roles: list[str]
    member_number: str
    phone: str = ""


def _users(organisation: Organisation, q: str = ""):
    """The users holding a role in the organisation (one query, not loaded): ``q`` matches a
    username, a name, a phone number or the linked member's number."""
    users = get_user_model().objects.filter(
        Exists(RoleAssignment.objects.filter(organisation=organisation, user=OuterRef("pk"))))
    if q:
        linked = Member.objects.filter(organisation=organisation, user=OuterRef("pk"), number__icontains=q)
        users = users.filter(Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
                             | Q(contact__phone__icontains=q) | Exists(linked))
    return users.order_by("username")


def _people(organisation: Organisation, users) -> list[Person]:
    """Each of ``users`` (a page of them) with their roles here, member number and phone."""
    users = list(users)
    ids = [u.pk for u in users]
    roles: dict[int, list[str]] = {}
    for user_id, role in (RoleAssignment.objects.filter(organisation=organisation, user_id__in=ids)
                          .order_by("role").values_list("user_id", "role")):
        roles.setdefault(user_id, []).append(role)
    numbers = dict(Member.objects.filter(organisation=organisation, user_id__in=ids).values_list("user_id", "number"))
    phones = dict(UserContact.objects.filter(user_id__in=ids).values_list("user_id", "phone"))
    return [Person(u, roles.get(u.pk, []), numbers.get(u.pk, ""), phones.get(u.pk, "")) for u in users]


def people_of(organisation: Organisation) -> list[Person]:
    """Every user holding a role in the organisation, active or not (deactivated users stay)."""
    return _people(organisation, _users(organisation))


def people_page(organisation: Organisation, q: str, number, per_page: int) -> tuple[Page, int]:
    """One page of the organisation's users matching ``q`` (as Persons) and how many it has in
    all: the database counts and slices, so a group of thousands of member logins is one page."""
    page = Paginator(_users(organisation, q), per_page).get_page(number)
    page.object_list = _people(organisation, page.object_list)
    total = page.paginator.count if not q else _users(organisation).count()
    return page, total


def person_of(organisation: Organisation, user) -> Person | None:
    found = _people(organisation, [user])
    return found[0] if found and found[0].roles else None


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
               first_name: str = "", last_name: str = "", email: str = "", member_number: str = "",
               phone: str = ""):
    member = _member(organisation, member_number)
    raise_if([*rules.check_password(password),
              *rules.check_member_linked(role, member_number, member is not None)])
    user = org_services.user_create(actor=actor, username=username, password=password,
                                    organisation=organisation, role=role, first_name=first_name,
                                    last_name=last_name, email=email, phone=phone)
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
