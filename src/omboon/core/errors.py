"""Error records: validation rules return these instead of raising one at a time.

A form, an import and an API call all show the same records, in Thai and English, naming the
row (for imports) and the field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    field: str
    message_th: str
    message_en: str
    row: int | None = None
    value: Any = None
    code: str = ""

    def text(self) -> str:
        where = f"แถว {self.row} / row {self.row}, " if self.row is not None else ""
        return f"{where}{self.field}: {self.message_th} / {self.message_en}"

    def message(self, lang: str = "th") -> str:
        """What a person reads on a page, in the page's one language; never the field's code
        name."""
        return self.message_en if lang == "en" else self.message_th

    @classmethod
    def from_error(cls, field: str, exc: Exception, **kw: Any) -> Problem:
        """A Problem from a parser's ValueError, whose message reads "Thai / English"."""
        th, en = split_message(exc)
        return cls(field, th, en, **kw)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if d["value"] is not None and not isinstance(d["value"], (str, int, float, bool)):
            d["value"] = str(d["value"])
        return d


def split_message(exc: Exception) -> tuple[str, str]:
    """("Thai", "English") of a message written "Thai / English" (the parsers' convention)."""
    th, _, en = str(exc).partition(" / ")
    return th, en or th


class RuleViolation(Exception):
    """Raised by a service when its rules returned problems; nothing was written."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(p.text() for p in self.problems))

    @classmethod
    def single(cls, field: str, message_th: str, message_en: str, **kw: Any) -> RuleViolation:
        return cls([Problem(field, message_th, message_en, **kw)])


Check = Callable[[Any], list[Problem]]


def problems_of(checks: Iterable[Check], subject: Any) -> list[Problem]:
    """Every problem that the checks of one write (a named list in a domain's ``rules.py``)
    find in ``subject``, in the list's order: the service, its bulk sibling, the import and the
    API run the same list, and a page asks it whether to offer the action at all."""
    return [problem for check in checks for problem in check(subject)]


def raise_if(problems: Iterable[Problem]) -> None:
    problems = list(problems)
    if problems:
        raise RuleViolation(problems)
