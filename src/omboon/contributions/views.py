"""Pages under /o/<org>/contributions/: collection day, single payment, receipts (print A5,
80-mm slip, PDF), void, arrears, plans, matching grants and passbooks.

Thin: parse the form, call a service or selector, render. Every page goes through
``org_view``; objects are fetched with ``scoping.get_in_scope``. A member-role user opens
only their own passbook (404 for anyone else's).
"""

from __future__ import annotations

import datetime as dt
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRedirect

from omboon.contributions import pdf, selectors, services
from omboon.contributions.models import GRANT_KINDS, MEMBER_KINDS, Frequency, Kind, Receipt, kind_label
from omboon.core import language
from omboon.core.errors import Problem, RuleViolation
from omboon.core.money import format_baht, parse_baht
from omboon.core.thaidate import parse_date
from omboon.members import selectors as member_selectors
from omboon.members import services as member_services
from omboon.members.models import Member
from omboon.orgs import scoping
from omboon.orgs.decorators import org_view

SIZES = ("a5", "slip")
PAGE_SIZE = 50


def _url(name: str, request, **kw) -> str:
    return reverse(f"contributions:{name}", kwargs={"org": request.access.organisation.code, **kw})


def _date_field(text: str | None, default: dt.date) -> tuple[dt.date | None, list[Problem]]:
    if not (text or "").strip():
        return default, []
    try:
        return parse_date(text.strip()), []
    except ValueError as exc:
        return None, [Problem.from_error("date", exc, value=text)]


def _amount_field(text: str | None, field: str) -> tuple[int | None, list[Problem]]:
    text = (text or "").strip()
    if not text:
        return None, []
    try:
        return parse_baht(text), []
    except ValueError as exc:
        return None, [Problem.from_error(field, exc, value=text)]


def _group_only(request) -> None:
    if not request.access.organisation.is_group:
        raise Http404("หน้านี้ใช้กับกลุ่มเท่านั้น / this page is for a group")


@org_view(scoping.RECORDS)
def index(request):
    org = request.access.organisation
    today = timezone.localdate()
    ctx = {"today": today, "can_write": request.access.can(scoping.WRITE), "is_group": org.is_group}
    if org.is_group:
        ctx["summary"] = selectors.day_summary(org, today)
        ctx["days"] = selectors.collection_days(org)[:10]
        ctx["drafts"] = list(selectors.open_drafts(org))
        ctx["plans"] = [(kind_label(k, language.current()), r, Frequency(r.frequency).label)
                        for k, r in selectors.current_plans(org, today).items() if r]
    ctx["recent"] = selectors.receipts(org)[:10]
    return render(request, "contributions/index.html", ctx)


# --- collection day --------------------------------------------------------------------------

def _collect_filters(source) -> dict:
    """The collection page's filters, from the query string (or the form's hidden copies)."""
    moo = (source.get("moo") or "").strip()
    try:
        page = max(int(source.get("page") or 1), 1)
    except ValueError:
        page = 1
    return {"q": (source.get("q") or "").strip()[:100], "moo": int(moo) if moo.isdigit() else None,
            "unpaid": source.get("unpaid") in ("1", "on", "true"), "page": page}


def _collect_query(filters: dict, as_of: dt.date, today: dt.date, **change) -> str:
    f = {**filters, **change}
    params = {}
    if as_of != today:
        params["date"] = as_of.isoformat()
    if f["q"]:
        params["q"] = f["q"]
    if f["moo"] is not None:
        params["moo"] = f["moo"]
    if f["unpaid"]:
        params["unpaid"] = "1"
    if f["page"] and f["page"] > 1:
        params["page"] = f["page"]
    return ("?" + urlencode(params)) if params else ""


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _piece_rows(post) -> list[dict]:
    """The rows of one piece: every member of the page (``m``), ticked or not."""
    rows = []
    for value in post.getlist("m"):
        if not value.isdigit():
            continue
        rows.append({"member": int(value), "paid": bool(post.get(f"paid-{value}")),
                     "amount": post.get(f"amt-{value}", "")})
    return rows


