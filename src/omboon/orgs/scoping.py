"""The one place that decides what a user may see and do.

Every view, API endpoint, report and export asks here. Capabilities:

- ``view``     see the organisation's home page and its aggregate figures
- ``records``  see its records (members, books, vouchers, reports with names)
- ``write``    record payments, members, vouchers, claims
- ``approve``  approve what someone else entered (maker-checker)
- ``manage``   settings, users, reopening a closed month
- ``audit``    read the audit trail

A role held on a network reaches down its subtree read-only (coordinator), so a network
coordinator sees every group below it and can change none of them. A user of group A asking
for anything of group B gets 404, never a hint that it exists; a read-only role asking to
write gets 403.

Two choices of a group narrow that (both set by ``omboon.network``):

- a group that shares *aggregates only* with its network: a coordinator reaching it through
  the subtree keeps ``view`` (its figures) but not ``records``, and at a network ``in_scope``
  leaves its rows out — the network receives its monthly facts, never its people;
- a group that runs as a standalone node (``Organisation.is_remote_node``) is the only writer
  of its data: on the network's server nobody gets ``write``, ``approve`` or ``manage`` on it.

An API token (``orgs.models.ApiToken``) narrows its user further: ``narrow(user, TokenScope)``
keeps only the organisations it names (and those below them) and only its capabilities, each
intersected with what the user's own roles give there — a token never grants a role the user
does not hold; an organisation outside it is a 404, as for a session.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from omboon.orgs import rules, selectors
from omboon.orgs.models import Organisation, Role, RoleAssignment

VIEW, RECORDS, WRITE, APPROVE, MANAGE, AUDIT = "view", "records", "write", "approve", "manage", "audit"
ALL = frozenset({VIEW, RECORDS, WRITE, APPROVE, MANAGE, AUDIT})

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.CHAIR: ALL,
    Role.TREASURER: frozenset({VIEW, RECORDS, WRITE, APPROVE, AUDIT}),
    Role.SECRETARY: frozenset({VIEW, RECORDS, WRITE, APPROVE, AUDIT}),
    Role.COMMITTEE: frozenset({VIEW, RECORDS, APPROVE, AUDIT}),
    Role.AUDITOR: frozenset({VIEW, RECORDS, AUDIT}),
    Role.MEMBER: frozenset({VIEW}),
    Role.COORDINATOR: frozenset({VIEW, RECORDS, AUDIT}),
    Role.ADMIN: ALL,
}
# What a role held on an ancestor network grants over the groups below it.
SUBTREE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset({VIEW, RECORDS}),
    Role.ADMIN: ALL,
}


NODE_READ_ONLY = frozenset({WRITE, APPROVE, MANAGE})


class SharingPolicy:
    """What scoping asks about groups' sharing choices; ``omboon.network`` registers the real
    one at start-up (orgs does not import it). The default: every group shares full records."""

    def records_withheld(self, organisation: Organisation) -> bool:
        return False

    def withheld_group_ids(self):
        """Ids (a list or a ``values("pk")`` queryset) of groups sharing aggregates only."""
        return []


_sharing = SharingPolicy()


def register_sharing_policy(policy: SharingPolicy) -> None:
    global _sharing
    _sharing = policy


class Capabilities:
    """What a page may offer one user: ``may.write``, ``may.approve``, … is True only when the
    user holds that capability here, so a template shows a link, form or button only to whom
    it answers (the same decision ``org_view`` takes at the door). ``may.staff`` is False for
    a member who sees only their own records. Any other name is False."""

    __slots__ = ("_caps", "staff")

    def __init__(self, capabilities=frozenset(), *, staff: bool = False):
        self._caps = frozenset(capabilities)
        self.staff = staff and VIEW in self._caps

    def __getattr__(self, name: str) -> bool:
        if name.startswith("_"):
            raise AttributeError(name)
        return name in self._caps

    def __getitem__(self, name: str) -> bool:
        return name in self._caps

    def __contains__(self, name: str) -> bool:
        return name in self._caps

    def __bool__(self) -> bool:
        return bool(self._caps)

    def __repr__(self) -> str:
        return f"Capabilities({sorted(self._caps)}, staff={self.staff})"


NOTHING = Capabilities()


@dataclass
class Access:
    """What one user may do in one organisation, resolved once per request."""

    organisation: Organisation
    roles: set[str] = field(default_factory=set)
    capabilities: frozenset[str] = frozenset()

    def can(self, capability: str) -> bool:
        return capability in self.capabilities

    @property
    def may(self) -> Capabilities:
        """The capabilities as templates read them: ``{% if may.write %}``."""
        return Capabilities(self.capabilities, staff=not self.own_records_only)

    @property
    def own_records_only(self) -> bool:
        return self.roles == {Role.MEMBER}


def _assignments(user) -> list[tuple[str, str, int]]:
    """(path, role, org id) of every role the user holds; cached on the user object."""
    cached = getattr(user, "_omboon_roles", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user, organisation__is_active=True).values_list(
                "organisation__path", "role", "organisation_id"
            )
        )
        user._omboon_roles = cached
    return cached


def forget(user) -> None:
    user.__dict__.pop("_omboon_roles", None)


@dataclass(frozen=True)
class TokenScope:
    """What an API token lets its user reach: organisations whose path starts with one of
    ``paths`` (those it names and everything below them), with at most ``capabilities``."""

    paths: tuple[str, ...]
    capabilities: frozenset[str]

    def covers(self, organisation: Organisation) -> bool:
        return any(organisation.path.startswith(p) for p in self.paths)


def narrow(user, scope: TokenScope):
    """The request's user, narrowed to a token's scope for the rest of the request."""
    user._omboon_token_scope = scope
    return user


def may_approve(user, organisation: Organisation, what: str) -> bool:
    """``user`` may approve ``what`` (claims, vouchers, withdrawals, loans) in the organisation:
    they hold the approve right there and, where the bylaws in force today name the roles that
    approve it, one of those roles (a system or network admin above the group always may)."""
    access = resolve(user, organisation)
    if not access.can(APPROVE):
        return False
    allowed = rules.approver_roles(selectors.bylaws_on(organisation), what)
    return allowed is None or bool(access.roles & (allowed | {Role.ADMIN}))


def token_scope(user) -> TokenScope | None:
    return getattr(user, "_omboon_token_scope", None)


def resolve(user, organisation: Organisation) -> Access:
    access = Access(organisation=organisation)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return access
    caps: set[str] = set()
    if user.is_superuser:
        caps |= ALL
        access.roles.add(Role.ADMIN)
    subtree_caps: set[str] = set()
    for path, role, org_id in _assignments(user):
        if org_id == organisation.pk:
            access.roles.add(role)
            caps |= ROLE_CAPABILITIES[role]
        elif organisation.path.startswith(path):
            subtree_caps |= SUBTREE_CAPABILITIES.get(role, frozenset())
            if role in SUBTREE_CAPABILITIES:
                access.roles.add(role)
    if (RECORDS in subtree_caps and RECORDS not in caps and Role.ADMIN not in access.roles
            and organisation.is_group and _sharing.records_withheld(organisation)):
        subtree_caps.discard(RECORDS)  # aggregates only: the coordinator sees figures, not people
    caps |= subtree_caps
    if organisation.is_remote_node:
        caps -= NODE_READ_ONLY  # the group's own laptop is the only writer
    scope = token_scope(user)
    if scope is not None:
        caps = caps & scope.capabilities if scope.covers(organisation) else set()
    access.capabilities = frozenset(caps)
    return access


def visible_organisations(user) -> QuerySet[Organisation]:
    """Every organisation the user may open: where they hold a role, and below coordinators."""
    qs = Organisation.objects.filter(is_active=True)
    scope = token_scope(user)
    if scope is not None:
        within = Q(pk__in=[])
        for path in scope.paths:
            within |= Q(path__startswith=path)
        qs = qs.filter(within)
    if user.is_superuser:
        return qs
    cond = Q(pk__in=[org_id for _, _, org_id in _assignments(user)])
    for path, role, _ in _assignments(user):
        if role in SUBTREE_CAPABILITIES:
            cond |= Q(path__startswith=path)
    return qs.filter(cond)


def access_org(user, code: str, need: str = VIEW) -> Access:
    """The organisation ``code`` with the user's access to it; 404 if unseen, 403 if not allowed."""
    org = Organisation.objects.filter(code=code, is_active=True).first()
    if org is None:
        raise Http404("ไม่พบองค์กร / organisation not found")
    access = resolve(user, org)
    if VIEW not in access.capabilities:
        raise Http404("ไม่พบองค์กร / organisation not found")
    require(access, need)
    return access


