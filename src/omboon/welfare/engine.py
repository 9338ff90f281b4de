"""The eligibility and amount engine: pure, no database.

Given what we know of a member on the event date, the rule version in force, the event and
the member's earlier claims of the same scheme that still count (submitted, approved or paid),
``evaluate`` says condition by condition — in Thai and in English — what passes and what fails,
and how the amount was computed, step by step, with every limit applied.

A limit that leaves some room reduces the amount to what is left (the step says so); a limit
with no room left fails a condition, so nothing is paid.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from omboon.core import months
from omboon.core.money import format_baht
from omboon.core.thaidate import format_date
from omboon.ledger.chart import fiscal_year_bounds, fiscal_year_of, month_end
from omboon.members.models import LEFT_STATUSES
from omboon.welfare import schema
from omboon.welfare.schema import Rule

STATUS_TH = {"applied": "สมัคร", "active": "ปกติ", "resigned": "ลาออก", "deceased": "เสียชีวิต",
             "expelled": "พ้นสภาพ"}
SEX_TH = {"M": "ชาย", "F": "หญิง"}
SEX_EN = {"M": "male", "F": "female"}


@dataclass(frozen=True)
class MemberFacts:
    """A member as the rule sees them; ``paid_through`` is the last day their contributions
    cover (None: nothing paid)."""

    birth_date: dt.date
    sex: str
    join_date: dt.date
    status: str
    status_date: dt.date | None = None
    paid_through: dt.date | None = None

    def status_on(self, day: dt.date) -> str:
        """The status on ``day``: a member who left on or after the day was still a member then."""
        if self.status in LEFT_STATUSES and self.status_date is not None and self.status_date >= day:
            return "active"
        return self.status

    def to_json(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict) -> MemberFacts:
        def d(v):
            return dt.date.fromisoformat(v) if v else None

        return cls(d(data["birth_date"]), data["sex"], d(data["join_date"]), data["status"],
                   d(data.get("status_date")), d(data.get("paid_through")))


@dataclass(frozen=True)
class Event:
    date: dt.date
    key: str = ""
    nights: int = 0
    cost: int = 0  # satang
    documents: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PriorClaim:
    """An earlier claim of the same member and scheme that counts against the limits."""

    event_date: dt.date
    event_key: str
    amount: int
    nights: int = 0


@dataclass(frozen=True)
class Condition:
    code: str
    passed: bool
    text_th: str
    text_en: str


@dataclass(frozen=True)
class Step:
    text_th: str
    text_en: str
    amount: int


@dataclass
class Decision:
    eligible: bool
    amount: int
    conditions: list[Condition] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    nights_paid: int = 0

    @property
    def failed(self) -> list[Condition]:
        return [c for c in self.conditions if not c.passed]

    def to_json(self) -> dict:
        return {"eligible": self.eligible, "amount": self.amount, "nights_paid": self.nights_paid,
                "conditions": [asdict(c) for c in self.conditions], "steps": [asdict(s) for s in self.steps]}


# --- small date arithmetic ------------------------------------------------------------------

def completed_years(start: dt.date, day: dt.date) -> int:
    years = day.year - start.year
    if (day.month, day.day) < (start.month, start.day):
        years -= 1
    return years


def paid_up_required(event_date: dt.date, grace_months: int) -> dt.date:
    """Contributions must cover the month before the event, less ``grace_months`` months."""
    y, m = months.add(event_date.year, event_date.month, -(grace_months + 1))
    return month_end(y, m)


def baht(satang: int) -> str:
    return format_baht(satang)


# --- the engine -----------------------------------------------------------------------------

class _Notes:
    """Collects conditions and steps; without ``explain`` their texts are never built (a
    replay of thousands of claims needs only the verdicts and the amounts)."""

    def __init__(self, explain: bool):
        self.explain = explain
        self.conditions: list[Condition] = []
        self.steps: list[Step] = []

    def check(self, code: str, passed: bool, texts) -> None:
        th, en = texts() if self.explain else ("", "")
        self.conditions.append(Condition(code, bool(passed), th, en))

    def step(self, texts, amount: int) -> None:
        if self.explain:
            th, en = texts()
            self.steps.append(Step(th, en, amount))


def _eligibility(rule: Rule, m: MemberFacts, ev: Event, notes: _Notes) -> None:
    e = rule.eligibility
    day = ev.date
    status = m.status_on(day)
    notes.check("status", status in e.statuses,
                lambda: ((f"สถานะสมาชิก ณ วันที่เกิดเหตุ: {STATUS_TH.get(status, status)} "
                         f"(ต้องเป็น {', '.join(STATUS_TH.get(s, s) for s in e.statuses)})"),
                         f"member status on the event date: {status} (must be {', '.join(e.statuses)})"))
    notes.check("joined", m.join_date <= day,
                lambda: (f"เข้าเป็นสมาชิกเมื่อ {format_date(m.join_date)} ก่อนวันที่เกิดเหตุ {format_date(day)}"
                         if m.join_date <= day else
                         f"วันที่เกิดเหตุ {format_date(day)} อยู่ก่อนวันเข้าเป็นสมาชิก {format_date(m.join_date)}",
                         (f"joined on {m.join_date.isoformat()}, "
                         f"{'before' if m.join_date <= day else 'after'} the event on {day.isoformat()}")))
    if e.min_membership_months:
        member_months = months.completed(m.join_date, day)
        notes.check("membership", member_months >= e.min_membership_months,
                lambda: ((f"เป็นสมาชิกมาแล้ว {max(member_months, 0)} เดือน "
                         f"(ต้องไม่น้อยกว่า {e.min_membership_months} เดือน)"),
                         f"a member for {max(member_months, 0)} months (at least {e.min_membership_months} needed)"))
    if e.waiting_days:
        days = (day - m.join_date).days
        notes.check("waiting", days >= e.waiting_days,
                lambda: (f"พ้นระยะรอคอย {e.waiting_days} วันหลังเข้าเป็นสมาชิกแล้ว (เป็นสมาชิก {max(days, 0)} วัน)"
                         if days >= e.waiting_days else
                         f"ยังอยู่ในระยะรอคอย {e.waiting_days} วันหลังเข้าเป็นสมาชิก (เป็นสมาชิก {max(days, 0)} วัน)",
                         (f"{'past' if days >= e.waiting_days else 'still within'} the waiting period of "
                         f"{e.waiting_days} days after joining ({max(days, 0)} days)")))
    if e.min_age is not None or e.max_age is not None:
        age = completed_years(m.birth_date, day)
        lo, hi = e.min_age, e.max_age
        ok = (lo is None or age >= lo) and (hi is None or age <= hi)
        if lo is not None and hi is not None:
            need_th, need_en = f"{lo}–{hi} ปี", f"{lo}–{hi}"
        elif lo is not None:
            need_th, need_en = f"ตั้งแต่ {lo} ปีขึ้นไป", f"{lo} or over"
        else:
            need_th, need_en = f"ไม่เกิน {hi} ปี", f"{hi} or under"
        notes.check("age", ok,
                lambda: (f"อายุ ณ วันที่เกิดเหตุ {age} ปี (ต้องอายุ {need_th})",
                         f"age on the event date {age} (must be {need_en})"))
    if e.sexes:
        notes.check("sex", m.sex in e.sexes,
                lambda: (f"เพศ{SEX_TH.get(m.sex, m.sex)} (สวัสดิการนี้สำหรับเพศ{'/'.join(SEX_TH[s] for s in e.sexes)})",
                         (f"sex {SEX_EN.get(m.sex, m.sex)} "
                         f"(this benefit is for {'/'.join(SEX_EN[s] for s in e.sexes)})")))
    if e.paid_up:
        need = paid_up_required(day, e.grace_months)
        ok = m.paid_through is not None and m.paid_through >= need
        grace_th = f" ผ่อนผันได้ {e.grace_months} เดือน" if e.grace_months else ""
        grace_en = f", with {e.grace_months} months' grace" if e.grace_months else ""
        through_th = format_date(m.paid_through) if m.paid_through else "ยังไม่เคยชำระ"
        through_en = m.paid_through.isoformat() if m.paid_through else "nothing paid"
        notes.check("paid_up", ok,
                lambda: (f"ส่งเงินสมทบถึง {through_th} (ต้องถึง {format_date(need)}{grace_th})",
                         f"contributions paid through {through_en} (must reach {need.isoformat()}{grace_en})"))


def _documents(rule: Rule, ev: Event, notes: _Notes) -> None:
    if not rule.documents:
        return
    missing = [d for d in rule.documents if d.code not in ev.documents]
    if missing:
        notes.check("documents", False,
                lambda: ("ขาดเอกสาร: " + ", ".join(d.label_th for d in missing),
                         "missing documents: " + ", ".join(d.label_en or d.code for d in missing)))
    else:
        notes.check("documents", True,
                lambda: ("มีเอกสารครบ: " + ", ".join(d.label_th for d in rule.documents),
                         "every document is there: " + ", ".join(d.label_en or d.code for d in rule.documents)))


_MADE_KEY = re.compile(r"^(?:[a-z_]+-)?\d{4}-\d{2}-\d{2}$|^death$")


def typed_key(key: str) -> bool:
    """True for an event key a person typed ("ลูกคนที่สอง"), False for one the system made from
    the category and the date ("sickness-2026-11-12", "2026-11-12", "death"): those are not shown."""
    return bool(key) and not _MADE_KEY.match(key)


def evaluate(rule: Rule, member: MemberFacts, event: Event, prior: Sequence[PriorClaim] = (), *,
             year_start_month: int = 1, explain: bool = True) -> Decision:
    """Judge one claim. ``prior`` are the member's other live claims of the same scheme.
    ``explain=False`` gives the same verdict and amount without the texts (replays)."""
    notes = _Notes(explain)
    _eligibility(rule, member, event, notes)
    _documents(rule, event, notes)

    same = [p for p in prior if event.key and p.event_key == event.key]
    told = f" ({event.key})" if typed_key(event.key) else ""  # a key the system made says nothing more
    notes.check("same_event", not same,
                lambda: (f"ยังไม่เคยขอสวัสดิการนี้สำหรับเหตุการณ์เดียวกัน{told}" if not same else
                         f"เคยขอสวัสดิการนี้สำหรับเหตุการณ์เดียวกันแล้ว{told} "
                         f"เมื่อ {format_date(same[0].event_date)}",
                         f"no earlier claim for the same event{told}" if not same else
                         f"already claimed for the same event{told} on {format_date(same[0].event_date, lang='en')}"))

    fy = fiscal_year_of(year_start_month, event.date)
    y_start, y_end = fiscal_year_bounds(year_start_month, fy)
    this_year = [p for p in prior if y_start <= p.event_date <= y_end]
    year_th = f"ปี {format_date(y_start)} – {format_date(y_end)}" if explain else ""
    year_en = f"the year {y_start.isoformat()} – {y_end.isoformat()}" if explain else ""
    lim = rule.limits
    if lim.claims_per_year is not None:
        n = len(this_year)
        notes.check("claims_per_year", n < lim.claims_per_year,
                lambda: (f"ขอไปแล้ว {n} ครั้งใน{year_th} (ไม่เกิน {lim.claims_per_year} ครั้งต่อปี)",
                         f"{n} claims already in {year_en} (at most {lim.claims_per_year} a year)"))

    # amount
    a = rule.amount
    nights_paid = 0
    amount = 0
    if a.kind == schema.FIXED:
        amount = a.amount
        notes.step(lambda: (f"จ่ายอัตราคงที่ {baht(amount)} บาท",
                           f"fixed amount {baht(amount)} baht"), amount)
    elif a.kind == schema.PER_NIGHT:
        nights = event.nights
        notes.check("nights", nights > 0,
                lambda: (f"นอนโรงพยาบาล {nights} คืน",
                         f"{nights} nights in hospital"))
        nights_paid = nights
        if a.max_nights is not None and nights_paid > a.max_nights:
            nights_paid = a.max_nights
            notes.step(lambda: (f"จ่ายไม่เกิน {a.max_nights} คืนต่อครั้ง",
                           f"at most {a.max_nights} nights a claim"), 0)
        if lim.nights_per_year is not None:
            used = sum(p.nights for p in this_year)
            left = max(lim.nights_per_year - used, 0)
            notes.check("nights_per_year", left > 0 or nights <= 0,
                lambda: (f"ใช้สิทธิ์ไปแล้ว {used} คืนใน{year_th} (ไม่เกิน {lim.nights_per_year} คืนต่อปี)",
                         f"{used} nights already paid in {year_en} (at most {lim.nights_per_year} a year)"))
            if nights_paid > left:
                nights_paid = left
                notes.step(lambda: (f"เหลือสิทธิ์ในปีนี้ {left} คืน",
                           f"{left} nights left this year"), 0)
        amount = nights_paid * a.per_night
        notes.step(lambda: (f"{nights_paid} คืน × {baht(a.per_night)} บาท = {baht(amount)} บาท",
                           f"{nights_paid} nights × {baht(a.per_night)} = {baht(amount)} baht"), amount)
    elif a.kind == schema.TIERED:
        years = max(completed_years(member.join_date, event.date), 0)
        tier = None
        for t in a.tiers:
            if years >= t.min_years:
                tier = t
        notes.check("tier", tier is not None,
                lambda: (f"เป็นสมาชิก {years} ปี" + (f" อยู่ในขั้นตั้งแต่ {tier.min_years} ปี" if tier else
                                           " ยังไม่ถึงขั้นแรกของอัตรา"),
                         f"a member for {years} years" + (f", in the tier from {tier.min_years} years" if tier else
                                                ", below the first tier")))
        if tier is not None:
            amount = tier.amount
            notes.step(lambda: (f"เป็นสมาชิก {years} ปี จ่าย {baht(amount)} บาท",
                           f"{years} years of membership: {baht(amount)} baht"), amount)
    elif a.kind == schema.PERCENT:
        notes.check("cost", event.cost > 0,
                lambda: (f"ค่าใช้จ่ายจริง {baht(event.cost)} บาท",
                         f"actual cost {baht(event.cost)} baht"))
        amount = event.cost * a.percent_bp // 10000
        notes.step(lambda: (f"ร้อยละ {a.percent.normalize():f} ของ {baht(event.cost)} บาท = {baht(amount)} บาท",
                           f"{a.percent.normalize():f} % of {baht(event.cost)} = {baht(amount)} baht"), amount)
        if a.cap is not None and amount > a.cap:
            amount = a.cap
            notes.step(lambda: (f"ไม่เกิน {baht(a.cap)} บาทต่อครั้ง",
                           f"capped at {baht(a.cap)} baht"), amount)

    if lim.per_event is not None and amount > lim.per_event:
        amount = lim.per_event
        notes.step(lambda: (f"ไม่เกิน {baht(lim.per_event)} บาทต่อเหตุการณ์",
                           (f"at most {baht(lim.per_event)} "
                          f"baht an event")), amount)
    if lim.per_year is not None:
        used = sum(p.amount for p in this_year)
        left = max(lim.per_year - used, 0)
        notes.check("per_year", left > 0,
                lambda: (f"ได้รับไปแล้ว {baht(used)} บาทใน{year_th} (ไม่เกิน {baht(lim.per_year)} บาทต่อปี)",
                         f"{baht(used)} baht already in {year_en} (at most {baht(lim.per_year)} a year)"))
        if amount > left:
            amount = left
            notes.step(lambda: (f"เหลือสิทธิ์ในปีนี้ {baht(left)} บาท",
                           f"{baht(left)} baht left this year"), amount)
    if lim.per_lifetime is not None:
        used = sum(p.amount for p in prior)
        left = max(lim.per_lifetime - used, 0)
        notes.check("per_lifetime", left > 0,
                lambda: (f"ได้รับไปแล้วตลอดการเป็นสมาชิก {baht(used)} บาท (ไม่เกิน {baht(lim.per_lifetime)} บาท)",
                         f"{baht(used)} baht already over the membership (at most {baht(lim.per_lifetime)})"))
        if amount > left:
            amount = left
            notes.step(lambda: (f"เหลือสิทธิ์ตลอดการเป็นสมาชิก {baht(left)} บาท",
                           f"{baht(left)} baht left for the membership"), amount)

    if a.kind == schema.PER_NIGHT and a.per_night and amount < nights_paid * a.per_night:
        nights_paid = -(-amount // a.per_night)  # a money limit cut the nights too (a part night counts)
    eligible = all(c.passed for c in notes.conditions) and amount > 0
    if not eligible:
        amount = 0
    notes.step(lambda: (f"จำนวนเงินที่จ่าย {baht(amount)} บาท",
                           f"amount payable {baht(amount)} baht"), amount)
    return Decision(eligible, amount, notes.conditions, notes.steps, nights_paid if eligible else 0)
