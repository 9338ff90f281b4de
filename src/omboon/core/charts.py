"""Small SVG charts with Thai labels: no JavaScript, no network, no dependency.

Each function returns an SVG string (a ``SafeString``, so Django templates draw it as is)
that works inline in a web page, on a 360 px phone (it scales with ``viewBox``) and inside a
WeasyPrint PDF. Put them in ``Result.charts``; the HTML and PDF renderers draw them.

    from omboon.core import charts
    charts.line_chart(charts.month_labels([(2025, 1), (2025, 2)]),
                      {"ยอดกองทุน": [120000_00, 125500_00]}, title="ยอดเงินกองทุน", money=True)
    charts.bar_chart(["ม.ค.", "ก.พ."], {"รับ": [10, 20], "จ่าย": [5, 8]}, title="รับ-จ่าย")
    charts.hbar_chart([("ค่าจัดการศพ", 1064778_00), ("เยี่ยมไข้", 152000_00)], money=True)

``money=True`` means the values are integer satang and are labelled in baht; otherwise they
are plain numbers (members, cases). Every text is XML-escaped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

from omboon.core.money import format_baht
from omboon.core.thaidate import MONTHS_EN_ABBR, MONTHS_TH_ABBR, to_be

PALETTE = ("#1f6f8b", "#e07a1f", "#4c9a2a", "#b23a48", "#6a4c93", "#8a6d1f", "#2a9d8f", "#5c677d")
FONT = "Sarabun, 'Noto Sans Thai', sans-serif"


def month_labels(months: Sequence[tuple[int, int]], lang: str = "th") -> list[str]:
    """[(2025, 1), (2025, 2)] → ["ม.ค. 68", "ก.พ. 68"] (English: ["Jan 25", "Feb 25"])."""
    if lang == "en":
        return [f"{MONTHS_EN_ABBR[m - 1]} {y % 100:02d}" for y, m in months]
    return [f"{MONTHS_TH_ABBR[m - 1]} {to_be(y) % 100:02d}" for y, m in months]


def _esc(text: object) -> str:
    return escape(str(text), {'"': "&quot;"})


def _num(value) -> float:
    """A value for geometry only (positions in pixels); labels never come from this."""
    if value is None:
        return 0.0
    return float(value)


def _value_label(value, money: bool) -> str:
    if value is None:
        return ""
    if money:
        return format_baht(int(value))
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def _nice_step(span: float, ticks: int) -> float:
    if span <= 0:
        return 1.0
    raw = span / max(1, ticks)
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * magnitude:
            return m * magnitude
    return 10 * magnitude


def _axis(values: Sequence[float], ticks: int = 4) -> tuple[float, float, float]:
    lo = min([0.0, *values])
    hi = max([0.0, *values])
    if hi == lo:
        hi = lo + 1
    step = _nice_step(hi - lo, ticks)
    lo = math.floor(lo / step) * step
    hi = math.ceil(hi / step) * step
    return lo, hi, step


def _tick_label(value: float, money: bool) -> str:
    """Axis ticks in whole units (baht for money), shortened: 1,500,000 → "1.5M"."""
    v = value / 100 if money else value
    if abs(v) >= 1_000_000:
        text = f"{v / 1_000_000:,.2f}".rstrip("0").rstrip(".")
        return f"{text}M"
    return f"{v:,.0f}" if float(v).is_integer() or abs(v) >= 10 else f"{v:,.2f}"


def _open(width: int, height: int, title: str) -> list[str]:
    return [
        (f'<svg xmlns="http://www.w3.org/2000/svg" class="omb-svg-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{_esc(title)}" '
        f'font-family="{FONT}" font-size="12">'),
        f"<title>{_esc(title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def _title(parts: list[str], title: str, width: int) -> None:
    if title:
        parts.append(f'<text x="{width / 2:.1f}" y="18" text-anchor="middle" font-size="14" '
                     f'font-weight="700" fill="#222">{_esc(title)}</text>')


def _legend(parts: list[str], names: Sequence[str], width: int, y: float) -> None:
    if len(names) < 2:
        return
    x = 10.0
    for i, name in enumerate(names):
        colour = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14:.1f}" y="{y:.1f}" fill="#222">{_esc(name)}</text>')
        x += 24 + 7.5 * len(str(name))
        if x > width - 60:
            x = 10.0
            y += 16


def _grid(parts, lo, hi, step, left, top, plot_w, plot_h, money) -> None:
    n = round((hi - lo) / step)
    for i in range(n + 1):
        v = lo + i * step
        y = top + plot_h - (v - lo) / (hi - lo) * plot_h
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
                     f'stroke="{"#888" if v == 0 else "#e3e3e3"}" stroke-width="1"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="#555">{_esc(_tick_label(v, money))}</text>')


def _x_labels(parts, labels, xs, y, max_labels: int = 12) -> None:
    every = max(1, math.ceil(len(labels) / max_labels))
    for i, (label, x) in enumerate(zip(labels, xs)):
        if i % every == 0 or (i == len(labels) - 1 and len(labels) <= max_labels):
            parts.append(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" font-size="11" '
                         f'fill="#333">{_esc(label)}</text>')


@dataclass
class _Frame:
    """The plot area of a line or bar chart over ``labels``: its axis, margins and one x a label."""

    names: list[str]
    lo: float
    hi: float
    left: int
    right: int
    top: int
    plot_w: float
    plot_h: float
    n: int
    parts: list[str]


def _frame(labels, series, *, title: str, money: bool, width: int, height: int) -> _Frame:
    """Axis, margins, the opened SVG with its title and grid, for a chart of ``series``."""
    names = list(series)
    lo, hi, step = _axis([_num(v) for vs in series.values() for v in vs if v is not None])
    left, right = 64, 16
    top = 30 if title else 12
    bottom = 28 + (20 if len(names) > 1 else 0)  # a legend when there are two series or more
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = _open(width, height, title)
    _title(parts, title, width)
    _grid(parts, lo, hi, step, left, top, plot_w, plot_h, money)
    return _Frame(names, lo, hi, left, right, top, plot_w, plot_h, max(1, len(labels)), parts)


def line_chart(labels: Sequence[str], series: dict[str, Sequence], *, title: str = "",
               money: bool = False, width: int = 640, height: int = 280) -> SafeString:
    """One line per series over ``labels`` (months); a point per value, the last one labelled."""
    f = _frame(labels, series, title=title, money=money, width=width, height=height)
    names, lo, hi, left, right, top, plot_w, plot_h, n, parts = (
        f.names, f.lo, f.hi, f.left, f.right, f.top, f.plot_w, f.plot_h, f.n, f.parts)
    xs = [left + (plot_w * (i + 0.5) / n) for i in range(n)]

    def y_of(v) -> float:
        return top + plot_h - (_num(v) - lo) / (hi - lo) * plot_h

    for si, name in enumerate(names):
        colour = PALETTE[si % len(PALETTE)]
        pts = [(xs[i], y_of(v)) for i, v in enumerate(series[name][:n]) if v is not None]
        if len(pts) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.2" '
                         f'stroke-linejoin="round" stroke-linecap="round"/>')
        for x, y in pts:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{3 if n <= 24 else 1.8}" fill="{colour}"/>')
        last = [v for v in series[name][:n] if v is not None]
        if pts and last:
            x, y = pts[-1]
            parts.append(f'<text x="{min(x, width - right - 2):.1f}" y="{y - 7:.1f}" text-anchor="end" '
                         f'font-size="11" fill="{colour}">{_esc(_value_label(last[-1], money))}</text>')
    _x_labels(parts, labels, xs, top + plot_h + 16)
    _legend(parts, names, width, height - 6)
    parts.append("</svg>")
    return mark_safe("".join(parts))


def bar_chart(labels: Sequence[str], series: dict[str, Sequence], *, title: str = "",
              money: bool = False, width: int = 640, height: int = 280) -> SafeString:
    """Grouped vertical bars: one group per label, one bar per series (inflow vs payouts)."""
    f = _frame(labels, series, title=title, money=money, width=width, height=height)
    names, lo, hi, left, top, plot_w, plot_h, n, parts = (
        f.names, f.lo, f.hi, f.left, f.top, f.plot_w, f.plot_h, f.n, f.parts)
    group_w = plot_w / n
    bar_w = max(1.0, group_w * 0.8 / max(1, len(names)))
    xs = [left + group_w * (i + 0.5) for i in range(n)]

    def y_of(v: float) -> float:
        return top + plot_h - (v - lo) / (hi - lo) * plot_h

    zero = y_of(0.0)
    for si, name in enumerate(names):
        colour = PALETTE[si % len(PALETTE)]
        for i, v in enumerate(series[name][:n]):
            if v is None:
                continue
            x = left + group_w * i + group_w * 0.1 + bar_w * si
            y = y_of(_num(v))
            parts.append(f'<rect x="{x:.1f}" y="{min(y, zero):.1f}" width="{bar_w:.1f}" '
                         f'height="{abs(zero - y):.1f}" fill="{colour}">'
                         f'<title>{_esc(name)} {_esc(labels[i] if i < len(labels) else "")}: '
                         f'{_esc(_value_label(v, money))}</title></rect>')
    _x_labels(parts, labels, xs, top + plot_h + 16)
    _legend(parts, names, width, height - 6)
    parts.append("</svg>")
    return mark_safe("".join(parts))


def hbar_chart(items: Sequence[tuple[str, int | float | Decimal]], *, title: str = "",
               money: bool = False, width: int = 640, bar_height: int = 22) -> SafeString:
    """Horizontal bars by category (benefits by category), each labelled with its value."""
    label_w = min(220, max(60, int(max((len(str(k)) for k, _ in items), default=4) * 7.5) + 12))
    value_w = 110
    top = 30 if title else 8
    height = top + max(1, len(items)) * (bar_height + 6) + 8
    plot_w = width - label_w - value_w
    biggest = max([abs(_num(v)) for _, v in items] + [0.0]) or 1.0

    parts = _open(width, height, title)
    _title(parts, title, width)
    for i, (label, v) in enumerate(items):
        colour = PALETTE[i % len(PALETTE)]
        y = top + i * (bar_height + 6)
        w = abs(_num(v)) / biggest * plot_w
        parts.append(f'<text x="{label_w - 8}" y="{y + bar_height * 0.7:.1f}" text-anchor="end" '
                     f'fill="#222">{_esc(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y:.1f}" width="{max(w, 0.5):.1f}" height="{bar_height}" '
                     f'fill="{colour}" rx="2"/>')
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + bar_height * 0.7:.1f}" fill="#222">'
                     f'{_esc(_value_label(v, money))}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
