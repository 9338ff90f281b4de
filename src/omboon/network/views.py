"""Network pages under /o/<org>/network/: consolidated figures (tree and geography), fund
status, statements by standard code, reporting rate, data quality, a group's sharing choice.
Thin: parse the months, ask ``selectors``, render."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from omboon.core import language
from omboon.core.errors import RuleViolation
from omboon.core.thaidate import format_month
from omboon.ledger import chart
from omboon.network import facts as fact_rules
from omboon.network import selectors, services
from omboon.network.labels import words
from omboon.network.models import SharingPolicy, year_month, ym_of
from omboon.orgs import scoping
from omboon.orgs.decorators import org_view

MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(text: str | None) -> int | None:
    match = MONTH_RE.match((text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    year = int(match.group(1))
    return ym_of(year - 543 if year > 2400 else year, int(match.group(2)))


def month_text(ym: int) -> str:
    year, month = year_month(ym)
    return f"{year}-{month:02d}"


def _range(request, org) -> tuple[int, int, list[str]]:
    first, last = selectors.default_range(org)
    errors = []
    if request.GET.get("to"):
        last = parse_month(request.GET["to"]) or last
        if parse_month(request.GET["to"]) is None:
            errors.append("to")
    if request.GET.get("from"):
        first = parse_month(request.GET["from"]) or first
        if parse_month(request.GET["from"]) is None:
            errors.append("from")
    elif request.GET.get("to"):
        first = ym_of(year_month(last)[0], 1)
    if first > last:
        first, last = last, first
    return first, last, errors


def _context(request, page: str, **extra) -> dict:
    org = request.access.organisation
    lang = language.of_request(request)
    w = words(lang)
    first, last = extra.get("first"), extra.get("last")
    query = {"from": month_text(first), "to": month_text(last)} if first is not None else {}
    tabs = [(key, w[key], reverse(f"network:{name}", kwargs={"org": org.code}))
            for key, name in (("status", "status"), ("area", "area"), ("fund_status", "fund-status"),
                              ("statements", "statements"), ("reporting_rate", "reporting-rate"),
                              ("quality", "quality"))
            if not (org.is_group and key in ("area", "reporting_rate", "quality"))]
    if org.is_group:
        tabs.append(("sharing", w["sharing"], reverse("network:sharing", kwargs={"org": org.code})))
    return {"org": org, "lang": lang, "w": w, "page": page, "title": w[page], "tabs": tabs,
            "query": urlencode(query), "from_text": month_text(first) if first is not None else "",
            "to_text": month_text(last) if last is not None else "", **extra}


def _drill(org_code: str, query: str, name: str = "status") -> str:
    return reverse(f"network:{name}", kwargs={"org": org_code}) + (f"?{query}" if query else "")


def _month_label(ym: int, lang: str) -> str:
    year, month = year_month(ym)
    return format_month(year, month, lang=lang) if lang == "en" else format_month(year, month)


def _metrics(total: selectors.Figures, lang: str) -> list[dict]:
    """The group metrics of the groups together, from their facts (none before any reports or
    where they hold neither savings nor loans)."""
    if not total.reported or not (total.savings or total.loans or total.write_offs):
        return []
    return [{"key": m.key, "kind": m.kind, "value": m.value, "share": m.share, "label": m.label(lang),
             "help": m.help(lang)} for m in total.metrics()]


@org_view(scoping.VIEW)
def status(request):
    org = request.access.organisation
    first, last, errors = _range(request, org)
    result = selectors.consolidated(org, first=first, last=last)
    ctx = _context(request, "status", first=first, last=last, errors=errors, result=result)
    for row in result.rows:
        if row.organisation is not None and row.organisation.pk != org.pk:
            row.url = _drill(row.code, ctx["query"])
    ctx["as_of"] = _month_label(result.total.as_of, ctx["lang"]) if result.total.as_of is not None else ""
    ctx["metrics"] = _metrics(result.total, ctx["lang"])
    return render(request, "network/status.html", ctx)


@org_view(scoping.VIEW)
def area(request):
    org = request.access.organisation
    first, last, errors = _range(request, org)
    code = request.GET.get("code", "")
    if not re.fullmatch(r"(\d{2}|\d{4}|\d{6})?", code):
        code = ""
    result = selectors.by_area(org, first=first, last=last, area_code=code)
    ctx = _context(request, "area", first=first, last=last, errors=errors, result=result)
    for row in result.rows:
        if row.kind == "area":
            row.url = reverse("network:area", kwargs={"org": org.code}) + "?" + urlencode(
                {"code": row.code, "from": ctx["from_text"], "to": ctx["to_text"]})
        elif row.organisation is not None:
            row.url = _drill(row.code, ctx["query"])
    crumbs = []
    for width in (2, 4):
        if len(code) > width:
            crumbs.append((code[:width], selectors.geography.place_name(code[:width], ctx["lang"])))
    ctx.update(code=code, crumbs=crumbs, area_name=selectors.geography.place_name(code, ctx["lang"]) if code else "",
               level_title=ctx["w"][result.level], metrics=_metrics(result.total, ctx["lang"]))
    return render(request, "network/status.html", ctx)


@org_view(scoping.VIEW)
def fund_status(request):
    org = request.access.organisation
    first, last, errors = _range(request, org)
    result = selectors.consolidated(org, first=first, last=last)
    lang = language.of_request(request)
    t = result.total
    ctx = _context(request, "fund_status", first=first, last=last, errors=errors, result=result)
    for row in result.rows:
        if row.organisation is not None and row.organisation.pk != org.pk:
            row.url = _drill(row.code, ctx["query"], "fund-status")
    ctx.update(
        receipt_types=[(k, fact_rules.label(k, lang), t.receipt_counts.get(k, 0), t.receipts.get(k, 0))
                       for k in fact_rules.RECEIPT_TYPES.values()],
        receipt_sources=[(k, fact_rules.label(k, lang), t.receipt_counts.get(k, 0), t.receipts.get(k, 0))
                         for k in fact_rules.RECEIPT_SOURCES.values()],
        benefits=[(k, fact_rules.label(k, lang), t.benefit_cases.get(k, 0), t.benefits.get(k, 0))
                  for k in [*chart.BENEFIT_ACCOUNTS]],
        funds=sorted(t.fund_sizes().items()),
        ages=list(t.by_age_band().items()),
        as_of=_month_label(t.as_of, lang) if t.as_of is not None else "",
    )
    return render(request, "network/fund_status.html", ctx)


def _sign(code: str, value: int) -> int:
    """Natural sign: debit-normal (assets, expenses) as is; the rest flipped."""
    return value if code[:1] in ("1", "5") else -value


@org_view(scoping.VIEW)
def statements(request):
    org = request.access.organisation
    first, last, errors = _range(request, org)
    lang = language.of_request(request)
    result = selectors.consolidated(org, first=first, last=last)
    by_code = result.total.by_code()
    code = request.GET.get("code", "")
    ctx = _context(request, "statements", first=first, last=last, errors=errors, result=result)

    def name(c):
        th, en = chart.STANDARD_NAMES.get(c, (c, c))
        return en if lang == "en" else th

    def link(c):
        return reverse("network:statements", kwargs={"org": org.code}) + "?" + urlencode(
            {"code": c, "from": ctx["from_text"], "to": ctx["to_text"]})

    position = [(c, name(c), _sign(c, v), link(c)) for c, v in sorted(by_code.items()) if c[:1] in "123" and v]
    income = [(c, name(c), _sign(c, v), link(c)) for c, v in sorted(result.total.flows.items())
              if c[:1] in "45" and v]
    drill = []
    if code:
        for row in result.rows:
            value = row.figures.by_code().get(code, 0) if code[:1] in "123" else row.figures.flows.get(code, 0)
            url = _drill(row.code, ctx["query"], "statements") + f"&code={code}" if row.organisation and \
                row.organisation.pk != org.pk else ""
            drill.append((row, _sign(code, value), url))
    ctx.update(position=position, income=income, code=code, code_name=name(code) if code else "", drill=drill,
               assets=sum(v for c, _n, v, _u in position if c[:1] == "1"),
               liabilities_equity=sum(v for c, _n, v, _u in position if c[:1] in "23"),
               income_total=sum(v for c, _n, v, _u in income if c[:1] == "4"),
               expense_total=sum(v for c, _n, v, _u in income if c[:1] == "5"),
               as_of=_month_label(result.total.as_of, lang) if result.total.as_of is not None else "")
    ctx["surplus"] = ctx["income_total"] - ctx["expense_total"]
    return render(request, "network/statements.html", ctx)


@org_view(scoping.VIEW)
def reporting_rate(request):
    org = request.access.organisation
    ym = parse_month(request.GET.get("month")) or selectors.last_month()
    rate = selectors.reporting_rate(org, ym=ym)
    ctx = _context(request, "reporting_rate", rate=rate, month_text=month_text(ym),
                   month_label=_month_label(ym, language.of_request(request)), deadline=selectors.deadline(ym))
    return render(request, "network/reporting_rate.html", ctx)


@org_view(scoping.VIEW)
def quality(request):
    org = request.access.organisation
    rows = selectors.data_quality(org)
    return render(request, "network/quality.html", _context(request, "quality", rows=rows))


@org_view(scoping.VIEW, write_need=scoping.MANAGE)
def sharing(request):
    org = request.access.organisation
    lang = language.of_request(request)
    w = words(lang)
    if request.method == "POST":
        try:
            services.sharing_set(actor=request.user, organisation=org, sharing=request.POST.get("sharing", ""))
        except RuleViolation as exc:
            return HttpResponse("; ".join(p.text() for p in exc.problems), status=400,
                                content_type="text/plain; charset=utf-8")
        messages.success(request, w["saved"])
        return redirect("network:sharing", org=org.code)
    choices = [(SharingPolicy.Sharing.FULL, w["sharing_full"]),
               (SharingPolicy.Sharing.AGGREGATES, w["sharing_aggregates"])]
    return render(request, "network/sharing.html", _context(
        request, "sharing", choices=choices, current=selectors.sharing_of(org),
        can_change=request.access.can(scoping.MANAGE)))
