"""The loan pages' members and guarantors as typed, and a product's version as typed (dates and
money: ``core.fields``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from omboon.core import fields, language
from omboon.core.errors import Problem
from omboon.core.money import format_baht
from omboon.core.thaidate import arabic_digits
from omboon.loans import rules, schedule
from omboon.members.models import Member


def member_by_number(members, text: str | None) -> Member | None:
    """A member of ``members`` (a queryset) by number as typed: "12" finds 0012."""
    text = arabic_digits((text or "").strip())
    if not text:
        return None
    found = members.filter(number=text).first()
    if found is None and text.isdigit():
        found = members.filter(number=text.zfill(4)).first()
    return found


def guarantor_lines(data) -> list[tuple[str, bool]]:
    """The guarantor lines of a form (``guarantor_1`` … ``guarantor_4``), blanks left out: each
    number with whether its "ยินยอมแล้ว" is ticked (``guarantor_N_consented``: the signed form came
    with the application)."""
    lines = [(data.get(f"guarantor_{i}", "").strip(), data.get(f"guarantor_{i}_consented") == "1")
             for i in range(1, 5)]
    return [(number, signed) for number, signed in lines if number]


# --- an application's securities as typed ---------------------------------------------------------

LIEN_LINES, COLLATERAL_LINES = 2, 2  # lines on the apply form (the API takes up to rules.MAX_SECURITIES)


def security_values(data) -> dict:
    """The securities' lines of the apply form as typed, to fill it again."""
    return {"liens": [(i, data.get(f"lien_{i}_account", ""), data.get(f"lien_{i}_amount", ""))
                      for i in range(1, LIEN_LINES + 1)],
            "collaterals": [(i, data.get(f"collateral_{i}_kind", ""), data.get(f"collateral_{i}_description", ""),
                             data.get(f"collateral_{i}_document", ""), data.get(f"collateral_{i}_value", ""))
                            for i in range(1, COLLATERAL_LINES + 1)]}


def securities_typed(data, problems: list[Problem]) -> list[rules.Security]:
    """The lines filled in: a lien (account, amount in baht), collateral (kind, description,
    document number, appraised value in baht); blank lines left out. A lien's kind follows its
    account (savings or shares)."""
    out = []
    for i in range(1, LIEN_LINES + 1):
        account = arabic_digits((data.get(f"lien_{i}_account", "") or "").strip())
        amount = (data.get(f"lien_{i}_amount", "") or "").strip()
        if account or amount:
            out.append(rules.Security(rules.SECURITY_KINDS[0], account=account,
                                      amount=fields.money_field(amount, f"lien_{i}_amount", problems,
                                                                required=True) or 0))
    for i in range(1, COLLATERAL_LINES + 1):
        typed = {k: (data.get(f"collateral_{i}_{k}", "") or "").strip() for k in ("kind", "description", "document",
                                                                                 "value")}
        if typed["description"] or typed["document"] or typed["value"]:
            value = fields.money_field(typed["value"], f"collateral_{i}_value", problems, required=True) or 0
            out.append(rules.Security("collateral", collateral=typed["kind"] or "other",
                                      description=typed["description"], document_no=typed["document"], value=value))
    return out


# --- a product's version as typed (the products pages) ---------------------------------------------

BANDS_ON_FORM = 3  # "up to" bands before the last, open-ended one
ORDERS = {  # the allocation orders a page offers (the API takes any order of the four parts)
    "penalty,fee,interest,principal": ("ค่าปรับ → ค่าธรรมเนียม → ดอกเบี้ย → เงินต้น (ทั่วไป)",
                                       "penalty → fee → interest → principal (usual)"),
    "fee,interest,principal,penalty": ("ค่าธรรมเนียม → ดอกเบี้ย → เงินต้น → ค่าปรับเป็นลำดับสุดท้าย",
                                       "fee → interest → principal, the penalty last"),
    "principal,interest,fee,penalty": ("เงินต้น → ดอกเบี้ย → ค่าธรรมเนียม → ค่าปรับ", "principal → interest → fee → penalty"),
}
VERSION_FIELDS = ("effective_from", "method", "rate", "per", "every", "term", "term_min", "term_max", "grace_principal",
                  "grace_interest",
                  "rounding", "penalty_rate", "penalty_fine", "order", "max_amount", "savings_multiple",
                  "guarantor_cap", "refuse_in_arrears", "overpayment_to_savings",
                  *[f"band_{i}_up_to" for i in range(1, BANDS_ON_FORM + 1)],
                  *[f"band_{i}_guarantors" for i in range(1, BANDS_ON_FORM + 2)])


