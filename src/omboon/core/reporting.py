"""The report registry (after django-oscar): each report is a small class with a code, Thai
and English titles, the capability needed to see it, and a ``build`` that returns plain
tables. Renderers (``omboon.reports.render``) turn any result into HTML, xlsx, PDF, csv or
json, so a report never formats its own output.

A domain registers its reports in ``omboon/<app>/reports.py``; ``autodiscover`` imports them.
"""

from __future__ import annotations

import abc
import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.apps import apps

# Column kinds the renderers know: money is integer satang; int a count; pct a float 0–100.
TEXT, MONEY, INT, DATE, PCT = "text", "money", "int", "date", "pct"


def note(lang: str, th: str, en: str) -> str:
    """A report's note in the request's language, one language at a time: English alone in
    English, Thai alone in Thai."""
    return en if lang == "en" else th


@dataclass
class Column:
    key: str
    title_th: str
    title_en: str
    kind: str = TEXT
    total: bool = False  # sum this column into a totals row (a formula in xlsx)

    def title(self, lang: str = "th") -> str:
        return self.title_en if lang == "en" else self.title_th


@dataclass
class Table:
    title_th: str
    title_en: str
    columns: list[Column]
    rows: list[dict[str, Any]]

    def title(self, lang: str = "th") -> str:
        return self.title_en if lang == "en" else self.title_th

    def totals(self) -> dict[str, Any] | None:
        summed = {c.key: sum(r.get(c.key) or 0 for r in self.rows) for c in self.columns if c.total}
        return summed or None


@dataclass
class Result:
    code: str
    title_th: str
    title_en: str
    organisation: Any
    start: dt.date | None
    end: dt.date | None
    tables: list[Table]
    notes: list[str] = field(default_factory=list)
    charts: list[Any] = field(default_factory=list)  # SVG strings, drawn by omboon.core.charts
    signatures: bool = True

    def title(self, lang: str = "th") -> str:
        return self.title_en if lang == "en" else self.title_th


class Report(abc.ABC):
    code: ClassVar[str]
    title_th: ClassVar[str]
    title_en: ClassVar[str]
    need: ClassVar[str] = "records"  # omboon.orgs.scoping.RECORDS (core names no layer above it)
    groups_only: ClassVar[bool] = False  # True: makes no sense for a network
    per_member: ClassVar[bool] = False  # True: of one member (opened from the member's page, not listed)

    @abc.abstractmethod
    def build(self, *, organisation, start: dt.date | None, end: dt.date | None,
              lang: str = "th", params: dict | None = None) -> Result:
        """The report's tables for one organisation and period."""

    def result(self, organisation, start, end, tables, **kw) -> Result:
        return Result(self.code, self.title_th, self.title_en, organisation, start, end, tables, **kw)


def formula_safe(text: str) -> str:
    """Text a spreadsheet will never run as a formula: "=1+1" → "'=1+1"."""
    return "'" + text if text.startswith(_FORMULA_START) else text


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

REGISTRY: dict[str, Report] = {}


def register(cls: type[Report]) -> type[Report]:
    if cls.code in REGISTRY:
        raise ValueError(f"report code {cls.code} registered twice")
    REGISTRY[cls.code] = cls()
    return cls


def autodiscover() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("omboon."):
            try:
                importlib.import_module(f"{config.name}.reports")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.reports":
                    raise


def get(code: str) -> Report:
    autodiscover()
    return REGISTRY[code]


# --- the renderers, injected ----------------------------------------------------------------
# ``omboon.reports`` (a layer above the domains) renders a Result as html, xlsx, pdf, csv or
# json; it hands its one door here when the app is ready, so a domain's page can print a report
# (a member's passbook) without importing the layer above it.

_renderer: Callable[..., bytes] | None = None


def set_renderer(render: Callable[..., bytes]) -> None:
    global _renderer
    _renderer = render


def render(result: Result, fmt: str, *, lang: str = "th", request=None) -> bytes:
    """``omboon.reports.render.render``: ``fmt`` in html, xlsx, pdf, csv, json; bytes."""
    if _renderer is None:
        raise RuntimeError("omboon.reports is not installed: no renderer for reports")
    return _renderer(result, fmt, lang=lang, request=request)
