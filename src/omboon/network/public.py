"""The public transparency page of a network or a province: figures only, never people.

Built from monthly facts (``selectors``), so it reads no member or entry at all; drawn with
``omboon.reports.charts`` (SVG, no JavaScript); cached; printable.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import cache_page

from omboon.network import facts as fact_rules
from omboon.network import selectors
from omboon.network.labels import words
from omboon.network.models import FactMonth
from omboon.network.views import lang_of
from omboon.orgs import geography, selectors as org_selectors
from omboon.orgs.models import Organisation
from omboon.reports import charts

PUBLIC_CACHE_SECONDS = 300
TREND_MONTHS = 24


@dataclass
class PublicPage:
    title: str
    groups: list[Organisation]


def _page(request, title: str, groups: list[Organisation], scope_code: str):
    lang = lang_of(request)
    w = words(lang)
    ids = [g.pk for g in groups]
    months = list(FactMonth.objects.filter(organisation_id__in=ids).order_by("-ym").values_list("ym", flat=True)[:1])
    last = months[0] if months else selectors.last_month()
    first = last - 11
    figures = selectors.group_figures(groups, first, last)
    total = selectors.Figures()
    for f in figures.values():
        total.add(f)
    areas: dict[str, selectors.Figures] = {}
    for group in groups:
        key = group.district_code or group.province_code or ""
        areas.setdefault(key, selectors.Figures()).add(figures[group.pk])
    area_rows = sorted(((geography.place_name(k, lang) or k or "–", f) for k, f in areas.items()),
                       key=lambda kv: kv[0])
    benefits = [(fact_rules.label(k, lang), total.benefit_cases.get(k, 0), total.benefits.get(k, 0))
                for k in fact_rules.LABELS if k in total.benefits or k in total.benefit_cases]
    series = selectors.monthly_series(None, first=last - TREND_MONTHS + 1, last=last, groups=groups)
    labels = charts.month_labels(series["months"], lang)
    trend_members = charts.line_chart(labels, {w["active"]: series["members"]}, title=w["active"])
    trend_fund = charts.line_chart(labels, {w["fund_size"]: series["fund"]}, title=w["fund_size"], money=True)
    trend_flows = charts.bar_chart(labels, {w["receipts"]: series["receipts"], w["benefits"]: series["benefits"]},
                                   title=f"{w['receipts']} / {w['benefits']}", money=True)
    by_category = charts.hbar_chart([(name, amount) for name, _n, amount in benefits], title=w["by_category"],
                                    money=True) if benefits else ""
    return render(request, "network/public.html", {
        "lang": lang, "w": w, "title": title, "scope_code": scope_code, "total": total,
        "from_label": charts.month_labels([divmod_ym(first)], lang)[0],
        "to_label": charts.month_labels([divmod_ym(last)], lang)[0],
        "benefits": benefits, "areas": area_rows, "charts": [trend_members, trend_fund, trend_flows, by_category],
        "credit": geography.CREDIT,
    })


def divmod_ym(ym: int) -> tuple[int, int]:
    return ym // 12, ym % 12 + 1


@cache_page(PUBLIC_CACHE_SECONDS)
def network_page(request, code: str):
    org = Organisation.objects.filter(code=code, kind=Organisation.Kind.NETWORK, is_active=True).first()
    if org is None:
        raise Http404("ไม่พบเครือข่าย / network not found")
    groups = list(org_selectors.groups_below(org).order_by("path"))
    return _page(request, org.name(lang_of(request)), groups, org.code)


@cache_page(PUBLIC_CACHE_SECONDS)
def province_page(request, code: str):
    name = geography.place_name(code, lang_of(request)) if len(code) == 2 else ""
    if not name:
        raise Http404("ไม่พบจังหวัด / province not found")
    groups = list(Organisation.objects.filter(kind=Organisation.Kind.GROUP, is_active=True, province_code=code)
                  .order_by("path"))
    prefix = "จังหวัด" if lang_of(request) == "th" else "Province of "
    return _page(request, f"{prefix}{name}", groups, code)
