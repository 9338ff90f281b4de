"""Console tables for the commands: Thai vowel and tone marks take no column of their own."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def width(text: str) -> int:
    """Columns the text takes in a terminal (combining marks such as ่ ้ ิ ี ุ take none)."""
    return sum(0 if unicodedata.combining(ch) or unicodedata.category(ch) == "Mn" else 1
               for ch in str(text))


def pad(text: str, columns: int, right: bool = False) -> str:
    fill = " " * max(0, columns - width(text))
    return f"{fill}{text}" if right else f"{text}{fill}"


def table(rows: Sequence[Sequence[str]], *, right: Sequence[int] = (), rule: bool = True) -> list[str]:
    """Lines of a plain-text table; the first row is the header. ``right``: right-aligned columns."""
    rows = [[str(c) for c in row] for row in rows]
    if not rows:
        return []
    widths = [max(width(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for n, row in enumerate(rows):
        out.append("  ".join(pad(c, w, i in right) for i, (c, w) in enumerate(zip(row, widths))).rstrip())
        if n == 0 and rule:
            out.append("  ".join("-" * w for w in widths))
    return out
