"""Fund projection: the welfare fund's balance 5–20 years ahead, under the current rules and
under a proposed rule, from what the group itself has seen.

``observe`` reads the group's last years (default five): members by single year of age,
joiners per year and their ages, the share who leave each year, deaths and claims per
member-year by age band and category, the average benefit per case, contributions per
member-year, other income and administration. ``Assumptions`` start from those figures and
may be edited (a form, the API); they are printed beside the result. ``project`` ages the
membership a year at a time:

    members(age+1, next year) = members(age) × (1 − death rate of the band − leaving rate)
                                + joiners of that age
    benefits(category)        = Σ bands members × claims per member-year × average benefit
                                × claim-rate factor (× the proposal's cost factor)
    balance(next year)        = balance + contributions + other income − administration
                                − benefits + interest on the balance

The proposal's cost factor per category comes from the what-if replay of the observed years:
what the proposed rule would have paid divided by what was paid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from django.db.models import Sum

from omboon.core import charts, fields
from omboon.core.errors import Problem
from omboon.core.money import format_baht
from omboon.ledger import chart
from omboon.ledger import selectors as ledger_selectors
from omboon.ledger.models import AccountType
from omboon.members.models import LEFT_STATUSES
from omboon.welfare import engine, forms, selectors, whatif
from omboon.welfare.models import Claim, category_label
from omboon.welfare.schema import Rule

MAX_AGE = 110
BANDS = [(0, 19), (20, 39), (40, 59), (60, 69), (70, 79), (80, MAX_AGE)]
CONTRIBUTION_ACCOUNTS = (chart.ENTRY_FEES, chart.YEARLY_CONTRIBUTIONS, chart.DAILY_SAVINGS)
OTHER_INCOME_ACCOUNTS = (chart.STATE_MATCHING, chart.LOCAL_MATCHING, chart.DONATIONS, chart.INTEREST_INCOME,
                         chart.LOAN_INTEREST_INCOME, chart.OTHER_INCOME)
ADMIN_ACCOUNTS = (chart.ADMINISTRATION, chart.COMMITTEE_REMUNERATION)


def band_of(age: int) -> int:
    for i, (lo, hi) in enumerate(BANDS):
        if lo <= age <= hi:
            return i
    return len(BANDS) - 1


def band_label(i: int) -> str:
    lo, hi = BANDS[i]
    return f"{lo}+" if hi >= MAX_AGE else f"{lo}–{hi}"


@dataclass
class Observed:
    """What the group's own records say of the observed years."""

    start: dt.date
    end: dt.date
    years: float
    ages: list[float]  # active members on ``end`` by single year of age
    member_years: list[float]  # by band
    joiners_per_year: float
    joiner_ages: list[float]  # shares by single year of age, summing to 1 (or all zero)
    leaving_rate: float  # resigned or expelled per member-year
    death_rate: list[float]  # by band, per member-year
    claim_rate: dict[str, list[float]]  # category -> by band, paid cases per member-year
    average_benefit: dict[str, int]  # category -> satang per case
    contribution_per_member: int  # satang per member-year
    other_income_per_year: int
    admin_per_year: int
    opening_balance: int  # the welfare fund's net assets on ``end``

    @property
    def members(self) -> int:
        return round(sum(self.ages))

    @property
    def admin_pct(self) -> float:
        income = self.contribution_per_member * sum(self.member_years) / max(self.years, 1e-9)
        return round(100 * self.admin_per_year / income, 1) if income else 0.0


def _years(start: dt.date, end: dt.date) -> float:
    return max((end - start).days + 1, 0) / 365.25


