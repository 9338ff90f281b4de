"""Pages of a loan's reschedule (ปรับโครงสร้างหนี้) under /o/<org>/loans/: the request (new terms,
date, first due date and a reason → a preview of the new schedule, stating the outstanding
principal and the interest kept in baht → confirm), one reschedule (its schedule, approve or
reject by a second person, reverse while the service allows), the approval queue of the
group's pending reschedules, and what the loan's own page shows of them (the schedules kept
before the current one, the pending request, what this person may do).

Thin: parse the form, call a service or selector, render. Which actions are offered is asked
of the same rules the services run."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from omboon.core import fields, language
from omboon.core.errors import Problem, RuleViolation, problems_of
from omboon.core.money import format_baht
from omboon.core.thaidate import format_date
from omboon.loans import forms, rules, schedule, selectors, services
from omboon.loans.models import Loan, Reschedule
from omboon.loans.pages import group_only as _group_only
from omboon.loans.pages import loan_of as _loan
from omboon.loans.pages import typed as _typed
from omboon.loans.pages import url as _url
from omboon.orgs import scoping
from omboon.orgs.decorators import org_view

PAGE_SIZE = 50
STATUS_LABELS = {Reschedule.Status.PENDING: pgettext_lazy("reschedule", "รออนุมัติ"),
                 Reschedule.Status.APPROVED: pgettext_lazy("reschedule", "อนุมัติแล้ว มีผลใช้"),
                 Reschedule.Status.REJECTED: pgettext_lazy("reschedule", "ไม่อนุมัติ")}
REVERSED_LABEL = pgettext_lazy("reschedule", "กลับรายการแล้ว")


def status_label(r: Reschedule) -> str:
    return str(REVERSED_LABEL if r.is_reversed else STATUS_LABELS[r.status])


def _may_decide(request, loan: Loan, r: Reschedule) -> bool:
    return (request.access.organisation.is_group and r.status == Reschedule.Status.PENDING
            and not problems_of([rules.reschedule_second_person], services.reschedule_act(request.user, loan, r)))


def _reversible(request, loan: Loan, standing: list[Reschedule]) -> Reschedule | None:
    """The loan's latest standing reschedule when this person may reverse it now."""
    if not standing or not request.access.organisation.is_group:
        return None
    r = standing[-1]
    act = services.reschedule_act(request.user, loan, r, reason="-", settled_since=selectors.settled_since(r))
    return None if problems_of(rules.RESCHEDULE_REVERSE, act) else r


def loan_page(request, loan: Loan) -> dict:
    """What the loan's page shows of its reschedules: the schedules kept before the current
    one (each with the reschedule that replaced it), every request, and what this person may do."""
    every = list(loan.reschedules.select_related("requested_by", "approved_by", "reversed_by").order_by("date", "pk"))
    if not every and loan.status != Loan.Status.DISBURSED:
        return {"reschedules": []}
    lang = language.current()
    kept = []
    if loan.rescheduled_on is not None:
        made = selectors.schedules_of(loan)
        kept = [(made[k + 1][0], rows) for k, (_r, rows) in enumerate(made[:-1])]
    pending = next((r for r in every if r.status == Reschedule.Status.PENDING), None)
    standing = [r for r in every if r.standing]
    may_ask = request.access.organisation.is_group and not problems_of(
        rules.RESCHEDULE_MAY_ASK, services.reschedule_act(request.user, loan))
    return {
        "reschedules": [(r, status_label(r), selectors.terms_summary(r.terms, lang)) for r in every],
        "schedules_kept": kept, "pending_reschedule": pending, "can_reschedule": may_ask,
        "can_decide_reschedule": pending is not None and _may_decide(request, loan, pending),
        "reversible_reschedule": _reversible(request, loan, standing),
    }


# --- the request: form → preview → confirm -----------------------------------------------------

