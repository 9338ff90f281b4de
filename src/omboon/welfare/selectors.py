"""Reads of welfare shared by views, reports, the API, what-if and the benchmarks. Every query
goes through ``omboon.orgs.scoping.in_scope``."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum

from omboon.ledger import chart
from omboon.ledger.models import JournalLine
from omboon.members.models import Member
from omboon.orgs import scoping
from omboon.welfare import engine
from omboon.welfare.models import BenefitScheme, Category, Claim, RuleVersion, category_label

DAILY_RATE = 100  # satang a day of one-baht-a-day savings when no plan says otherwise


def schemes(organisation) -> QuerySet[BenefitScheme]:
    return scoping.in_scope(BenefitScheme.objects.all(), organisation).select_related("expense_account")


def versions(organisation) -> QuerySet[RuleVersion]:
    return scoping.in_scope(RuleVersion.objects.all(), organisation).select_related("scheme")


def claims(organisation) -> QuerySet[Claim]:
    return (scoping.in_scope(Claim.objects.all(), organisation)
            .select_related("member", "scheme", "rule_version", "submitted_by", "approved_by", "paid_by",
                            "entry", "organisation"))


def claim_events(organisation) -> set[tuple[int, str, str]]:
    """(member id, category, event key) of every claim that still counts (submitted, approved,
    paid): a past-claims import refuses a row for an event already claimed (a member dies once)."""
    return set(Claim.objects.filter(organisation=organisation, status__in=[
        Claim.Status.SUBMITTED, Claim.Status.APPROVED, Claim.Status.PAID])
        .values_list("member_id", "scheme__category", "event_key"))


def pending_claims(organisation) -> QuerySet[Claim]:
    return claims(organisation).filter(status__in=[Claim.Status.SUBMITTED, Claim.Status.APPROVED]) \
        .order_by("status", "event_date", "id")


def members(organisation) -> QuerySet[Member]:
    return scoping.in_scope(Member.objects.all(), organisation)


def version_on(scheme: BenefitScheme, day: dt.date) -> RuleVersion | None:
    """The rule version in force on ``day``: the latest one that took effect on or before it."""
    return (RuleVersion.objects.filter(scheme=scheme, effective_from__lte=day)
            .order_by("-effective_from").first())


def document_codes(scheme: BenefitScheme, day: dt.date) -> list[str]:
    """The codes of every document the rule in force on ``day`` asks for."""
    version = version_on(scheme, day)
    return [d.code for d in version.parsed.documents] if version else []


def current_version(scheme: BenefitScheme, today: dt.date | None = None) -> RuleVersion | None:
    return version_on(scheme, today or dt.date.today())


# --- paid-through ---------------------------------------------------------------------------

def _contributions_selectors():
    try:
        return importlib.import_module("omboon.contributions.selectors")
    except ModuleNotFoundError as exc:
        if exc.name not in ("omboon.contributions", "omboon.contributions.selectors"):
            raise
        return None


def ledger_paid_through(member: Member, as_of: dt.date) -> dt.date | None:
    """The last day a member's one-baht-a-day savings cover, from the ledger: what they paid
    into 4300 (net of reversals) at one baht a day from the day they joined. A member who
    paid yearly contributions (4200) but no daily savings is covered to the end of the last
    calendar year those receipts were dated in."""
    rows = dict(JournalLine.objects.filter(
        organisation_id=member.organisation_id, member=member, date__lte=as_of,
        account__code__in=[chart.DAILY_SAVINGS, chart.YEARLY_CONTRIBUTIONS],
    ).values_list("account__code").annotate(net=Sum("credit") - Sum("debit")).order_by())
    daily = rows.get(chart.DAILY_SAVINGS) or 0
    if daily > 0:
        return member.join_date + dt.timedelta(days=daily // DAILY_RATE - 1)
    if (rows.get(chart.YEARLY_CONTRIBUTIONS) or 0) > 0:
        last = (JournalLine.objects.filter(organisation_id=member.organisation_id, member=member,
                                           date__lte=as_of, account__code=chart.YEARLY_CONTRIBUTIONS,
                                           credit__gt=0).order_by("-date").values_list("date", flat=True).first())
        return dt.date(last.year, 12, 31) if last else None
    return None


def member_paid_through(member: Member, as_of: dt.date) -> dt.date | None:
    """A member's paid-through date: the contributions app's coverage when it is installed
    (the earliest paid-through of every contribution the member owes), else the ledger."""
    contrib = _contributions_selectors()
    if contrib is not None and hasattr(contrib, "member_paid_through"):
        return contrib.member_paid_through(member, as_of=as_of)
    if contrib is not None and hasattr(contrib, "member_coverage"):
        coverage = contrib.member_coverage(member, as_of=as_of)
        owed = [c for c in coverage.kinds.values() if c.owed and c.kind != "entry_fee"]
        if owed:
            dates = [c.paid_through for c in owed]
            return None if any(d is None for d in dates) else min(dates)
        return None
    return ledger_paid_through(member, as_of)


def member_facts(member: Member, on: dt.date, *, with_paid_through: bool = True) -> engine.MemberFacts:
    return engine.MemberFacts(
        birth_date=member.birth_date, sex=member.sex, join_date=member.join_date, status=member.status,
        status_date=member.status_date,
        paid_through=member_paid_through(member, on) if with_paid_through else None,
    )


def prior_claims(member: Member, scheme: BenefitScheme, *, exclude_pk: int | None = None
                 ) -> list[engine.PriorClaim]:
    """The member's live claims of the scheme (submitted, approved, paid), as the engine sees them."""
    qs = Claim.objects.filter(member=member, scheme=scheme, status__in=Claim.LIVE)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return [engine.PriorClaim(d, k, a, (e or {}).get("nights_paid", n))
            for d, k, a, n, e in qs.values_list("event_date", "event_key", "amount", "nights", "eligibility")]


