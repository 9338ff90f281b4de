"""Report pages under /o/<org>/reports/: the list, one report with its period form, downloads.

Thin: read the period, ask the registry, hand the result to ``omboon.reports.render``.
Every report's ``need`` is checked against ``request.access`` (from ``org_view``).
``logo``: the chair's page for the logo the reports print (``manage``; ``omboon.reports.logo``).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render as render_page
from django.urls import reverse
from django.utils.http import urlencode

from omboon.core import language, reporting
from omboon.core.errors import RuleViolation, split_message
from omboon.core.period import read_period, typed
from omboon.orgs import scoping
from omboon.orgs.decorators import org_view
from omboon.reports import logo as logos
from omboon.reports import render as renderers

RESERVED_PARAMS = {"from", "to", "lang"}


def reports_for(access) -> list[reporting.Report]:
    """The reports this access may open, in code order."""
    reporting.autodiscover()
    org = access.organisation
    return [
        report for code, report in sorted(reporting.REGISTRY.items())
        if access.can(report.need) and not (report.groups_only and org.is_network)
    ]




def _in_lang(message: str, lang: str) -> str:
    """A "Thai / English" parser message in the page's language."""
    th, en = split_message(ValueError(message))
    return en if lang == "en" else th


def _report(request, code: str) -> reporting.Report:
    reporting.autodiscover()
    report = reporting.REGISTRY.get(code)
    if report is None or (report.groups_only and request.access.organisation.is_network):
        raise Http404("ไม่พบรายงาน / report not found")
    scoping.require(request.access, report.need)
    return report


def _params(request) -> dict[str, str]:
    return {k: v for k, v in request.GET.items() if k not in RESERVED_PARAMS and v != ""}


@org_view(scoping.VIEW)
def index(request):
    lang = language.of_request(request)
    org = request.access.organisation
    items = [
        {"code": r.code, "title": r.title_en if lang == "en" else r.title_th,
         "url": reverse("reports:detail", kwargs={"org": org.code, "code": r.code})}
        for r in reports_for(request.access) if not r.per_member
    ]
    return render_page(request, "reports/index.html", {"reports": items, "lang": lang,
                                                       "w": renderers.words(lang),
                                                       "can_manage": request.access.can(scoping.MANAGE)})


@org_view(scoping.VIEW)
def detail(request, code: str):
    report = _report(request, code)
    lang = language.of_request(request)
    org = request.access.organisation
    period = read_period(request.GET.get("from"), request.GET.get("to"))
    query = {k: v for k, v in request.GET.items() if v != ""}
    downloads = [
        {"fmt": fmt, "label": renderers.FORMAT_LABELS[fmt],
         "url": reverse("reports:download", kwargs={"org": org.code, "code": code, "fmt": fmt})
         + (f"?{urlencode(query)}" if query else "")}
        for fmt in renderers.FORMATS
    ]
    form = {
        "from": (request.GET.get("from", "") if not period.ok
                 else typed(period.start, lang) or request.GET.get("from", "")),
        "to": request.GET.get("to", "") if not period.ok else typed(period.end, lang) or request.GET.get("to", ""),
        "errors": {key: _in_lang(message, lang) for key, message in period.errors.items()},
    }
    extra = {"report": report, "form": form, "downloads": downloads, "params": _params(request),
             "action": reverse("reports:detail", kwargs={"org": org.code, "code": code}),
             "index_url": reverse("reports:index", kwargs={"org": org.code})}
    if not period.ok:
        return render_page(request, "reports/report.html", {
            **extra, "lang": lang, "w": renderers.words(lang),
            "title": report.title_en if lang == "en" else report.title_th,
            "org_name": org.name(lang), "result": None,
        }, status=400)
    result = report.build(organisation=org, start=period.start, end=period.end, lang=lang,
                          params=_params(request))
    if getattr(request, "htmx", False) and request.htmx.target == "omb-report-result":
        return HttpResponse(renderers.to_html_fragment(result, lang=lang))
    return HttpResponse(renderers.to_html(result, lang=lang, request=request, extra=extra))


@org_view(scoping.VIEW)
def download(request, code: str, fmt: str):
    report = _report(request, code)
    if fmt not in renderers.FORMATS:
        raise Http404("ไม่รู้จักรูปแบบ / unknown format")
    lang = language.of_request(request)
    period = read_period(request.GET.get("from"), request.GET.get("to"))
    if not period.ok:
        return HttpResponse("\n".join(period.errors.values()), status=400,
                            content_type="text/plain; charset=utf-8")
    result = report.build(organisation=request.access.organisation, start=period.start,
                          end=period.end, lang=lang, params=_params(request))
    body = renderers.render(result, fmt, lang=lang, request=request)
    response = HttpResponse(body, content_type=renderers.CONTENT_TYPES[fmt])
    disposition = "inline" if fmt in ("html", "pdf") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{renderers.filename(result, fmt)}"'
    return response


@org_view(scoping.MANAGE)
def logo(request):
    """The chair's setting: the logo printed on the organisation's reports. GET shows it with
    an upload form; POST ``logo`` (a file) replaces it, POST ``remove`` takes it off."""
    lang = language.of_request(request)
    org = request.access.organisation
    problems = []
    if request.method == "POST":
        if "remove" in request.POST:
            if logos.logo_remove(actor=request.user, organisation=org):
                messages.success(request, "ลบตราออกจากรายงานแล้ว / the logo is removed from the reports")
            return redirect("reports:logo", org=org.code)
        upload = request.FILES.get("logo")
        data = upload.read(logos.MAX_BYTES + 1) if upload else b""
        try:
            logos.logo_set(actor=request.user, organisation=org, data=data)
        except RuleViolation as exc:
            problems = exc.problems
        else:
            messages.success(request, "บันทึกตราของกลุ่มแล้ว: จะพิมพ์บนรายงานทุกฉบับ / "
                                      "the logo is saved: every report prints it")
            return redirect("reports:logo", org=org.code)
    return render_page(request, "reports/logo.html", {
        "lang": lang, "org": org, "logo": logos.logo_data_uri(org),
        "errors": [p.message_en if lang == "en" else p.message_th for p in problems],
        "max_kb": logos.MAX_BYTES // 1024,
        "index_url": reverse("reports:index", kwargs={"org": org.code}),
    }, status=400 if problems else 200)
