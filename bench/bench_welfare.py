"""Welfare benchmarks: an eligibility check, a what-if over five years of a 3,000-member group,
and a 20-year fund projection with a proposed rule.

Set-up: one group of 3,000 members (the members service's bulk insert), the usual schemes,
and five years of paid claims at a real fund's rates (hospital stays, childbirths, elderly
allowances, deaths), each judged by the engine and stored with its facts. The claims are
inserted in bulk (the services' per-claim postings are not what is measured here).

Baselines, in the same run: the bare SQL reads each step cannot do without — the member's
earlier claims (eligibility), the period's claim rows (what-if), the members' rows
(projection).
"""

from __future__ import annotations

import datetime as dt
import random
import time

from bench.runner import median

ELIGIBILITY_TARGET_MS = 50.0
WHAT_IF_TARGET_S = 3.0
PROJECTION_TARGET_S = 2.0
FIRST_NAMES = ("สมศรี", "บุญมี", "คำแปง", "ศรีนวล", "แก้วมา", "จันทร์เพ็ญ", "ประเสริฐ", "สมชาย", "มาลี", "อินทร์")
LAST_NAMES = ("ใจดี", "ศรีสุข", "คำมา", "บุญเรือง", "แสนคำ", "อินต๊ะ", "ปัญญา", "วงศ์ใหญ่")


def run(ctx) -> list[dict]:
    members = 300 if ctx.quick else 3000
    group, fund = _build(ctx, members)
    scale = f"1 group × {members:,} members, 5 years of claims ({fund['claims']:,})"
    return [
        *_eligibility(ctx, group, fund, scale),
        *_what_if(ctx, group, fund, scale),
        *_projection(ctx, group, fund, scale),
    ]


