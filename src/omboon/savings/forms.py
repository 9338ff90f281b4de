"""What the savings pages read from a form: a member by the number as typed, a reversal's entry."""

from __future__ import annotations

from omboon.core.thaidate import arabic_digits


def member_by_number(members, text: str | None):
    """A member of ``members`` (a queryset) by number as typed: "12" finds 0012, ๑๒ too."""
    text = arabic_digits((text or "").strip())
    if not text:
        return None
    found = members.filter(number=text).first()
    if found is None and text.isdigit():
        found = members.filter(number=text.zfill(4)).first()
    return found


def an_id(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() else None
