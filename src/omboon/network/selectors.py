"""Reads of the network: consolidated figures added up from monthly facts, by the
organisation tree or by geography, the reporting rate and data quality.

Facts are figures, never people, so a network reads them for every group below it —
including groups that share aggregates only. Records (members, entries) are read only through
``omboon.orgs.scoping``, which leaves aggregates-only groups out at a network.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone

from omboon.core import months
from omboon.ledger import chart
from omboon.loans import metrics as loan_metrics
from omboon.members.models import LEFT_STATUSES, Member
from omboon.network import facts as fact_rules
from omboon.network.models import FactMonth, MonthlyFact, SharingPolicy, year_month, ym_of
from omboon.orgs import geography, scoping
from omboon.orgs import selectors as org_selectors
from omboon.orgs.models import Organisation

STOCK_KINDS = ("members", "balance", "savings", "loans", "par30", "borrowers")
FLOW_KINDS = ("joins", "leavers", "receipt_type", "receipt_source", "benefit", "flow", "write_off")
PATH_STEP = 9  # "00000001/"


# --- capabilities ---------------------------------------------------------------------------

def sharing_of(organisation) -> str:
    policy = SharingPolicy.objects.filter(organisation=organisation).first()
    return policy.sharing if policy else SharingPolicy.Sharing.FULL


def can_see_records(access) -> bool:
    """The one check pages, the API and exports of this app make before showing a person:
    scoping already drops ``records`` for a coordinator of an aggregates-only group."""
    return access.can(scoping.RECORDS)


# --- figures --------------------------------------------------------------------------------

@dataclass
class Figures:
    """Figures of one group or a sum of groups (money in satang)."""

    groups: int = 0
    reported: int = 0  # groups with facts at or before the last month
    members: dict = field(default_factory=lambda: defaultdict(int))  # status|sex|band → n
    joins: int = 0
    leavers: int = 0
    receipts: dict = field(default_factory=lambda: defaultdict(int))  # type/source → satang
    receipt_counts: dict = field(default_factory=lambda: defaultdict(int))
    benefits: dict = field(default_factory=lambda: defaultdict(int))  # category → satang
    benefit_cases: dict = field(default_factory=lambda: defaultdict(int))
    flows: dict = field(default_factory=lambda: defaultdict(int))  # standard code → debit − credit
    balances: dict = field(default_factory=lambda: defaultdict(int))  # fund|code → debit − credit
    savings: int = 0  # what members hold in savings accounts and shares (satang)
    savers: int = 0  # members holding money there
    loans: int = 0  # loans' outstanding principal at the last month's end (satang)
    loans_count: int = 0
    par30: int = 0  # outstanding principal of loans more than 30 days overdue
    write_offs: int = 0  # principal written off in the months
    write_off_count: int = 0
    borrowers: int = 0  # members with a loan outstanding at the last month's end
    as_of: int | None = None  # the latest month of stock figures

    def add(self, other: Figures) -> None:
        self.groups += other.groups
        self.reported += other.reported
        self.joins += other.joins
        self.leavers += other.leavers
        self.savings += other.savings
        self.savers += other.savers
        self.loans += other.loans
        self.loans_count += other.loans_count
        self.par30 += other.par30
        self.write_offs += other.write_offs
        self.write_off_count += other.write_off_count
        self.borrowers += other.borrowers
        for name in ("members", "receipts", "receipt_counts", "benefits", "benefit_cases", "flows", "balances"):
            mine = getattr(self, name)
            for key, value in getattr(other, name).items():
                mine[key] += value
        if other.as_of is not None and (self.as_of is None or other.as_of > self.as_of):
            self.as_of = other.as_of

    def take(self, kind: str, key: str, count: int, amount: int) -> None:
        if kind == "members":
            self.members[key] += count
        elif kind == "balance":
            self.balances[key] += amount
        elif kind == "savings":
            self.savings += amount
            self.savers += count
        elif kind == "loans":
            self.loans += amount
            self.loans_count += count
        elif kind == "par30":
            self.par30 += amount
        elif kind == "write_off":
            self.write_offs += amount
            self.write_off_count += count
        elif kind == "borrowers":
            self.borrowers += count
        elif kind == "joins":
            self.joins += count
        elif kind == "leavers":
            self.leavers += count
        elif kind in ("receipt_type", "receipt_source"):
            self.receipts[key] += amount
            self.receipt_counts[key] += count
        elif kind == "benefit":
            self.benefits[key] += amount
            self.benefit_cases[key] += count
        elif kind == "flow":
            self.flows[key] += amount

    def members_where(self, status: str | None = None, sex: str | None = None) -> int:
        total = 0
        for key, n in self.members.items():
            s, x, _band = key.split("|")
            if (status is None or s == status) and (sex is None or x == sex):
                total += n
        return total

    @property
    def par30_percent(self) -> float | None:
        """PAR30 of the groups together: their principal at risk ÷ their outstanding principal."""
        return round(self.par30 * 100 / self.loans, 2) if self.loans else None

    @property
    def net_income(self) -> int:
        """Income less expenses over the months (flows are debit − credit; closing left out)."""
        return -sum(v for code, v in self.flows.items() if code[:1] in ("4", "5"))

    def metrics(self) -> list[loan_metrics.Metric]:
        """The group metrics of these groups together (``loans.metrics``), from their facts alone:
        write-offs and net income over the months, the rest at the last month's end."""
        return loan_metrics.metrics(loan_metrics.Inputs(
            active_members=self.members_active, savings=self.savings, loans=self.loans,
            lendable_cash=self.cash_and_bank, par30=self.par30, written_off=self.write_offs,
            net_income=self.net_income, borrowers=self.borrowers))

    @property
    def members_active(self) -> int:
        return self.members_where(Member.Status.ACTIVE)

    @property
    def members_male(self) -> int:
        return self.members_where(Member.Status.ACTIVE, Member.Sex.MALE)

    @property
    def members_female(self) -> int:
        return self.members_where(Member.Status.ACTIVE, Member.Sex.FEMALE)

    def by_age_band(self) -> dict[str, int]:
        out = dict.fromkeys(fact_rules.AGE_BAND_KEYS, 0)
        for key, n in self.members.items():
            s, _x, band = key.split("|")
            if s == Member.Status.ACTIVE:
                out[band] = out.get(band, 0) + n
        return out

    @property
    def receipts_total(self) -> int:
        return sum(self.receipts.values())

    @property
    def benefits_total(self) -> int:
        return sum(self.benefits.values())

    @property
    def cases_total(self) -> int:
        return sum(self.benefit_cases.values())

    def balance_of(self, code_prefix: str = "", fund: str | None = None) -> int:
        return sum(v for k, v in self.balances.items()
                   if k.split("|")[1].startswith(code_prefix) and (fund is None or k.split("|")[0] == fund))

    def by_code(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for key, value in self.balances.items():
            out[key.split("|")[1]] += value
        return out

    def fund_sizes(self) -> dict[str, int]:
        """Net assets of each fund: assets − liabilities (= its equity, income less expenses)."""
        out: dict[str, int] = defaultdict(int)
        for key, value in self.balances.items():
            fund, code = key.split("|")
            if code[:1] in ("1", "2"):
                out[fund] += value
        return dict(out)

    @property
    def fund_size(self) -> int:
        return sum(self.fund_sizes().values())

    @property
    def cash_and_bank(self) -> int:
        return self.balance_of(chart.CASH) + self.balance_of(chart.BANK)


def group_figures(groups: list[Organisation], first: int, last: int) -> dict[int, Figures]:
    """Figures per group id: stock figures (members, balances) at each group's latest month of
    facts up to ``last``; flows summed over ``first``..``last``. Three queries in all."""
    ids = [g.pk for g in groups]
    out = {g.pk: Figures(groups=1) for g in groups}
    if not ids:
        return out
    latest = dict(FactMonth.objects.filter(organisation_id__in=ids, ym__lte=last).values("organisation_id")
                  .annotate(m=Max("ym")).values_list("organisation_id", "m"))
    by_month: dict[int, list[int]] = defaultdict(list)
    for org_id, ym in latest.items():
        by_month[ym].append(org_id)
        out[org_id].reported = 1
        out[org_id].as_of = ym
    if by_month:
        cond = Q()
        for ym, org_ids in by_month.items():
            cond |= Q(ym=ym, organisation_id__in=org_ids)
        stock = (MonthlyFact.objects.filter(cond, kind__in=STOCK_KINDS).order_by()
                 .values_list("organisation_id", "kind", "key").annotate(Sum("count"), Sum("amount")))
        for org_id, kind, key, count, amount in stock:
            out[org_id].take(kind, key, count, amount)
    flows = (MonthlyFact.objects.filter(organisation_id__in=ids, ym__gte=first, ym__lte=last, kind__in=FLOW_KINDS)
             .order_by().values_list("organisation_id", "kind", "key").annotate(Sum("count"), Sum("amount")))
    for org_id, kind, key, count, amount in flows:
        out[org_id].take(kind, key, count, amount)
    return out


@dataclass
class Row:
    code: str
    name_th: str
    name_en: str
    kind: str  # network | group | area
    figures: Figures
    url: str = ""
    organisation: Organisation | None = None

    def name(self, lang: str = "th") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_th


@dataclass
class Consolidated:
    organisation: Organisation
    first: int
    last: int
    rows: list[Row]
    total: Figures
    level: str = "tree"
    area_code: str = ""

    @property
    def period(self) -> tuple[tuple[int, int], tuple[int, int]]:
        return year_month(self.first), year_month(self.last)


def _groups(organisation) -> list[Organisation]:
    if organisation.is_group:
        return [organisation]
    return list(org_selectors.groups_below(organisation).order_by("path"))


def consolidated(organisation, *, first: int, last: int) -> Consolidated:
    """The organisation's figures, a row per child (sub-network or group) beneath it."""
    groups = _groups(organisation)
    figures = group_figures(groups, first, last)
    total = Figures()
    rows: dict[str, Row] = {}
    if organisation.is_network:
        children = {c.path: c for c in Organisation.objects.filter(parent=organisation, is_active=True)}
        for group in groups:
            head = group.path[:len(organisation.path) + PATH_STEP]
            child = children.get(head)
            if child is None:
                continue
            row = rows.get(child.code)
            if row is None:
                row = rows[child.code] = Row(child.code, child.name_th, child.name_en, child.kind, Figures(),
                                             organisation=child)
            row.figures.add(figures[group.pk])
    for group in groups:
        total.add(figures[group.pk])
    if organisation.is_group:
        rows[organisation.code] = Row(organisation.code, organisation.name_th, organisation.name_en,
                                      organisation.kind, figures[organisation.pk], organisation=organisation)
    return Consolidated(organisation, first, last, sorted(rows.values(), key=lambda r: r.code), total)


AREA_LEVELS = {0: "province", 2: "district", 4: "subdistrict", 6: "group"}


def by_area(organisation, *, first: int, last: int, area_code: str = "") -> Consolidated:
    """The groups below, added up by province (no code), by district of a province (2 digits),
    by subdistrict of a district (4) or group by group in a subdistrict (6)."""
    groups = _groups(organisation)
    width = {0: 2, 2: 4, 4: 6}.get(len(area_code))
    field_name = {2: "province_code", 4: "district_code", 6: "subdistrict_code"}
    if area_code:
        groups = [g for g in groups if getattr(g, field_name[len(area_code)]) == area_code]
    figures = group_figures(groups, first, last)
    rows: dict[str, Row] = {}
    total = Figures()
    for group in groups:
        total.add(figures[group.pk])
        if width is None:
            key = group.code
            if key not in rows:
                rows[key] = Row(group.code, group.name_th, group.name_en, "group", Figures(), organisation=group)
        else:
            key = getattr(group, field_name[width]) or ""
            if key not in rows:
                name_th = geography.place_name(key, "th") or "ไม่ระบุพื้นที่"
                name_en = geography.place_name(key, "en") or "area not given"
                rows[key] = Row(key, name_th, name_en, "area", Figures())
        rows[key].figures.add(figures[group.pk])
    return Consolidated(organisation, first, last, sorted(rows.values(), key=lambda r: r.code), total,
                        level=AREA_LEVELS.get(len(area_code), "group"), area_code=area_code)


def monthly_series(organisation, *, first: int, last: int, groups: list[Organisation] | None = None) -> dict:
    """Month by month over the range, for trend charts: active members, fund size, receipts and
    benefits paid (two aggregate queries, groups added up)."""
    groups = groups if groups is not None else _groups(organisation)
    ids = [g.pk for g in groups]
    months = list(range(first, last + 1))
    series = {"months": [year_month(m) for m in months], "members": [0] * len(months),
              "fund": [0] * len(months), "receipts": [0] * len(months), "benefits": [0] * len(months)}
    if not ids:
        return series
    index = {m: i for i, m in enumerate(months)}
    rows = (MonthlyFact.objects.filter(organisation_id__in=ids, ym__gte=first, ym__lte=last)
            .filter(Q(kind="members", key__startswith=f"{Member.Status.ACTIVE}|")
                    | Q(kind="balance", key__regex=r"\|[12]")
                    | Q(kind__in=("receipt_type", "receipt_source", "benefit")))
            .order_by().values_list("ym", "kind").annotate(Sum("count"), Sum("amount")))
    for ym, kind, count, amount in rows:
        i = index[ym]
        if kind == "members":
            series["members"][i] += count
        elif kind == "balance":
            series["fund"][i] += amount
        elif kind == "benefit":
            series["benefits"][i] += amount
        else:
            series["receipts"][i] += amount
    return series


# --- reporting rate -------------------------------------------------------------------------

ON_TIME, LATE, MISSING = "on_time", "late", "missing"
DEADLINE_DAY = 15


def deadline(ym: int) -> dt.date:
    """Closed "on time" = by the 15th of the following month."""
    year, month = chart.next_month(*year_month(ym))
    return dt.date(year, month, DEADLINE_DAY)


@dataclass
class RateRow:
    organisation: Organisation
    state: str
    closed_at: dt.datetime | None
    days_late: int = 0


@dataclass
class ReportingRate:
    ym: int
    rows: list[RateRow]

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows if r.state == state)

    @property
    def count_on_time(self) -> int:
        return self.count(ON_TIME)

    @property
    def count_late(self) -> int:
        return self.count(LATE)

    @property
    def count_missing(self) -> int:
        return self.count(MISSING)

    @property
    def rate(self) -> float:
        """Share of groups that closed the month (on time or late), 0–100."""
        return 100.0 * (len(self.rows) - self.count(MISSING)) / len(self.rows) if self.rows else 0.0

    @property
    def on_time_rate(self) -> float:
        return 100.0 * self.count(ON_TIME) / len(self.rows) if self.rows else 0.0