def _request_problems(request, loan: Loan, values: dict) -> tuple[list[Problem], dict, dt.date | None, object]:
    """The typed request checked by the service's own rules: (problems, the service's
    arguments, the first due date, the new terms)."""
    problems: list[Problem] = []
    date = fields.date_field(values["date"], "date", problems, default=timezone.localdate())
    first_due = fields.date_field(values["first_due"], "first_due", problems)
    if not values["first_due"]:
        problems.append(Problem("first_due", "ต้องระบุวันครบกำหนดงวดแรกของตารางใหม่", "the new first due date is required"))
    if not values["rate"]:
        problems.append(Problem("rate", "ต้องระบุอัตราดอกเบี้ย", "the rate is required"))
    settings = forms.reschedule_settings(values, problems)
    if problems:
        return problems, settings, first_due, None
    changes = {k: settings[k] for k in services.RESCHEDULE_CHANGES}
    terms = services.new_terms(loan, settings["term"], settings["rate"], **changes)
    found = problems_of(rules.RESCHEDULE_REQUEST, services.reschedule_act(
        request.user, loan, date=date, term=settings["term"], rate=settings["rate"], first_due=first_due,
        reason=settings["reason"], terms=terms,
        max_term=selectors.reschedule_max_term(loan, date, terms.every if terms is not None else None)))
    return found, {**settings, "date": date}, first_due, terms


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def reschedule_new(request, loan_id: int):
    """Three steps: the new terms typed (filled from the loan's current terms); checked and
    previewed — the new schedule, the outstanding principal lent anew and the interest kept, in
    baht and words; "confirm" records the request, which waits for a second person."""
    _group_only(request)
    loan = _loan(request, loan_id)
    scoping.require(request.access, scoping.WRITE)  # the form only for who may ask
    blocked = problems = problems_of(rules.RESCHEDULE_MAY_ASK, services.reschedule_act(request.user, loan))
    values = forms.reschedule_values(selectors.current_terms(loan) or {
        "method": "flat", "rate": "0", "per": "year", "every": "month", "term": 1})
    values["date"] = _typed(timezone.localdate())
    preview = confirm = None
    if request.method == "POST" and not problems:
        values = forms.reschedule_typed(request.POST)
        problems, settings, first_due, terms = _request_problems(request, loan, values)
        if not problems and request.POST.get("confirmed") == "1":
            try:
                r = services.reschedule_request(actor=request.user, loan=loan, first_due=first_due, **settings)
            except RuleViolation as exc:
                problems = exc.problems
            else:
                messages.success(request, _("บันทึกคำขอปรับโครงสร้างหนี้ เลขที่ %(number)s สัญญา %(loan)s "
                                            "แล้ว รอกรรมการอีกคนอนุมัติ") % {"number": r.pk, "loan": loan.number})
                return redirect(_url("reschedule", request, loan_id=loan.pk, reschedule_id=r.pk))
        if not problems:
            try:
                preview = selectors.reschedule_preview(loan, terms, settings["date"], first_due)
            except RuleViolation as exc:
                problems = exc.problems
        if preview is not None:
            lang = language.current()
            confirm = {
                "kind": "approve", "amount": preview.outstanding, "action": request.path, "fields": values,
                "cancel": _url("detail", request, loan_id=loan.pk),
                "what": _("ขอปรับโครงสร้างหนี้สัญญา %(loan)s: เงินต้นคงค้างผ่อนใหม่ตั้งแต่ %(date)s") % {
                    "loan": loan.number, "date": format_date(settings["date"], lang=lang)},
                "lines": [_("ดอกเบี้ยค้างที่ยกไปชำระพร้อมงวดแรกของตารางใหม่ %(amount)s บาท") % {
                              "amount": format_baht(preview.kept_interest)},
                          _("เงื่อนไขใหม่: %(terms)s") % {"terms": selectors.terms_summary(terms.as_dict(), lang)},
                          _("งวดแรกครบกำหนด %(date)s") % {"date": format_date(first_due, lang=lang)},
                          _("เหตุผล: %(reason)s") % {"reason": settings["reason"]},
                          _("ไม่มีรายการบัญชี มีผลเมื่อกรรมการอีกคนอนุมัติ")],
                "button": _("ยืนยันและส่งให้อนุมัติ")}
    choices = forms.term_choices()
    today = timezone.localdate()
    return render(request, "loans/reschedule_new.html", {
        "loan": loan, "values": values, "problems": problems, "preview": preview, "confirm": confirm,
        "blocked": bool(blocked),
        "outstanding": selectors.outstanding_principal(loan),
        "max_term": selectors.reschedule_max_term(loan, today, values.get("every")),
        # the hint for each period, so the page's script shows the one chosen (loans/reschedule.js)
        "term_hints": json.dumps({every: _("ไม่เกิน %(n)s งวด ตามประเภทเงินกู้") % {
            "n": selectors.reschedule_max_term(loan, today, every)} for every, _label in choices["everies"]},
            ensure_ascii=False),
        "current_terms": selectors.terms_summary(selectors.current_terms(loan), language.current())
        if loan.terms else "",
        **choices,
    }, status=422 if problems and request.method == "POST" else 200)


