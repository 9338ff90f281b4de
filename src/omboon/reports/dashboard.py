"""The dashboard of a group (or a network, added up) at /o/<org>/dashboard/: key figures and
the charts of ``omboon.reports.overview`` as inline SVG — no JavaScript, no network, readable
on a 360 px phone; a group's metrics (``reports.metrics``), each with its definition, when it
has savings or loans. Thin: read ``?to=`` (a date, default today), build, render.

Arrears come from the contributions app's per-member coverage, which costs far more than the
rest of the page for a large group, so the arrears chart is its own small page
(/o/<org>/dashboard/arrears/) that the dashboard pulls in with htmx once it has shown, and
links to for a browser without JavaScript. The group's metrics likewise (the loan portfolio's
standing is read for them): /o/<org>/dashboard/metrics/."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render as render_page
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from omboon.core import language
from omboon.core.errors import split_message
from omboon.core.period import read_date, typed
from omboon.core.thaidate import format_date
from omboon.orgs import scoping
from omboon.orgs.decorators import org_view
from omboon.reports import metrics
from omboon.reports import overview as ov
from omboon.reports import render as renderers
from omboon.reports import selectors as sel

REPORT_LINKS = [
    ("group-status", "สถานะกลุ่ม", "Group status"),
    ("monthly", "รายงานประจำเดือน", "Monthly report"),
    ("annual", "รายงานประจำปี", "Annual report"),
    ("fund-status", "แบบรายงานสถานะกองทุน (พอช.)", "Fund status (CODI)"),
]




@org_view(scoping.VIEW)
def dashboard(request):
    lang = language.of_request(request)
    org = request.access.organisation
    error = ""
    try:
        end = read_date(request.GET.get("to")) or timezone.localdate()
    except ValueError as exc:
        th, en = split_message(exc)
        end, error = timezone.localdate(), en if lang == "en" else th
    data = ov.overview(org, end=end, with_arrears=False)
    charts = [("members", data.members_chart(lang)), ("balance", data.balance_chart(lang)),
              ("flows", data.flows_chart(lang)), ("benefits", data.benefits_chart(lang))]
    arrears_url = ""
    if sel.arrears_available():
        arrears_url = reverse("dashboard-arrears", kwargs={"org": org.code}) + f"?{urlencode({'to': end.isoformat()})}"
    metrics_url = ""
    if org.is_group:
        metrics_url = reverse("dashboard-metrics", kwargs={"org": org.code}) + f"?{urlencode({'to': end.isoformat()})}"
    can_reports = request.access.can(scoping.RECORDS)
    links = [{"code": code, "title": en if lang == "en" else th,
              "url": reverse("reports:detail", kwargs={"org": org.code, "code": code}),
              "pdf": reverse("reports:download", kwargs={"org": org.code, "code": code, "fmt": "pdf"})}
             for code, th, en in REPORT_LINKS] if can_reports else []
    return render_page(request, "reports/dashboard.html", {
        "lang": lang, "w": renderers.words(lang), "data": data, "charts": charts, "links": links,
        "as_of": format_date(end, "long", lang=lang), "to": typed(end, lang), "error": error,
        "arrears_url": arrears_url, "metrics_url": metrics_url,
        "benefits_total": sum(b.amount for b in data.benefits),
        "cases_total": sum(b.cases for b in data.benefits),
    }, status=400 if error else 200)


@org_view(scoping.VIEW)
def arrears(request):
    """Members behind on contributions by how far behind: a chart and a table. htmx gets the
    fragment; a plain request the whole page."""
    if not sel.arrears_available():
        raise Http404("ไม่มีระบบเงินสมทบ / no contributions app")
    lang = language.of_request(request)
    org = request.access.organisation
    try:
        end = read_date(request.GET.get("to")) or timezone.localdate()
    except ValueError:
        end = timezone.localdate()
    summary = sel.arrears_summary(org, end)
    data = ov.Overview(org, end, [], [], [], [], [], [], [], arrears=summary)
    ctx = {"lang": lang, "svg": data.arrears_chart(lang), "summary": summary,
           "bands": [(en if lang == "en" else th, n, amount) for th, en, n, amount in summary.bands],
           "as_of": format_date(end, "long", lang=lang),
           "back": reverse("dashboard", kwargs={"org": org.code})}
    if getattr(request, "htmx", False):
        return render_page(request, "reports/_dashboard_arrears.html", ctx)
    return render_page(request, "reports/dashboard_arrears.html", ctx)


@org_view(scoping.VIEW)
def group_metrics(request):
    """A group's metrics (``reports.metrics``) with their definitions, when it has savings or
    loans (else nothing): the loan portfolio's standing costs more than the rest of the
    dashboard for a large group, so the dashboard pulls this in with htmx once it has shown,
    and links to it for a browser without JavaScript. htmx gets the fragment; a plain request
    the whole page."""
    org = request.access.organisation
    if not org.is_group:
        raise Http404("ตัวชี้วัดเป็นของกลุ่ม / metrics are a group's")
    lang = language.of_request(request)
    try:
        end = read_date(request.GET.get("to")) or timezone.localdate()
    except ValueError:
        end = timezone.localdate()
    inputs = metrics.inputs(org, end)
    shown = []
    if inputs.savings or inputs.loans or inputs.written_off:
        shown = [{"key": m.key, "kind": m.kind, "value": m.value, "share": m.share, "label": m.label(lang),
                  "help": m.help(lang)} for m in metrics.definitions.metrics(inputs)]
    ctx = {"lang": lang, "metrics": shown, "as_of": format_date(end, "long", lang=lang),
           "back": reverse("dashboard", kwargs={"org": org.code})}
    if getattr(request, "htmx", False):
        return render_page(request, "reports/_dashboard_metrics.html", ctx)
    return render_page(request, "reports/dashboard_metrics.html", ctx)