def term_choices() -> dict:
    """The choices of a schedule's terms on a form (a product's version, a reschedule)."""
    en = language.current() == "en"
    return {
        "methods": [(m, schedule.METHOD_NAMES[m][en]) for m in schedule.METHODS],
        "pers": [(schedule.PER_YEAR, _("ต่อปี")), (schedule.PER_MONTH, _("ต่อเดือน"))],
        "everies": [(schedule.WEEK, _("รายสัปดาห์")), (schedule.MONTH, _("รายเดือน")), (schedule.YEAR, _("รายปี"))],
        "roundings": [("1", _("ไม่ปัด")), ("100", _("1 บาท")), ("500", _("5 บาท")), ("1000", _("10 บาท"))],
    }


def _baht_text(satang: int | None) -> str:
    return "" if satang is None else format_baht(satang)


def version_values(version=None) -> dict:
    """The form's fields filled from a version (a new product: the usual village-fund terms)."""
    if version is None:
        return {"method": "flat", "rate": "12", "per": "year", "every": "month", "term": "12", "term_min": "",
                "term_max": "", "grace_principal": "0",
                "grace_interest": "0", "rounding": "1", "penalty_rate": "0", "penalty_fine": "0",
                "order": "penalty,fee,interest,principal", "max_amount": "", "savings_multiple": "0",
                "guarantor_cap": "0", "refuse_in_arrears": True, "overpayment_to_savings": False,
                "effective_from": ""}
    t = version.terms
    values = {"method": t["method"], "rate": str(t["rate"]), "per": t["per"], "every": t["every"],
              "term": str(t["term"]), "grace_principal": str(t.get("grace_principal", 0)),
              # blank: the term itself (a version that lends its own term only)
              "term_min": "" if version.term_min == version.term_max == t["term"] else str(version.term_min),
              "term_max": "" if version.term_min == version.term_max == t["term"] else str(version.term_max),
              "grace_interest": str(t.get("grace_interest", 0)), "rounding": str(t.get("rounding", 1)),
              "penalty_rate": str(t.get("penalty_rate", 0)), "penalty_fine": _baht_text(t.get("penalty_fine", 0)),
              "order": ",".join(t.get("order") or schedule.PARTS), "max_amount": _baht_text(version.max_amount),
              "savings_multiple": f"{version.savings_multiple.normalize():f}",
              "guarantor_cap": _baht_text(version.guarantor_cap), "refuse_in_arrears": version.refuse_in_arrears,
              "overpayment_to_savings": version.overpayment_to_savings, "effective_from": ""}
    bands = list(version.guarantor_bands or [])
    for i, (up_to, n) in enumerate(bands[:-1][:BANDS_ON_FORM], start=1):
        values[f"band_{i}_up_to"], values[f"band_{i}_guarantors"] = _baht_text(up_to), str(n)
    if bands:
        values[f"band_{BANDS_ON_FORM + 1}_guarantors"] = str(bands[-1][1])
    return values


def typed_values(data) -> dict:
    values = {k: (data.get(k, "") or "").strip() for k in VERSION_FIELDS}
    values["refuse_in_arrears"] = data.get("refuse_in_arrears") == "1"
    values["overpayment_to_savings"] = data.get("overpayment_to_savings") == "1"
    return values


def _decimal(text: str, name: str, problems: list[Problem]) -> Decimal | None:
    text = arabic_digits(text or "0").replace(",", "") or "0"
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        problems.append(Problem(name, "ต้องเป็นตัวเลข", "must be a number", value=text))
        return None
    return value


