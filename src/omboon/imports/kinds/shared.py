"""What the kinds share: idempotency keys, today, one problem per cell, per-value parsing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from omboon.core.errors import Problem
from omboon.imports import cells


def idem_key(job, row: int | str) -> str:
    return f"import:{job.file_sha256[:24]}:{job.kind}:{row}"


def today_local() -> dt.date:
    return timezone.localdate()


def dedupe(problems: list[Problem]) -> list[Problem]:
    """One problem per row and field: a date refused by the parser is not also 'required'."""
    seen: set[tuple] = set()
    out = []
    for p in problems:
        key = (p.row, p.field)
        if key in seen:
            continue
        seen.add(key)
        out.append(p)
    return out


def per_value(parse):
    """``parse(cell)`` once per distinct cell value — a payments file repeats the same members,
    dates and amounts on thousands of rows — as (value, None) or (None, the CellError)."""
    done: dict = {}

    def call(value):
        key = (type(value), value)
        try:
            return done[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable cell: parse it every time
            key = None
        try:
            answer = (parse(value), None)
        except cells.CellError as exc:
            answer = (None, exc)
        if key is not None:
            done[key] = answer
        return answer

    return call
