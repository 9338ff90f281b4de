"""Reads behind the shell's pages (home per role, audit trail). Set-based: a network of 500
groups is listed with one aggregate query, never a query per group."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from omboon.core.models import AuditEvent
from omboon.members import selectors as member_selectors
from omboon.members.models import Member
from omboon.orgs import scoping
from omboon.orgs import selectors as org_selectors
from omboon.orgs.models import Organisation


def group_figures(org: Organisation, *, today=None) -> member_selectors.MemberCounts:
    """Membership figures of one group (counts by status and sex, new this year)."""
    return member_selectors.member_counts(org, today=today)


def group_balances(org: Organisation):
    """Cash/bank and fund balances from the ledger, or None while the ledger has none."""
    return None


@dataclass
class NetworkTotals:
    groups: int = 0
    members: int = 0
    active: int = 0


def network_groups(org: Organisation) -> tuple[list[Organisation], NetworkTotals]:
    """Every group below a network with its member counts: one query, whatever the size."""
    active = Member.Status.ACTIVE
    rows = list(
        org_selectors.groups_below(org)
        .select_related("parent")
        .annotate(
            members_total=Count("members"),
            members_active=Count("members", filter=Q(members__status=active)),
        )
        .order_by("path")
    )
    totals = NetworkTotals(
        groups=len(rows),
        members=sum(r.members_total for r in rows),
        active=sum(r.members_active for r in rows),
    )
    return rows, totals


def own_members(*, user, organisation: Organisation) -> list[Member]:
    """A member-role user's own member record(s) in this organisation, and nothing else."""
    qs = Member.objects.filter(user=user).select_related("organisation")
    return list(scoping.in_scope(qs, organisation).order_by("organisation__path", "number"))


def _audit_scope(org: Organisation) -> QuerySet[AuditEvent]:
    return scoping.in_scope(AuditEvent.objects.all(), org)


def audit_actions(org: Organisation) -> list[str]:
    return list(_audit_scope(org).order_by("action").values_list("action", flat=True).distinct())


def audit_events(org: Organisation, *, action: str = "") -> QuerySet[AuditEvent]:
    qs = _audit_scope(org).select_related("actor", "organisation").order_by("-at", "-id")
    if action:
        qs = qs.filter(action=action)
    return qs