# --- one reschedule: its schedule, approve / reject, reverse ------------------------------------

def _reschedule(request, loan_id: int, reschedule_id: int) -> tuple[Loan, Reschedule]:
    loan = _loan(request, loan_id)
    return loan, scoping.get_in_scope(
        Reschedule.objects.filter(loan=loan).select_related("requested_by", "approved_by", "reversed_by"),
        request.access.organisation, reschedule_id)


def _shown(request, loan: Loan, r: Reschedule, problems=(), status: int = 200, confirm=None):
    lang = language.current()
    rows, first_new, kept, found = [], 0, r.kept_interest, list(problems)
    if r.standing:
        made = selectors.schedules_of(loan)
        at = next(k for k, (by, _rows) in enumerate(made) if by is not None and by.pk == r.pk)
        rows = made[at][1]
        first_new = len(rows) - r.terms["term"]
    elif r.status == Reschedule.Status.PENDING and loan.status == Loan.Status.DISBURSED:
        try:
            preview = selectors.reschedule_preview(loan, schedule.Terms.from_dict(r.terms), r.date, r.first_due)
        except RuleViolation as exc:
            found += exc.problems
        else:
            rows, first_new, kept = preview.rows, preview.first_new, preview.kept_interest
    standing = [x for x in loan.reschedules.order_by("date", "pk") if x.standing]
    return render(request, "loans/reschedule.html", {
        "loan": loan, "r": r, "status_label": status_label(r), "terms": selectors.terms_summary(r.terms, lang),
        "rows": rows, "first_new": first_new, "kept": kept, "problems": found, "confirm": confirm,
        "can_decide": _may_decide(request, loan, r),
        "own_request": r.status == Reschedule.Status.PENDING and r.requested_by_id == request.user.pk,
        "can_reverse": (reversible := _reversible(request, loan, standing)) is not None and reversible.pk == r.pk,
        "today": _typed(timezone.localdate()),
    }, status=status)


@org_view(scoping.RECORDS)
def reschedule_detail(request, loan_id: int, reschedule_id: int):
    loan, r = _reschedule(request, loan_id, reschedule_id)
    return _shown(request, loan, r)


