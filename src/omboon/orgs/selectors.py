"""Reads over the organisation tree. Set-based: a subtree is one prefix query."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from omboon.orgs.models import BylawVersion, Organisation


def subtree(org: Organisation, *, include_self: bool = True) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(path__startswith=org.path, is_active=True)
    if not include_self:
        qs = qs.exclude(pk=org.pk)
    return qs


def groups_below(org: Organisation) -> QuerySet[Organisation]:
    return subtree(org).filter(kind=Organisation.Kind.GROUP)


def ancestors(org: Organisation) -> list[Organisation]:
    ids = org.ancestor_ids()
    by_id = Organisation.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def tree_rows(orgs: QuerySet[Organisation]) -> list[Organisation]:
    """Organisations in tree order (path order), with ``parent`` loaded in the same query."""
    return list(orgs.select_related("parent").order_by("path"))


def bylaws_on(org: Organisation, day: dt.date | None = None) -> dict:
    """The bylaw settings in force on ``day`` (today): the latest version from that day or
    before, else the organisation's own (a group that never dated a version)."""
    day = day or timezone.localdate()
    version = (BylawVersion.objects.filter(organisation=org, effective_from__lte=day)
               .order_by("-effective_from").first())
    return dict(version.bylaws) if version is not None else dict(org.bylaws or {})


def bylaw_history(org: Organisation) -> QuerySet[BylawVersion]:
    return BylawVersion.objects.filter(organisation=org).select_related("created_by").order_by("-effective_from")
