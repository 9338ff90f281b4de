"""Writes to organisations and roles: one transaction, one audit event each."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from omboon.core import audit
from omboon.core.errors import Problem, RuleViolation, problems_of, raise_if
from omboon.orgs import rules, scoping, selectors
from omboon.orgs.models import (
    ApiToken,
    BylawVersion,
    Organisation,
    Role,
    RoleAssignment,
    ServiceUser,
    UserContact,
)
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
        *rules.check_name_th(name_th),
    ]
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
    audit.record(actor=actor, action="orgs.organisation_create", organisation=org, obj=org,
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
    raise_if(rules.check_editable(set(changes) - UPDATABLE))
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = audit.snapshot(org)
    for name, value in changes.items():
        setattr(org, name, value)
    raise_if([
        *rules.check_founded_on(org.founded_on),
        *rules.check_geography(org.province_code, org.district_code, org.subdistrict_code),
        *rules.check_fiscal_month(org.fiscal_year_start_month),
        *rules.check_group_type(org.kind, org.group_type),
        *rules.check_name_th(org.name_th),
        *rules.check_bylaws(org.bylaws),
    ])
    org.save()
    if "bylaws" in changes and BylawVersion.objects.filter(organisation=org).exists():
        # a dated history exists: the change holds from today (a same-day version is corrected)
        BylawVersion.objects.update_or_create(
            organisation=org, effective_from=timezone.localdate(),
            defaults={"bylaws": {k: org.bylaws[k] for k in BYLAW_KEYS if k in org.bylaws},
                      "created_by": audit.person(actor)})
    audit.record(actor=actor, action="orgs.organisation_update", organisation=org, obj=org,
                 before=before, after=audit.snapshot(org))
    return org


BYLAW_KEYS = ("retention_years", "journal_single_person", "admin_cap_percent", "approvers",
              "savings_dormant_months", "loan_quorum", "loan_spouse_not_guarantor", "loan_allowance")


@transaction.atomic
def bylaws_set(*, actor, organisation: Organisation, effective_from: dt.date, settings: dict,
               note: str = "") -> BylawVersion:
    """The group's bylaw settings from ``effective_from`` (a new version; the earlier ones stay as
    its history). The organisation's own copy follows the version in force today, so a rule that
    reads it and ``selectors.bylaws_on`` agree. Audited with before and after."""
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    settings = {k: settings[k] for k in BYLAW_KEYS if k in settings}
    raise_if([*rules.check_editable(set(settings) - set(BYLAW_KEYS)), *rules.check_bylaws(settings),
              *rules.check_bylaw_date(effective_from, isinstance(effective_from, dt.date) and
                                      BylawVersion.objects.filter(organisation=org,
                                                                  effective_from=effective_from).exists())])
    before = selectors.bylaws_on(org, effective_from)
    version = BylawVersion.objects.create(organisation=org, effective_from=effective_from, bylaws=settings,
                                          note=(note or "").strip()[:255], created_by=audit.person(actor))
    today = selectors.bylaws_on(org)
    if today != org.bylaws:
        org.bylaws = today
        org.save(update_fields=["bylaws"])
    organisation.bylaws = org.bylaws
    audit.record(actor=actor, action="orgs.bylaws_set", organisation=org, obj=version,
                 summary=f"{org.code} ตั้งแต่/from {effective_from}", before=before,
                 after={**settings, "effective_from": effective_from})
    return version


def actor_rank(actor, organisation: Organisation) -> int:
    """The highest role ``actor`` holds over ``organisation`` (the command line: no limit)."""
    if actor is None or getattr(actor, "is_superuser", False):
        return rules.SYSTEM_RANK
    return max((rules.RANK.get(r, 0) for r in scoping.resolve(actor, organisation).roles), default=0)


def _active_chairs(organisation: Organisation, *, without=None) -> int:
    chairs = RoleAssignment.objects.filter(organisation=organisation, role=Role.CHAIR, user__is_active=True)
    if without is not None:
        chairs = chairs.exclude(user=without)
    return chairs.count()


@transaction.atomic
def role_grant(*, actor, user, organisation: Organisation, role: str) -> RoleAssignment:
    raise_if([*rules.check_role(role, organisation), *rules.check_rank(role, actor_rank(actor, organisation))])
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, organisation=organisation, role=role
    )
    if created:
        audit.record(actor=actor, action="orgs.role_grant", organisation=organisation, obj=assignment,
                     summary=f"{user.username} {role}", after={"user": user.username, "role": role})
    return assignment


@transaction.atomic
def role_revoke(*, actor, user, organisation: Organisation, role: str) -> None:
    list(Organisation.objects.select_for_update().filter(pk=organisation.pk))  # one change of roles at a time
    raise_if([*rules.check_rank(role, actor_rank(actor, organisation)),
              *rules.check_keeps_a_chair(role, organisation, _active_chairs(organisation, without=user))])
    deleted, _ = RoleAssignment.objects.filter(user=user, organisation=organisation, role=role).delete()
    if deleted:
        audit.record(actor=actor, action="orgs.role_revoke", organisation=organisation,
                     summary=f"{user.username} {role}", before={"user": user.username, "role": role})


def _roles_of(user, organisation: Organisation) -> list[str]:
    return list(RoleAssignment.objects.filter(user=user, organisation=organisation).values_list("role", flat=True))


@transaction.atomic
def user_password_reset(*, actor, user, organisation: Organisation, password: str) -> None:
    """A new password for a user of the organisation (the actor tells it to them once)."""
    roles = _roles_of(user, organisation)
    raise_if([*rules.check_user_of(user, organisation, bool(roles)),
              *(p for role in roles for p in rules.check_rank(role, actor_rank(actor, organisation))),
              *rules.check_password(password)])
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(actor=actor, action="orgs.user_password_reset", organisation=organisation,
                 summary=user.username, after={"username": user.username})


@transaction.atomic
def user_deactivate(*, actor, user, organisation: Organisation) -> None:
    """The user can no longer sign in; their roles and everything they did stay in the history."""
    list(Organisation.objects.select_for_update().filter(pk=organisation.pk))
    roles = _roles_of(user, organisation)
    raise_if([*rules.check_user_of(user, organisation, bool(roles)),
              *(p for role in roles for p in rules.check_rank(role, actor_rank(actor, organisation))),
              *(p for role in roles for p in rules.check_keeps_a_chair(
                  role, organisation, _active_chairs(organisation, without=user)))])
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    audit.record(actor=actor, action="orgs.user_deactivate", organisation=organisation,
                 summary=user.username, before={"is_active": True}, after={"is_active": False, "roles": roles})


def phone_of(user) -> str:
    contact = UserContact.objects.filter(user=user).first()
    return contact.phone if contact else ""


@transaction.atomic
def user_update(*, actor, user, organisation: Organisation, first_name: str, last_name: str, email: str,
                phone: str) -> None:
    """A user's name, e-mail and phone, by whoever may manage them here (not above their rank)."""
    roles = _roles_of(user, organisation)
    raise_if([*rules.check_user_of(user, organisation, bool(roles)),
              *(p for role in roles for p in rules.check_rank(role, actor_rank(actor, organisation))),
              *rules.check_phone(phone)])
    before = {"first_name": user.first_name, "last_name": user.last_name, "email": user.email,
              "phone": phone_of(user)}
    after = {"first_name": first_name.strip(), "last_name": last_name.strip(), "email": email.strip(),
             "phone": phone.strip()}
    if before == after:
        return
    get_user_model().objects.filter(pk=user.pk).update(
        first_name=after["first_name"], last_name=after["last_name"], email=after["email"])
    UserContact.objects.update_or_create(user=user, defaults={"phone": after["phone"]})
    user.first_name, user.last_name, user.email = after["first_name"], after["last_name"], after["email"]
    audit.record(actor=actor, action="orgs.user_update", organisation=organisation, summary=user.username,
                 before=before, after=after)