def _back(request, loan: Loan, r: Reschedule) -> str:
    """Where a decision returns: the queue it came from, else the reschedule's page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return _url("reschedule", request, loan_id=loan.pk, reschedule_id=r.pk)


@org_view(scoping.RECORDS, write_need=scoping.APPROVE)
def reschedule_decide(request, loan_id: int, reschedule_id: int):
    """``action`` approve | reject | reverse, each confirmed first (what it does, in baht)."""
    loan, r = _reschedule(request, loan_id, reschedule_id)
    if request.method != "POST":
        return redirect(_url("reschedule", request, loan_id=loan.pk, reschedule_id=r.pk))
    action, reason = request.POST.get("action"), request.POST.get("reason", "")
    if action not in ("approve", "reject", "reverse"):
        return _shown(request, loan, r, [Problem("action", "เลือกอนุมัติ ไม่อนุมัติ หรือกลับรายการ",
                                                  "choose approve, reject or reverse")], status=422)
    checks = {"approve": rules.RESCHEDULE_APPROVE, "reject": rules.RESCHEDULE_REJECT,
              "reverse": rules.RESCHEDULE_REVERSE}[action]
    standing = selectors.reschedules_standing(loan)
    act = services.reschedule_act(request.user, loan, r, reason=reason or ("-" if action == "approve" else ""),
               latest=bool(standing) and standing[-1].pk == r.pk,
               settled_since=r.standing and selectors.settled_since(r))
    found = problems_of(checks, act)
    if found:
        return _shown(request, loan, r, found, status=422)
    if request.POST.get("confirmed") != "1":
        lines = [_("สัญญา %(loan)s · %(terms)s · งวดแรก %(date)s") % {
            "loan": loan.number, "terms": selectors.terms_summary(r.terms, language.current()),
            "date": _typed(r.first_due)}]
        if reason:
            lines.append(_("เหตุผล: %(reason)s") % {"reason": reason})
        what = {"approve": _("อนุมัติการปรับโครงสร้างหนี้ เลขที่ %(number)s (ตารางใหม่มีผลทันที ไม่มีรายการบัญชี)"),
                "reject": _("ไม่อนุมัติการปรับโครงสร้างหนี้ เลขที่ %(number)s"),
                "reverse": _("กลับรายการปรับโครงสร้างหนี้ เลขที่ %(number)s (กลับไปใช้ตารางก่อนหน้า)")}[action]
        button = {"approve": _("ยืนยัน อนุมัติ"), "reject": _("ยืนยัน ไม่อนุมัติ"),
                  "reverse": _("ยืนยัน กลับรายการ")}[action]
        return _shown(request, loan, r, confirm={
            "kind": "approve" if action == "approve" else "reject", "amount": r.principal, "action": request.path,
            "fields": {"action": action, "reason": reason, "next": request.POST.get("next", "")},
            "cancel": _back(request, loan, r), "what": what % {"number": r.pk}, "button": button, "lines": lines})
    try:
        if action == "approve":
            services.reschedule_approve(actor=request.user, reschedule=r)
            message = _("อนุมัติการปรับโครงสร้างหนี้ เลขที่ %(number)s สัญญา %(loan)s แล้ว ตารางใหม่มีผลใช้")
        elif action == "reject":
            services.reschedule_reject(actor=request.user, reschedule=r, reason=reason)
            message = _("ไม่อนุมัติการปรับโครงสร้างหนี้ เลขที่ %(number)s สัญญา %(loan)s แล้ว")
        else:
            services.reschedule_reverse(actor=request.user, reschedule=r, reason=reason)
            message = _("กลับรายการปรับโครงสร้างหนี้ เลขที่ %(number)s สัญญา %(loan)s แล้ว")
    except RuleViolation as exc:
        loan, r = _reschedule(request, loan_id, reschedule_id)
        return _shown(request, loan, r, exc.problems, status=422)
    messages.success(request, message % {"number": r.pk, "loan": loan.number})
    return redirect(_back(request, loan, r))


# --- the approval queue -------------------------------------------------------------------------

@org_view(scoping.RECORDS)
def reschedule_queue(request):
    """The group's reschedules waiting for a second person, oldest first, a page at a time."""
    _group_only(request)
    org = request.access.organisation
    page = Paginator(selectors.reschedules_pending(org), PAGE_SIZE).get_page(request.GET.get("page"))
    lang = language.current()
    # rules.reschedule_second_person, its approver asked once a page rather than once a row
    may_approve = org.is_group and scoping.may_approve(request.user, org, "loans")
    rows = [{"r": r, "terms": selectors.terms_summary(r.terms, lang),
             "can_decide": may_approve and r.requested_by_id != request.user.pk} for r in page]
    return render(request, "loans/reschedules.html", {"page": page, "rows": rows, "here": request.get_full_path()})
