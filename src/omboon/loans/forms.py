"""The loan pages' members and guarantors as typed (dates and money: ``core.fields``)."""

from __future__ import annotations

from omboon.core.thaidate import arabic_digits
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


def guarantor_numbers(data) -> list[str]:
    """The guarantor lines of a form (``guarantor_1`` … ``guarantor_4``), blanks left out."""
    return [t for t in (data.get(f"guarantor_{i}", "").strip() for i in range(1, 5)) if t]
