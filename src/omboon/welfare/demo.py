"""Demo data for welfare: the usual schemes of a community welfare fund and several years of
claims, through the services (submitted by the treasurer, approved by the chair, paid from
the welfare fund's cash when there is enough of it; otherwise they wait, approved).

Rates follow what funds like Ban Don Chai report: about one hospital stay a year for every
six members, a childbirth for one in a hundred members of child-bearing age, an elderly
allowance for most members over seventy; a death benefit for every member who died. Random
draws come from ``rng`` only, so a seed gives the same claims.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from omboon.core.errors import RuleViolation
from omboon.ledger import chart
from omboon.ledger.models import JournalLine
from omboon.members.models import LEFT_STATUSES, Member
from omboon.orgs import services as org_services
from omboon.orgs.models import Role, RoleAssignment
from omboon.welfare import engine, presets, selectors, services
from omboon.welfare.models import BenefitScheme, Category, Claim

RELATIONS = ("บุตร", "คู่สมรส", "หลาน", "พี่น้อง")
PAYEE_NAMES = ("สมชาย", "สมหญิง", "บุญมี", "คำแปง", "ศรีนวล", "แก้วมา", "จันทร์เพ็ญ", "ประเสริฐ")


def _committee(organisation):
    """(treasurer, chair) of the group: its own users, else two demo committee members."""
    found = {}
    for ra in RoleAssignment.objects.filter(organisation=organisation, role__in=[Role.TREASURER, Role.CHAIR]
                                            ).select_related("user").order_by("id"):
        found.setdefault(ra.role, ra.user)
    for role, suffix in ((Role.TREASURER, "treasurer"), (Role.CHAIR, "chair")):
        if role not in found:
            found[role] = org_services.user_create(
                actor=None, username=f"{organisation.code.lower()}-{suffix}", password=None,
                organisation=organisation, role=role, first_name=suffix)
    return found[Role.TREASURER], found[Role.CHAIR]


def _schemes(organisation, start: dt.date, actor) -> dict[str, BenefitScheme]:
    existing = {s.category: s for s in BenefitScheme.objects.filter(organisation=organisation)}
    if existing:
        return existing
    has_contributions = JournalLine.objects.filter(
        organisation=organisation, account__code__in=[chart.YEARLY_CONTRIBUTIONS, chart.DAILY_SAVINGS]).exists()
    return {p.category: services.scheme_create(actor=actor, organisation=organisation, category=p.category,
                                               name_th=p.name_th, name_en=p.name_en, rule=p.rule,
                                               effective_from=start)
            for p in presets.presets(paid_up=has_contributions, grace_months=3)}


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _events(rng: random.Random, members: list[Member], start: dt.date, end: dt.date) -> list[tuple]:
    """(date, category, member, extra) for every event of the period, in date order."""
    events = []
    for m in members:
        left = m.status_date if m.status in LEFT_STATUSES else None
        first = max(start, m.join_date + dt.timedelta(days=183))
        last = min(end, left or end)
        if m.status == "deceased" and left and first <= left <= end:
            events.append((left, Category.DEATH, m, {}))
        if first > last:
            continue
        year = first.year
        while year <= last.year:
            y0, y1 = max(first, dt.date(year, 1, 1)), min(last, dt.date(year, 12, 31))
            if y0 <= y1:
                age = engine.completed_years(m.birth_date, y0)
                if rng.random() < 0.16:
                    events.append((_day(rng, y0, y1), Category.SICKNESS, m,
                                   {"nights": rng.choice([1, 1, 2, 2, 3, 4, 6])}))
                if 20 <= age <= 42 and rng.random() < 0.012:
                    events.append((_day(rng, y0, y1), Category.CHILDBIRTH, m, {}))
                if age >= 70 and rng.random() < 0.6:
                    events.append((_day(rng, y0, y1), Category.ELDERLY, m, {}))
                if age <= 22 and rng.random() < 0.01:
                    events.append((_day(rng, y0, y1), Category.EDUCATION, m, {}))
                if rng.random() < 0.0015:
                    events.append((_day(rng, y0, y1), Category.DISABILITY, m, {}))
                if rng.random() < 0.002:
                    events.append((_day(rng, y0, y1), Category.DISASTER, m,
                                   {"cost": rng.randrange(2000_00, 20000_00, 100_00)}))
            year += 1
    events.sort(key=lambda e: (e[0], e[2].pk, e[1]))
    return events


def populate(*, organisation, rng: random.Random, start: dt.date, end: dt.date, actor=None) -> dict:
    """Schemes and claims of one group between ``start`` and ``end``; returns counts."""
    if not organisation.is_group:
        return {}
    with transaction.atomic():
        treasurer, chair = _committee(organisation)
        schemes = _schemes(organisation, start, actor or chair)
        members = list(Member.objects.filter(organisation=organisation).order_by("number"))
        counts = {"submitted": 0, "paid": 0, "refused": 0}
        for day, category, member, extra in _events(rng, members, start, end):
            scheme = schemes.get(category)
            if scheme is None:
                continue
            payees = []
            if category == Category.DEATH:
                n = rng.choice([1, 1, 2, 3])
                shares = {1: [100], 2: [50, 50], 3: [40, 30, 30]}[n]
                payees = [{"name": f"{rng.choice(PAYEE_NAMES)} {member.last_name}", "relation": rng.choice(RELATIONS),
                           "share": s} for s in shares]
            try:
                claim = services.claim_submit(
                    actor=treasurer, organisation=organisation, member=member, scheme=scheme, event_date=day,
                    event_key=f"{category}-{day.isoformat()}" if category != Category.DEATH else "",
                    nights=extra.get("nights", 0), cost=extra.get("cost", 0),
                    documents=selectors.document_codes(scheme, day), payees=payees, today=end)
            except RuleViolation:
                counts["refused"] += 1
                continue
            counts["submitted"] += 1
            pay_day = min(day + dt.timedelta(days=rng.randint(3, 20)), end)
            if pay_day >= end - dt.timedelta(days=10) and rng.random() < 0.5:
                continue  # the latest claims still wait for the committee
            try:
                claim = services.claim_approve(actor=chair, claim=claim)
                services.claim_pay(actor=treasurer, claim=claim, date=pay_day)
                counts["paid"] += 1
            except RuleViolation:
                continue  # not enough cash yet: it waits, approved
        if members and Category.COMMUNITY_ENTERPRISE in schemes and (end - start).days > 730:
            leader = members[len(members) // 2]
            day = _day(rng, start + dt.timedelta(days=400), end)
            try:
                claim = services.claim_submit(
                    actor=treasurer, organisation=organisation, member=leader,
                    scheme=schemes[Category.COMMUNITY_ENTERPRISE], event_date=day, event_key="ร้านค้าชุมชน",
                    documents=selectors.document_codes(schemes[Category.COMMUNITY_ENTERPRISE], day),
                    details="ทุนตั้งร้านค้าชุมชน / community shop", today=end)
                services.claim_pay(actor=treasurer, claim=services.claim_approve(actor=chair, claim=claim),
                                   date=min(day + dt.timedelta(days=14), end))
                counts["paid"] += 1
            except RuleViolation:
                pass
        counts["claims"] = Claim.objects.filter(organisation=organisation).count()
    return counts