def _problem_text(p: Problem) -> str:
    return p.message_en if language.current() == "en" else f"{p.message_th} / {p.message_en}"


def _running_total(count: int, total: int) -> str:
    return ngettext("ในรายการวันนี้ %(count)d คน รวม %(total)s บาท (ยังไม่บันทึกบัญชี)",
                    "ในรายการวันนี้ %(count)d คน รวม %(total)s บาท (ยังไม่บันทึกบัญชี)",
                    count) % {"count": count, "total": format_baht(total)}


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def collect(request):
    """Collection day for a group of any size, a page of members at a time.

    GET: the page (search by name or number, one village, only who has not paid yet), with what
    is already saved in the day's draft ticked and the running total. POST: one piece — the
    rows of the page shown — saved into the draft (``services.collection_draft_save``); then
    back to the page, the next page or the confirmation. With JavaScript the page saves the rows
    as they change (the same POST, answered in JSON). Nothing is in the books until the final
    save on the confirmation page."""
    _group_only(request)
    org = request.access.organisation
    today = timezone.localdate()
    source = request.POST if request.method == "POST" else request.GET
    as_of, problems = _date_field(source.get("date"), today)
    filters = _collect_filters(source)
    row_problems: dict[int, list[Problem]] = {}
    typed: dict[int, tuple[bool, str]] = {}
    if request.method == "POST" and as_of is not None:
        rows = _piece_rows(request.POST)
        try:
            result = services.collection_draft_save(actor=request.user, organisation=org, date=as_of, rows=rows,
                                                    key=request.POST.get("token", ""))
        except RuleViolation as exc:
            problems = exc.problems
        else:
            if _wants_json(request):
                return JsonResponse({
                    "saved": result.saved, "removed": result.removed, "repeated": result.repeated,
                    "count": result.count, "total": result.total, "total_text": format_baht(result.total),
                    "running": _running_total(result.count, result.total),
                    "problems": {str(k): [_problem_text(p) for p in v] for k, v in result.problems.items()},
                })
            if not result.problems:
                if not result.repeated:
                    messages.success(request, _running_total(result.count, result.total))
                go = request.POST.get("go")
                if go == "confirm":
                    return redirect(_url("collect-confirm", request) + _collect_query(
                        {"q": "", "moo": None, "unpaid": False, "page": 1}, as_of, today))
                page = filters["page"] + 1 if go == "next" else filters["page"]
                if go == "next" and filters["unpaid"]:
                    # the rows just saved have left the list of who has not paid: the next page
                    # starts after the rows of this page that are still unpaid
                    kept = len(rows) - len(result.saved)
                    page = ((filters["page"] - 1) * selectors.COLLECT_PAGE_SIZE + kept) // \
                        selectors.COLLECT_PAGE_SIZE + 1
                return redirect(_url("collect", request) + _collect_query(filters, as_of, today, page=page))
            row_problems = result.problems
            problems = result.all_problems
            typed = {r["member"]: (r["paid"], r["amount"]) for r in rows}
    if problems and _wants_json(request):
        return JsonResponse({"problems": {"": [_problem_text(p) for p in problems]}}, status=422)
    as_of = as_of or today
    if request.method == "GET" and filters["q"]:
        whole_ids = member_selectors.id_terms(filters["q"])[0]
        if whole_ids:
            # as the member list does: audited, then searched by the ID's keyed hash, so no URL
            # or history entry holds the ID itself
            found = selectors.collect_members(org, as_of=as_of, query=filters["q"]).count()
            member_services.member_id_searched(actor=request.user, organisation=org, found=found)
            url = _url("collect", request) + _collect_query(
                {**filters, "q": member_selectors.hashed_query(filters["q"])}, as_of, today)
            if request.htmx:
                return HttpResponseClientRedirect(url)
            return redirect(url)
    draft = selectors.open_draft(org, as_of)
    members = selectors.collect_members(org, as_of=as_of, query=filters["q"], moo=filters["moo"],
                                        unpaid=filters["unpaid"], draft=draft)
    page = Paginator(members, selectors.COLLECT_PAGE_SIZE).get_page(filters["page"])
    shown = list(page.object_list)
    ids = [m.pk for m in shown]
    in_draft = selectors.draft_amounts(draft, ids)
    receipted = selectors.receipted_on(org, ids, as_of)
    covs = selectors.coverage_of(shown, org, as_of=as_of)
    lines = []
    for mc in covs:
        m = mc.member
        if m.pk in typed:
            ticked, value = typed[m.pk]
        elif m.pk in in_draft:
            ticked, value = True, format_baht(in_draft[m.pk])
        else:
            ticked, value = False, format_baht(mc.due_now) if mc.due_now else ""
        lines.append({"member": m, "id": str(m.pk), "name": m.full_name,
                      "moo": _("ม.%(moo)s") % {"moo": m.moo} if m.moo else "",
                      "due": mc.due_now, "months": str(mc.months_behind) if mc.months_behind else "", "value": value,
                      "ticked": ticked, "saved": m.pk in in_draft, "receipt": receipted.get(m.pk),
                      "problems": [_problem_text(p) for p in row_problems.get(m.pk, [])]})
    count, total = selectors.draft_totals(draft)
    filters = {**filters, "page": page.number}
    ctx = {
        "lines": lines, "page": page, "as_of": as_of, "filters": filters, "query": filters["q"],
        "problems": problems,
        "draft": draft, "draft_count": count, "draft_total": total,
        "running": _running_total(count, total) if draft else "",
        "token": uuid.uuid4().hex,
        "links": {name: request.path + _collect_query(filters, as_of, today, page=n) for name, n in
                  (("first", 1), ("prev", page.number - 1), ("next", page.number + 1),
                   ("last", page.paginator.num_pages))},
        "date_text": "" if as_of == today else as_of.isoformat(),
    }
    template = "contributions/_collect_list.html"  # htmx asks for the list only
    if not (request.htmx and not request.htmx.history_restore_request and request.method == "GET"):
        template = "contributions/collect.html"
        ctx["villages"] = selectors.villages(org)
        ctx["other_drafts"] = [d for d in selectors.open_drafts(org) if d.date != as_of]
    return render(request, template, ctx, status=422 if problems else 200)


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def collect_confirm(request):
    """The count and the total of the day (in figures and in words) before the final save;
    POST posts the whole draft as one collection day (or discards it)."""
    _group_only(request)
    org = request.access.organisation
    today = timezone.localdate()
    source = request.POST if request.method == "POST" else request.GET
    as_of, problems = _date_field(source.get("date"), today)
    as_of = as_of or today
    draft = selectors.open_draft(org, as_of)
    if request.method == "POST":
        draft_id = request.POST.get("draft", "")
        draft = scoping.get_in_scope(selectors.collection_drafts(org), org,
                                     int(draft_id) if draft_id.isdigit() else 0)
        if request.POST.get("action") == "discard":
            try:
                services.collection_draft_discard(actor=request.user, organisation=org, draft=draft)
            except RuleViolation as exc:
                problems = exc.problems
            else:
                messages.success(request, _("ล้างรายการวันเก็บเงินที่ยังไม่บันทึกบัญชีแล้ว"))
                return redirect(_url("collect", request))
        else:
            def number(name):
                text = request.POST.get(name, "")
                return int(text) if text.isdigit() else -1
            try:
                day = services.collection_draft_post(actor=request.user, organisation=org, draft=draft,
                                                     count=number("count"), total=number("total"))
            except RuleViolation as exc:
                problems = exc.problems
                draft = selectors.open_draft(org, draft.date) if draft.status == draft.Status.OPEN else draft
            else:
                messages.success(request, ngettext(
                    "บันทึก %(count)d ใบเสร็จ รวม %(total)s บาท", "บันทึก %(count)d ใบเสร็จ รวม %(total)s บาท",
                    day.count) % {"count": day.count, "total": format_baht(day.total)})
                return redirect(_url("collection-day", request, day_id=day.pk))
    count, total = selectors.draft_totals(draft)
    unpayable = []
    if draft is not None and draft.status == draft.Status.OPEN:
        unpayable = [ln for ln in selectors.draft_unpayable(draft)
                     if services.rules.check_member_may_pay(org, ln.member, draft.date)]
    return render(request, "contributions/collect_confirm.html", {
        "draft": draft if draft is not None and draft.status == draft.Status.OPEN else None,
        "as_of": as_of, "count": count, "total": total, "problems": problems,
        "villages": selectors.draft_by_village(draft) if draft else [], "unpayable": unpayable,
        "token": uuid.uuid4().hex, "date_text": "" if as_of == today else as_of.isoformat(),
    }, status=422 if problems else 200)


