"""Typed-in values of the welfare pages to typed values, with every problem at once.

Not Django forms: the rule form has a field per part of the rule and becomes the same JSON
the API takes (``omboon.welfare.schema``), so both are checked by the same code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from omboon.core.errors import Problem
from omboon.core.fields import money_field
from omboon.core.money import format_baht
from omboon.core.thaidate import arabic_digits, format_date
from omboon.welfare import schema
from omboon.welfare.schema import Rule

LIMIT_MONEY = ("per_event", "per_year", "per_lifetime")
LIMIT_COUNTS = ("claims_per_year", "nights_per_year")


def int_field(text: str | None, name: str, problems: list[Problem]) -> int | None:
    text = arabic_digits((text or "").strip())
    if not text:
        return None
    if not re.fullmatch(r"-?\d+", text):
        problems.append(Problem(name, "ต้องเป็นจำนวนเต็ม", "must be a whole number", value=text))
        return None
    return int(text)


def percent_field(text: str | None, problems: list[Problem]) -> Any:
    text = arabic_digits((text or "").strip()).rstrip("%").strip()
    if not text:
        return None
    try:
        float(text)
    except ValueError:
        problems.append(Problem("amount.percent", "ร้อยละต้องเป็นตัวเลข", "the percentage must be a number",
                                value=text))
        return None
    return text


def rule_from_post(data) -> tuple[dict, list[Problem]]:
    """The rule JSON from the rule form's fields (``schema`` checks it afterwards)."""
    problems: list[Problem] = []
    kind = data.get("amount_kind", schema.FIXED)
    amount: dict[str, Any] = {"kind": kind}
    if kind == schema.FIXED:
        amount["amount"] = money_field(data.get("amount"), "amount.amount", problems)
    elif kind == schema.PER_NIGHT:
        amount["per_night"] = money_field(data.get("per_night"), "amount.per_night", problems)
        amount["max_nights"] = int_field(data.get("max_nights"), "amount.max_nights", problems)
    elif kind == schema.TIERED:
        tiers = []
        for n, line in enumerate((data.get("tiers") or "").splitlines(), start=1):
            parts = line.replace(":", " ").split()
            if not parts:
                continue
            if len(parts) != 2:
                problems.append(Problem("amount.tiers", "แต่ละบรรทัดคือ 'ปีสมาชิก จำนวนเงิน' เช่น 3 8,000",
                                        "each line is 'years amount', e.g. 3 8,000", row=n, value=line))
                continue
            years = int_field(parts[0], "amount.tiers", problems)
            money = money_field(parts[1], "amount.tiers", problems)
            tiers.append({"min_years": years, "amount": money})
        amount["tiers"] = tiers
    elif kind == schema.PERCENT:
        pct = percent_field(data.get("percent"), problems)
        amount["percent"] = pct if pct is None else (float(pct) if "." in pct else int(pct))
        amount["cap"] = money_field(data.get("cap"), "amount.cap", problems)
    eligibility = {
        "min_membership_months": int_field(data.get("min_membership_months"), "eligibility.min_membership_months",
                                           problems) or 0,
        "waiting_days": int_field(data.get("waiting_days"), "eligibility.waiting_days", problems) or 0,
        "min_age": int_field(data.get("min_age"), "eligibility.min_age", problems),
        "max_age": int_field(data.get("max_age"), "eligibility.max_age", problems),
        "sexes": [s for s in schema.SEXES if s in data.getlist("sexes")],
        "statuses": [s for s in schema.STATUSES if s in data.getlist("statuses")],
        "paid_up": bool(data.get("paid_up")),
        "grace_months": int_field(data.get("grace_months"), "eligibility.grace_months", problems) or 0,
    }
    limits = {name: money_field(data.get(name), f"limits.{name}", problems) for name in LIMIT_MONEY}
    limits.update({name: int_field(data.get(name), f"limits.{name}", problems) for name in LIMIT_COUNTS})
    documents = []
    for n, line in enumerate((data.get("documents") or "").splitlines(), start=1):
        parts = [p.strip() for p in line.split("|")]
        if not any(parts):
            continue
        if len(parts) == 1:
            parts = [f"doc_{n}", parts[0]]
        documents.append({"code": parts[0], "label_th": parts[1] if len(parts) > 1 else "",
                          "label_en": parts[2] if len(parts) > 2 else ""})
    return {"eligibility": eligibility, "amount": amount, "limits": limits, "documents": documents}, problems


