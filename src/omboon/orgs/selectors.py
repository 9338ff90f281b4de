"""Reads over the organisation tree. Set-based: a subtree is one prefix query."""

from __future__ import annotations

from django.db.models import QuerySet

from omboon.orgs.models import Organisation


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
