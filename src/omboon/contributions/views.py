"""Pages under /o/<org>/contributions/: collection day, single payment, receipts (print A5,
80-mm slip, PDF), void, arrears, plans, matching grants and passbooks.

Thin: parse the form, call a service or selector, render. Every page goes through
``org_view``; objects are fetched with ``scoping.get_in_scope``. A member-role user opens
only their own passbook (404 for anyone else's).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omboon.contributions import pdf, selectors, services
from omboon.contributions.models import GRANT_KINDS, MEMBER_KINDS, Frequency, Kind, Receipt, kind_label
from omboon.core import language
from omboon.core.errors import Problem, RuleViolation
from omboon.core.money import format_baht, parse_baht
from omboon.core.thaidate import parse_date
from omboon.members.models import Member
from omboon.orgs import scoping
from omboon.orgs.decorators import org_view

SIZES = ("a5", "slip")
PAGE_SIZE = 50


def page_url(name: str, request, **kw) -> str:
    return reverse(f"contributions:{name}", kwargs={"org": request.access.organisation.code, **kw})


def date_field(text: str | None, default: dt.date) -> tuple[dt.date | None, list[Problem]]:
    if not (text or "").strip():
        return default, []
    try:
        return parse_date(text.strip()), []
    except ValueError as exc:
        return None, [Problem.from_error("date", exc, value=text)]


def amount_field(text: str | None, field: str) -> tuple[int | None, list[Problem]]:
    text = (text or "").strip()
    if not text:
        return None, []
    try:
        return parse_baht(text), []
    except ValueError as exc:
        return None, [Problem.from_error(field, exc, value=text)]


def group_only(request) -> None:
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
    group_only(request)
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
    day, found = date_field(source.get("date"), today)
    problems += found
    values = {k: source.get(k, "") for k in MEMBER_KINDS}
    if request.method == "POST" and member is not None and not problems:
        items = []
        for kind in MEMBER_KINDS:
            amount, found = amount_field(values[kind], kind)
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
                return redirect(page_url("receipt", request, receipt_id=receipt.pk))
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
    day, problems = date_field(request.GET.get("date"), None)
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
    return _receipt_page(request, _own_receipt(request, receipt_id))


def _receipt_page(request, receipt, confirm: dict | None = None):
    return render(request, "contributions/receipt_detail.html", {
        "receipt": receipt, "items": list(receipt.items.all()),
        "parts": pdf.receipt_parts(receipt, language.current()),
        "can_void": request.access.can(scoping.WRITE) and not receipt.is_void,
        "lang": language.current(), "confirm": confirm,
    })


@org_view(scoping.RECORDS)
def receipt_void(request, receipt_id: int):
    """Void a receipt: the first press asks (the amount in baht and words, the reversing entry to
    come), the confirmation's button voids it; the message names the receipt and the reversal.
    A second press (a double tap, a stale page) voids nothing twice: it says the receipt is void."""
    # The receipt first (404 for another group's, whatever the role), then the right to write.
    receipt = _receipt(request, receipt_id)
    scoping.require(request.access, scoping.WRITE)
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        here = page_url("receipt", request, receipt_id=receipt.pk)
        if receipt.is_void:
            messages.warning(request, _("ใบเสร็จ %(number)s ถูกยกเลิกไปแล้ว ไม่ได้ยกเลิกซ้ำ") % {
                "number": receipt.document_number})
        elif request.POST.get("confirmed") != "1" and reason.strip():
            return _receipt_page(request, receipt, confirm={
                "kind": "reject", "amount": receipt.total, "action": request.path, "fields": {"reason": reason},
                "cancel": here, "button": _("ยืนยัน ยกเลิกใบเสร็จ %(number)s") % {"number": receipt.document_number},
                "what": _("ยกเลิกใบเสร็จ %(number)s ของ %(payer)s") % {
                    "number": receipt.document_number, "payer": receipt.payer_name},
                "lines": [_("เลขที่ใบเสร็จยังคงอยู่และลงบัญชีกลับรายการ เงินจำนวนนี้ออกจากยอดรับ"),
                          _("เหตุผล: %(reason)s") % {"reason": reason}]})
        else:
            try:
                receipt = services.receipt_void(actor=request.user, receipt=receipt, reason=reason)
            except RuleViolation as exc:
                for p in exc.problems:
                    messages.error(request, p.message(language.current()))
            else:
                messages.success(request, _("ยกเลิกใบเสร็จ %(number)s แล้ว ลงบัญชีกลับรายการ %(entry)s") % {
                    "number": receipt.document_number,
                    "entry": receipt.void_entry.document_number if receipt.void_entry else ""})
    return redirect(page_url("receipt", request, receipt_id=receipt.pk))


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
    group_only(request)
    org = request.access.organisation
    as_of, problems = date_field(request.GET.get("date"), timezone.localdate())
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
    group_only(request)
    org = request.access.organisation
    problems: list[Problem] = []
    form = {"kind": Kind.DAILY_SAVING, "amount": "", "frequency": Frequency.MONTHLY, "effective_from": "",
            "note": ""}
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in form}
        day, problems = date_field(form["effective_from"], None)
        if day is None and not problems:
            problems.append(Problem("effective_from", "ต้องระบุวันที่เริ่มใช้", "the start date is required"))
        amount, found = amount_field(form["amount"], "amount")
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
                return redirect(page_url("plans", request))
    return render(request, "contributions/plans.html", {
        "plans": selectors.plans(org), "form": form, "problems": problems,
        "kinds": [(k.value, kind_label(k, language.current())) for k in MEMBER_KINDS],
        "frequencies": Frequency.choices, "can_write": request.access.can(scoping.WRITE),
    }, status=422 if problems else 200)


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def grants(request):
    group_only(request)
    org = request.access.organisation
    today = timezone.localdate()
    problems: list[Problem] = []
    form = {"kind": Kind.STATE_MATCHING, "amount": "", "payer_name": "", "date": "", "memo": "",
            "paid_into": "bank"}
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in form}
        day, problems = date_field(form["date"], today)
        amount, found = amount_field(form["amount"], "amount")
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
                return redirect(page_url("receipt", request, receipt_id=receipt.pk))
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
    return redirect(page_url("passbook", request, member_id=member.pk))


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

