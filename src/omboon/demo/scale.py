"""The demo network at province scale, written set-based: ``omboon demo --bulk``.

The normal demo (``omboon.demo.generator.build``) posts every receipt and claim through the
domain services, one transaction each; that takes minutes for six groups of 600 members and
would take days for the province the network issue asks about (200 groups, 600,000 members,
5 years of monthly payments). This module builds the same shape in bulk:

* the networks and groups of ``generator.group_specs`` (``organisation_create``, so every
  group gets its chart of accounts and funds), members from ``generator.member_rows`` through
  ``members.services.members_bulk_create``;
* the plans of the normal demo (an entry fee and one baht a day), and every member pays one
  baht a day (100 satang × the days of the month) at the collection day on the 5th of each
  month from the month they joined until they left or the end (one in twelve stops paying at
  some point); the first payment also carries the entry fee. One payment is one receipt with
  its items, posted through the one bulk path for past payments,
  ``contributions.bulk.payments_post_bulk`` (receipts, items and the day entries of the
  books, through ``ledger.bulk.entries_post_bulk``);
* some benefits: a death benefit for every member who died and a hospital visit for about
  one member in six a year, each a payment entry (the category's expense debited, cash
  credited), through ``ledger.bulk.entries_post_bulk``.

Welfare claims and month closes are not written: monthly facts come from
the full recompute (``network.services.facts_recompute_many``), which reads the ledger's
standard account codes and the members, whoever posted them.

Growth is incremental: ``build(groups=50)`` on a database built with ``groups=20`` adds
groups 21..50 only, and gives the same rows a one-shot build of 50 would (member IDs are
drawn against the IDs already in the database, as the one-shot build draws them against
the groups before). Each group's members and money are one transaction, so a stopped build
can be run again. On PostgreSQL ``workers`` fills several groups at once, in processes of
their own; the rows are the same.
Random draws come from ``generator.group_rng(seed, code, purpose)`` only.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction

from omboon.contributions import services as contribution_services
from omboon.contributions.bulk import Payment, payments_post_bulk
from omboon.contributions.models import Kind
from omboon.core import audit, months, progress
from omboon.demo import generator
from omboon.demo.accounts import DEMO_PASSWORD
from omboon.ledger import bulk as ledger_bulk
from omboon.ledger import chart
from omboon.ledger import demo as ledger_demo
from omboon.ledger.models import Account, DocumentType, Fund
from omboon.members.models import LEFT_STATUSES, Member
from omboon.orgs import geography
from omboon.orgs import services as org_services
from omboon.orgs.models import Organisation

COLLECTION_DAY = 5
DAILY_SAVING = 100  # satang a day: one baht
ENTRY_FEE = 5_000  # satang: 50 baht, with the first payment
DEATH_BENEFIT = 300_000  # 3,000 baht
HOSPITAL_BENEFIT = 50_000  # 500 baht a visit
HOSPITAL_RATE = 0.16  # visits a member-year
LAPSE_RATE = 0.08  # members who stop paying at some point (arrears that grow)
SOURCE = "demo.scale"


@dataclass
class ScaleResult:
    seed: int
    end: dt.date
    added: list[str] = field(default_factory=list)  # group codes built by this run
    kept: list[str] = field(default_factory=list)  # group codes already in the database
    members: int = 0
    payments: int = 0
    benefits: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def groups(self) -> int:
        return len(self.added) + len(self.kept)


def collection_days(joined: dt.date, until: dt.date) -> list[dt.date]:
    """The 5th of every month on or after ``joined`` and on or before ``until``."""
    year, month = joined.year, joined.month
    if joined.day > COLLECTION_DAY:
        year, month = months.add(year, month, 1)
    days = []
    while True:
        day = months.day_in(year, month, COLLECTION_DAY)
        if day > until:
            return days
        days.append(day)
        year, month = months.add(year, month, 1)


def _left_on(status: str, status_date: dt.date | None) -> dt.date | None:
    if status in LEFT_STATUSES:
        return status_date
    return None


def payment_plan(*, seed: int, code: str, members: list[tuple], end: dt.date) -> list[tuple]:
    """(member id, number, date, daily saving, entry fee) of every payment of a group.

    ``members`` are (id, number, join date, status, status date), in number order. A member
    pays the month's savings on every collection day while a member; one in twelve lapses
    (stops at a random collection day and never pays again)."""
    rng = generator.group_rng(seed, code, "scale-payments")
    out = []
    for pk, number, joined, status, status_date in members:
        left = _left_on(status, status_date)
        until = min(end, left - dt.timedelta(days=1)) if left else end
        days = collection_days(joined, until)
        if days and rng.random() < LAPSE_RATE:
            days = days[:rng.randint(1, len(days))]
        for i, day in enumerate(days):
            saving = DAILY_SAVING * months.end(day.year, day.month).day
            out.append((pk, number, day, saving, ENTRY_FEE if i == 0 else 0))
    return out


def benefit_plan(*, seed: int, code: str, members: list[tuple], end: dt.date) -> list[tuple]:
    """(member id, number, date, category, amount) of the group's benefits: a death benefit
    on the day a member died, and hospital visits (about one member-year in six) while a
    member, from six months after joining."""
    rng = generator.group_rng(seed, code, "scale-benefits")
    out = []
    for pk, number, joined, status, status_date in members:
        left = _left_on(status, status_date)
        if status == Member.Status.DECEASED and status_date and status_date <= end:
            out.append((pk, number, status_date, "death", DEATH_BENEFIT))
        first = joined + dt.timedelta(days=183)
        last = min(end, left - dt.timedelta(days=1)) if left else end
        for year in range(first.year, last.year + 1):
            y0, y1 = max(first, dt.date(year, 1, 1)), min(last, dt.date(year, 12, 31))
            if y0 <= y1 and rng.random() < HOSPITAL_RATE:
                day = y0 + dt.timedelta(days=rng.randint(0, (y1 - y0).days))
                out.append((pk, number, day, "sickness", HOSPITAL_BENEFIT))
    out.sort(key=lambda b: (b[2], b[1], b[3]))
    return out


def _books(organisation) -> tuple[dict[str, Account], Fund]:
    accounts = {a.code: a for a in Account.objects.filter(organisation=organisation)}
    fund = Fund.objects.get(organisation=organisation, is_default=True)
    return accounts, fund


def plans(organisation, start: dt.date, *, actor=None) -> None:
    """What the scale demo's members pay: an entry fee of 50 baht and one baht a day, billed
    monthly (the same plans as the normal demo, less the yearly contribution)."""
    begin = dt.date(start.year, 1, 1)
    contribution_services.plan_set(actor=actor, organisation=organisation, kind=Kind.ENTRY_FEE, amount=ENTRY_FEE,
                                   effective_from=begin, note="มติที่ประชุมก่อตั้ง / founding meeting")
    contribution_services.plan_set(actor=actor, organisation=organisation, kind=Kind.DAILY_SAVING,
                                   amount=DAILY_SAVING, frequency="monthly", effective_from=begin,
                                   note="ออมวันละบาท / one baht a day")


def post_payments(organisation, payments: list[tuple], *, actor=None) -> int:
    """One receipt per payment (the month's savings and, the first time, the entry fee),
    through the contributions' bulk path (receipts, items and day entries in the books)."""
    code = organisation.code
    rows = []
    for pk, number, day, saving, fee in payments:
        items = [(Kind.DAILY_SAVING, saving)]
        if fee:
            items.insert(0, (Kind.ENTRY_FEE, fee))
        rows.append(Payment(f"{SOURCE}:{code}:{number}:{day:%Y%m}", pk, day, items))
    return payments_post_bulk(actor=actor, organisation=organisation, payments=rows, source=(SOURCE, "payments"))


def post_benefits(organisation, benefits: list[tuple], *, actor=None) -> int:
    accounts, fund = _books(organisation)
    cash = accounts[chart.CASH]
    BulkEntry, BulkLine = ledger_bulk.BulkEntry, ledger_bulk.BulkLine
    entries = []
    for pk, number, day, category, amount in benefits:
        expense = accounts[chart.BENEFIT_ACCOUNTS[category]]
        entries.append(BulkEntry(day, DocumentType.PAYMENT, f"สวัสดิการ/benefit {category} {number}",
                                 f"{SOURCE}:benefit:{category}:{number}:{day:%Y%m%d}",
                                 [BulkLine(expense, fund, debit=amount, member_id=pk),
                                  BulkLine(cash, fund, credit=amount, member_id=pk)]))
    # paid by the group's treasurer and approved by its chair, as money out must be
    return ledger_bulk.entries_post_bulk(actor=actor, organisation=organisation, entries=entries,
                                         source=(SOURCE, "benefits"),
                                         approval=ledger_demo.history_approval(organisation))


def _networks(seed: int, end: dt.date, years: int, log) -> dict[str, Organisation]:
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=[n.code for n in generator.NETWORKS])}
    for net in generator.NETWORKS:
        if net.code in orgs:
            continue
        orgs[net.code] = org_services.organisation_create(
            actor=None, code=net.code, kind=Organisation.Kind.NETWORK, name_th=net.name_th, name_en=net.name_en,
            parent=orgs.get(net.parent) if net.parent else None, province_code=generator.PROVINCE,
            founded_on=generator._founded_on(seed, net.code, end, years + 1),
        )
        log(f"เครือข่าย / network  {net.code:<6} {net.name_th}")
    return orgs


