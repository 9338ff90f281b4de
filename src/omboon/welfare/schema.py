"""A rule version's JSON, validated into dataclasses (never read as a loose dict elsewhere).

    {
      "eligibility": {"min_membership_months": 6, "waiting_days": 180, "min_age": null,
                      "max_age": null, "sexes": [], "statuses": ["active"],
                      "paid_up": true, "grace_months": 3},
      "amount": {"kind": "fixed", "amount": 50000}
             | {"kind": "per_night", "per_night": 30000, "max_nights": 5}
             | {"kind": "tiered", "tiers": [{"min_years": 0, "amount": 200000}, ...]}
             | {"kind": "percent", "percent": 50, "cap": 500000},
      "limits": {"per_event": null, "per_year": null, "per_lifetime": null,
                 "claims_per_year": null, "nights_per_year": null},
      "documents": [{"code": "birth_certificate", "label_th": "สูติบัตร", "label_en": "Birth certificate"}]
    }

Money is integer satang; ``percent`` may have two decimals (12.5). ``rule_problems`` returns
every problem of a JSON document at once (Thai and English); ``rule_from_json`` raises them.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from omboon.core.errors import Problem, raise_if

FIXED, PER_NIGHT, TIERED, PERCENT = "fixed", "per_night", "tiered", "percent"
AMOUNT_KINDS = (FIXED, PER_NIGHT, TIERED, PERCENT)
AMOUNT_KIND_LABELS = {
    FIXED: ("จำนวนคงที่", "Fixed amount"),
    PER_NIGHT: ("ตามจำนวนคืนที่นอนโรงพยาบาล", "Per night in hospital"),
    TIERED: ("ตามอายุการเป็นสมาชิก", "Tiered by years of membership"),
    PERCENT: ("ร้อยละของค่าใช้จ่าย", "Percentage of the cost"),
}
STATUSES = ("applied", "active", "resigned", "deceased", "expelled")
SEXES = ("M", "F")
CODE_RE = re.compile(r"^[a-z0-9_]{1,40}$")


@dataclass(frozen=True)
class Eligibility:
    min_membership_months: int = 0
    waiting_days: int = 0
    min_age: int | None = None
    max_age: int | None = None
    sexes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ("active",)
    paid_up: bool = False
    grace_months: int = 0


@dataclass(frozen=True)
class Tier:
    min_years: int
    amount: int


@dataclass(frozen=True)
class Amount:
    kind: str = FIXED
    amount: int = 0  # fixed
    per_night: int = 0
    max_nights: int | None = None
    tiers: tuple[Tier, ...] = ()
    percent_bp: int = 0  # basis points: 50 % is 5000
    cap: int | None = None

    @property
    def percent(self) -> Decimal:
        return Decimal(self.percent_bp) / 100


@dataclass(frozen=True)
class Limits:
    per_event: int | None = None
    per_year: int | None = None
    per_lifetime: int | None = None
    claims_per_year: int | None = None
    nights_per_year: int | None = None


@dataclass(frozen=True)
class Document:
    code: str
    label_th: str
    label_en: str = ""


@dataclass(frozen=True)
class Rule:
    eligibility: Eligibility = field(default_factory=Eligibility)
    amount: Amount = field(default_factory=Amount)
    limits: Limits = field(default_factory=Limits)
    documents: tuple[Document, ...] = ()

    def to_json(self) -> dict[str, Any]:
        e, a, lim = self.eligibility, self.amount, self.limits
        amount: dict[str, Any] = {"kind": a.kind}
        if a.kind == FIXED:
            amount["amount"] = a.amount
        elif a.kind == PER_NIGHT:
            amount.update(per_night=a.per_night, max_nights=a.max_nights)
        elif a.kind == TIERED:
            amount["tiers"] = [asdict(t) for t in a.tiers]
        elif a.kind == PERCENT:
            pct = a.percent
            amount.update(percent=int(pct) if pct == pct.to_integral() else float(pct), cap=a.cap)
        return {
            "eligibility": {**asdict(e), "sexes": list(e.sexes), "statuses": list(e.statuses)},
            "amount": amount,
            "limits": asdict(lim),
            "documents": [asdict(d) for d in self.documents],
        }


# --- validation -----------------------------------------------------------------------------

class _Reader:
    """Reads typed values out of a JSON object, collecting problems instead of raising."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems

    def bad(self, where: str, th: str, en: str, value: Any = None) -> None:
        self.problems.append(Problem(where, th, en, value=value))

    def obj(self, data: Any, where: str) -> dict:
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.bad(where, "ต้องเป็นออบเจกต์ JSON", "must be a JSON object", value=type(data).__name__)
            return {}
        return data

    def unknown(self, data: dict, where: str, known: set[str]) -> None:
        for key in sorted(set(data) - known):
            self.bad(f"{where}.{key}", f"ไม่รู้จักช่อง {key}", f"unknown field {key}", value=key)

    def int_(self, data: dict, key: str, where: str, *, default=None, minimum: int = 0,
             nullable: bool = True, maximum: int | None = None):
        value = data.get(key, default)
        if value is None:
            if not nullable:
                self.bad(f"{where}.{key}", "ต้องระบุ", "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.bad(f"{where}.{key}", "ต้องเป็นจำนวนเต็ม", "must be a whole number", value=value)
            return default
        if value < minimum:
            self.bad(f"{where}.{key}", f"ต้องไม่น้อยกว่า {minimum}", f"must be at least {minimum}", value=value)
            return default
        if maximum is not None and value > maximum:
            self.bad(f"{where}.{key}", f"ต้องไม่เกิน {maximum}", f"must be at most {maximum}", value=value)
            return default
        return value


def _eligibility(r: _Reader, data: Any) -> Eligibility:
    where = "eligibility"
    d = r.obj(data, where)
    r.unknown(d, where, set(Eligibility.__dataclass_fields__))
    min_age = r.int_(d, "min_age", where, maximum=150)
    max_age = r.int_(d, "max_age", where, maximum=150)
    if min_age is not None and max_age is not None and min_age > max_age:
        r.bad(f"{where}.max_age", "อายุสูงสุดต้องไม่น้อยกว่าอายุต่ำสุด", "the maximum age is below the minimum",
              value=max_age)
    sexes = d.get("sexes") or []
    if not isinstance(sexes, list) or any(s not in SEXES for s in sexes):
        r.bad(f"{where}.sexes", "เพศต้องเป็น M หรือ F", "sexes are M or F", value=str(sexes))
        sexes = []
    statuses = d.get("statuses", ["active"])
    if not isinstance(statuses, list) or not statuses or any(s not in STATUSES for s in statuses):
        r.bad(f"{where}.statuses", f"สถานะสมาชิกต้องเป็น {', '.join(STATUSES)}",
              f"member statuses are {', '.join(STATUSES)}", value=str(statuses))
        statuses = ["active"]
    paid_up = d.get("paid_up", False)
    if not isinstance(paid_up, bool):
        r.bad(f"{where}.paid_up", "ต้องเป็น true หรือ false", "must be true or false", value=paid_up)
        paid_up = False
    return Eligibility(
        min_membership_months=r.int_(d, "min_membership_months", where, default=0) or 0,
        waiting_days=r.int_(d, "waiting_days", where, default=0) or 0,
        min_age=min_age, max_age=max_age, sexes=tuple(sorted(set(sexes))),
        statuses=tuple(dict.fromkeys(statuses)), paid_up=paid_up,
        grace_months=r.int_(d, "grace_months", where, default=0) or 0,
    )


def _percent_bp(r: _Reader, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        r.bad("amount.percent", "ร้อยละต้องเป็นตัวเลข", "the percentage must be a number", value=value)
        return 0
    try:
        pct = Decimal(str(value))
    except InvalidOperation:
        r.bad("amount.percent", "ร้อยละต้องเป็นตัวเลข", "the percentage must be a number", value=value)
        return 0
    bp = pct * 100
    if bp != bp.to_integral() or not (0 < pct <= 100):
        r.bad("amount.percent", "ร้อยละต้องมากกว่า 0 ไม่เกิน 100 และมีทศนิยมไม่เกิน 2 ตำแหน่ง",
              "the percentage is above 0, at most 100, with at most 2 decimals", value=value)
        return 0
    return int(bp)


def _amount(r: _Reader, data: Any) -> Amount:
    where = "amount"
    d = r.obj(data, where)
    kind = d.get("kind")
    if kind not in AMOUNT_KINDS:
        r.bad(f"{where}.kind", f"วิธีคิดจำนวนเงินต้องเป็น {', '.join(AMOUNT_KINDS)}",
              f"the amount kind is one of {', '.join(AMOUNT_KINDS)}", value=kind)
        return Amount()
    if kind == FIXED:
        r.unknown(d, where, {"kind", "amount"})
        return Amount(kind=kind, amount=r.int_(d, "amount", where, minimum=1, nullable=False) or 0)
    if kind == PER_NIGHT:
        r.unknown(d, where, {"kind", "per_night", "max_nights"})
        return Amount(kind=kind, per_night=r.int_(d, "per_night", where, minimum=1, nullable=False) or 0,
                      max_nights=r.int_(d, "max_nights", where, minimum=1))
    if kind == TIERED:
        r.unknown(d, where, {"kind", "tiers"})
        raw = d.get("tiers")
        if not isinstance(raw, list) or not raw:
            r.bad(f"{where}.tiers", "ต้องมีขั้นอย่างน้อยหนึ่งขั้น", "at least one tier is needed")
            return Amount(kind=kind)
        tiers = []
        for i, t in enumerate(raw, start=1):
            t = r.obj(t, f"{where}.tiers[{i}]")
            r.unknown(t, f"{where}.tiers[{i}]", {"min_years", "amount"})
            years = r.int_(t, "min_years", f"{where}.tiers[{i}]", nullable=False)
            amount = r.int_(t, "amount", f"{where}.tiers[{i}]", minimum=1, nullable=False)
            if years is not None and amount is not None:
                tiers.append(Tier(years, amount))
        years = [t.min_years for t in tiers]
        if len(set(years)) != len(years):
            r.bad(f"{where}.tiers", "อายุสมาชิกของแต่ละขั้นต้องไม่ซ้ำกัน", "tiers need different years")
        return Amount(kind=kind, tiers=tuple(sorted(tiers, key=lambda t: t.min_years)))
    r.unknown(d, where, {"kind", "percent", "cap"})
    return Amount(kind=kind, percent_bp=_percent_bp(r, d.get("percent")),
                  cap=r.int_(d, "cap", where, minimum=1))


def _limits(r: _Reader, data: Any) -> Limits:
    where = "limits"
    d = r.obj(data, where)
    r.unknown(d, where, set(Limits.__dataclass_fields__))
    return Limits(**{name: r.int_(d, name, where, minimum=1) for name in Limits.__dataclass_fields__})


def _documents(r: _Reader, data: Any) -> tuple[Document, ...]:
    if data is None:
        return ()
    if not isinstance(data, list):
        r.bad("documents", "ต้องเป็นรายการ", "must be a list")
        return ()
    docs = []
    for i, d in enumerate(data, start=1):
        d = r.obj(d, f"documents[{i}]")
        code, label = str(d.get("code") or "").strip(), str(d.get("label_th") or "").strip()
        if not CODE_RE.match(code):
            r.bad(f"documents[{i}].code", "รหัสเอกสารเป็นอักษรอังกฤษตัวเล็ก ตัวเลข หรือ _",
                  "a document code is lower-case letters, digits or _", value=code)
        if not label:
            r.bad(f"documents[{i}].label_th", "ต้องระบุชื่อเอกสาร", "the document needs a Thai name")
        docs.append(Document(code, label, str(d.get("label_en") or "").strip()))
    codes = [d.code for d in docs]
    if len(set(codes)) != len(codes):
        r.bad("documents", "รหัสเอกสารซ้ำกัน", "document codes repeat")
    return tuple(docs)


def parse(data: Any) -> tuple[Rule | None, list[Problem]]:
    problems: list[Problem] = []
    r = _Reader(problems)
    d = r.obj(data, "rule")
    if problems:
        return None, problems
    r.unknown(d, "rule", {"eligibility", "amount", "limits", "documents"})
    if "amount" not in d:
        r.bad("amount", "ต้องระบุวิธีคิดจำนวนเงิน", "the amount is required")
    rule = Rule(_eligibility(r, d.get("eligibility")), _amount(r, d.get("amount")), _limits(r, d.get("limits")),
                _documents(r, d.get("documents")))
    return (None if problems else rule), problems


def rule_problems(data: Any) -> list[Problem]:
    return parse(data)[1]


def rule_from_json(data: Any) -> Rule:
    rule, problems = parse(data)
    raise_if(problems)
    return rule