@dataclass
class RuleForm:
    """The values the rule form shows (from a rule, or as typed back after a problem)."""

    amount_kind: str = schema.FIXED
    amount: str = ""
    per_night: str = ""
    max_nights: str = ""
    tiers: str = ""
    percent: str = ""
    cap: str = ""
    min_membership_months: str = ""
    waiting_days: str = ""
    min_age: str = ""
    max_age: str = ""
    sexes: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=lambda: ["active"])
    paid_up: bool = False
    grace_months: str = ""
    per_event: str = ""
    per_year: str = ""
    per_lifetime: str = ""
    claims_per_year: str = ""
    nights_per_year: str = ""
    documents: str = ""

    @classmethod
    def from_rule(cls, rule: Rule) -> RuleForm:
        def m(v):
            return format_baht(v) if v else ""

        def n(v):
            return "" if v in (None, 0) else str(v)

        e, a, lim = rule.eligibility, rule.amount, rule.limits
        return cls(
            amount_kind=a.kind, amount=m(a.amount), per_night=m(a.per_night), max_nights=n(a.max_nights),
            tiers="\n".join(f"{t.min_years} {format_baht(t.amount)}" for t in a.tiers),
            percent=f"{a.percent.normalize():f}" if a.percent_bp else "", cap=m(a.cap),
            min_membership_months=n(e.min_membership_months), waiting_days=n(e.waiting_days),
            min_age=n(e.min_age), max_age=n(e.max_age), sexes=list(e.sexes), statuses=list(e.statuses),
            paid_up=e.paid_up, grace_months=n(e.grace_months), per_event=m(lim.per_event),
            per_year=m(lim.per_year), per_lifetime=m(lim.per_lifetime), claims_per_year=n(lim.claims_per_year),
            nights_per_year=n(lim.nights_per_year),
            documents="\n".join(f"{d.code} | {d.label_th} | {d.label_en}" for d in rule.documents),
        )

    @classmethod
    def from_post(cls, data) -> RuleForm:
        values = {name: data.get(name, "") for name in cls.__dataclass_fields__
                  if name not in ("sexes", "statuses", "paid_up")}
        return cls(**values, sexes=data.getlist("sexes"), statuses=data.getlist("statuses"),
                   paid_up=bool(data.get("paid_up")))


def describe(rule: Rule, lang: str = "th") -> list[str]:
    """The rule in a few plain sentences (the scheme list, the voucher, what-if)."""
    en = lang == "en"
    e, a, lim = rule.eligibility, rule.amount, rule.limits
    out = []
    if a.kind == schema.FIXED:
        out.append(f"{format_baht(a.amount)} baht" if en else f"จ่าย {format_baht(a.amount)} บาท")
    elif a.kind == schema.PER_NIGHT:
        most = (f", at most {a.max_nights} nights" if en else f" ไม่เกิน {a.max_nights} คืน") if a.max_nights else ""
        out.append(f"{format_baht(a.per_night)} baht a night{most}" if en
                   else f"คืนละ {format_baht(a.per_night)} บาท{most}")
    elif a.kind == schema.TIERED:
        tiers = ", ".join(f"{t.min_years}+ {'yrs' if en else 'ปี'} {format_baht(t.amount)}" for t in a.tiers)
        out.append(f"by years of membership: {tiers}" if en else f"ตามอายุสมาชิก: {tiers}")
    elif a.kind == schema.PERCENT:
        cap = (f", capped at {format_baht(a.cap)}" if en else f" ไม่เกิน {format_baht(a.cap)} บาท") if a.cap else ""
        out.append(f"{a.percent.normalize():f} % of the cost{cap}" if en
                   else f"ร้อยละ {a.percent.normalize():f} ของค่าใช้จ่าย{cap}")
    if e.min_membership_months:
        out.append(f"member {e.min_membership_months}+ months" if en
                   else f"เป็นสมาชิกไม่น้อยกว่า {e.min_membership_months} เดือน")
    if e.waiting_days:
        out.append(f"waiting period {e.waiting_days} days" if en else f"ระยะรอคอย {e.waiting_days} วัน")
    if e.min_age is not None or e.max_age is not None:
        out.append(f"age {e.min_age or 0}–{e.max_age if e.max_age is not None else '∞'}" if en
                   else f"อายุ {e.min_age or 0}–{e.max_age if e.max_age is not None else 'ไม่จำกัด'} ปี")
    if e.sexes:
        out.append(("sex " if en else "เพศ ") + "/".join(e.sexes))
    if e.paid_up:
        out.append(f"contributions paid up ({e.grace_months} months' grace)" if en
                   else f"ส่งเงินสมทบครบ (ผ่อนผัน {e.grace_months} เดือน)")
    for name, th, enl in (("per_event", "ต่อเหตุการณ์", "an event"), ("per_year", "ต่อปี", "a year"),
                          ("per_lifetime", "ตลอดการเป็นสมาชิก", "a lifetime")):
        v = getattr(lim, name)
        if v is not None:
            out.append(f"at most {format_baht(v)} {enl}" if en else f"ไม่เกิน {format_baht(v)} บาท{th}")
    if lim.claims_per_year is not None:
        out.append(f"{lim.claims_per_year} claims a year" if en else f"ปีละไม่เกิน {lim.claims_per_year} ครั้ง")
    if lim.nights_per_year is not None:
        out.append(f"{lim.nights_per_year} nights a year" if en else f"ปีละไม่เกิน {lim.nights_per_year} คืน")
    return out


def thai_date(day: dt.date | None) -> str:
    return format_date(day) if day else ""
