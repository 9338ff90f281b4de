"""What-if: replay a past period's claims and members under a proposed rule version.

For every claim whose event fell in the period (reversed payouts left out) of a scheme with a
proposal, the engine judges it again under the proposed rule, in event order, with the limits
counted from what the proposal itself would have paid. The member is taken as the claim saw
them (the facts stored on the claim: age, membership, status, paid-through), and the
documents as supplied. Schemes without a proposal keep what they paid.

The members are replayed too: every member of the group on the period's last day is judged
by the current and the proposed rule for an event on that day, so the committee sees who
would gain or lose the right to the benefit even if they never claimed (the paid-up
condition is left out of that comparison: it depends on the day's payments).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from omboon.orgs import scoping
from omboon.welfare import engine, selectors
from omboon.welfare.models import BenefitScheme, Category, Claim, category_label
from omboon.welfare.schema import Rule


@dataclass
class CaseChange:
    claim_id: int | None
    member_id: int
    member_number: str
    member_name: str
    category: str
    event_date: dt.date
    actual_amount: int
    proposed_amount: int
    actual_eligible: bool
    proposed_eligible: bool
    reason_th: str = ""
    reason_en: str = ""

    @property
    def difference(self) -> int:
        return self.proposed_amount - self.actual_amount


@dataclass
class CategoryRow:
    category: str
    label_th: str
    label_en: str
    actual_cases: int = 0
    actual_amount: int = 0
    proposed_cases: int = 0
    proposed_amount: int = 0

    @property
    def difference(self) -> int:
        return self.proposed_amount - self.actual_amount


@dataclass
class WhatIf:
    start: dt.date
    end: dt.date
    rows: list[CategoryRow]
    changed: list[CaseChange] = field(default_factory=list)  # claims whose amount or verdict changes
    members_gain: list[CaseChange] = field(default_factory=list)
    members_lose: list[CaseChange] = field(default_factory=list)
    claims_replayed: int = 0
    members_replayed: int = 0

    def total(self, column: str) -> int:
        return sum(getattr(r, column) for r in self.rows)

    @property
    def claims_gain(self) -> list[CaseChange]:
        return [c for c in self.changed if c.proposed_eligible and not c.actual_eligible]

    @property
    def claims_lose(self) -> list[CaseChange]:
        return [c for c in self.changed if c.actual_eligible and not c.proposed_eligible]


def _first_failure(decision: engine.Decision) -> tuple[str, str]:
    failed = decision.failed
    return (failed[0].text_th, failed[0].text_en) if failed else ("", "")


def _facts(claim: Claim, members: dict) -> engine.MemberFacts:
    stored = (claim.eligibility or {}).get("facts")
    if stored:
        return engine.MemberFacts.from_json(stored)
    m = members[claim.member_id]
    return engine.MemberFacts(m.birth_date, m.sex, m.join_date, m.status, m.status_date, None)


def what_if(organisation, *, start: dt.date, end: dt.date, proposals: dict[int, Rule]) -> WhatIf:
    """Per category what was paid and what would have been paid, the difference, and who
    gains or loses. ``proposals`` maps scheme ids to proposed rules."""
    schemes = {s.pk: s for s in selectors.schemes(organisation)}
    fy_start = organisation.fiscal_year_start_month
    rows: dict[str, CategoryRow] = {}

    def row(cat: str) -> CategoryRow:
        if cat not in rows:
            rows[cat] = CategoryRow(cat, category_label(cat, "th"), category_label(cat, "en"))
        return rows[cat]

    claims = list(
        scoping.in_scope(Claim.objects.select_related("member", "scheme"), organisation)
        .filter(event_date__gte=start, event_date__lte=end)
        .exclude(status=Claim.Status.REVERSED).order_by("event_date", "id")
        .only("id", "member_id", "scheme_id", "event_date", "event_key", "nights", "cost", "documents", "status",
              "amount", "eligibility", "member__number", "member__first_name", "member__last_name",
              "member__title", "member__birth_date", "member__sex", "member__join_date", "member__status",
              "member__status_date", "scheme__category")
    )
    # earlier live claims (before the period) still count against yearly and lifetime limits
    earlier: dict[tuple[int, int], list[engine.PriorClaim]] = {}
    for member_id, scheme_id, d, k, a, n, e in (
            scoping.in_scope(Claim.objects.all(), organisation).filter(event_date__lt=start, status__in=Claim.LIVE,
                                                  scheme_id__in=list(proposals))
            .values_list("member_id", "scheme_id", "event_date", "event_key", "amount", "nights", "eligibility")):
        earlier.setdefault((member_id, scheme_id), []).append(engine.PriorClaim(d, k, a, (e or {}).get("nights_paid", n)))

    replayed: dict[tuple[int, int], list[engine.PriorClaim]] = {}
    result = WhatIf(start, end, [])
    for claim in claims:
        scheme = schemes[claim.scheme_id]
        r = row(scheme.category)
        paid = claim.status == Claim.Status.PAID
        counts = claim.status in Claim.LIVE
        actual_amount = claim.amount if counts else 0
        actual_eligible = counts
        if paid:
            r.actual_cases += 1
            r.actual_amount += claim.amount
        rule = proposals.get(claim.scheme_id)
        if rule is None:
            if paid:
                r.proposed_cases += 1
                r.proposed_amount += claim.amount
            continue
        result.claims_replayed += 1
        key = (claim.member_id, claim.scheme_id)
        prior = earlier.get(key, []) + replayed.get(key, [])
        documents = frozenset(d.code for d in rule.documents)
        decision = engine.evaluate(rule, _facts(claim, {claim.member_id: claim.member}),
                                   engine.Event(claim.event_date, claim.event_key, claim.nights, claim.cost, documents),
                                   prior, year_start_month=fy_start)
        if decision.eligible:
            replayed.setdefault(key, []).append(engine.PriorClaim(claim.event_date, claim.event_key, decision.amount,
                                                                  decision.nights_paid))
            r.proposed_cases += 1
            r.proposed_amount += decision.amount
        if decision.amount != actual_amount or decision.eligible != actual_eligible:
            th, en = _first_failure(decision)
            m = claim.member
            result.changed.append(CaseChange(
                claim.pk, m.pk, m.number, m.full_name, scheme.category, claim.event_date, actual_amount,
                decision.amount, actual_eligible, decision.eligible, th, en))
    _members(organisation, schemes, proposals, end, result)
    order = {c: i for i, c in enumerate(Category.values)}
    result.rows = sorted(rows.values(), key=lambda x: order.get(x.category, 99))
    return result


def _members(organisation, schemes: dict[int, BenefitScheme], proposals: dict[int, Rule], end: dt.date,
             result: WhatIf) -> None:
    """Members on ``end`` judged by the current and the proposed rule (eligibility only)."""
    members = list(selectors.members(organisation).filter(join_date__lte=end).only(
        "id", "number", "title", "first_name", "last_name", "birth_date", "sex", "join_date", "status",
        "status_date"))
    for scheme_id, proposed in proposals.items():
        scheme = schemes.get(scheme_id)
        version = selectors.version_on(scheme, end) if scheme else None
        if version is None:
            continue
        current = version.parsed
        # eligibility only: no documents, no limits, no paid-up; the amount rules stay as they are
        def plain(rule: Rule) -> Rule:
            return replace(rule, documents=(), limits=replace(rule.limits, claims_per_year=None, per_year=None,
                                                             per_lifetime=None, nights_per_year=None),
                           eligibility=replace(rule.eligibility, paid_up=False))

        cur, new = plain(current), plain(proposed)
        event = engine.Event(end, "what-if", nights=1, cost=100_00)
        for m in members:
            if m.status in ("resigned", "deceased", "expelled") and m.status_date and m.status_date < end:
                continue
            facts = engine.MemberFacts(m.birth_date, m.sex, m.join_date, m.status, m.status_date, None)
            result.members_replayed += 1
            a = engine.evaluate(cur, facts, event)
            b = engine.evaluate(new, facts, event)
            if a.eligible == b.eligible:
                continue
            th, en = _first_failure(a if b.eligible else b)
            change = CaseChange(None, m.pk, m.number, m.full_name, scheme.category, end, 0, 0, a.eligible,
                                b.eligible, th, en)
            (result.members_gain if b.eligible else result.members_lose).append(change)
