"""The API's contract: the field types an endpoint declares, so that its OpenAPI schema says
exactly what it accepts, and the one shape of every refusal.

An endpoint's request schema is built from these types, never from a bare ``int`` or ``str``:

- money: ``Satang`` (any sign), ``NonNegativeSatang``, ``PositiveSatang`` — integer satang
  (1 baht = 100 satang) within ±``MAX_SATANG``; never baht, never text with commas;
- dates: ``Date`` — ISO ``YYYY-MM-DD`` (Gregorian) between ``MIN_DATE`` and ``MAX_DATE``;
  ``ThaiDate`` where a person's typing is accepted too (``31/12/2568``, พ.ศ.);
- months: ``Month`` — ``YYYY-MM``;
- coded fields: ``choice(SomeModel.Kind)`` — an ``enum`` of the model's codes (labels in the
  description);
- text: ``text(max_length, min_length=0)`` — a length and no control characters (PostgreSQL
  refuses NUL); ``Key`` for idempotency keys;
- identifiers: ``Id`` (a row's id, 1 … 2⁶³−1), ``OrgCode`` (a path's organisation code),
  ``NationalId`` (13 digits, with - or space between the usual groups; the check digit is a rule);
- lists: ``rows(Item, max_length)`` — never unbounded;
- pagination: ``@paginate(Page)`` — ``limit`` 1…``MAX_LIMIT`` (default 100), ``offset``
  0…``MAX_OFFSET``.

Input schemas subclass ``In`` (unknown fields are refused, so a misspelt field is an error, not
a silent default). A refusal is always a 4xx whose body is ``Problems``: ``detail`` (the first
problem in one line) and ``errors``, the same ``core.errors.Problem`` records (row, field,
Thai and English message) that forms and imports show. ``omboon.api.main`` turns validation
errors, ``RuleViolation``, 404 and 403 into that body and documents it on every operation.

``core`` imports nothing else of Omboon but ``core.errors`` and ``core.thaidate``, so every
app's ``api.py`` can use this module whatever its layer.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from django.utils import translation
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, BeforeValidator, ConfigDict, StringConstraints, WithJsonSchema

from omboon.core.errors import Problem
from omboon.core.thaidate import parse_date

# --- money ------------------------------------------------------------------------------------

MAX_SATANG = 10**12  # 10,000 million baht: far above any community fund, far below 64-bit sums
_SATANG_HELP = "สตางค์ (จำนวนเต็ม; 1 บาท = 100 สตางค์) / integer satang (1 baht = 100 satang; 12345 = 123.45 baht)"

Satang = Annotated[int, Field(ge=-MAX_SATANG, le=MAX_SATANG, description=_SATANG_HELP)]
NonNegativeSatang = Annotated[int, Field(ge=0, le=MAX_SATANG, description=_SATANG_HELP)]
PositiveSatang = Annotated[int, Field(ge=1, le=MAX_SATANG, description=_SATANG_HELP)]

# --- identifiers ------------------------------------------------------------------------------

MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID, description="รหัสรายการ / a row's id")]
SmallCount = Annotated[int, Field(ge=0, le=100_000)]

ORG_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$"
OrgCode = Annotated[str, StringConstraints(min_length=2, max_length=32, pattern=ORG_CODE_PATTERN),
                    Field(description="รหัสองค์กร เช่น BDC / an organisation's code, e.g. BDC")]

NATIONAL_ID_PATTERN = r"^[1-8][- ]?[0-9]{4}[- ]?[0-9]{5}[- ]?[0-9]{2}[- ]?[0-9]$"
NationalId = Annotated[str, StringConstraints(pattern=NATIONAL_ID_PATTERN), Field(
    description="เลขประจำตัวประชาชน 13 หลัก (คั่นด้วย - หรือเว้นวรรคได้; ตรวจหลักสุดท้าย) / "
                "national ID, 13 digits (- or spaces between groups allowed; the check digit is checked)",
    examples=["1-1037-00123-45-1"])]

# --- text -------------------------------------------------------------------------------------

# No control characters but tab, line feed and carriage return (PostgreSQL refuses NUL).
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


def text(max_length: int, *, min_length: int = 0, description: str | None = None) -> Any:
    """A string type of at most ``max_length`` characters (the model column's length)."""
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length, pattern=TEXT_PATTERN),
                     Field(description=description)]


Key = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$"), Field(
    description="คีย์กันส่งซ้ำ: ส่งคีย์เดิมซ้ำได้ผลเดิม / idempotency key: the same key again gives the same result")]

# --- dates ------------------------------------------------------------------------------------

MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2199, 12, 31)
ISO_DATE_PATTERN = r"^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
BE_DATE_PATTERN = (r"^((0?[1-9]|1[0-9]|2[0-9])/(0?[1-9]|1[0-2])|30/(0?[13-9]|1[0-2])|31/(0?[13578]|1[02]))"
                   r"/(244[3-9]|24[5-9][0-9]|25[0-9]{2}|26[0-9]{2}|27[0-3][0-9]|274[0-2])$")  # 1900–2199
MONTH_PATTERN = r"^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])$"


def _in_range(value: dt.date) -> dt.date:
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValueError(f"วันที่ต้องอยู่ระหว่าง {MIN_DATE} ถึง {MAX_DATE} / "
                         f"the date must be between {MIN_DATE} and {MAX_DATE}")
    return value


