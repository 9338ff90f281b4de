"""Ledger screens under /o/<org>/ledger/: vouchers (make, approve, post, print), entries with
their reversals, and the month-end close. Thin: parse, call a service or selector, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omboon.core import language, reporting
from omboon.core.errors import RuleViolation, problems_of
from omboon.core.money import format_baht
from omboon.core.period import typed
from omboon.core.thaidate import year_shown
from omboon.ledger import rules, selectors, services
from omboon.ledger.forms import ThaiDateField, VoucherForm, line_forms, lines_from
from omboon.ledger.models import JournalEntry, Voucher
from omboon.orgs import scoping
from omboon.orgs import services as org_services
from omboon.orgs.decorators import org_view

PAGE_SIZE = 50
REPORT_CODES = ["trial-balance", "income-expenditure", "financial-position", "cash-book", "general-ledger",
                "fund-movement"]


def _problems(request, exc: RuleViolation) -> None:
    for p in exc.problems:
        messages.error(request, p.message(language.current()))


def _month(year: int, month: int) -> str:
    """A month as people read it: 03/2567 in Thai, 03/2024 in English."""
    return f"{month:02d}/{year_shown(year)}"


def _groups_only(request):
    if not request.access.organisation.is_group:
        return render(request, "ledger/network.html", status=200)
    return None


@org_view(scoping.RECORDS)
def ledger_home(request):
    org = request.access.organisation
    if (page := _groups_only(request)) is not None:
        return page
    today = timezone.localdate()
    tb = selectors.trial_balance(org, today)
    cash = sum(r.debit - r.credit for r in tb.rows if r.account.code in ("1100", "1200"))
    return render(request, "ledger/home.html", {
        "reports": [(code, reporting.get(code).title_en if language.current() == "en" else reporting.get(code).title_th)
                    for code in REPORT_CODES],
        "cash": cash,
        "drafts": selectors.vouchers(org).filter(status=Voucher.Status.DRAFT).count(),
        "approved": selectors.vouchers(org).filter(status=Voucher.Status.APPROVED).count(),
        "next_period": services.next_period(org),
        "access": request.access,
        "journal_single_person": rules.journal_single_person(org),
        "can_manage": request.access.can(scoping.MANAGE),
    })


@org_view(scoping.RECORDS, write_need=scoping.MANAGE)
def ledger_settings(request):
    """The chair sets the bylaws' choice: may one person post a journal voucher that moves no
    cash? (Money out always needs a second person, whatever this says.)"""
    org = request.access.organisation
    if request.method == "POST":
        bylaws = {**(org.bylaws or {}), "journal_single_person": request.POST.get("journal_single_person") == "on"}
        org_services.organisation_update(actor=request.user, organisation=org, bylaws=bylaws)
        messages.success(request, "บันทึกการตั้งค่าแล้ว / settings saved")
    return redirect("ledger-home", org=org.code)


@org_view(scoping.RECORDS)
def voucher_list(request):
    org = request.access.organisation
    status = request.GET.get("status") or ""
    qs = selectors.vouchers(org)
    if status in Voucher.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-date", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ledger/voucher_list.html", {"page": page, "status": status,
                                                        "statuses": Voucher.Status.choices})


@org_view(scoping.WRITE)
def voucher_create(request):
    org = request.access.organisation
    if (page := _groups_only(request)) is not None:
        return page
    accounts = list(selectors.accounts(org).filter(is_active=True))
    funds = list(selectors.funds(org))
    if request.method == "POST":
        form = VoucherForm(request.POST)
        rows = line_forms(request.POST, accounts=accounts, funds=funds)
        if form.is_valid() and all(r.is_valid() for r in rows):
            d = form.cleaned_data
            try:
                voucher = services.voucher_create(actor=request.user, organisation=org, kind=d["kind"],
                                                  date=d["date"], memo=d["memo"], counterparty=d["counterparty"],
                                                  lines=lines_from(rows))
            except RuleViolation as exc:
                _problems(request, exc)
            else:
                messages.success(request, _("บันทึกใบสำคัญแล้ว รอการอนุมัติ"))
                return redirect("ledger-voucher-detail", org=org.code, voucher_id=voucher.pk)
    else:
        form = VoucherForm(initial={"kind": request.GET.get("kind") or Voucher.Kind.PAYMENT,
                                    "date": typed(timezone.localdate())})
        rows = line_forms(accounts=accounts, funds=funds)
    return render(request, "ledger/voucher_form.html", {"form": form, "rows": rows}, status=200)


def _voucher(request, voucher_id):
    return scoping.get_in_scope(
        Voucher.objects.select_related("created_by", "approved_by", "entry", "organisation"),
        request.access.organisation, voucher_id)


@org_view(scoping.RECORDS)
def voucher_detail(request, voucher_id: int):
    return _voucher_page(request, _voucher(request, voucher_id))


def _act(request, voucher) -> rules.VoucherAct:
    single = (voucher.status == Voucher.Status.DRAFT
              and rules.one_person_journal(voucher.organisation, voucher.kind,
                                           list(voucher.lines.select_related("account"))))
    return rules.VoucherAct(voucher, request.user, reason="-", one_person=single)


def _voucher_page(request, voucher, confirm: dict | None = None):
    access = request.access
    # the buttons the services' own rules would let this person press
    act = _act(request, voucher)
    return render(request, "ledger/voucher_detail.html", {
        "voucher": voucher,
        "lines": voucher.lines.select_related("account", "fund", "member"),
        "can_approve": not problems_of(rules.VOUCHER_APPROVE, act),
        "can_post": not problems_of(rules.VOUCHER_POST, act),
        "can_cancel": access.can(scoping.WRITE) and not problems_of(rules.VOUCHER_CANCEL, act),
        "confirm": confirm,
    })


def _voucher_action(request, voucher_id, action, done, ask=None, checks=()):
    """POST only. When the service's rules (``checks``) would let it pass, the first press answers
    the voucher's page with ``ask(voucher)`` — a confirmation of what will happen, in baht and
    words; the confirmation's button (``confirmed=1``) does ``action``; the message is
    ``done(voucher)``. A press the rules refuse goes to the service, whose problems are shown."""
    voucher = _voucher(request, voucher_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if (ask is not None and request.POST.get("confirmed") != "1"
            and not problems_of(checks, _act(request, voucher))):
        confirm = ask(voucher)
        if confirm is not None:
            here = reverse("ledger-voucher-detail", kwargs={"org": voucher.organisation.code, "voucher_id": voucher.pk})
            return _voucher_page(request, voucher, confirm={
                "amount": voucher.total, "action": request.path, "cancel": here, "fields": {}, **confirm})
    try:
        action(voucher)
    except RuleViolation as exc:
        _problems(request, exc)
    else:
        voucher.refresh_from_db()
        messages.success(request, done(voucher))
    return redirect("ledger-voucher-detail", org=request.access.organisation.code, voucher_id=voucher.pk)


def _what(voucher) -> dict:
    return {"kind": voucher.get_kind_display(), "memo": voucher.memo, "number": voucher.pk,
            "amount": format_baht(voucher.total)}


@org_view(scoping.RECORDS, write_need=scoping.APPROVE)
def voucher_approve(request, voucher_id: int):
    def ask(v):
        if v.status != Voucher.Status.DRAFT:
            return None
        return {"kind": "approve", "what": _("อนุมัติ%(kind)s ร่างเลขที่ %(number)s: %(memo)s") % _what(v),
                "button": _("ยืนยัน อนุมัติ %(amount)s บาท") % _what(v),
                "lines": [_("เมื่ออนุมัติแล้ว เหรัญญิกลงบัญชีได้ ยังไม่มีเงินเข้าออกในขั้นนี้")]}

    return _voucher_action(request, voucher_id, lambda v: services.voucher_approve(actor=request.user, voucher=v),
                           lambda v: _("อนุมัติ%(kind)s ร่างเลขที่ %(number)s แล้ว %(amount)s บาท รอลงบัญชี")
                           % _what(v), ask, rules.VOUCHER_APPROVE)


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def voucher_post(request, voucher_id: int):
    def ask(v):
        if v.status == Voucher.Status.POSTED:
            return None
        return {"kind": "pay", "what": _("ลงบัญชี%(kind)s ร่างเลขที่ %(number)s: %(memo)s") % _what(v),
                "button": _("ยืนยัน ลงบัญชี %(amount)s บาท") % _what(v),
                "lines": [_("ได้เลขที่เอกสารตามลำดับ ลงบัญชีแล้วแก้ไม่ได้ ผิดให้กลับรายการ")]}

    return _voucher_action(request, voucher_id, lambda v: services.voucher_post(actor=request.user, voucher=v),
                           lambda v: _("ลงบัญชีแล้ว เลขที่ %(document)s %(amount)s บาท หากผิดให้กลับรายการที่หน้าเอกสาร")
                           % {"document": v.entry.document_number if v.entry else "",
                              "amount": format_baht(v.total)}, ask, rules.VOUCHER_POST)


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def voucher_cancel(request, voucher_id: int):
    reason = request.POST.get("reason", "")

    def ask(v):
        if v.status == Voucher.Status.CANCELLED or not reason.strip():
            return None
        return {"kind": "reject", "what": _("ยกเลิก%(kind)s ร่างเลขที่ %(number)s: %(memo)s") % _what(v),
                "button": _("ยืนยัน ยกเลิกใบสำคัญ"), "fields": {"reason": reason},
                "lines": [_("ไม่มีเงินเข้าออก"), _("เหตุผล: %(reason)s") % {"reason": reason}]}

    return _voucher_action(
        request, voucher_id, lambda v: services.voucher_cancel(actor=request.user, voucher=v, reason=reason),
        lambda v: _("ยกเลิก%(kind)s ร่างเลขที่ %(number)s แล้ว") % _what(v), ask, rules.VOUCHER_CANCEL)


@org_view(scoping.RECORDS)
def voucher_print(request, voucher_id: int):
    voucher = _voucher(request, voucher_id)
    lines = list(voucher.lines.select_related("account", "fund"))
    return render(request, "ledger/voucher_print.html", {
        "voucher": voucher, "lines": lines, "total": sum(ln.debit for ln in lines),
        "printed_on": timezone.localdate(),
    })


@org_view(scoping.RECORDS)
def entry_list(request):
    org = request.access.organisation
    qs = selectors.entries(org).select_related("reverses")
    doc_type = request.GET.get("type") or ""
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ledger/entry_list.html", {"page": page, "doc_type": doc_type})


@org_view(scoping.RECORDS)
def entry_detail(request, entry_id: int):
    return _entry_page(request, selectors.entry_detail(request.access.organisation, entry_id))


def _entry_page(request, entry, confirm: dict | None = None):
    reversed_by = JournalEntry.objects.filter(reverses=entry).first()
    return render(request, "ledger/entry_detail.html", {
        "entry": entry, "lines": entry.lines.select_related("account", "fund", "member"),
        "reversed_by": reversed_by,
        "can_reverse": request.access.can(scoping.WRITE) and not problems_of(
            rules.ENTRY_REVERSE, rules.Reversal(entry, entry.date, "-", already_reversed=reversed_by is not None)),
        "today": typed(timezone.localdate()),
        "confirm": confirm,
    })


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def entry_reverse(request, entry_id: int):
    org = request.access.organisation
    entry = selectors.entry_detail(org, entry_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        day = ThaiDateField(required=True).clean(request.POST.get("date", ""))
        reason = request.POST.get("reason", "")
        if request.POST.get("confirmed") != "1" and reason.strip():
            return _entry_page(request, entry, confirm={
                "kind": "reject", "amount": entry.total, "action": request.path,
                "fields": {"date": request.POST.get("date", ""), "reason": reason},
                "cancel": reverse("ledger-entry-detail", kwargs={"org": org.code, "entry_id": entry.pk}),
                "what": _("กลับรายการ %(number)s") % {"number": entry.document_number},
                "button": _("ยืนยัน กลับรายการ %(number)s") % {"number": entry.document_number},
                "lines": [_("ลงรายการกลับด้านทุกบรรทัด ลงวันที่ %(date)s เลขที่เดิมยังคงอยู่") % {"date": typed(day)},
                          _("เหตุผล: %(reason)s") % {"reason": reason}]})
        reversal = services.entry_reverse(actor=request.user, entry=entry, date=day,
                                          reason=request.POST.get("reason", ""))
    except RuleViolation as exc:
        _problems(request, exc)
    except forms.ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("กลับรายการแล้ว: %(number)s") % {"number": reversal.document_number})
        return redirect("ledger-entry-detail", org=org.code, entry_id=reversal.pk)
    return redirect("ledger-entry-detail", org=org.code, entry_id=entry.pk)


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def period_list(request):
    org = request.access.organisation
    if (page := _groups_only(request)) is not None:
        return page
    if request.method == "POST":
        nxt = services.next_period(org)
        if nxt is not None and request.POST.get("confirmed") != "1" and not problems_of(
                rules.PERIOD_CLOSE, rules.Closing(org, *nxt, nxt, timezone.localdate())):
            return _periods_page(request, org, confirm={
                "kind": "approve", "amount": None, "action": request.path, "fields": {},
                "cancel": request.path,
                "what": _("ปิดบัญชีเดือน %(month)s") % {"month": _month(*nxt)},
                "button": _("ยืนยัน ปิดบัญชีเดือน %(month)s") % {"month": _month(*nxt)},
                "lines": [_("เดือนที่ปิดแล้วบันทึกรายการเพิ่มไม่ได้ ประธานเปิดงวดได้เมื่อจำเป็น")]})
        try:
            if nxt is None:
                raise RuleViolation(rules.nothing_to_close())
            services.period_close(actor=request.user, organisation=org, year=nxt[0], month=nxt[1])
        except RuleViolation as exc:
            _problems(request, exc)
        else:
            messages.success(request, _("ปิดบัญชีเดือน %(month)s แล้ว") % {"month": _month(*nxt)})
        return redirect("ledger-periods", org=org.code)
    return _periods_page(request, org)


def _periods_page(request, org, confirm: dict | None = None):
    rows = list(reversed(selectors.period_list(org)))
    page = Paginator(rows, 24).get_page(request.GET.get("page"))
    nxt = services.next_period(org)
    # The close button is offered only when closing would pass (the month has ended); else
    # the rule's own words say why not.
    not_yet = problems_of(rules.PERIOD_CLOSE, rules.Closing(org, *nxt, nxt, timezone.localdate())) if nxt else []
    lang = language.current()
    return render(request, "ledger/period_list.html", {
        "page": page, "can_close": request.access.can(scoping.WRITE) and nxt is not None and not not_yet,
        "not_yet": [p.message_en if lang == "en" else p.message_th for p in not_yet],
        "can_reopen": request.access.can(scoping.MANAGE),
        "confirm": confirm,
    })


@org_view(scoping.RECORDS, write_need=scoping.MANAGE)
def period_reopen(request):
    org = request.access.organisation
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        year, month = int(request.POST.get("year", "")), int(request.POST.get("month", ""))
    except ValueError:
        messages.error(request, _("ระบุเดือนไม่ถูกต้อง"))
        return redirect("ledger-periods", org=org.code)
    try:
        reopened = services.period_reopen(actor=request.user, organisation=org, year=year, month=month,
                                          reason=request.POST.get("reason", ""))
    except RuleViolation as exc:
        _problems(request, exc)
    else:
        shown = ", ".join(_month(p.year, p.month) for p in reopened)
        messages.success(request, _("เปิดงวดบัญชีแล้ว: %(months)s") % {"months": shown})
    return redirect("ledger-periods", org=org.code)