@org_view(scoping.RECORDS)
def collection_day(request, day_id: int):
    org = request.access.organisation
    day = scoping.get_in_scope(selectors.collection_days(org), org, day_id)
    receipts = day.receipts.select_related("member").prefetch_related("items").order_by("number")
    page = Paginator(receipts, 100).get_page(request.GET.get("page"))
    return render(request, "contributions/collection_day.html", {"day": day, "receipts": page.object_list,
                                                                 "page": page})


# --- single payment ----------------------------------------------------------------------

def _find_member(org, text: str) -> Member | None:
    text = (text or "").strip()
    if not text:
        return None
    qs = scoping.in_scope(Member.objects.all(), org)
    if text.isdigit():
        found = qs.filter(number=text).first() or qs.filter(number=text.zfill(4)).first()
        if found:
            return found
    return qs.filter(number__iexact=text).first()


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def pay(request):
    _group_only(request)
    org = request.access.organisation
    today = timezone.localdate()
    source = request.POST if request.method == "POST" else request.GET
    member = None
    if source.get("member_id", "").isdigit():
        member = scoping.in_scope(Member.objects.all(), org).filter(pk=int(source["member_id"])).first()
    elif source.get("number"):
        member = _find_member(org, source.get("number"))
    problems: list[Problem] = []
    if source.get("number") and member is None:
        problems.append(Problem("number", "ไม่พบสมาชิกเลขที่นี้", "no member with this number",
                                value=source.get("number")))
    day, found = _date_field(source.get("date"), today)
    problems += found
    values = {k: source.get(k, "") for k in MEMBER_KINDS}
    if request.method == "POST" and member is not None and not problems:
        items = []
        for kind in MEMBER_KINDS:
            amount, found = _amount_field(values[kind], kind)
            problems += found
            if amount is not None:
                items.append((kind, amount))
        if not items and not problems:
            problems.append(Problem("items", "ต้องระบุจำนวนเงินอย่างน้อยหนึ่งช่อง", "enter at least one amount"))
        if not problems:
            try:
                receipt = services.receipt_issue(actor=request.user, organisation=org, member=member, date=day,
                                                 items=items, idempotency_key=request.POST.get("token") or None)
            except RuleViolation as exc:
                problems = exc.problems
            else:
                messages.success(request, _("ออกใบเสร็จ %(number)s แล้ว") % {"number": receipt.document_number})
                return redirect(_url("receipt", request, receipt_id=receipt.pk))
    cov = None
    if member is not None:
        cov = selectors.member_coverage(member, as_of=day or today)
        if request.method != "POST":
            for kind in MEMBER_KINDS:
                c = cov.get(kind)
                values[kind] = format_baht(c.due_now) if c and c.due_now else ""
    kinds = [{"kind": k, "label": kind_label(k, language.current()), "value": values[k],
              "cov": cov.get(k) if cov else None} for k in MEMBER_KINDS]
    return render(request, "contributions/pay.html", {
        "member": member, "kinds": kinds, "day": day or today, "problems": problems,
        "number": source.get("number", member.number if member else ""),
        "token": request.POST.get("token") if request.method == "POST" else uuid.uuid4().hex,
    }, status=422 if problems and request.method == "POST" else 200)


