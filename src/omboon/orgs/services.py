"""Writes to organisations and roles: one transaction, one audit event each."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from omboon.core import audit
from omboon.core.errors import Problem, RuleViolation, raise_if
from omboon.orgs import rules
from omboon.orgs.models import Organisation, Role, RoleAssignment
from omboon.orgs.signals import organisation_created

PATH_WIDTH = 8


def _path_for(org: Organisation) -> str:
    prefix = org.parent.path if org.parent_id else ""
    return f"{prefix}{org.pk:0{PATH_WIDTH}d}/"


@transaction.atomic
def organisation_create(
    *,
    actor,
    code: str,
    kind: str,
    name_th: str,
    name_en: str = "",
    parent: Organisation | None = None,
    group_type: str = "",
    founded_on: dt.date | None = None,
    province_code: str = "",
    district_code: str = "",
    subdistrict_code: str = "",
    house_no: str = "",
    moo: int | None = None,
    street: str = "",
    postcode: str = "",
    fiscal_year_start_month: int = 1,
    bylaws: dict | None = None,
) -> Organisation:
    problems = [
        *rules.check_code(code),
        *rules.check_parent(kind, parent),
        *rules.check_group_type(kind, group_type),
        *rules.check_founded_on(founded_on),
        *rules.check_geography(province_code, district_code, subdistrict_code),
        *rules.check_fiscal_month(fiscal_year_start_month),
    ]
    if not (name_th or "").strip():
        problems.append(Problem("name_th", "ต้องระบุชื่อภาษาไทย", "a Thai name is required"))
    raise_if(problems)
    org = Organisation.objects.create(
        code=code,
        kind=kind,
        group_type=group_type if kind == Organisation.Kind.GROUP else "",
        name_th=name_th.strip(),
        name_en=name_en.strip(),
        parent=parent,
        founded_on=founded_on,
        province_code=province_code,
        district_code=district_code,
        subdistrict_code=subdistrict_code,
        house_no=house_no,
        moo=moo,
        street=street,
        postcode=postcode,
        fiscal_year_start_month=fiscal_year_start_month,
        bylaws=bylaws or {},
        depth=(parent.depth + 1) if parent else 0,
    )
    org.path = _path_for(org)
    org.save(update_fields=["path"])
    audit.record(actor=actor, action="org.create", organisation=org, obj=org,
                 summary=f"{org.code} {org.name_th}", after=audit.snapshot(org))
    # Other domains set up what every new group needs (the ledger: its chart of accounts).
    organisation_created.send(sender=Organisation, organisation=org, actor=actor)
    return org


UPDATABLE = {
    "name_th", "name_en", "founded_on", "province_code", "district_code", "subdistrict_code",
    "house_no", "moo", "street", "postcode", "fiscal_year_start_month", "bylaws", "group_type",
}


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, **changes) -> Organisation:
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise RuleViolation.single(", ".join(sorted(unknown)), "แก้ไขช่องนี้ไม่ได้",
                                   "this field cannot be changed here")
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = audit.snapshot(org)
    for name, value in changes.items():
        setattr(org, name, value)
    raise_if([
        *rules.check_founded_on(org.founded_on),
        *rules.check_geography(org.province_code, org.district_code, org.subdistrict_code),
        *rules.check_fiscal_month(org.fiscal_year_start_month),
        *rules.check_group_type(org.kind, org.group_type),
    ])
    org.save()
    audit.record(actor=actor, action="org.update", organisation=org, obj=org,
                 before=before, after=audit.snapshot(org))
    return org


@transaction.atomic
def role_grant(*, actor, user, organisation: Organisation, role: str) -> RoleAssignment:
    if role not in Role.values:
        raise RuleViolation.single("role", f"ไม่รู้จักบทบาท {role}", f"unknown role {role}")
    if role == Role.COORDINATOR and not organisation.is_network:
        raise RuleViolation.single("role", "ผู้ประสานงานต้องอยู่ในเครือข่าย",
                                   "a coordinator belongs to a network")
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, organisation=organisation, role=role
    )
    if created:
        audit.record(actor=actor, action="role.grant", organisation=organisation, obj=assignment,
                     summary=f"{user.username} {role}", after={"user": user.username, "role": role})
    return assignment


@transaction.atomic
def role_revoke(*, actor, user, organisation: Organisation, role: str) -> None:
    deleted, _ = RoleAssignment.objects.filter(user=user, organisation=organisation, role=role).delete()
    if deleted:
        audit.record(actor=actor, action="role.revoke", organisation=organisation,
                     summary=f"{user.username} {role}", before={"user": user.username, "role": role})


@transaction.atomic
def user_create(
    *, actor, username: str, password: str, organisation: Organisation, role: str,
    first_name: str = "", last_name: str = "", email: str = "",
):
    """A login always comes with a role: a user with no role could see nothing."""
    User = get_user_model()
    problems = []
    if not username or User.objects.filter(username=username).exists():
        problems.append(Problem("username", f"ชื่อผู้ใช้ {username!r} ว่างหรือมีอยู่แล้ว",
                                f"username {username!r} is empty or taken", value=username))
    if not role:
        problems.append(Problem("role", "ผู้ใช้ต้องมีบทบาทอย่างน้อยหนึ่งบทบาท",
                                "a user needs at least one role"))
    raise_if(problems)
    user = User.objects.create_user(username=username, password=password, first_name=first_name,
                                    last_name=last_name, email=email)
    audit.record(actor=actor, action="user.create", organisation=organisation,
                 summary=username, after={"username": username})
    role_grant(actor=actor, user=user, organisation=organisation, role=role)
    return user