# --- totals ---------------------------------------------------------------------------------

@dataclass
class CategoryTotal:
    category: str
    label_th: str
    label_en: str
    cases: int
    amount: int


def benefits_by_category(organisation, start: dt.date | None, end: dt.date | None) -> list[CategoryTotal]:
    """Paid claims (not reversed) by category, by the date they were paid."""
    qs = claims(organisation).filter(status=Claim.Status.PAID)
    if start:
        qs = qs.filter(paid_on__gte=start)
    if end:
        qs = qs.filter(paid_on__lte=end)
    found = {c: (n, a) for c, n, a in qs.values_list("scheme__category").annotate(
        n=Count("pk"), a=Sum("amount")).order_by()}

    return [CategoryTotal(c, category_label(c, "th"), category_label(c, "en"), *found[c])
            for c in Category.values if c in found]


def ledger_benefits_by_category(organisation, start: dt.date | None = None, end: dt.date | None = None
                                ) -> dict[str, int]:
    """Net benefit expense in the books per category, through each scheme's expense account."""
    by_account: dict[int, str] = {}
    for s in schemes(organisation):
        by_account.setdefault(s.expense_account_id, s.category)
    qs = scoping.in_scope(JournalLine.objects.all(), organisation).filter(account_id__in=list(by_account))
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    out: dict[str, int] = {}
    for account_id, d, c in qs.values_list("account_id").annotate(Sum("debit"), Sum("credit")).order_by():
        cat = by_account[account_id]
        out[cat] = out.get(cat, 0) + d - c
    return {k: v for k, v in out.items() if v}


def welfare_cash(organisation, as_of: dt.date | None = None) -> int:
    """Cash (1100) of the group's default fund (the welfare fund), as of a date or in all."""
    qs = JournalLine.objects.filter(organisation=organisation, account__code=chart.CASH,
                                    fund__is_default=True)
    if as_of is not None:
        qs = qs.filter(date__lte=as_of)
    row = qs.aggregate(d=Sum("debit"), c=Sum("credit"))
    return (row["d"] or 0) - (row["c"] or 0)


def member_history(member: Member) -> QuerySet[Claim]:
    return (Claim.objects.filter(member=member).select_related("scheme", "entry")
            .order_by("event_date", "id"))
