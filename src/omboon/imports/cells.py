"""Cell parsers: what a spreadsheet or a CSV holds, made into typed values.

Each parser takes a raw cell (text from a CSV; text, number, date or bool from an xlsx read
by calamine) and returns the value or raises ``CellError`` with a Thai and an English message.

- dates: พ.ศ. or ค.ศ., dd/mm/yyyy, Thai month names and abbreviations, Thai digits (all by
  ``omboon.core.thaidate.parse_date``), and Excel serial numbers (45000 → 2023-03-15)
- amounts: thousands separators, baht signs, Thai digits (``omboon.core.money.parse_baht``),
  and numeric xlsx cells (a float of at most two decimals, taken exactly)
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from omboon.core import national_id, thaidate
from omboon.core.errors import split_message
from omboon.core.money import parse_baht

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug included)
SERIAL_MIN, SERIAL_MAX = 1, 2_958_465  # 9999-12-31
MAX_CELL_CHARS = 1000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class CellError(ValueError):
    def __init__(self, message_th: str, message_en: str):
        self.message_th, self.message_en = message_th, message_en
        super().__init__(f"{message_th} / {message_en}")


def _split(exc: ValueError) -> CellError:
    return CellError(*split_message(exc))


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value) -> str:
    """A cell as text: numbers without a spurious ".0", dates as ISO, whitespace trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    return str(value).replace("\u00a0", " ").strip()


def digits(value) -> str:
    """Thai digits to Arabic, as text."""
    return thaidate.arabic_digits(text(value))


def from_serial(serial: float) -> dt.date:
    if not SERIAL_MIN <= serial <= SERIAL_MAX:
        raise CellError("เลขวันที่ของ Excel อยู่นอกช่วง", "Excel date serial out of range")
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


_SERIAL_TEXT = re.compile(r"^\d{4,7}(?:\.0+)?$")


@lru_cache(maxsize=8192)
def _date_from_text(s: str) -> dt.date:
    s2 = thaidate.arabic_digits(s).strip()
    if _SERIAL_TEXT.match(s2) and 1000 <= float(s2) <= SERIAL_MAX:
        return from_serial(float(s2))
    try:
        return thaidate.parse_date(s)
    except ValueError as exc:
        raise _split(exc) from None


def parse_date(value) -> dt.date:
    """A Gregorian date from any date cell; CellError otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError("วันที่ไม่ถูกต้อง", "not a date")
    if isinstance(value, (int, float)):
        return from_serial(float(value))
    if isinstance(value, dt.time):
        raise CellError("ช่องนี้เป็นเวลา ไม่ใช่วันที่", "the cell holds a time, not a date")
    s = text(value)
    if not s:
        raise CellError("ต้องระบุวันที่", "the date is empty")
    return _date_from_text(s)


@lru_cache(maxsize=8192)
def _amount_from_text(s: str) -> int:
    try:
        return parse_baht(s)
    except ValueError as exc:
        raise _split(exc) from None


def parse_amount(value) -> int:
    """Satang from an amount cell; CellError otherwise."""
    if isinstance(value, bool):
        raise CellError("จำนวนเงินไม่ถูกต้อง", "not a valid amount")
    if isinstance(value, int):
        return value * 100
    if isinstance(value, float):
        try:
            exact = Decimal(repr(value))
        except InvalidOperation:
            raise CellError("จำนวนเงินไม่ถูกต้อง", "not a valid amount") from None
        if not exact.is_finite():
            raise CellError("จำนวนเงินไม่ถูกต้อง", "not a valid amount")
        satang = exact * 100
        if satang != satang.to_integral_value():
            raise CellError("จำนวนเงินมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง", "an amount has at most 2 decimals")
        return int(satang)
    s = text(value)
    if not s:
        raise CellError("ต้องระบุจำนวนเงิน", "the amount is empty")
    return _amount_from_text(s)


def parse_id(value) -> str:
    """A national ID as 13 digits: separators dropped, a numeric cell without ".0"."""

    return national_id.clean(digits(value))


def parse_phone(value) -> str:
    """A phone number; a numeric xlsx cell that lost its leading zero gets it back."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        s = text(value)
        if len(s) == 9 and s[0] in "689":
            s = "0" + s
        return s
    return digits(value)


def looks_like_formula(value: str) -> bool:
    """Text a spreadsheet would run: "=SUM(...)", "@cmd", "+1+1" (not a plain negative number)."""
    if not value or value[0] not in FORMULA_START:
        return False
    return not (value[0] in "+-" and re.fullmatch(r"[+-]\s*[\d.,]+", value))