def _build(ctx, members: int):
    from django.db import transaction
    from django.utils import timezone

    from omboon.core import national_id
    from omboon.ledger.services import Line, entry_post
    from omboon.members.services import members_bulk_create
    from omboon.orgs import services as org_services
    from omboon.orgs.models import Organisation, Role
    from omboon.welfare import engine, presets, services
    from omboon.welfare.models import Category, Claim

    rng = random.Random(5)
    end = dt.date.today()
    start = end.replace(year=end.year - 5)
    t0 = time.perf_counter()
    with transaction.atomic():
        group = org_services.organisation_create(actor=None, code="WB", kind=Organisation.Kind.GROUP,
                                                 name_th="กองทุนสวัสดิการทดสอบความเร็ว", province_code="52",
                                                 group_type=Organisation.GroupType.WELFARE_FUND,
                                                 founded_on=start.replace(year=start.year - 5))
        user = org_services.user_create(actor=None, username="wb-treasurer", password=None, organisation=group,
                                        role=Role.TREASURER)
        rows = []
        for i in range(members):
            born = dt.date(rng.randint(1930, 2005), rng.randint(1, 12), rng.randint(1, 28))
            joined = dt.date(rng.randint(start.year - 5, end.year - 1), rng.randint(1, 12), rng.randint(1, 28))
            rows.append({"first_name": rng.choice(FIRST_NAMES), "last_name": rng.choice(LAST_NAMES),
                         "sex": rng.choice("MF"),
                         "national_id": national_id.with_check_digit(f"35{i:010d}"), "birth_date": born,
                         "join_date": joined})
        made = members_bulk_create(actor=None, organisation=group, rows=rows)
        schemes = {p.category: services.scheme_create(actor=None, organisation=group, category=p.category,
                                                      name_th=p.name_th, rule=p.rule,
                                                      effective_from=start.replace(year=start.year - 10))
                   for p in presets.presets()}
        entry_post(actor=None, organisation=group, date=start, doc_type="receipt",
                   lines=[Line(account="1100", debit=5_000_000_00), Line(account="4400", credit=5_000_000_00)])
        version = {c: s.versions.get() for c, s in schemes.items()}
        claims = []
        now = timezone.now()
        for m in made:
            first = max(start, m.join_date + dt.timedelta(days=200))
            if first > end:
                continue
            for year in range(first.year, end.year + 1):
                age = engine.completed_years(m.birth_date, dt.date(year, 7, 1))
                draws = []
                if rng.random() < 0.16:
                    draws.append((Category.SICKNESS, rng.choice([1, 2, 3, 4])))
                if 20 <= age <= 42 and rng.random() < 0.012:
                    draws.append((Category.CHILDBIRTH, 0))
                if age >= 70 and rng.random() < 0.6:
                    draws.append((Category.ELDERLY, 0))
                for category, nights in draws:
                    day = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
                    if not first <= day <= end:
                        continue
                    facts = engine.MemberFacts(m.birth_date, m.sex, m.join_date, "active")
                    rule = version[category].parsed
                    decision = engine.evaluate(rule, facts, engine.Event(
                        day, day.isoformat(), nights, 0, frozenset(d.code for d in rule.documents)))
                    if decision.eligible:
                        claims.append(_claim(Claim, group, m, schemes[category], version[category], day, nights,
                                             decision, facts, user, now))
        for m in rng.sample(made, max(1, members * 9 // 1000 * 5)):
            day = dt.date(rng.randint(start.year, end.year - 1), rng.randint(1, 12), rng.randint(1, 28))
            if day < m.join_date + dt.timedelta(days=200):
                continue
            facts = engine.MemberFacts(m.birth_date, m.sex, m.join_date, "active")
            rule = version[Category.DEATH].parsed
            decision = engine.evaluate(rule, facts, engine.Event(day, "death", 0, 0,
                                                                 frozenset(d.code for d in rule.documents)))
            claims.append(_claim(Claim, group, m, schemes[Category.DEATH], version[Category.DEATH], day, 0, decision,
                                 facts, user, now))
        Claim.objects.bulk_create(claims, batch_size=500)
    ctx.log(f"set-up: {members:,} members, {len(claims):,} claims in {time.perf_counter() - t0:.1f} s")
    return group, {"claims": len(claims), "schemes": schemes, "members": made, "user": user, "start": start,
                   "end": end}


def _claim(Claim, group, member, scheme, version, day, nights, decision, facts, user, now):
    return Claim(organisation=group, member=member, scheme=scheme, rule_version=version, event_date=day,
                 event_key="death" if scheme.category == "death" else day.isoformat(), nights=nights,
                 status="paid", amount=decision.amount, paid_on=day,
                 eligibility={**decision.to_json(), "facts": facts.to_json()}, submitted_by=user, submitted_at=now)


def _eligibility(ctx, group, fund, scale):
    from django.db import connection

    from omboon.welfare import services

    scheme = fund["schemes"]["sickness"]
    member = next(m for m in fund["members"] if m.join_date < fund["end"].replace(year=fund["end"].year - 2))
    timings, bare = [], []
    for _ in range(30 if ctx.quick else 100):
        t = time.perf_counter()
        services.assess(scheme=scheme, member=member, event_date=fund["end"], event_key="bench", nights=2,
                        documents=["id_card", "hospital_certificate"])
        timings.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT event_date, event_key, amount, nights FROM welfare_claim "
                           "WHERE member_id = %s AND scheme_id = %s", [member.pk, scheme.pk])
            cursor.fetchall()
        bare.append((time.perf_counter() - t) * 1000)
    return [ctx.row("welfare.eligibility_check", median(timings), "ms", target=ELIGIBILITY_TARGET_MS,
                    baseline=median(bare), scale=f"{scale}; one sickness claim, median of {len(timings)}")]


def _death_proposal():
    from omboon.welfare import schema

    return schema.rule_from_json({
        "eligibility": {"min_membership_months": 12, "statuses": ["active"]},
        "amount": {"kind": "tiered", "tiers": [{"min_years": 1, "amount": 3000_00}, {"min_years": 5, "amount": 8000_00},
                                               {"min_years": 10, "amount": 15000_00}]},
    })


def _what_if(ctx, group, fund, scale):
    from django.db import connection

    from omboon.welfare import schema, whatif

    sickness = schema.rule_from_json({"amount": {"kind": "per_night", "per_night": 400_00, "max_nights": 3},
                                      "limits": {"nights_per_year": 6}})
    proposals = {fund["schemes"]["death"].pk: _death_proposal(), fund["schemes"]["sickness"].pk: sickness}
    timings, bare = [], []
    for _ in range(2 if ctx.quick else 3):
        t = time.perf_counter()
        result = whatif.what_if(group, start=fund["start"], end=fund["end"], proposals=proposals)
        timings.append(time.perf_counter() - t)
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT c.id, c.member_id, c.scheme_id, c.event_date, c.amount, c.eligibility, m.number "
                           "FROM welfare_claim c JOIN members_member m ON m.id = c.member_id "
                           "WHERE c.organisation_id = %s AND c.event_date BETWEEN %s AND %s",
                           [group.pk, fund["start"], fund["end"]])
            cursor.fetchall()
        bare.append(time.perf_counter() - t)
    ctx.note(f"what-if replayed {result.claims_replayed:,} claims and {result.members_replayed:,} members")
    return [ctx.row("welfare.what_if_5y", median(timings), "s", target=WHAT_IF_TARGET_S, baseline=median(bare),
                    scale=f"{scale}; death and sickness proposals")]


def _projection(ctx, group, fund, scale):
    from django.db import connection
    from django.http import QueryDict

    from omboon.welfare import projection

    proposals = {fund["schemes"]["death"].pk: _death_proposal()}
    timings, bare = [], []
    for _ in range(2 if ctx.quick else 3):
        t = time.perf_counter()
        observed = projection.observe(group, end=fund["end"], years_back=5)
        assumptions, _ = projection.Assumptions.from_query(QueryDict("years=20"), observed)
        result = projection.project(group, observed=observed, assumptions=assumptions, proposals=proposals)
        timings.append(time.perf_counter() - t)
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, birth_date, join_date, status, status_date FROM members_member "
                           "WHERE organisation_id = %s", [group.pk])
            cursor.fetchall()
        bare.append(time.perf_counter() - t)
    assert len(result.rows) == 20
    return [ctx.row("welfare.projection_20y", median(timings), "s", target=PROJECTION_TARGET_S,
                    baseline=median(bare), scale=f"{scale}; current vs proposed death rule")]
