"""National IDs never leave an import in full: what imports show goes through here.

Whoever may see a job (the uploader, the auditor, the committee, a coordinator of the network
above) sees its problems, rejected rows and quality findings with every national ID masked by
``omboon.core.national_id.masked`` — the one masking function — so "x-xxxx-xxxxx-45-1" says
enough to find the row, and the row number and the column say where. The uploader still has
their own file.

- a value of the national-ID field (or the column mapped to it) is masked whatever it holds
  (an ID of the wrong length becomes dots, one per digit);
- any other text is searched for what reads as an ID: 13 digits in a row, or written
  1-2345-67890-12-3 (dashes or spaces), and those are masked;
- a number cell of 13 digits (an xlsx keeps IDs as numbers) is masked too.
"""

from __future__ import annotations

import re
from dataclasses import replace

from omboon.core.errors import Problem
from omboon.core.national_id import masked

ID_FIELD = "national_id"
_ID_TEXT = re.compile(r"(?<!\d)(?:\d{13}|\d-\d{4}-\d{5}-\d{2}-\d|\d \d{4} \d{5} \d{2} \d)(?!\d)")


def mask_text(text) -> str:
    """Text with whatever reads as a national ID masked."""
    text = "" if text is None else str(text)
    if len(text) < 13:
        return text
    return _ID_TEXT.sub(lambda m: masked(m.group(0)), text)


def mask_value(value, *, is_id: bool = False):
    """A cell or a problem's value as it may be shown."""
    if value is None or value == "":
        return value
    if is_id:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return masked(str(value).strip())
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        number = int(value) if isinstance(value, int) or value.is_integer() else None
        if number is not None and 10**12 <= abs(number) < 10**13:
            return masked(str(abs(number)))
        return value
    if isinstance(value, str):
        return mask_text(value)
    return value


def mask_problem(problem: Problem) -> Problem:
    is_id = problem.field == ID_FIELD
    value = mask_value(problem.value, is_id=is_id)
    th, en = mask_text(problem.message_th), mask_text(problem.message_en)
    if value is problem.value and th == problem.message_th and en == problem.message_en:
        return problem
    return replace(problem, value=value, message_th=th, message_en=en)


def mask_problems(problems) -> list[Problem]:
    return [mask_problem(p) for p in problems]


def id_columns(headers: list[str], mapping: dict[str, str]) -> set[int]:
    """Indexes of the columns mapped to a national ID."""
    return {i for i, h in enumerate(headers) if mapping.get(h) == ID_FIELD}


def mask_row(cells, id_indexes: set[int]) -> list:
    return [mask_value(c, is_id=i in id_indexes) for i, c in enumerate(cells)]
