"""Welfare written many at a time, from the group's own records elsewhere: a group's laptop sends
its schemes, rule versions and claims through ``network.sync``, and the network's server keeps
them here; when the group shares aggregates only, its claims go. Only the welfare app writes
claims: the sync calls these, never the models.

The caller holds the transaction and writes the audit event (the sync's ``network.apply_batch``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from omboon.welfare.models import BenefitScheme, Claim, ClaimPayee, RuleVersion


@dataclass
class ReceivedScheme:
    name_th: str
    name_en: str
    category: str
    custom_label: str
    expense_account_id: int
    is_active: bool
    versions: list[tuple[dt.date, dict, str]] = field(default_factory=list)  # (effective from, rule, note)


def schemes_receive(*, organisation, schemes: list[ReceivedScheme]) -> int:
    """Schemes matched by their Thai name, with their rule versions matched by the date they
    take effect; new ones added, known ones changed. Returns how many schemes."""
    for s in schemes:
        scheme, _ = BenefitScheme.objects.update_or_create(
            organisation=organisation, name_th=s.name_th,
            defaults={"name_en": s.name_en, "category": s.category, "custom_label": s.custom_label,
                      "expense_account_id": s.expense_account_id, "is_active": s.is_active})
        for day, rule, note in s.versions:
            RuleVersion.objects.update_or_create(organisation=organisation, scheme=scheme, effective_from=day,
                                                 defaults={"rule": rule, "note": note})
    return len(schemes)


@dataclass
class ReceivedClaim:
    """A claim as the group's own books hold it: ``values`` are its fields (ids of this
    database: member_id, scheme_id, rule_version_id, entry_id, ...); ``payees`` (name,
    relation, share, amount) replace the ones known."""

    values: dict
    payees: list[tuple] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        v = self.values
        return v["member_id"], v["scheme_id"], v["event_key"], v["submitted_at"]


def claims_receive(*, organisation, claims: list[ReceivedClaim]) -> int:
    """Claims matched by member, scheme, event key and submission time: changed ones are saved
    before new ones are added (a reversed claim frees its event for the claim that replaces it);
    payees are replaced. Returns how many claims."""
    existing = {(c.member_id, c.scheme_id, c.event_key, c.submitted_at): c
                for c in Claim.objects.filter(organisation=organisation,
                                              submitted_at__in=[r.values["submitted_at"] for r in claims])}
    new, changed = [], []
    for received in claims:
        claim = existing.get(received.key)
        if claim is None:
            new.append((received, Claim(organisation=organisation, **received.values)))
        else:
            for key, value in received.values.items():
                setattr(claim, key, value)
            changed.append((received, claim))
    for _received, claim in [*changed, *new]:
        claim.save()
    ClaimPayee.objects.filter(claim__in=[c for _, c in changed]).delete()
    ClaimPayee.objects.bulk_create([
        ClaimPayee(organisation=organisation, claim=claim, name=name, relation=relation, share=share, amount=amount)
        for received, claim in [*changed, *new] for name, relation, share, amount in received.payees])
    return len(claims)


def claims_withdraw(*, organisation) -> int:
    """Every claim of the group, with its payees, gone (the group shares aggregates only: the
    server keeps no personal data of it; the entries that paid them stay). Returns how many."""
    ClaimPayee.objects.filter(organisation=organisation).delete()
    deleted, _ = Claim.objects.filter(organisation=organisation).delete()
    return deleted
