"""Maker-checker (a request entered by one person, decided by a second): the fields such a
request keeps and the one check every rules list runs before a decision.

``second_person`` is the check: the person deciding may approve ``what`` in the group
(``scoping.may_approve``: the approve right, and a role the bylaws name) and is not the person
who entered it. Each domain names the field its form shows the problem on and says, in its own
words, what the maker entered.

The abstract models hold the fields of a request exactly as its tables were made (so they add
no migration). There are two shapes, kept apart because joining them would change tables:
``Requested`` (savings' withdrawals and share transfers: the maker always known, ``decided_by``
whoever approved or rejected it, ``reason`` the request's) and ``LoanRequested`` (loans'
adjustments and reschedules: the maker may be unknown on synced rows, ``approved_by`` whoever
decided it, ``decision_reason`` the second person's)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import models

from omboon.core.errors import Problem
from omboon.orgs import scoping

MAY_APPROVE_TH = "ผู้อนุมัติต้องเป็นกรรมการที่มีสิทธิ์อนุมัติ"
MAY_APPROVE_EN = "the approver must be a committee member who may approve"


def second_person(actor, organisation, what: str, makers: Iterable[int | None], *, field: str,
                  th: str, en: str, code: str = "second_person", may_th: str = MAY_APPROVE_TH,
                  may_en: str = MAY_APPROVE_EN) -> list[Problem]:
    """Maker-checker: ``actor`` may approve ``what`` (claims, vouchers, withdrawals, loans) in
    ``organisation`` and is none of ``makers`` (the ids of who entered it). ``th``/``en`` say
    that the approver cannot be the maker, naming what they entered."""
    if actor is None or not getattr(actor, "pk", None) or not scoping.may_approve(actor, organisation, what):
        return [Problem(field, may_th, may_en, code=code)]
    if actor.pk in set(makers):
        return [Problem(field, th, en, code=code)]
    return []


class Requested(models.Model):
    """Asked by one person (always known), approved or rejected by a second (``decided_by``)."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=255, blank=True)

    class Meta:
        abstract = True


class LoanRequested(models.Model):
    """Asked by one person, approved or rejected by a second (``approved_by``, with the
    decision's reason)."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                     related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True)
    decision_reason = models.CharField(max_length=255, blank=True)

    class Meta:
        abstract = True