def observe(organisation, *, end: dt.date, years_back: int = 5) -> Observed:
    start = end.replace(year=end.year - years_back) + dt.timedelta(days=1) if not (
        end.month == 2 and end.day == 29) else dt.date(end.year - years_back, 3, 1)
    span = _years(start, end)
    ages = [0.0] * (MAX_AGE + 1)
    member_years = [0.0] * len(BANDS)
    deaths = [0] * len(BANDS)
    joined = 0
    joiner_ages = [0.0] * (MAX_AGE + 1)
    left = 0
    rows = selectors.members(organisation).values_list("id", "birth_date", "join_date", "status", "status_date")
    band_at: dict[int, int] = {}
    for pk, born, join, status, status_date in rows:
        gone = status_date if status in LEFT_STATUSES else None
        gone = gone or (join if status in LEFT_STATUSES else None)
        if join > end:
            continue
        if gone is None or gone > end:
            age = min(max(engine.completed_years(born, end), 0), MAX_AGE)
            ages[age] += 1
        # member-years inside the window, at the age of the window's middle of their stay
        a, b = max(join, start), min(gone or end, end)
        if b >= a:
            mid = a + (b - a) / 2
            band = band_of(max(engine.completed_years(born, mid), 0))
            member_years[band] += _years(a, b)
        band_at[pk] = band_of(max(engine.completed_years(born, min(gone or end, end)), 0))
        if start <= join <= end:
            joined += 1
            joiner_ages[min(max(engine.completed_years(born, join), 0), MAX_AGE)] += 1
        if gone is not None and start <= gone <= end:
            if status == "deceased":
                deaths[band_at[pk]] += 1
            else:
                left += 1
    total_my = sum(member_years)
    claim_cases: dict[str, list[float]] = {}
    amounts: dict[str, list[int]] = {}
    for _member_id, born, event_date, category, amount in (
            selectors.claims(organisation).filter(status=Claim.Status.PAID, event_date__gte=start,
                                                  event_date__lte=end)
            .values_list("member_id", "member__birth_date", "event_date", "scheme__category", "amount")):
        band = band_of(max(engine.completed_years(born, event_date), 0))
        claim_cases.setdefault(category, [0.0] * len(BANDS))[band] += 1
        amounts.setdefault(category, []).append(amount)

    def per_my(counts):
        return [counts[i] / member_years[i] if member_years[i] else 0.0 for i in range(len(BANDS))]

    income = _account_totals(organisation, start, end)
    contributions = sum(income.get(c, 0) for c in CONTRIBUTION_ACCOUNTS)
    other = sum(income.get(c, 0) for c in OTHER_INCOME_ACCOUNTS)
    admin = sum(income.get(c, 0) for c in ADMIN_ACCOUNTS)
    return Observed(
        start=start, end=end, years=span, ages=ages, member_years=member_years,
        joiners_per_year=joined / span if span else 0.0,
        joiner_ages=[x / joined for x in joiner_ages] if joined else joiner_ages,
        leaving_rate=left / total_my if total_my else 0.0,
        death_rate=per_my(deaths),
        claim_rate={c: per_my(v) for c, v in claim_cases.items()},
        average_benefit={c: round(sum(v) / len(v)) for c, v in amounts.items() if v},
        contribution_per_member=round(contributions / total_my) if total_my else 0,
        other_income_per_year=round(other / span) if span else 0,
        admin_per_year=round(admin / span) if span else 0,
        opening_balance=_fund_net_assets(organisation, end),
    )


def _account_totals(organisation, start: dt.date, end: dt.date) -> dict[str, int]:
    """Natural-side totals of income and expense accounts by code, in [start, end]."""
    out: dict[str, int] = {}
    for code, type_, d, c in (ledger_selectors.lines(organisation)
                              .filter(date__gte=start, date__lte=end,
                                      account__type__in=[AccountType.INCOME, AccountType.EXPENSE])
                              .exclude(entry__doc_type="closing")
                              .values_list("account__code", "account__type")
                              .annotate(Sum("debit"), Sum("credit")).order_by()):
        out[code] = out.get(code, 0) + (c - d if type_ == AccountType.INCOME else d - c)
    return out


def _fund_net_assets(organisation, end: dt.date) -> int:
    types = dict(ledger_selectors.accounts(organisation).values_list("pk", "type"))
    default = ledger_selectors.funds(organisation).filter(is_default=True).values_list("pk", flat=True).first()
    return sum(v for (a, f), v in ledger_selectors.balances(organisation, end).items()
               if f == default and types.get(a) in (AccountType.ASSET, AccountType.LIABILITY))


