"""Reading a report's period from what people type: พ.ศ. dd/mm/yyyy or ISO, on a form or a
command line. Shared by the web views and ``omboon report``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from omboon.core.thaidate import format_date, parse_date


@dataclass
class Period:
    start: dt.date | None = None
    end: dt.date | None = None
    errors: dict[str, str] = field(default_factory=dict)  # "from" / "to" → message (Thai / English)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_date(text: str | None) -> dt.date | None:
    """None for empty text; a ValueError in Thai and English for what is not a date."""
    if text is None or not str(text).strip():
        return None
    return parse_date(str(text).strip())


def read_period(start_text: str | None, end_text: str | None) -> Period:
    period = Period()
    for key, text in (("from", start_text), ("to", end_text)):
        try:
            value = read_date(text)
        except ValueError as exc:
            period.errors[key] = str(exc)
            continue
        setattr(period, "start" if key == "from" else "end", value)
    if period.ok and period.start and period.end and period.start > period.end:
        period.errors["to"] = (
            "วันที่สิ้นสุดต้องไม่ก่อนวันที่เริ่มต้น / the end date must not be before the start date"
        )
    return period


def typed(d: dt.date | None, lang: str = "th") -> str:
    """A date as people type it back into the form: 22/11/2569 (พ.ศ.) or 22/11/2026."""
    return format_date(d, "numeric", lang=lang) if d else ""