@transaction.atomic
def user_create(
    *, actor, username: str, password: str, organisation: Organisation, role: str,
    first_name: str = "", last_name: str = "", email: str = "", phone: str = "",
):
    """A login always comes with a role: a user with no role could see nothing."""
    User = get_user_model()
    raise_if([*rules.check_username(username, bool(username) and User.objects.filter(username=username).exists()),
              *rules.check_role_given(role), *rules.check_phone(phone)])
    user = User.objects.create_user(username=username, password=password, first_name=first_name,
                                    last_name=last_name, email=email)
    if phone.strip():
        UserContact.objects.create(user=user, phone=phone.strip())
    audit.record(actor=actor, action="orgs.user_create", organisation=organisation,
                 summary=username, after={"username": username, "phone": phone.strip()})
    role_grant(actor=actor, user=user, organisation=organisation, role=role)
    return user



def first_role(organisation: Organisation) -> str:
    """The role of the first user of a new organisation: a group's chair; a network's admin
    (``manage`` over every group below it, so it creates them from the web)."""
    return Role.CHAIR if organisation.is_group else Role.ADMIN


@transaction.atomic
def organisation_setup(
    *, actor, username: str, password: str, first_name: str = "", last_name: str = "",
    **organisation,
) -> tuple[Organisation, object]:
    """A new group (or network) with its chart and funds, and its first user: one transaction,
    so a taken username leaves no group behind (``omboon setup``, the first web page, the admin)."""
    User = get_user_model()
    raise_if([*rules.check_username(username, bool(username) and User.objects.filter(username=username).exists()),
              *rules.check_password(password)])
    org = organisation_create(actor=actor, **organisation)
    user = user_create(actor=actor, username=username, password=password, organisation=org,
                       role=first_role(org), first_name=first_name, last_name=last_name)
    return org, user