@dataclass
class Assumptions:
    """What the projection assumes; starts from the observed figures, editable."""

    years: int = 10
    start_year: int = 0
    opening_balance: int = 0  # satang
    joiners_per_year: int = 0
    leaving_rate_pct: float = 0.0
    contribution_per_member: int = 0  # satang a member a year
    other_income_per_year: int = 0
    admin_pct: float = 0.0  # of contributions
    interest_pct: float = 0.0  # a year, on a positive balance
    claim_rate_factor_pct: float = 100.0  # claims per member-year as observed × this
    cost_factors: dict[str, float] = field(default_factory=dict)  # category -> proposed / current

    @classmethod
    def from_observed(cls, observed: Observed, years: int = 10) -> Assumptions:
        return cls(years=years, start_year=observed.end.year + 1, opening_balance=observed.opening_balance,
                   joiners_per_year=round(observed.joiners_per_year),
                   leaving_rate_pct=round(observed.leaving_rate * 100, 2),
                   contribution_per_member=observed.contribution_per_member,
                   other_income_per_year=observed.other_income_per_year, admin_pct=observed.admin_pct)

    @classmethod
    def from_query(cls, data, observed: Observed) -> tuple[Assumptions, list[Problem]]:
        a = cls.from_observed(observed)
        problems: list[Problem] = []
        years = forms.int_field(data.get("years"), "years", problems)
        if years is not None:
            if 5 <= years <= 20:
                a.years = years
            else:
                problems.append(Problem("years", "ประมาณการได้ 5–20 ปี", "projections run 5–20 years", value=years))
        for name in ("opening_balance", "contribution_per_member", "other_income_per_year"):
            value = fields.money_field(data.get(name), name, problems)
            if value is not None:
                setattr(a, name, value)
        joiners = forms.int_field(data.get("joiners_per_year"), "joiners_per_year", problems)
        if joiners is not None:
            if joiners < 0:
                problems.append(Problem("joiners_per_year", "ต้องไม่ติดลบ", "must not be negative", value=joiners))
            else:
                a.joiners_per_year = joiners
        for name, hi in (("leaving_rate_pct", 100), ("admin_pct", 100), ("interest_pct", 50),
                         ("claim_rate_factor_pct", 1000)):
            text = (data.get(name) or "").strip()
            if not text:
                continue
            try:
                value = float(text)
            except ValueError:
                problems.append(Problem(name, "ต้องเป็นตัวเลข", "must be a number", value=text))
                continue
            if not 0 <= value <= hi:
                problems.append(Problem(name, f"ต้องอยู่ระหว่าง 0 ถึง {hi}", f"must be between 0 and {hi}", value=text))
            else:
                setattr(a, name, value)
        return a, problems

    def as_form(self) -> dict:
        return {"years": self.years, "opening_balance": format_baht(self.opening_balance),
                "joiners_per_year": self.joiners_per_year, "leaving_rate_pct": self.leaving_rate_pct,
                "contribution_per_member": format_baht(self.contribution_per_member),
                "other_income_per_year": format_baht(self.other_income_per_year), "admin_pct": self.admin_pct,
                "interest_pct": self.interest_pct, "claim_rate_factor_pct": self.claim_rate_factor_pct}

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class YearRow:
    year: int
    members: int
    contributions: int
    other_income: int
    admin: int
    benefits_current: int
    benefits_proposed: int
    balance_current: int
    balance_proposed: int
    by_category_current: dict[str, int] = field(default_factory=dict)
    by_category_proposed: dict[str, int] = field(default_factory=dict)


@dataclass
class Projection:
    assumptions: Assumptions
    observed: Observed
    rows: list[YearRow]
    proposal: bool

    @property
    def first_deficit_current(self) -> int | None:
        return next((r.year for r in self.rows if r.balance_current < 0), None)

    @property
    def first_deficit_proposed(self) -> int | None:
        return next((r.year for r in self.rows if r.balance_proposed < 0), None)

    def assumption_lines(self, lang: str = "th") -> list[str]:
        """The assumptions in words, printed beside the result."""
        a, o = self.assumptions, self.observed
        en = lang == "en"
        rates = ", ".join(f"{band_label(i)}: {o.death_rate[i] * 1000:.1f}" for i in range(len(BANDS)))
        lines = [
            (f"Observed {o.start.isoformat()} – {o.end.isoformat()} ({o.years:.1f} years), "
             f"{o.members:,} members now" if en else
             f"ข้อมูลจริงช่วง {forms.thai_date(o.start)} – {forms.thai_date(o.end)} ({o.years:.1f} ปี) "
             f"สมาชิกปัจจุบัน {o.members:,} คน"),
            (f"Opening balance of the welfare fund {format_baht(a.opening_balance)} baht" if en else
             f"ยอดกองทุนสวัสดิการตั้งต้น {format_baht(a.opening_balance)} บาท"),
            (f"New members {a.joiners_per_year:,} a year, of the ages seen joining" if en else
             f"สมาชิกใหม่ปีละ {a.joiners_per_year:,} คน อายุตามที่เคยสมัคร"),
            (f"Leaving (resigned or expelled) {a.leaving_rate_pct:.2f} % a year" if en else
             f"ลาออก/พ้นสภาพ ร้อยละ {a.leaving_rate_pct:.2f} ต่อปี"),
            (f"Deaths per 1,000 members a year by age: {rates}" if en else
             f"เสียชีวิตต่อสมาชิก 1,000 คนต่อปี ตามช่วงอายุ: {rates}"),
            (f"Contributions {format_baht(a.contribution_per_member)} baht a member a year" if en else
             f"เงินสมทบเฉลี่ย {format_baht(a.contribution_per_member)} บาทต่อคนต่อปี"),
            (f"Other income (grants, donations, interest) {format_baht(a.other_income_per_year)} baht a year" if en
             else f"รายได้อื่น (เงินสมทบรัฐ/อปท. เงินบริจาค ดอกเบี้ย) ปีละ {format_baht(a.other_income_per_year)} บาท"),
            (f"Administration {a.admin_pct:.1f} % of contributions" if en else
             f"ค่าบริหาร ร้อยละ {a.admin_pct:.1f} ของเงินสมทบ"),
            (f"Interest on the balance {a.interest_pct:.2f} % a year" if en else
             f"ดอกเบี้ยรับจากยอดกองทุน ร้อยละ {a.interest_pct:.2f} ต่อปี"),
            (f"Claims per member as observed × {a.claim_rate_factor_pct:.0f} %" if en else
             f"อัตราการขอสวัสดิการตามที่เกิดจริง × ร้อยละ {a.claim_rate_factor_pct:.0f}"),
        ]
        for cat, avg in sorted(o.average_benefit.items()):
            per_1000 = sum(r * my for r, my in zip(o.claim_rate.get(cat, []), o.member_years))
            per_1000 = 1000 * per_1000 / sum(o.member_years) if sum(o.member_years) else 0
            factor = a.cost_factors.get(cat)
            extra = ""
            if factor is not None:
                extra = (f"; proposed rule × {factor:.2f}" if en else f" กติกาใหม่ × {factor:.2f}")
            lines.append(f"{category_label(cat, lang)}: {per_1000:.1f} "
                         + (f"cases per 1,000 members a year, {format_baht(avg)} baht a case" if en else
                            f"รายต่อสมาชิก 1,000 คนต่อปี เฉลี่ย {format_baht(avg)} บาทต่อราย") + extra)
        return lines


