"""Demo contributions: the group's plans and years of collection days, through the services.

Plans: an entry fee of 50 baht, a yearly contribution of 50 baht and one baht a day, billed
monthly. Collection days fall on the 5th: once a quarter in the older years and every month
in the last twelve (as many groups collect more often once they grow). Each member keeps a
habit drawn from ``rng``: most pay what is due at every collection day, some pay a whole
year at once, some pay now and then (arrears that come and go), and some stop paying (arrears
that grow). Members who resigned or died stop paying on that day; the rules refuse anything
later. Random draws come from ``rng`` only, so a seed gives the same receipts.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from omboon.contributions import selectors, services
from omboon.contributions.models import ContributionPlan, Kind
from omboon.core import months
from omboon.ledger import chart
from omboon.ledger import rules as ledger_rules
from omboon.orgs.models import Role, RoleAssignment

HABITS = (("regular", 0.58), ("yearly", 0.17), ("irregular", 0.15), ("lapsed", 0.10))
MONTHLY_MONTHS = 12


def _treasurer(organisation):
    ra = (RoleAssignment.objects.filter(organisation=organisation, role=Role.TREASURER)
          .select_related("user").order_by("id").first())
    return ra.user if ra else None


def _add_months(day: dt.date, n: int) -> dt.date:
    return dt.date(*months.add(day.year, day.month, n), 1)


def collection_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """The 5th of every quarter's first month, then of every month in the last twelve."""
    monthly_from = _add_months(end.replace(day=1), -MONTHLY_MONTHS + 1)
    days = []
    month = start.replace(day=1)
    while month <= end:
        day = month.replace(day=5)
        if start <= day <= end and (month >= monthly_from or month.month in (1, 4, 7, 10)):
            days.append(day)
        month = _add_months(month, 1)
    return days


def _plans(organisation, start: dt.date, actor) -> None:
    if ContributionPlan.objects.filter(organisation=organisation).exists():
        return
    begin = dt.date(start.year, 1, 1)
    services.plan_set(actor=actor, organisation=organisation, kind=Kind.ENTRY_FEE, amount=5000, effective_from=begin,
                      note="มติที่ประชุมก่อตั้ง")
    services.plan_set(actor=actor, organisation=organisation, kind=Kind.ANNUAL_FEE, amount=5000, frequency="yearly",
                      effective_from=begin, note="ค่าสมทบรายปี")
    services.plan_set(actor=actor, organisation=organisation, kind=Kind.DAILY_SAVING, amount=100,
                      frequency="monthly", effective_from=begin, note="ออมวันละบาท")


def populate(*, organisation, rng: random.Random, start: dt.date, end: dt.date, actor) -> dict:
    if not organisation.is_group:
        return {}
    actor = actor or _treasurer(organisation)
    _plans(organisation, start, actor)
    last_closed = ledger_rules.last_closed_period(organisation)
    open_from = chart.month_end(last_closed.year, last_closed.month) + dt.timedelta(days=1) if last_closed else start
    today = max(end, timezone.localdate())
    habits: dict[int, tuple[str, dt.date | None, int]] = {}
    receipts = total = 0
    for day in collection_days(max(start, open_from), end):
        rows = []
        for mc in selectors.due_list(organisation, as_of=day):
            member = mc.member
            if member.pk not in habits:
                habit = rng.choices([h for h, _ in HABITS], [w for _, w in HABITS])[0]
                lapse = day + dt.timedelta(days=rng.randint(60, 900)) if habit == "lapsed" else None
                habits[member.pk] = (habit, lapse, member.join_date.month)
            habit, lapse, pay_month = habits[member.pk]
            if member.status_date and member.status_date < day:
                continue
            due = mc.due_now
            if habit == "regular":
                pays = rng.random() < 0.93
            elif habit == "yearly":
                pays = day.month == pay_month or not mc.kinds.get(Kind.ENTRY_FEE) or \
                    mc.kinds[Kind.ENTRY_FEE].arrears > 0
                if pays:
                    rest = (dt.date(day.year, 12, 31) - chart.month_end(day.year, day.month)).days
                    due += rest * 100
            elif habit == "irregular":
                pays = rng.random() < 0.45
            else:
                pays = lapse is not None and day < lapse and rng.random() < 0.9
            if pays and due > 0:
                rows.append({"member": member.pk, "amount": due})
        if not rows:
            continue
        result = services.collection_day_post(actor=actor, organisation=organisation, date=day, rows=rows,
                                              idempotency_key=f"demo:{organisation.code}:{day.isoformat()}",
                                              today=today)
        receipts += result.count
        total += result.total
    return {"receipts": receipts, "total": total}