def _typed_date(value: Any) -> Any:
    if isinstance(value, str) and re.match(BE_DATE_PATTERN, value.strip()):
        try:
            return parse_date(value)
        except ValueError as exc:
            raise ValueError(str(exc)) from None
    return value


_ISO_SCHEMA = {"type": "string", "format": "date", "pattern": ISO_DATE_PATTERN,
               "description": "วันที่ ค.ศ. แบบ ISO ปปปป-ดด-วว (1900-01-01 … 2199-12-31) / "
                              "an ISO date YYYY-MM-DD (Gregorian, 1900-01-01 … 2199-12-31)"}
Date = Annotated[dt.date, AfterValidator(_in_range), WithJsonSchema(_ISO_SCHEMA)]
ThaiDate = Annotated[dt.date, BeforeValidator(_typed_date), AfterValidator(_in_range), WithJsonSchema({
    "anyOf": [_ISO_SCHEMA, {"type": "string", "pattern": BE_DATE_PATTERN,
                            "description": "หรือ วว/ดด/ปปปป พ.ศ. เช่น 31/12/2568 / or d/m/yyyy in the Buddhist Era, "
                                           "e.g. 31/12/2568 (= 2025-12-31)"}]})]
Month = Annotated[str, StringConstraints(pattern=MONTH_PATTERN),
                  Field(description="เดือน ค.ศ. ปปปป-ดด / a month YYYY-MM (Gregorian)", examples=["2025-06"])]

# --- coded fields -----------------------------------------------------------------------------


def choice(choices: Any, *, description: str = "", blank: bool = False) -> Any:
    """An enum of a model's codes: ``choice(Receipt.Status)``, some of its members
    (``choice([Kind.DONATION, …])``) or a list of codes. The Thai labels (Thai is the source
    language) go in the description. ``blank``: "" too (a query filter left empty: all)."""
    members = list(getattr(choices, "__members__", {}).values()) or list(choices)
    values = tuple(str(getattr(v, "value", v)) for v in members)
    with translation.override("th"):
        labels = ", ".join(f"{getattr(v, 'value', v)} = {v.label}" for v in members if hasattr(v, "label"))
    if blank:
        values = ("", *values)
        description = " · ".join(p for p in (description, "ว่าง = ทั้งหมด / empty = all") if p)
    return Annotated[Literal[values], Field(description=" · ".join(p for p in (description, labels) if p) or None)]


CODE_PATTERN = r"^[A-Za-z0-9๐-๙][A-Za-z0-9๐-๙._/-]*$"


def code(max_length: int = 16, *, description: str | None = None) -> Any:
    """A code typed by people: a member's number, a product's or an account's code (Latin
    letters, Arabic or Thai digits, then also ``.``, ``_``, ``/``, ``-``; no spaces)."""
    return Annotated[str, StringConstraints(min_length=1, max_length=max_length, pattern=CODE_PATTERN),
                     Field(description=description)]


def whole(low: int, high: int, *, description: str | None = None) -> Any:
    """A whole number from ``low`` to ``high``."""
    return Annotated[int, Field(ge=low, le=high, description=description)]


def number(low: float, high: float, *, description: str | None = None) -> Any:
    """A number (decimals allowed) from ``low`` to ``high``, e.g. a percentage."""
    return Annotated[float, Field(ge=low, le=high, allow_inf_nan=False, description=description)]


Percent = whole(0, 100, description="ร้อยละ 0–100 / a percentage, 0–100")
Year = whole(1900, 2199, description="ปี ค.ศ. / a year (Gregorian)")
MonthNumber = whole(1, 12, description="เดือน 1–12 / a month, 1–12")


def rows(item: Any, max_length: int, *, min_length: int = 0) -> Any:
    """A bounded list of ``item``."""
    return Annotated[list[item], Field(min_length=min_length, max_length=max_length)]


# --- schemas ------------------------------------------------------------------------------------


class In(Schema):
    """A request body: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class ReasonIn(In):
    """A decision that needs only its reason: a rejection, a withdrawal, a reversal."""

    reason: text(255, min_length=1)


class DateIn(In):
    """An action on a day: today if none is given (posting, paying)."""

    date: Date | None = None


class DatedReasonIn(ReasonIn):
    """A reversal (or a rejection) with its reason, on a day: today if none is given."""

    date: Date | None = None


class ProblemOut(Schema):
    """One problem: the field (and row, for lists), in Thai and English."""

    field: str
    message_th: str
    message_en: str
    row: int | None = None
    value: Any = None
    code: str = ""


class Problems(Schema):
    """Every refusal (4xx): ``detail`` is the first problem in one line, ``errors`` all of them."""

    detail: str
    errors: list[ProblemOut]


def problems_body(problems: list[Problem]) -> dict:
    return {"detail": problems[0].text() if problems else "", "errors": [p.as_dict() for p in problems]}


# --- pagination ---------------------------------------------------------------------------------

MAX_LIMIT = 500
MAX_OFFSET = 10_000_000


Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT,
                             description="จำนวนแถวสูงสุด (ไม่เกิน 500) / at most this many rows (≤ 500)")]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description="ข้ามกี่แถว / rows to skip")]


class Page(LimitOffsetPagination):
    """``limit`` (1…500, default 100) and ``offset`` (0…10,000,000); the answer is
    ``{"items": [...], "count": n}``. Deeper than ten million rows, filter by date."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description="จำนวนต่อหน้า (สูงสุด 500) / rows per page (at most 500)")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="ข้ามกี่แถว / rows to skip")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