@transaction.atomic
def organisation_mark_remote(*, actor, organisation: Organisation) -> Organisation:
    """The group runs on its own laptop from now on and syncs here: on this server its rows are
    written only by the sync (``orgs.scoping``, ``network.receivers.refuse_remote_write``)."""
    Organisation.objects.filter(pk=organisation.pk).update(is_remote_node=True)
    organisation.is_remote_node = True
    audit.record(actor=actor, action="orgs.organisation_mark_remote", organisation=organisation, obj=organisation,
                 summary=f"{organisation.code}: บันทึกบนเครื่องของกลุ่ม / records kept on the group's laptop",
                 after={"is_remote_node": True})
    return organisation


# --- stand-ins for a synced group's people ---------------------------------------------------
# A synced claim keeps who made, approved and paid it; on the network's server those people are
# inactive users (no password, no role) named after the laptop's users. The caller (the sync)
# holds the transaction and writes the audit event.

def _stand_in_suffix(organisation: Organisation) -> str:
    return f"@{organisation.code.lower()}.node"


def stand_in_user(*, organisation: Organisation, username: str):
    """The inactive user standing for ``username`` of the group's laptop (made the first time)."""
    name = f"{username[:150 - 20]}{_stand_in_suffix(organisation)}"
    user, created = get_user_model().objects.get_or_create(username=name, defaults={"is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def stand_in_users_delete(*, organisation: Organisation) -> int:
    """The group's stand-ins gone (it shares aggregates only: no names of its people stay)."""
    deleted, _ = get_user_model().objects.filter(username__endswith=_stand_in_suffix(organisation),
                                                 is_active=False).delete()
    return deleted


# --- service users and API tokens -------------------------------------------------------------
TOKEN_PREFIX = "omb_"
PREFIX_SHOWN = 12  # "omb_" and 8 characters: enough to tell tokens apart in a list


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _unnarrowed(user):
    """The user as their roles alone make them (not as a token narrowed this request's copy)."""
    return get_user_model().objects.get(pk=user.pk)


@transaction.atomic
def service_user_create(*, actor, organisation: Organisation, name: str, role: str):
    """A user for a script of the organisation: no password (it never signs in), one role
    (granted through ``role_grant``: nobody grants above their own rank)."""
    taken = ServiceUser.objects.filter(organisation=organisation, name=name).exists()
    raise_if([*rules.check_service_name(name, taken), *rules.check_role_given(role),
              *(rules.check_role(role, organisation) if role else [])])
    username = f"svc.{name}@{organisation.code.lower()}"[:150]
    raise_if(rules.check_username(username, get_user_model().objects.filter(username=username).exists()))
    user = get_user_model()(username=username, first_name=name, is_active=True)
    user.set_unusable_password()
    user.save()
    service = ServiceUser.objects.create(user=user, organisation=organisation, name=name,
                                         created_by=audit.person(actor))
    audit.record(actor=actor, action="orgs.service_user_create", organisation=organisation, obj=user,
                 summary=f"{username} {role}", after={"username": username, "role": role})
    role_grant(actor=actor, user=user, organisation=organisation, role=role)
    return service


def new_token_subject(*, actor, holder, organisations, name: str, capabilities, expires_on,
                      today: dt.date | None = None) -> rules.NewToken:
    """What ``rules.TOKEN_CREATE`` reads (also asked by the page, to offer only what is allowed)."""
    organisations = tuple(organisations)
    creator = _unnarrowed(actor) if audit.person(actor) else None
    plain_holder = _unnarrowed(holder)
    service = ServiceUser.objects.filter(user=plain_holder).select_related("organisation").first()
    return rules.NewToken(
        name=name, creator=creator, holder=plain_holder, organisations=organisations,
        capabilities=tuple(dict.fromkeys(capabilities)), expires_on=expires_on,
        today=today or timezone.localdate(),
        creator_caps={o.code: scoping.resolve(creator, o).capabilities for o in organisations} if creator else {},
        holder_caps={o.code: scoping.resolve(plain_holder, o).capabilities for o in organisations},
        holder_service_of=service.organisation.code if service else None,
        by_token=scoping.token_scope(actor) is not None,
    )


@transaction.atomic
def token_create(*, actor, holder, organisations, name: str, expires_on: dt.date,
                 capabilities=(scoping.VIEW,), today: dt.date | None = None) -> tuple[ApiToken, str]:
    """A personal API token for ``holder`` (the actor, or a service user of the organisations):
    the token itself is returned once, only its digest is kept."""
    subject = new_token_subject(actor=actor, holder=holder, organisations=organisations, name=name,
                                capabilities=capabilities, expires_on=expires_on, today=today)
    raise_if(problems_of(rules.TOKEN_CREATE, subject))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=subject.holder, name=name.strip(), prefix=raw[:PREFIX_SHOWN], digest=token_digest(raw),
        capabilities=list(subject.capabilities), expires_on=expires_on, created_by=audit.person(actor))
    token.organisations.set(subject.organisations)
    details = {"token": token.prefix, "name": token.name, "user": subject.holder.username,
               "capabilities": token.capabilities, "expires_on": expires_on,
               "organisations": [o.code for o in subject.organisations]}
    for org in subject.organisations:
        audit.record(actor=actor, action="orgs.token_create", organisation=org, obj=token,
                     summary=f"{token.prefix}… {token.name} ({subject.holder.username})", after=details)
    return token, raw


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """The token stops working at once. Its holder revokes it, or someone with manage in one of
    its organisations; it stays in the list (revoked) with who and when."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    organisations = list(token.organisations.all())
    actor_caps = None
    if audit.person(actor) and actor.pk != token.user_id:
        plain = _unnarrowed(actor)
        actor_caps = frozenset().union(*(scoping.resolve(plain, o).capabilities for o in organisations))
    raise_if(rules.check_token_revocable(token, actor_caps, token.revoked_at is not None))
    token.revoked_at = timezone.now()
    token.revoked_by = audit.person(actor)
    token.save(update_fields=["revoked_at", "revoked_by"])
    for org in organisations:
        audit.record(actor=actor, action="orgs.token_revoke", organisation=org, obj=token,
                     summary=f"{token.prefix}… {token.name}", after={"token": token.prefix, "name": token.name})
    return token


def _refused(code: str, th: str, en: str) -> RuleViolation:
    return RuleViolation([Problem("authorization", th, en, code=code)])


def token_authenticate(raw: str, *, now: dt.datetime | None = None):
    """The user a Bearer token acts as, narrowed to the token's scope; RuleViolation (one
    problem, code token_unknown / token_revoked / token_expired / token_user_inactive) if it
    may not. Every use is recorded: ``last_used_at`` each time, and an audit event in each of
    its organisations at the first use of every day."""
    now = now or timezone.now()
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        raise _refused("token_unknown", "โทเคนไม่ถูกต้อง", "unknown token")
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(raw)).first()
    if token is None:
        raise _refused("token_unknown", "โทเคนไม่ถูกต้อง", "unknown token")
    if token.revoked_at is not None:
        raise _refused("token_revoked", "โทเคนนี้ถูกยกเลิกแล้ว", "this token was revoked")
    today = timezone.localdate(now)
    if token.has_expired(today):
        raise _refused("token_expired", f"โทเคนหมดอายุแล้ว (ใช้ได้ถึงวันที่ {token.expires_on})",
                       f"this token expired (its last day was {token.expires_on})")
    if not token.user.is_active:
        raise _refused("token_user_inactive", "ผู้ใช้ของโทเคนนี้ถูกปิดใช้งาน", "the token's user is deactivated")
    organisations = list(token.organisations.filter(is_active=True))
    first_today = token.last_used_at is None or timezone.localdate(token.last_used_at) < today
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        if first_today:
            for org in organisations:
                audit.record(actor=token.user, action="orgs.token_authenticate", organisation=org, obj=token,
                             summary=f"{token.prefix}… {token.name}",
                             after={"token": token.prefix, "name": token.name, "day": today})
    scope = scoping.TokenScope(paths=tuple(o.path for o in organisations),
                               capabilities=frozenset(token.capabilities))
    user = scoping.narrow(token.user, scope)
    user._omboon_token = token
    return user


def tokens_of(organisation: Organisation):
    """The tokens that name the organisation, newest first (never their digest's token)."""
    return (ApiToken.objects.filter(organisations=organisation)
            .select_related("user", "created_by", "revoked_by").prefetch_related("organisations"))