def _member_tuples(organisation) -> list[tuple]:
    return list(Member.objects.filter(organisation=organisation).order_by("number")
                .values_list("pk", "number", "join_date", "status", "status_date"))


def _group_create(*, seed: int, spec: generator.GroupSpec, parent: Organisation, end: dt.date,
                  years: int) -> Organisation:
    sub = geography.subdistrict(spec.subdistrict_code)
    return org_services.organisation_create(
        actor=None, code=spec.code, kind=Organisation.Kind.GROUP, name_th=spec.name_th, name_en=spec.name_en,
        parent=parent, group_type=spec.group_type, founded_on=generator._founded_on(seed, spec.code, end, years),
        province_code=sub.province_code, district_code=sub.district_code, subdistrict_code=sub.code,
        postcode=sub.postal_codes[0] if sub.postal_codes else "", moo=spec.moo,
    )


@transaction.atomic
def group_fill(*, seed: int, organisation_id: int, rows: list[dict], end: dt.date) -> tuple[str, int, int, int, float]:
    """A new group's members, plans, payments and benefits, in one transaction.
    Returns (code, members, payments, benefits, seconds)."""
    t0 = time.perf_counter()
    group = Organisation.objects.get(pk=organisation_id)
    generator._members_bulk_create(organisation=group, rows=rows)
    members = _member_tuples(group)
    plans(group, group.founded_on)
    paid = post_payments(group, payment_plan(seed=seed, code=group.code, members=members, end=end))
    benefits = post_benefits(group, benefit_plan(seed=seed, code=group.code, members=members, end=end))
    audit.record(actor=None, action="demo.group_fill", organisation=group,
                 summary=f"ข้อมูลตัวอย่างขนาดจังหวัด/province-scale demo: {len(members):,} สมาชิก/members, "
                         f"{paid:,} ใบเสร็จ/receipts, {benefits:,} สวัสดิการ/benefits",
                 after={"members": len(members), "payments": paid, "benefits": benefits})
    return group.code, len(members), paid, benefits, time.perf_counter() - t0