def _count(text: str, name: str, problems: list[Problem]) -> int | None:
    text = arabic_digits(text or "0") or "0"
    if not text.isdigit():
        problems.append(Problem(name, "ต้องเป็นจำนวนเต็มไม่ติดลบ", "must be a whole number, not below zero", value=text))
        return None
    return int(text)


def version_settings(values: dict, problems: list[Problem]) -> dict | None:
    """The service's arguments from the typed values; the form's own problems go to ``problems``
    (the service's rules check the rest, with the same field names)."""
    rate = _decimal(values["rate"], "rate", problems)
    penalty_rate = _decimal(values["penalty_rate"], "penalty_rate", problems)
    multiple = _decimal(values["savings_multiple"], "savings_multiple", problems)
    counts = {k: _count(values[k], k, problems) for k in ("term", "grace_principal", "grace_interest")}
    limits = {k: _count(values[k], k, problems) if values[k] else None for k in ("term_min", "term_max")}
    rounding = _count(values["rounding"], "rounding", problems)
    fine = fields.money_field(values["penalty_fine"], "penalty_fine", problems) or 0
    max_amount = fields.money_field(values["max_amount"], "max_amount", problems, required=True)
    cap = fields.money_field(values["guarantor_cap"], "guarantor_cap", problems) or 0
    effective_from = fields.date_field(values["effective_from"], "effective_from", problems)
    if effective_from is None and not values["effective_from"]:
        problems.append(Problem("effective_from", "ต้องระบุวันที่เริ่มใช้", "the date it takes effect is required"))
    if values["order"] not in ORDERS:
        problems.append(Problem("order", "เลือกลำดับการตัดชำระ", "choose the allocation order", value=values["order"]))
    bands = []
    for i in range(1, BANDS_ON_FORM + 1):
        up_to_text, n_text = values[f"band_{i}_up_to"], values[f"band_{i}_guarantors"]
        if not up_to_text and not n_text:
            continue
        up_to = fields.money_field(up_to_text, "guarantor_bands", problems, required=True)
        bands.append([up_to, _count(n_text, "guarantor_bands", problems)])
    last = values[f"band_{BANDS_ON_FORM + 1}_guarantors"]
    if bands or last:
        bands.append([None, _count(last, "guarantor_bands", problems)])
    if problems:
        return None
    terms = schedule.Terms(method=values["method"], rate=rate, per=values["per"], every=values["every"],
                           rounding=rounding, penalty_rate=penalty_rate, penalty_fine=fine,
                           order=tuple(values["order"].split(",")), **counts)
    return {"terms": terms, **limits, "max_amount": max_amount, "effective_from": effective_from,
            "guarantor_bands": bands,
            "guarantor_cap": cap, "savings_multiple": multiple, "refuse_in_arrears": values["refuse_in_arrears"],
            "overpayment_to_savings": values["overpayment_to_savings"]}


# --- a reschedule's new terms as typed (the loan's reschedule page) --------------------------------

RESCHEDULE_FIELDS = ("date", "first_due", "method", "rate", "per", "every", "term", "grace_principal",
                     "grace_interest", "rounding", "reason")


def reschedule_values(terms: dict) -> dict:
    """The reschedule form filled from the loan's current terms (no grace: the service's default)."""
    return {"date": "", "first_due": "", "method": terms["method"], "rate": str(terms["rate"]), "per": terms["per"],
            "every": terms["every"], "term": str(terms["term"]), "grace_principal": "0", "grace_interest": "0",
            "rounding": str(terms.get("rounding", 1)), "reason": ""}


def reschedule_typed(data) -> dict:
    return {k: (data.get(k, "") or "").strip() for k in RESCHEDULE_FIELDS}


def reschedule_settings(values: dict, problems: list[Problem]) -> dict:
    """``services.reschedule_request``'s arguments but the dates from the typed values; the
    form's own problems go to ``problems`` (the service's rules check the rest, with the same
    field names)."""
    return {"rate": _decimal(values["rate"], "rate", problems), "method": values["method"], "per": values["per"],
            "every": values["every"], "reason": values["reason"],
            **{k: _count(values[k], k, problems) for k in ("term", "grace_principal", "grace_interest", "rounding")}}
