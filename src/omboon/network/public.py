"""The public transparency page of a network or a province: figures only, never people.

Built from monthly facts (``selectors``), so it reads no member or entry at all; drawn with
``omboon.core.charts`` (SVG, no JavaScript); cached; printable.

Small numbers are withheld, always here in Python (``public_figures``), never in the template:

1. Groups. A page, and every row of its area table, is an aggregate of groups. Figures of an
   aggregate are published only when at least ``MIN_GROUPS`` (3) groups report in it, so that no
   figure — members, cases or money — is one or two groups' own books. An aggregate of 1–2
   groups shows no figure and names no group; the page says, in Thai and English, why.
   Subtraction between published aggregates must not isolate 1–2 groups either (the province
   network minus a five-group zone would be the one-group zone). So every reporting group is
   put in one *block* of at least 3 groups (``Blocks``: groups of one network, province and
   district together, then small ones pooled with the smallest block of the same province,
   network, parent network, …), and an aggregate is published only if it is a whole union of
   blocks. A reader then learns at most block totals, by any sum or difference of public
   pages, and every block holds at least 3 groups. A page that fails for this reason says so
   (it may itself have many groups). Area rows that are not unions of blocks are added to one
   "other areas" row (page total minus the shown rows, so itself a union of blocks).
2. People and cases. A count of people or cases (members, benefit cases by category) of 1–4
   shows as "< 5" (``suppressed``). A total over a breakdown that shows a "< 5" cell is not
   shown exactly but as the range the shown cells allow (each "< 5" between 1 and 4,
   ``count_breakdown``): nothing a reader could not add up from the cells, so subtracting the
   shown cells from it says no more than "between 1 and 4" about any "< 5" cell, even to a
   reader who knows this rule. The members of the area table need no range: an area row with
   1–4 active members goes to "other areas", and while "other areas" holds 1–4 members the
   smallest shown area joins it, so the total and every row are 0, at least 5, or (only when
   the page total itself is below 5) "< 5". Points of the members trend below 5 are left out
   of the chart. Benefit cases are counted net of voids, at least 0 per category.
3. Money (fund size, benefits paid, contributions) of a published aggregate is exact; but the
   savings of fewer than 5 savers, the loans outstanding (and PAR30) of fewer than 5 loans and
   the write-offs of fewer than 5 loans are not shown (close to one person's), their count "< 5".
   Loans are portfolio quality of the groups together (loans outstanding, PAR30, write-offs),
   never a borrower.

Not covered: two public pages over different months, and month-to-month changes of a total
(the trend), are not protected against differencing; nor are counts of a difference of two
published pages (a union of blocks) held to 5.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_page

from omboon.core import charts, language
from omboon.network import facts as fact_rules
from omboon.network import selectors
from omboon.network.labels import words
from omboon.network.models import FactMonth
from omboon.orgs import geography
from omboon.orgs import selectors as org_selectors
from omboon.orgs.models import Organisation

PUBLIC_CACHE_SECONDS = 300
TREND_MONTHS = 24
MIN_COUNT = 5  # counts of people or cases below this (and above 0) show as "< 5"
MIN_GROUPS = 3  # an aggregate of fewer reporting groups shows no figure
SMALL = f"< {MIN_COUNT}"

FEW_GROUPS = "few_groups"
OVERLAP = "overlap"
WITHHELD = {
    FEW_GROUPS: ("ไม่แสดงตัวเลข เพราะมีกลุ่มที่ส่งข้อมูลในพื้นที่นี้น้อยกว่า 3 กลุ่ม",
                 "Figures are withheld because fewer than 3 groups report here."),
    OVERLAP: ("ไม่แสดงตัวเลข เพราะหากนำไปลบกับตัวเลขของหน้าสาธารณะอื่น จะได้ตัวเลขของกลุ่มที่น้อยกว่า 3 กลุ่ม",
              ("Figures are withheld because, subtracted from another public page, they would give "
              "the figures of fewer than 3 groups.")),
}


# --- the one door for counts of people and cases ----------------------------------------------

def suppressed(count: int) -> str:
    """A public count of people or cases: 0 and 5 or more as they are, 1–4 as "< 5"."""
    count = max(0, count)
    return SMALL if 0 < count < MIN_COUNT else f"{count:,}"


def count_breakdown(cells: list[int]) -> tuple[list[str], str]:
    """Cells of a breakdown through ``suppressed`` and their total: exact when no cell is
    "< 5", else the range the shown cells allow (worked out from the shown cells alone)."""
    cells = [max(0, n) for n in cells]
    shown = [suppressed(n) for n in cells]
    small = sum(1 for n in cells if 0 < n < MIN_COUNT)
    if not small:
        return shown, suppressed(sum(cells))
    exact = sum(n for n in cells if not 0 < n < MIN_COUNT)
    lo, hi = exact + small, exact + small * (MIN_COUNT - 1)
    return shown, SMALL if hi < MIN_COUNT else f"{lo:,}–{hi:,}"


# --- blocks: which aggregates of groups may be published ---------------------------------------

def area_key(group: Organisation) -> str:
    return group.district_code or group.province_code or ""


def _pool(blocks: list[set[int]]) -> list[set[int]]:
    """Blocks of fewer than 3 groups into one; while that is still small, the smallest other."""
    big = sorted((b for b in blocks if len(b) >= MIN_GROUPS), key=lambda b: (len(b), min(b)))
    small: set[int] = set().union(*(b for b in blocks if 0 < len(b) < MIN_GROUPS))
    if not small:
        return big
    while len(small) < MIN_GROUPS and big:
        small |= big.pop(0)
    return [*big, small]


class Blocks:
    """Every reporting group (one with monthly facts) in one block of at least 3 groups, built
    the same for every public page (see the module docstring)."""

    def __init__(self):
        reporting = set(FactMonth.objects.order_by().values_list("organisation_id", flat=True).distinct())
        own: dict[str, dict[tuple[str, str], set[int]]] = defaultdict(lambda: defaultdict(set))
        children: dict[str, set[str]] = defaultdict(set)
        for pk, path, province, district in (Organisation.objects.filter(kind=Organisation.Kind.GROUP,
                                                                         is_active=True)
                                             .values_list("pk", "path", "province_code", "district_code")):
            if pk not in reporting:
                continue
            parts = [p for p in path.split("/") if p][:-1]
            prefixes = [""] + ["".join(f"{p}/" for p in parts[:i]) for i in range(1, len(parts) + 1)]
            for up, down in itertools.pairwise(prefixes):
                children[up].add(down)
            own[prefixes[-1]][(province or "", district or province or "")].add(pk)

        def build(node: str) -> list[set[int]]:
            by_province: dict[str, list[set[int]]] = defaultdict(list)
            for (province, _area), ids in own[node].items():
                by_province[province].append(ids)
            blocks = _pool([b for atoms in by_province.values() for b in _pool(atoms)])
            for child in sorted(children[node]):
                blocks += build(child)
            return _pool(blocks)

        self.block_of: dict[int, frozenset[int]] = {}
        for block in build(""):
            frozen = frozenset(block)
            for pk in frozen:
                self.block_of[pk] = frozen

    def reporting(self, ids) -> set[int]:
        return {pk for pk in ids if pk in self.block_of}

    def withheld(self, ids) -> str | None:
        """Why the figures of these groups may not be published (None: they may)."""
        mine = self.reporting(ids)
        if len(mine) < MIN_GROUPS:
            return FEW_GROUPS
        if any(len(self.block_of[pk]) < MIN_GROUPS or not self.block_of[pk] <= mine for pk in mine):
            return OVERLAP
        return None


# --- the page's figures -------------------------------------------------------------------------

@dataclass
class AreaRow:
    name: str
    figures: selectors.Figures
    members: str = ""

    @property
    def loans(self) -> LoanFigures | None:
        return loan_figures(self.figures)


@dataclass
class PublicFigures:
    """Everything a public page shows, already through the rules above (counts as text)."""

    withheld: tuple[str, str] | None = None  # (Thai, English) reason; nothing else is set
    groups: int = 0
    members: str = ""
    cases: str = ""
    fund_size: int = 0
    savings: int = 0  # members' savings and shares, added up (an aggregate, never a person's)
    savers: str = ""
    benefits_total: int = 0
    benefits: list[tuple[str, str, int]] = field(default_factory=list)  # (category, cases, satang)
    reported: int = 0  # groups with monthly facts (the rest: "not reported", in no figure)
    loans: LoanFigures | None = None  # portfolio quality, when the groups lend
    areas: list[AreaRow] = field(default_factory=list)
    charts: list = field(default_factory=list)
    first: int = 0
    last: int = 0

    @property
    def not_reported(self) -> int:
        return self.groups - self.reported


@dataclass
class LoanFigures:
    """Portfolio quality of the groups together: aggregates only. Money of fewer than 5 loans
    (or write-offs) would come close to one borrower's, so it shows only from 5 on (0 or None
    here, the count as "< 5")."""

    loans: int = 0  # outstanding principal
    count: str = ""
    par30: float | None = None  # % of the outstanding principal
    write_offs: int = 0  # principal written off over the page's 12 months
    write_off_count: str = ""


def loan_figures(f: selectors.Figures) -> LoanFigures | None:
    if not (f.loans_count or f.write_off_count):
        return None
    shown = f.loans_count >= MIN_COUNT
    return LoanFigures(loans=f.loans if shown else 0, count=suppressed(f.loans_count),
                       par30=f.par30_percent if shown else None,
                       write_offs=f.write_offs if f.write_off_count >= MIN_COUNT else 0,
                       write_off_count=suppressed(f.write_off_count))


def public_figures(groups: list[Organisation], lang: str, blocks: Blocks | None = None) -> PublicFigures:
    blocks = blocks or Blocks()
    reason = blocks.withheld([g.pk for g in groups])
    if reason:
        return PublicFigures(withheld=WITHHELD[reason])
    w = words(lang)
    ids = [g.pk for g in groups]
    months = list(FactMonth.objects.filter(organisation_id__in=ids).order_by("-ym").values_list("ym", flat=True)[:1])
    last = months[0] if months else selectors.last_month()
    first = last - 11
    figures = selectors.group_figures(groups, first, last)
    total = selectors.Figures()
    for f in figures.values():
        total.add(f)

    keys = [k for k in fact_rules.LABELS if k in total.benefits or k in total.benefit_cases]
    cells, cases = count_breakdown([total.benefit_cases.get(k, 0) for k in keys])
    benefits = [(fact_rules.label(k, lang), n, total.benefits.get(k, 0)) for k, n in zip(keys, cells)]

    by_area: dict[str, list[Organisation]] = defaultdict(list)
    for group in groups:
        by_area[area_key(group)].append(group)
    rows = []
    for key, members_of in by_area.items():
        f = selectors.Figures()
        for g in members_of:
            f.add(figures[g.pk])
        rows.append((geography.place_name(key, lang) or key or "–", f, [g.pk for g in members_of]))
    shown, others = [], selectors.Figures()
    for name, f, row_ids in rows:
        if blocks.withheld(row_ids) is None and not 0 < f.members_active < MIN_COUNT:
            shown.append((name, f))
        else:
            others.add(f)
    shown.sort(key=lambda nf: (nf[1].members_active, nf[0]))
    while 0 < others.members_active < MIN_COUNT and shown:
        others.add(shown.pop(0)[1])
    areas = [AreaRow(name, f, suppressed(f.members_active)) for name, f in sorted(shown, key=lambda nf: nf[0])]
    if others.groups:
        areas.append(AreaRow(w["other_areas" if areas else "all_areas"], others, suppressed(others.members_active)))

    series = selectors.monthly_series(None, first=last - TREND_MONTHS + 1, last=last, groups=groups)
    labels = charts.month_labels(series["months"], lang)
    members_line = [None if 0 < n < MIN_COUNT else n for n in series["members"]]
    amounts = [(name, amount) for name, _n, amount in benefits]
    return PublicFigures(
        groups=total.groups, members=suppressed(total.members_active), cases=cases, fund_size=total.fund_size,
        # what fewer than five members hold together would come close to one person's savings
        savings=total.savings if total.savers >= MIN_COUNT else 0, savers=suppressed(total.savers),
        benefits_total=total.benefits_total, benefits=benefits, areas=areas, first=first, last=last,
        reported=total.reported, loans=loan_figures(total),
        charts=[charts.line_chart(labels, {w["active"]: members_line}, title=w["active"]),
                charts.line_chart(labels, {w["fund_size"]: series["fund"]}, title=w["fund_size"], money=True),
                charts.bar_chart(labels, {w["receipts"]: series["receipts"], w["benefits"]: series["benefits"]},
                                 title=f"{w['receipts']} / {w['benefits']}", money=True),
                charts.hbar_chart(amounts, title=w["by_category"], money=True) if amounts else ""],
    )


def _page(request, title: str, groups: list[Organisation], scope_code: str):
    lang = language.of_request(request)
    page = public_figures(groups, lang)
    context = {"lang": lang, "w": words(lang), "title": title, "scope_code": scope_code, "page": page,
               "credit": geography.CREDIT}
    if not page.withheld:
        with translation.override(lang):  # the page's language ("?lang=en"), which may not be the active one
            context["not_reported"] = ngettext("%(n)s กลุ่ม", "%(n)s กลุ่ม", page.not_reported) % {
                "n": f"{page.not_reported:,}"}
        context["from_label"] = charts.month_labels([divmod_ym(page.first)], lang)[0]
        context["to_label"] = charts.month_labels([divmod_ym(page.last)], lang)[0]
    return render(request, "network/public.html", context)


def divmod_ym(ym: int) -> tuple[int, int]:
    return ym // 12, ym % 12 + 1


@cache_page(PUBLIC_CACHE_SECONDS)
def network_page(request, code: str):
    org = Organisation.objects.filter(code=code, kind=Organisation.Kind.NETWORK, is_active=True).first()
    if org is None:
        raise Http404("ไม่พบเครือข่าย / network not found")
    groups = list(org_selectors.groups_below(org).order_by("path"))
    return _page(request, org.name(language.of_request(request)), groups, org.code)


@cache_page(PUBLIC_CACHE_SECONDS)
def province_page(request, code: str):
    name = geography.place_name(code, language.of_request(request)) if len(code) == 2 else ""
    if not name:
        raise Http404("ไม่พบจังหวัด / province not found")
    groups = list(Organisation.objects.filter(kind=Organisation.Kind.GROUP, is_active=True, province_code=code)
                  .order_by("path"))
    prefix = "จังหวัด" if language.of_request(request) == "th" else "Province of "
    return _page(request, f"{prefix}{name}", groups, code)