def org_of(request, code: str, need: str = RECORDS) -> Organisation:
    """The organisation an API operation names, as the request's user may use it
    (``access_org``); an operation reads or writes records unless it says otherwise."""
    return access_org(request.user, code, need).organisation


def require(access: Access, need: str) -> None:
    if need not in access.capabilities:
        raise PermissionDenied("ไม่มีสิทธิ์ทำรายการนี้ / you may not do this")


def in_scope(qs: QuerySet, organisation: Organisation, field_name: str = "organisation") -> QuerySet:
    """Rows of ``qs`` that belong to the organisation, or to any group below a network (except
    groups that share aggregates only: their figures reach the network as monthly facts)."""
    if organisation.is_network:
        qs = qs.filter(**{f"{field_name}__path__startswith": organisation.path})
        withheld = _sharing.withheld_group_ids()
        if isinstance(withheld, QuerySet) or withheld:
            qs = qs.exclude(**{f"{field_name}__in": withheld})
        return qs
    return qs.filter(**{field_name: organisation})


def get_in_scope(qs: QuerySet, organisation: Organisation, pk, field_name: str = "organisation"):
    """One row of the organisation by primary key, or 404 (also for another group's row)."""
    obj = in_scope(qs, organisation, field_name).filter(pk=pk).first()
    if obj is None:
        raise Http404("ไม่พบรายการ / not found")
    return obj
