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

from django.db.models import Count, Sum

from omboon.members.models import LEFT_STATUSES, Member
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


def _person(member_id: int) -> tuple[Member, engine.MemberFacts]:
    m = Member.objects.get(pk=member_id)
    return m, engine.MemberFacts(m.birth_date, m.sex, m.join_date, m.status, m.status_date, None)


def _name_members(changes: list[CaseChange]) -> None:
    names = {pk: (number, Member(title=t, first_name=f, last_name=la).full_name)
             for pk, number, t, f, la in Member.objects.filter(pk__in={c.member_id for c in changes})
             .values_list("pk", "number", "title", "first_name", "last_name")}
    for c in changes:
        c.member_number, c.member_name = names.get(c.member_id, ("", ""))


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

    base = scoping.in_scope(Claim.objects.all(), organisation)
    period = base.filter(event_date__gte=start, event_date__lte=end)
    result = WhatIf(start, end, [])
    # schemes without a proposal: what was paid is what would be paid (one aggregate query)
    for scheme_id, n, total in (period.filter(status=Claim.Status.PAID).exclude(scheme_id__in=list(proposals))
                                .values_list("scheme_id").annotate(Count("pk"), Sum("amount")).order_by()):
        r = row(schemes[scheme_id].category)
        r.actual_cases += n
        r.actual_amount += total
        r.proposed_cases += n
        r.proposed_amount += total
    # earlier live claims (before the period) still count against yearly and lifetime limits
    earlier: dict[tuple[int, int], list[engine.PriorClaim]] = {}
    for member_id, scheme_id, d, k, a, n, paid_nights in (
            base.filter(event_date__lt=start, status__in=Claim.LIVE, scheme_id__in=list(proposals))
            .values_list("member_id", "scheme_id", "event_date", "event_key", "amount", "nights",
                         "eligibility__nights_paid")):
        earlier.setdefault((member_id, scheme_id), []).append(
            engine.PriorClaim(d, k, a, n if paid_nights is None else paid_nights))
    # the proposals' claims, replayed in event order: plain rows, only the facts out of the JSON
    rows_ = (period.filter(scheme_id__in=list(proposals)).exclude(status=Claim.Status.REVERSED)
             .order_by("event_date", "id")
             .values_list("id", "member_id", "scheme_id", "event_date", "event_key", "nights", "cost", "status",
                          "amount", "eligibility__facts"))
    people: dict[int, tuple] = {}
    replayed: dict[tuple[int, int], list[engine.PriorClaim]] = {}
    for claim_id, member_id, scheme_id, day, key_, nights, cost, status, amount, stored in rows_:
        scheme = schemes[scheme_id]
        rule = proposals[scheme_id]
        r = row(scheme.category)
        paid = status == Claim.Status.PAID
        counts = status in Claim.LIVE
        actual_amount = amount if counts else 0
        if paid:
            r.actual_cases += 1
            r.actual_amount += amount
        result.claims_replayed += 1
        key = (member_id, scheme_id)
        prior = earlier.get(key, []) + replayed.get(key, [])
        if stored:
            facts = engine.MemberFacts.from_json(stored)
        else:
            if member_id not in people:
                people[member_id] = _person(member_id)
            facts = people[member_id][1]
        event = engine.Event(day, key_, nights, cost, frozenset(d.code for d in rule.documents))
        decision = engine.evaluate(rule, facts, event, prior, year_start_month=fy_start, explain=False)
        if decision.eligible:
            replayed.setdefault(key, []).append(engine.PriorClaim(day, key_, decision.amount, decision.nights_paid))
            r.proposed_cases += 1
            r.proposed_amount += decision.amount
        if decision.amount != actual_amount or decision.eligible != counts:
            th, en = _first_failure(engine.evaluate(rule, facts, event, prior, year_start_month=fy_start))
            result.changed.append(CaseChange(claim_id, member_id, "", "", scheme.category, day, actual_amount,
                                             decision.amount, counts, decision.eligible, th, en))
    _name_members(result.changed)
    _members(organisation, schemes, proposals, end, result)
    order = {c: i for i, c in enumerate(Category.values)}
    result.rows = sorted(rows.values(), key=lambda x: order.get(x.category, 99))
    return result


def _members(organisation, schemes: dict[int, BenefitScheme], proposals: dict[int, Rule], end: dt.date,
             result: WhatIf) -> None:
    """Members on ``end`` judged by the current and the proposed rule (eligibility only)."""
    members = list(selectors.members(organisation).filter(join_date__lte=end).values_list(
        "id", "birth_date", "sex", "join_date", "status", "status_date"))
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
        for pk, born, sex, joined, status, status_date in members:
            if status in LEFT_STATUSES and status_date and status_date < end:
                continue
            facts = engine.MemberFacts(born, sex, joined, status, status_date, None)
            result.members_replayed += 1
            a = engine.evaluate(cur, facts, event, explain=False)
            b = engine.evaluate(new, facts, event, explain=False)
            if a.eligible == b.eligible:
                continue
            th, en = _first_failure(engine.evaluate(cur if b.eligible else new, facts, event))
            change = CaseChange(None, pk, "", "", scheme.category, end, 0, 0, a.eligible, b.eligible, th, en)
            (result.members_gain if b.eligible else result.members_lose).append(change)
    _name_members(result.members_gain + result.members_lose)