# --- receipts ------------------------------------------------------------------------------

@org_view(scoping.RECORDS)
def receipt_list(request):
    org = request.access.organisation
    qs = selectors.receipts(org).order_by("-date", "-fiscal_year", "-number")
    query = (request.GET.get("q") or "").strip()
    if query:
        qs = qs.filter(document_number__icontains=query) | qs.filter(payer_name__icontains=query)
    day, problems = _date_field(request.GET.get("date"), None)
    if day:
        qs = qs.filter(date=day)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "contributions/receipts.html", {"page": page, "query": query,
                                                           "day": day, "problems": problems})


def _receipt(request, receipt_id: int) -> Receipt:
    org = request.access.organisation
    qs = Receipt.objects.select_related("organisation", "member", "entry", "void_entry", "created_by")
    receipt = scoping.get_in_scope(qs, org, receipt_id)
    return receipt


def _own_receipt(request, receipt_id: int) -> Receipt:
    """A receipt the user may see: any of the group with ``records``, else only their own."""
    receipt = _receipt(request, receipt_id)
    if not request.access.can(scoping.RECORDS) and (receipt.member is None
                                                    or receipt.member.user_id != request.user.pk):
        raise Http404("ไม่พบรายการ / not found")
    return receipt


@org_view(scoping.VIEW)
def receipt_detail(request, receipt_id: int):
    receipt = _own_receipt(request, receipt_id)
    return render(request, "contributions/receipt_detail.html", {
        "receipt": receipt, "items": list(receipt.items.all()),
        "can_void": request.access.can(scoping.WRITE) and not receipt.is_void,
        "lang": language.current(),
    })


