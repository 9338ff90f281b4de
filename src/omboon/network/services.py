"""Writes of the network: monthly facts, sharing choices, enrolment and applying synced
changes. Each is one transaction with one audit event (``omboon.core.audit.record``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from omboon.core import audit
from omboon.core.errors import problems_of, raise_if
from omboon.core.thaidate import to_be
from omboon.ledger.models import JournalLine, Period
from omboon.members.models import Member
from omboon.network import facts as fact_rules
from omboon.network import rules
from omboon.network.models import FactMonth, MonthlyFact, SharingPolicy, ym_of
from omboon.orgs.models import Organisation


def _store(organisation, computed: list[fact_rules.Fact], months: list[int], closed: dict[int, dt.datetime | None],
           source: str) -> int:
    """Replace the facts of ``months`` with ``computed``: a delete and two bulk inserts."""
    now = timezone.now()
    MonthlyFact.objects.filter(organisation=organisation, ym__in=months).delete()
    FactMonth.objects.filter(organisation=organisation, ym__in=months).delete()
    FactMonth.objects.bulk_create([
        FactMonth(organisation=organisation, ym=ym, closed_at=closed.get(ym), computed_at=now, source=source)
        for ym in months
    ], batch_size=1000)
    wanted = set(months)
    rows = [MonthlyFact(organisation=organisation, ym=f.ym, kind=f.kind, key=f.key, count=f.count, amount=f.amount)
            for f in computed if f.ym in wanted]
    MonthlyFact.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


@transaction.atomic
def facts_write(*, actor, organisation, year: int, month: int, closed_at: dt.datetime | None = None) -> int:
    """The facts of one closed month (the receiver of ``ledger.signals.period_closed``)."""
    raise_if(rules.check_group(organisation))
    ym = ym_of(year, month)
    if closed_at is None:
        closed_at = (Period.objects.filter(organisation=organisation, year=year, month=month)
                     .values_list("closed_at", flat=True).first()) or timezone.now()
    n = _store(organisation, fact_rules.compute(organisation, ym, ym), [ym], {ym: closed_at},
               FactMonth.Source.CLOSE)
    audit.record(actor=actor, action="network.facts_write", organisation=organisation,
                 summary=f"ข้อเท็จจริงรายเดือน {month:02d}/{to_be(year)}: {n} รายการ",
                 after={"year": year, "month": month, "facts": n})
    return n


@transaction.atomic
def facts_delete(*, actor, organisation, months: list[tuple[int, int]]) -> int:
    """Forget the facts of reopened months (the receiver of ``period_reopened``)."""
    yms = [ym_of(y, m) for y, m in months]
    n, _ = MonthlyFact.objects.filter(organisation=organisation, ym__in=yms).delete()
    FactMonth.objects.filter(organisation=organisation, ym__in=yms).delete()
    audit.record(actor=actor, action="network.facts_delete", organisation=organisation,
                 summary=f"ลบข้อเท็จจริงของเดือนที่เปิดใหม่ {len(yms)} เดือน",
                 after={"months": [f"{y}-{m:02d}" for y, m in months]})
    return n


def closed_months(organisation, first: int | None = None) -> dict[int, dt.datetime | None]:
    qs = Period.objects.filter(organisation=organisation, status=Period.Status.CLOSED)
    out = {ym_of(y, m): at for y, m, at in qs.values_list("year", "month", "closed_at")}
    return {ym: at for ym, at in out.items() if first is None or ym >= first}


@transaction.atomic
def facts_recompute(*, actor, organisation, first: int | None = None, through: int | None = None) -> int:
    """Recompute a group's facts from its raw records: every closed month (from ``first``),
    and, with ``through``, also the months not yet closed up to it (stored without a close
    date, so the reporting rate still shows them as not closed)."""
    raise_if(rules.check_group(organisation))
    closed = closed_months(organisation, first)
    months = set(closed)
    if through is not None:
        start = first if first is not None else (min(closed) if closed else _first_activity(organisation))
        if start is not None:
            months |= set(range(start, through + 1))
    if first is not None:
        stale = MonthlyFact.objects.filter(organisation=organisation, ym__gte=first)
        FactMonth.objects.filter(organisation=organisation, ym__gte=first).exclude(ym__in=months).delete()
        stale.exclude(ym__in=months).delete()
    if not months:
        n = 0
    else:
        ordered = sorted(months)
        computed = fact_rules.compute(organisation, ordered[0], ordered[-1])
        n = _store(organisation, computed, ordered, closed, FactMonth.Source.RECOMPUTE)
    audit.record(actor=actor, action="network.facts_recompute", organisation=organisation,
                 summary=f"คำนวณข้อเท็จจริงใหม่ {len(months)} เดือน {n} รายการ",
                 after={"from": first, "through": through, "months": len(months), "facts": n})
    return n


def _first_activity(organisation) -> int | None:

    days = [JournalLine.objects.filter(organisation=organisation).aggregate(d=Min("date"))["d"],
            Member.objects.filter(organisation=organisation).aggregate(d=Min("join_date"))["d"],
            organisation.founded_on]
    days = [d for d in days if d]
    return ym_of(min(days).year, min(days).month) if days else None


def facts_recompute_many(*, actor, organisations, first: int | None = None, through: int | None = None,
                         progress: Callable[[int, int, Organisation, int], None] | None = None) -> int:
    """Each group in its own transaction (a long recompute can be stopped and run again)."""
    groups = [o for o in organisations if o.is_group]
    total = 0
    for i, group in enumerate(groups, start=1):
        n = facts_recompute(actor=actor, organisation=group, first=first, through=through)
        total += n
        if progress:
            progress(i, len(groups), group, n)
    return total


# --- sharing ------------------------------------------------------------------------------

@transaction.atomic
def sharing_set(*, actor, organisation, sharing: str) -> SharingPolicy:
    """A group chooses what its network receives: full records or monthly aggregates only."""
    raise_if(problems_of(rules.SHARING_SET, rules.SharingChoice(organisation, sharing)))
    policy, _ = SharingPolicy.objects.select_for_update().get_or_create(organisation=organisation)
    before = policy.sharing
    policy.sharing = sharing
    policy.changed_by = audit.person(actor)
    policy.save()
    audit.record(actor=actor, action="network.sharing_set", organisation=organisation, obj=policy,
                 summary=f"การแบ่งปันข้อมูลกับเครือข่าย: {before} → {sharing}",
                 before={"sharing": before}, after={"sharing": sharing})
    return policy