def cost_factors(organisation, observed: Observed, proposals: dict[int, Rule]) -> dict[str, float]:
    if not proposals:
        return {}
    replay = whatif.what_if(organisation, start=observed.start, end=observed.end, proposals=proposals)
    categories = {s.category for s in selectors.schemes(organisation).filter(pk__in=list(proposals))}
    out = {}
    for row in replay.rows:
        if row.category in categories:
            out[row.category] = row.proposed_amount / row.actual_amount if row.actual_amount else 1.0
    return out


def project(organisation, *, observed: Observed, assumptions: Assumptions,
            proposals: dict[int, Rule] | None = None) -> Projection:
    a = assumptions
    if proposals:
        a.cost_factors = cost_factors(organisation, observed, proposals)
    return run(observed, a, proposal=bool(proposals))


def run(observed: Observed, a: Assumptions, *, proposal: bool = False) -> Projection:
    """The projection itself: pure arithmetic on the observed figures and the assumptions."""
    ages = list(observed.ages)
    balance_c = balance_p = float(a.opening_balance)
    leave = a.leaving_rate_pct / 100
    factor = a.claim_rate_factor_pct / 100
    band_index = [band_of(age) for age in range(MAX_AGE + 1)]
    joiner_ages = observed.joiner_ages if sum(observed.joiner_ages) else [0.0] * (MAX_AGE + 1)
    rows = []
    for i in range(a.years):
        by_band = [0.0] * len(BANDS)
        for age, n in enumerate(ages):
            by_band[band_index[age]] += n
        members = sum(ages)
        contributions = members * a.contribution_per_member
        admin = contributions * a.admin_pct / 100
        cur: dict[str, int] = {}
        new: dict[str, int] = {}
        for cat, rates in observed.claim_rate.items():
            avg = observed.average_benefit.get(cat, 0)
            cases = sum(n * r for n, r in zip(by_band, rates)) * factor
            cur[cat] = round(cases * avg)
            new[cat] = round(cases * avg * a.cost_factors.get(cat, 1.0))
        benefits_c, benefits_p = sum(cur.values()), sum(new.values())
        income = contributions + a.other_income_per_year - admin
        balance_c += income - benefits_c + max(balance_c, 0) * a.interest_pct / 100
        balance_p += income - benefits_p + max(balance_p, 0) * a.interest_pct / 100
        rows.append(YearRow(a.start_year + i, round(members), round(contributions), a.other_income_per_year,
                            round(admin), benefits_c, benefits_p, round(balance_c), round(balance_p), cur, new))
        # the year passes: deaths and leavers go, everyone ages, joiners come
        aged = [0.0] * (MAX_AGE + 1)
        for age, n in enumerate(ages):
            stay = n * max(1 - observed.death_rate[band_index[age]] - leave, 0.0)
            aged[min(age + 1, MAX_AGE)] += stay
        for age, share in enumerate(joiner_ages):
            aged[age] += a.joiners_per_year * share
        ages = aged
    return Projection(a, observed, rows, proposal)


def chart(result: Projection, lang: str = "th") -> str:
    labels = [str(r.year + (0 if lang == "en" else 543)) for r in result.rows]
    series = {("Current rules" if lang == "en" else "กติกาปัจจุบัน"): [r.balance_current for r in result.rows]}
    if result.proposal:
        series["Proposed rule" if lang == "en" else "กติกาที่เสนอ"] = [r.balance_proposed for r in result.rows]
    return charts.line_chart(labels, series, title=("Welfare fund balance" if lang == "en" else
                                                    "ยอดกองทุนสวัสดิการที่คาดการณ์"), money=True)
