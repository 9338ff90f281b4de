"""พ.ศ. dates: stored Gregorian, shown and typed in the Buddhist Era (BE = CE + 543).

    >>> format_date(date(2026, 11, 22))
    '22 พ.ย. 2569'
    >>> format_date(date(2026, 11, 22), style="long")
    '22 พฤศจิกายน 2569'
    >>> parse_date("22/11/69")
    datetime.date(2026, 11, 22)

``parse_date`` accepts what people type on a form or in a spreadsheet: dd/mm/yyyy (or with
- or .) in BE or CE — a year of 2400 or more is BE —, ISO yyyy-mm-dd, two-digit BE years,
Thai month names and abbreviations (with or without dots), English month names, and Thai
digits. Anything else is a ValueError with a message in Thai and English.
"""

from __future__ import annotations

import datetime as dt
import re

from omboon.core import language

BE_OFFSET = 543
BE_THRESHOLD = 2400  # a year of 2400 or more is Buddhist Era (2400 BE = 1857 CE)

MONTHS_TH = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
MONTHS_TH_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
MONTHS_EN_ABBR = tuple(m[:3] for m in MONTHS_EN)

STYLES = ("short", "long", "numeric")

_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def thai_digits(text: object) -> str:
    """'22/11/2569' → '๒๒/๑๑/๒๕๖๙'; other characters are kept."""
    return str(text).translate(_TO_THAI)


def arabic_digits(text: object) -> str:
    """'๒๒/๑๑/๒๕๖๙' → '22/11/2569'; other characters are kept."""
    return str(text).translate(_TO_ARABIC)


def to_be(year: int) -> int:
    return year + BE_OFFSET


def year_shown(year, lang: str | None = None) -> str:
    """A Gregorian year as people read it: พ.ศ. in Thai (2026 → 2569), as is in English; ""
    for what is not a year. ``lang`` defaults to the active language."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        return ""
    lang = lang or language.current()
    return str(year if lang == "en" else to_be(year))


def to_ce(year: int) -> int:
    return year - BE_OFFSET


def _error(message_th: str, message_en: str, text: object) -> ValueError:
    return ValueError(f"{message_th}: {text!r} / {message_en}: {text!r}")


def format_date(
    d: dt.date | None,
    style: str = "short",
    digits: str = "arabic",
    lang: str = "th",
) -> str:
    """A date as people read it: Thai in พ.ศ., English in CE. ``None`` gives "".

    th: short "22 พ.ย. 2569", long "22 พฤศจิกายน 2569", numeric "22/11/2569";
    en: short "22 Nov 2026", long "22 November 2026", numeric "22/11/2026".
    ``digits="thai"`` writes ๒๒ พ.ย. ๒๕๖๙.
    """
    if d is None:
        return ""
    if isinstance(d, dt.datetime):
        d = d.date()
    if style not in STYLES:
        raise ValueError(f"รูปแบบวันที่ไม่รู้จัก / unknown date style: {style!r}")
    if digits not in ("arabic", "thai"):
        raise ValueError(f"รูปแบบตัวเลขไม่รู้จัก / unknown digits: {digits!r}")
    if lang == "en":
        year = d.year
        months = {"short": MONTHS_EN_ABBR, "long": MONTHS_EN}
    else:
        year = to_be(d.year)
        months = {"short": MONTHS_TH_ABBR, "long": MONTHS_TH}
    text = f"{d.day:02d}/{d.month:02d}/{year}" if style == "numeric" else f"{d.day} {months[style][d.month - 1]} {year}"
    return thai_digits(text) if digits == "thai" else text


def format_month(year: int, month: int, *, lang: str = "th", digits: str = "arabic") -> str:
    """(2026, 11) → 'พฤศจิกายน 2569'; in English 'November 2026'."""
    if not 1 <= month <= 12:
        raise ValueError(f"เดือนต้องอยู่ระหว่าง 1–12 / month must be 1–12: {month!r}")
    text = f"{MONTHS_EN[month - 1]} {year}" if lang == "en" else f"{MONTHS_TH[month - 1]} {to_be(year)}"
    return thai_digits(text) if digits == "thai" else text


def _month_key(name: str) -> str:
    return name.replace(".", "").replace(" ", "").lower()


_MONTH_NAMES: dict[str, int] = {}
for _i in range(12):
    for _name in (MONTHS_TH[_i], MONTHS_TH_ABBR[_i], MONTHS_EN[_i], MONTHS_EN_ABBR[_i]):
        _MONTH_NAMES[_month_key(_name)] = _i + 1
_MONTH_NAMES["sept"] = 9

_NUMERIC = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NAMED = re.compile(r"^(\d{1,2})\s*([^\d\s][^\d]*?)\s*(\d{2}|\d{4})$")
_ERA = re.compile(
    r"(พ\.?\s*ศ\.?|ค\.?\s*ศ\.?|\b(?:b\.?e|a\.?d|c\.?e)\b\.?)", re.IGNORECASE
)


def _year(text: str, *, era: str | None, original: str) -> int:
    year = int(text)
    if len(text) == 2:
        # Two digits are a BE year in this century ("69" → 2569), unless marked CE.
        return (2000 + year) if era == "ce" else to_ce(2500 + year)
    if era == "be" or (era is None and year >= BE_THRESHOLD):
        year = to_ce(year)
    if year < 1:
        raise _error("ปีไม่ถูกต้อง", "invalid year", original)
    return year


def parse_date(text: str | dt.date) -> dt.date:
    """A Gregorian date from Thai or international input; ValueError (Thai / English) if not."""
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    if not isinstance(text, str):
        raise _error("วันที่ต้องเป็นข้อความ", "a date must be text", text)
    original = text
    s = arabic_digits(text).strip()
    if not s:
        raise _error("ต้องระบุวันที่", "the date is empty", original)
    s = re.sub(r"^วันที่\s*", "", s)

    era = None
    match = _ERA.search(s)
    if match:
        token = match.group(1).replace(".", "").replace(" ", "").lower()
        era = "be" if token in ("พศ", "be") else "ce"
        s = (s[: match.start()] + " " + s[match.end():]).strip()
        s = re.sub(r"\s+", " ", s)

    try:
        if m := _ISO.match(s):
            year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if era == "be" or (era is None and year >= BE_THRESHOLD):
                year = to_ce(year)
            return dt.date(year, month, day)
        if m := _NUMERIC.match(s):
            day, month = int(m.group(1)), int(m.group(2))
            return dt.date(_year(m.group(3), era=era, original=original), month, day)
        if m := _NAMED.match(s):
            month = _MONTH_NAMES.get(_month_key(m.group(2)))
            if month is None:
                raise _error("ไม่รู้จักชื่อเดือน", "unknown month name", original)
            return dt.date(_year(m.group(3), era=era, original=original), month, int(m.group(1)))
    except ValueError as exc:
        if " / " in str(exc):
            raise
        raise _error("ไม่มีวันที่นี้ในปฏิทิน", "no such date in the calendar", original) from None
    raise _error(
        "อ่านวันที่ไม่ได้ ใช้รูปแบบ วว/ดด/ปปปป เช่น 22/11/2569",
        "cannot read the date, use dd/mm/yyyy such as 22/11/2569",
        original,
    )