@org_view(scoping.RECORDS)
def receipt_void(request, receipt_id: int):
    # The receipt first (404 for another group's, whatever the role), then the right to write.
    receipt = _receipt(request, receipt_id)
    scoping.require(request.access, scoping.WRITE)
    if request.method == "POST":
        try:
            services.receipt_void(actor=request.user, receipt=receipt, reason=request.POST.get("reason", ""))
        except RuleViolation as exc:
            for p in exc.problems:
                messages.error(request, f"{p.message_th} / {p.message_en}")
        else:
            messages.success(request, _("ยกเลิกใบเสร็จ %(number)s แล้ว") % {"number": receipt.document_number})
    return redirect(_url("receipt", request, receipt_id=receipt.pk))


@org_view(scoping.VIEW)
def receipt_print(request, receipt_id: int, size: str):
    if size not in SIZES:
        raise Http404("ไม่รู้จักขนาดกระดาษ / unknown paper size")
    receipt = _own_receipt(request, receipt_id)
    return HttpResponse(pdf.receipt_html(receipt, size=size, for_pdf=False, lang=language.current()))


@org_view(scoping.VIEW)
def receipt_pdf(request, receipt_id: int, size: str):
    if size not in SIZES:
        raise Http404("ไม่รู้จักขนาดกระดาษ / unknown paper size")
    receipt = _own_receipt(request, receipt_id)
    data = pdf.receipt_pdf(receipt, size=size, lang=language.current())
    response = HttpResponse(data, content_type="application/pdf")
    name = receipt.document_number.replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="receipt-{name}-{size}.pdf"'
    return response


# --- arrears, plans, grants -----------------------------------------------------------------