def _fill_job(job: tuple) -> tuple[str, int, int, int, float]:
    seed, organisation_id, rows, end = job
    return group_fill(seed=seed, organisation_id=organisation_id, rows=rows, end=end)


GROUP_DONE = "กลุ่ม / group"  # the start of the log line of each group filled


def _worker_start() -> None:
    connections.close_all()  # each worker process opens its own connection
    progress.quiet_worker()  # Ctrl-C is the parent's to handle; SIGTERM ends it without a traceback


def build(
    *,
    seed: int = 1,
    groups: int = 20,
    members: int = 3000,
    years: int = 5,
    end: dt.date | None = None,
    vary_sizes: bool = True,
    workers: int = 1,
    password: str = DEMO_PASSWORD,
    log: Callable[[str], None] = lambda line: None,
) -> ScaleResult:
    """Build (or grow to) ``groups`` groups of the province-scale demo.

    Groups of ``generator.group_specs(groups, seed)`` that already have members are kept as
    they are; the others are added: the organisations and the member rows one after another
    (so the rows do not depend on ``workers``), then each group's members, receipts and
    benefits in its own transaction — with ``workers`` > 1 (PostgreSQL only; SQLite has one
    writer) in that many processes at once. The demo users are created once, with the first
    build that includes Ban Don Chai."""
    end = end or dt.date.today()
    result = ScaleResult(seed=seed, end=end)
    t0 = time.perf_counter()
    specs = generator.group_specs(max(1, groups), seed)
    sizes = generator.group_sizes(seed, specs, max(1, members), vary=vary_sizes)
    with transaction.atomic():
        orgs = _networks(seed, end, years, log)
    existing = {o.code: o for o in Organisation.objects.filter(code__in=[s.code for s in specs])}
    filled = set(Member.objects.filter(organisation__in=list(existing.values()))
                 .values_list("organisation__code", flat=True).distinct())
    todo = [(spec, size) for spec, size in zip(specs, sizes) if spec.code not in filled]
    result.kept = [s.code for s in specs if s.code in filled]
    taken_ids = set(Member.objects.values_list("national_id", flat=True)) if todo else set()
    jobs = []
    for spec, size in todo:
        group = existing.get(spec.code)
        if group is None:
            with transaction.atomic():
                group = _group_create(seed=seed, spec=spec, parent=orgs[spec.zone], end=end, years=years)
        rows = generator.member_rows(seed=seed, spec=spec, size=size, founded=group.founded_on, end=end,
                                     taken_ids=taken_ids)
        jobs.append((seed, group.pk, rows, end))

    def done(code, n, paid, benefits, seconds):
        result.added.append(code)
        result.members += n
        result.payments += paid
        result.benefits += benefits
        log(f"{GROUP_DONE} {len(result.added) + len(result.kept):>4} {code:<6} {n:,} สมาชิก/members, "
            f"{paid:,} ใบเสร็จ/receipts, {benefits:,} สวัสดิการ/benefits ({seconds:.1f} s)")

    if workers > 1 and len(jobs) > 1 and connection.vendor == "postgresql":
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(min(workers, len(jobs)), initializer=_worker_start) as pool:
            for outcome in pool.imap(_fill_job, jobs):
                done(*outcome)
    else:
        for job in jobs:
            done(*_fill_job(job))
    if jobs and connection.vendor == "postgresql":
        # Tables that grew tenfold in minutes: tell the planner now (autovacuum would, later),
        # or a join over them is planned as if they were empty.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    result.timings["groups"] = time.perf_counter() - t0
    if not get_user_model().objects.exists() and generator.NAMED_GROUPS[0].code in {s.code for s in specs}:
        with transaction.atomic():
            everyone = {o.code: o for o in Organisation.objects.all()}
            bdc = everyone[generator.NAMED_GROUPS[0].code]
            adult = (Member.objects.filter(organisation=bdc, status=Member.Status.ACTIVE,
                                           birth_date__lte=end.replace(year=end.year - 25, day=1))
                     .order_by("number").first())
            users = generator._create_users(everyone, adult, password)
        log(f"ผู้ใช้ตัวอย่าง / demo users: {', '.join(users)}")
    result.timings["total"] = time.perf_counter() - t0
    return result


def scale_groups(seed: int, groups: int) -> list[Organisation]:
    """The first ``groups`` groups of the scale demo that are in the database, in spec order."""
    codes = [s.code for s in generator.group_specs(groups, seed)]
    found = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]