def reporting_rate(organisation, *, ym: int) -> ReportingRate:
    groups = _groups(organisation)
    closed = dict(FactMonth.objects.filter(organisation_id__in=[g.pk for g in groups], ym=ym,
                                           closed_at__isnull=False).values_list("organisation_id", "closed_at"))
    due = deadline(ym)
    rows = []
    for group in groups:
        at = closed.get(group.pk)
        if at is None:
            rows.append(RateRow(group, MISSING, None))
            continue
        day = timezone.localtime(at).date()
        rows.append(RateRow(group, ON_TIME if day <= due else LATE, at, max(0, (day - due).days)))
    return ReportingRate(ym, rows)


def last_month(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return ym_of(today.year, today.month) - 1


# --- data quality ---------------------------------------------------------------------------

@dataclass
class Quality:
    organisation: Organisation
    members: int
    with_phone: int
    with_address: int
    plausible_birth: int
    shared: bool = True

    def pct(self, n: int) -> float | None:
        return round(100.0 * n / self.members, 1) if self.members else None

    @property
    def pct_phone(self) -> float | None:
        return self.pct(self.with_phone)

    @property
    def pct_address(self) -> float | None:
        return self.pct(self.with_address)

    @property
    def pct_birth(self) -> float | None:
        return self.pct(self.plausible_birth)

    @property
    def score(self) -> float | None:
        """Completeness 0–100: the mean of the three shares."""
        if not self.members:
            return None
        return round((self.pct(self.with_phone) + self.pct(self.with_address) + self.pct(self.plausible_birth)) / 3, 1)


def data_quality(organisation, *, today: dt.date | None = None) -> list[Quality]:
    """Completeness per group, side by side, from one aggregate query over the members that
    scoping lets the network read (aggregates-only groups show no score: their members are
    not the network's to read)."""
    today = today or timezone.localdate()
    groups = _groups(organisation)
    oldest = dt.date(today.year - 110, 1, 1)
    counts = {
        row["organisation_id"]: row for row in
        scoping.in_scope(Member.objects.exclude(status__in=LEFT_STATUSES), organisation)
        .order_by().values("organisation_id")
        .annotate(n=Count("pk"),
                  phone=Count("pk", filter=~Q(phone="")),
                  address=Count("pk", filter=~Q(subdistrict_code="") & ~Q(district_code="") & ~Q(province_code="")),
                  birth=Count("pk", filter=Q(birth_date__gte=oldest, birth_date__lte=today)
                              & Q(birth_date__lt=F("join_date"))))
    }
    withheld = set(SharingPolicy.objects.filter(organisation__in=groups, sharing=SharingPolicy.Sharing.AGGREGATES)
                   .values_list("organisation_id", flat=True)) if organisation.is_network else set()
    out = []
    for group in groups:
        row = counts.get(group.pk, {})
        out.append(Quality(group, row.get("n", 0), row.get("phone", 0), row.get("address", 0), row.get("birth", 0),
                           shared=group.pk not in withheld))
    return out


def month_choices(organisation) -> list[int]:
    """Months that have facts below the organisation, newest first."""
    groups = _groups(organisation)
    return list(FactMonth.objects.filter(organisation_id__in=[g.pk for g in groups]).order_by("-ym")
                .values_list("ym", flat=True).distinct()[:120])


def default_range(organisation, today: dt.date | None = None) -> tuple[int, int]:
    """The last month with facts (else last month) and January of its year."""
    months = month_choices(organisation)
    last = months[0] if months else last_month(today)
    year, _ = year_month(last)
    return ym_of(year, 1), last


def month_end(ym: int) -> dt.date:
    return months.end(*year_month(ym))