@org_view(scoping.RECORDS)
def arrears(request):
    _group_only(request)
    org = request.access.organisation
    as_of, problems = _date_field(request.GET.get("date"), timezone.localdate())
    as_of = as_of or timezone.localdate()
    try:
        min_months = max(int(request.GET.get("months") or 1), 1)
    except ValueError:
        min_months = 1
    rows = selectors.arrears(org, as_of=as_of, min_months=min_months)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "contributions/arrears.html", {
        "page": page, "as_of": as_of, "months": min_months, "problems": problems,
        "total": sum(r.arrears for r in rows), "count": len(rows),
        "kinds": [(k, kind_label(k, language.current())) for k in MEMBER_KINDS],
    })


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def plans(request):
    _group_only(request)
    org = request.access.organisation
    problems: list[Problem] = []
    form = {"kind": Kind.DAILY_SAVING, "amount": "", "frequency": Frequency.MONTHLY, "effective_from": "",
            "note": ""}
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in form}
        day, problems = _date_field(form["effective_from"], None)
        if day is None and not problems:
            problems.append(Problem("effective_from", "ต้องระบุวันที่เริ่มใช้", "the start date is required"))
        amount, found = _amount_field(form["amount"], "amount")
        problems += found
        if amount is None and not found:
            problems.append(Problem("amount", "ต้องระบุจำนวนเงิน", "the amount is empty"))
        if not problems:
            try:
                services.plan_set(actor=request.user, organisation=org, kind=form["kind"], amount=amount,
                                  frequency=form["frequency"] or None, effective_from=day, note=form["note"])
            except RuleViolation as exc:
                problems = exc.problems
            else:
                messages.success(request, _("บันทึกอัตราเงินสมทบแล้ว"))
                return redirect(_url("plans", request))
    return render(request, "contributions/plans.html", {
        "plans": selectors.plans(org), "form": form, "problems": problems,
        "kinds": [(k.value, kind_label(k, language.current())) for k in MEMBER_KINDS],
        "frequencies": Frequency.choices, "can_write": request.access.can(scoping.WRITE),
    }, status=422 if problems else 200)


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def grants(request):
    _group_only(request)
    org = request.access.organisation
    today = timezone.localdate()
    problems: list[Problem] = []
    form = {"kind": Kind.STATE_MATCHING, "amount": "", "payer_name": "", "date": "", "memo": "",
            "paid_into": "bank"}
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in form}
        day, problems = _date_field(form["date"], today)
        amount, found = _amount_field(form["amount"], "amount")
        problems += found
        if amount is None and not found:
            problems.append(Problem("amount", "ต้องระบุจำนวนเงิน", "the amount is empty"))
        if not problems:
            try:
                receipt = services.grant_record(actor=request.user, organisation=org, date=day, kind=form["kind"],
                                                amount=amount, payer_name=form["payer_name"], memo=form["memo"],
                                                paid_into=form["paid_into"],
                                                idempotency_key=request.POST.get("token") or None)
            except RuleViolation as exc:
                problems = exc.problems
            else:
                messages.success(request, _("ออกใบเสร็จ %(number)s แล้ว") % {"number": receipt.document_number})
                return redirect(_url("receipt", request, receipt_id=receipt.pk))
    granted = selectors.receipts(org).filter(member__isnull=True).order_by("-date", "-number")[:50]
    return render(request, "contributions/grants.html", {
        "form": form, "problems": problems, "granted": granted,
        "kinds": [(k.value, kind_label(k, language.current())) for k in GRANT_KINDS],
        "token": request.POST.get("token") if request.method == "POST" else uuid.uuid4().hex,
        "by_kind": {kind_label(k, language.current()): v for k, v in selectors.income_by_kind(org, None, None).items()
                    if k in GRANT_KINDS},
    }, status=422 if problems else 200)


# --- passbooks ------------------------------------------------------------------------------

def _passbook_member(request, member_id: int) -> Member:
    access = request.access
    qs = Member.objects.select_related("organisation")
    if not access.can(scoping.RECORDS):
        qs = qs.filter(user=request.user)
    return scoping.get_in_scope(qs, access.organisation, member_id)


@org_view(scoping.VIEW)
def my_passbook(request):
    member = selectors.member_for_user(request.access.organisation, request.user)
    if member is None:
        raise Http404("ไม่พบสมุดของท่านในกลุ่มนี้ / you have no passbook in this group")
    return redirect(_url("passbook", request, member_id=member.pk))


@org_view(scoping.VIEW)
def passbook(request, member_id: int):
    member = _passbook_member(request, member_id)
    book = selectors.passbook(member, as_of=timezone.localdate())
    return render(request, "contributions/passbook.html", {
        "book": book, "member": member, "lang": language.current(),
        "coverage": [(kind_label(k, language.current()), c) for k, c in book.coverage.kinds.items()],
        "can_records": request.access.can(scoping.RECORDS),
    })


@org_view(scoping.VIEW)
def passbook_pdf(request, member_id: int):
    member = _passbook_member(request, member_id)
    data = pdf.passbook_pdf(member, as_of=timezone.localdate(), lang=language.current())
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="passbook-{member.organisation.code}-{member.number}.pdf"'
    return response

