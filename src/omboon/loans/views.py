"""Pages under /o/<org>/loans/: the group's loans (search, status, pages), one loan (its
schedule, repayments, arrears, guarantors and the actions this person may take), the
application form, approve / reject / withdraw, disburse, the repayment form (checked, then
confirmed in baht and Thai words) and the portfolio (PAR, aging).

Thin: parse the form, call a service or selector, render. Every page passes ``org_view``;
a loan comes through ``scoping.get_in_scope``. Which actions are offered is asked of the
same rules the services run.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from omboon.core import fields, language
from omboon.core.bahttext import amount_words
from omboon.core.errors import Problem, RuleViolation, problems_of
from omboon.core.money import format_baht
from omboon.core.thaidate import arabic_digits, format_date
from omboon.loans import allocation, arrears, forms, quorum, rules, schedule, selectors, services, views_reschedule
from omboon.loans.models import Adjustment, Loan, LoanSecurity
from omboon.loans.pages import group_only as _group_only
from omboon.loans.pages import loan_of as _loan
from omboon.loans.pages import typed as _typed
from omboon.loans.pages import url as _url
from omboon.members import selectors as member_selectors
from omboon.orgs import scoping
from omboon.orgs.decorators import org_view

PAGE_SIZE = 50

STATUS_LABELS = {
    Loan.Status.APPLIED: pgettext_lazy("loan status", "รออนุมัติ"),
    Loan.Status.APPROVED: pgettext_lazy("loan status", "อนุมัติแล้ว รอจ่ายเงิน"),
    Loan.Status.REJECTED: pgettext_lazy("loan status", "ไม่อนุมัติ"),
    Loan.Status.WITHDRAWN: pgettext_lazy("loan status", "ถอนคำขอ"),
    Loan.Status.DISBURSED: pgettext_lazy("loan status", "กำลังผ่อนชำระ"),
    Loan.Status.CLOSED: pgettext_lazy("loan status", "ปิดบัญชีแล้ว"),
    Loan.Status.WRITTEN_OFF: pgettext_lazy("loan status", "ตัดเป็นหนี้สูญแล้ว"),
}
KIND_LABELS = {Adjustment.Kind.WRITE_OFF: pgettext_lazy("loans", "ตัดหนี้สูญ"),
               Adjustment.Kind.RECOVER: pgettext_lazy("loans", "รับชำระหนี้สูญ"),
               Adjustment.Kind.PENALTY: pgettext_lazy("loans", "ค่าปรับ"),
               Adjustment.Kind.WAIVE_INTEREST: pgettext_lazy("loans", "ยกเว้นดอกเบี้ย"),
               Adjustment.Kind.WAIVE_PENALTY: pgettext_lazy("loans", "ยกเว้นค่าปรับ")}
WAIVE_PARTS = {"interest": Adjustment.Kind.WAIVE_INTEREST, "penalty": Adjustment.Kind.WAIVE_PENALTY}
ADJUSTMENT_STATUS = {Adjustment.Status.PENDING: pgettext_lazy("adjustment", "รออนุมัติ"),
                     Adjustment.Status.APPROVED: pgettext_lazy("adjustment", "อนุมัติแล้ว"),
                     Adjustment.Status.REJECTED: pgettext_lazy("adjustment", "ไม่อนุมัติ")}
AGAINST_LABELS = {Adjustment.Against.EXPENSE: pgettext_lazy("loans", "เป็นค่าใช้จ่ายหนี้สูญ (5500)"),
                  Adjustment.Against.ALLOWANCE: pgettext_lazy("loans", "จากค่าเผื่อหนี้สงสัยจะสูญ (1320)")}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


# --- the list and the portfolio ---------------------------------------------------------------

def _status_filters():
    return [("open", _("ยังไม่ปิด")), *[(s, status_label(s)) for s in Loan.Status.values], ("all", _("ทั้งหมด"))]


@org_view(scoping.RECORDS)
def loan_list(request):
    org = request.access.organisation
    status = request.GET.get("status", "open")
    query = request.GET.get("q", "").strip()
    member = request.GET.get("member", "")
    qs = selectors.loan_search(org, query=query, status=status,
                               member_id=int(member) if member.isdigit() else None)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = selectors.loan_rows(list(page), today)
    return render(request, "loans/list.html", {
        "page": page, "rows": rows, "status": status, "q": query, "member": member,
        "waiting_consent": selectors.waiting_consent(list(page)),
        "filters": _status_filters(), "labels": STATUS_LABELS,
        "can_write": request.access.can(scoping.WRITE) and org.is_group,
    })


def _percent(share) -> str:
    return "–" if share is None else f"{float(share) * 100:.2f}%"


@org_view(scoping.RECORDS)
def portfolio(request):
    _group_only(request)
    org = request.access.organisation
    problems: list[Problem] = []
    on = fields.date_field(request.GET.get("on"), "on", problems, default=timezone.localdate())
    on = on or timezone.localdate()
    p = selectors.portfolio(org, on)
    par = [(d, p.at_risk[d], _percent(p.par(d))) for d in (1, 30, 60, 90)]
    buckets = [(arrears.bucket_label(b), n, amount) for b, (n, amount) in p.by_bucket.items()]
    return render(request, "loans/portfolio.html", {
        "p": p, "on": on, "on_typed": _typed(on), "par": par, "buckets": buckets,
        "arrears_rate": _percent(p.arrears_rate), "problems": problems,
    }, status=422 if problems else 200)


# --- apply ------------------------------------------------------------------------------------

def _term_typed(text: str, problems: list[Problem]) -> int | None:
    """The term as typed: blank for the product's own, else a whole number of instalments."""
    text = arabic_digits((text or "").strip())
    if not text:
        return None
    if not text.isdigit():
        problems.append(Problem("term", "จำนวนงวดต้องเป็นจำนวนเต็ม", "the term must be a whole number", value=text))
        return None
    return int(text)


def _term_limits(products, on: dt.date, lang: str) -> list[tuple]:
    """(product, "6–24 งวด", its usual term) of each product in force, for the term field's help."""
    out = []
    for p in products:
        v = selectors.version_in_force(p, on)
        if v is not None:
            out.append((p, rules.term_limits_text(v, lang), v.terms["term"]))
    return out


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def loan_new(request):
    """The application: typed, then (asked with "ดูตารางผ่อน") checked by the service's own rules
    and previewed — the schedule at the term chosen were it paid out on the day of the
    application — before it is recorded; or recorded straight away."""
    _group_only(request)
    org = request.access.organisation
    if not request.access.can(scoping.WRITE):
        raise Http404("ไม่มีสิทธิ์ / not allowed")
    products = list(selectors.products(org).filter(is_active=True))
    data = request.POST if request.method == "POST" else request.GET
    values = {k: data.get(k, "") for k in ("product", "member", "principal", "purpose", "applied_on", "term")}
    values["guarantors"] = [data.get(f"guarantor_{i}", "") for i in range(1, 5)]
    values["consented"] = [data.get(f"guarantor_{i}_consented") == "1" for i in range(1, 5)]
    values.update(forms.security_values(data))
    problems: list[Problem] = []
    preview = None
    if request.method == "POST":
        members = member_selectors.members_of(org)
        product = next((p for p in products if str(p.pk) == values["product"]), None)
        member = forms.member_by_number(members, values["member"])
        if member is None:
            problems.append(Problem("member", "ไม่พบสมาชิกเลขที่นี้ในกลุ่ม กู้ได้เฉพาะสมาชิก",
                                    "no member with this number in the group; only members borrow",
                                    value=values["member"]))
        guarantors, consented = [], []
        for i, (number, signed) in enumerate(forms.guarantor_lines(data), start=1):
            g = forms.member_by_number(members, number)
            if g is None:
                problems.append(Problem("guarantors", "ไม่พบผู้ค้ำประกันเลขที่นี้ในกลุ่ม",
                                        "no member with this number in the group", row=i, value=number))
            else:
                guarantors.append(g)
                if signed:
                    consented.append(g)
        principal = fields.money_field(values["principal"], "principal", problems, required=True)
        applied_on = fields.date_field(values["applied_on"], "applied_on", problems, default=timezone.localdate())
        term = _term_typed(values["term"], problems)
        securities = forms.securities_typed(data, problems)
        if product is None:
            problems.append(Problem("product", "เลือกประเภทเงินกู้", "choose a loan product"))
        asked = {"organisation": org, "member": member, "product": product, "principal": principal,
                 "purpose": values["purpose"], "guarantors": guarantors, "applied_on": applied_on, "term": term,
                 "consented": consented,
                 "securities": securities}
        if not problems and request.POST.get("preview") == "1":
            application = services.application_of(actor=request.user, **asked)
            problems = problems_of(rules.LOAN_APPLY, application)
            if not problems:
                try:
                    rows = selectors.application_schedule(application.version, principal, term, application.applied_on)
                except RuleViolation as exc:
                    problems = exc.problems
                else:
                    terms = selectors.terms_at(application.version, term)
                    preview = {"rows": rows, "terms": selectors.terms_summary(terms, language.current()),
                               "interest": sum(r.interest for r in rows), "total": sum(r.total for r in rows)}
        elif not problems:
            try:
                loan = services.loan_apply(actor=request.user, **asked)
            except RuleViolation as exc:
                problems = exc.problems
            else:
                messages.success(request, _("บันทึกคำขอกู้สัญญา %(number)s แล้ว รอกรรมการอนุมัติ") % {
                    "number": loan.number})
                return redirect(_url("detail", request, loan_id=loan.pk))
    lang = language.current()
    today = timezone.localdate()
    return render(request, "loans/new.html", {
        "products": [(p, selectors.product_summary(p, today, lang)) for p in products],
        "term_limits": _term_limits(products, today, lang),
        "values": values, "problems": problems, "preview": preview,
        "guarantor_lines": [(i, g, signed) for i, (g, signed) in enumerate(zip(values["guarantors"],
                                                                                values["consented"]), start=1)],
        "collateral_kinds": list(LoanSecurity.Collateral.choices),
        "today": _typed(today),
    }, status=422 if problems else 200)


# --- one loan ---------------------------------------------------------------------------------

def _adjustment_offers(request, loan: Loan, day: dt.date) -> dict:
    """What this person may do about write-off and recovery, asked of the services' own rules."""
    org, user = request.access.organisation, request.user
    adjustments = list(loan.adjustments.select_related("entry", "reversal", "requested_by", "approved_by")
                       .order_by("date", "pk"))
    pending = next((a for a in adjustments if a.status == Adjustment.Status.PENDING), None)
    outstanding = selectors.outstanding_principal(loan)
    recoverable = selectors.recoverable(loan)
    common = {"outstanding": outstanding, "recoverable": recoverable, "pending": pending is not None,
              "last_date": None}

    def may(checks, **kw) -> bool:
        return org.is_group and not problems_of(checks, rules.AdjustmentAct(loan, user, reason="-", date=day, **{
            **common, **kw}))

    standing = [a for a in adjustments if a.status == Adjustment.Status.APPROVED and not a.is_reversed]
    reversible = standing[-1] if standing else None
    unpaid_penalty = selectors.penalty_owed(loan) if loan.status == Loan.Status.DISBURSED else 0
    if reversible is not None and not may(rules.ADJUSTMENT_REVERSE, kind=reversible.kind, adjustment=reversible,
                                          recoveries_standing=any(a.kind == "recover" for a in standing),
                                          waivable=unpaid_penalty):
        reversible = None
    penalty_today = selectors.penalty_on(loan, day)
    interest_left = selectors.interest_waivable(loan) if loan.status == Loan.Status.DISBURSED else 0
    return {
        "adjustments": [(a, KIND_LABELS[a.kind], ADJUSTMENT_STATUS[a.status], AGAINST_LABELS.get(a.against, ""))
                        for a in adjustments],
        "pending_adjustment": pending,
        "can_decide": pending is not None and may(rules.ADJUSTMENT_REJECT, kind=pending.kind, adjustment=pending),
        "own_request": pending is not None and pending.requested_by_id == user.pk,
        "can_write_off": may(rules.WRITE_OFF_REQUEST, kind="write_off", against="expense"),
        "can_recover": may(rules.RECOVERY_REQUEST, kind="recover", amount=1) and recoverable > 0,
        "reversible_adjustment": reversible, "recoverable": recoverable,
        "against_choices": list(AGAINST_LABELS.items()),
        "penalty_owed": unpaid_penalty, "penalty_today": penalty_today,
        "can_charge_penalty": may(rules.PENALTY_CHARGE, kind="penalty", amount=penalty_today),
        "can_waive": may(rules.WAIVE_REQUEST, kind="waive_interest", amount=1, waivable=interest_left)
        or may(rules.WAIVE_REQUEST, kind="waive_penalty", amount=1, waivable=unpaid_penalty),
        "interest_waivable": interest_left,
    }


def _detail(request, loan: Loan, problems=(), status: int = 200, repay=None, adjust=None, disburse=None,
            consent=None):
    org = request.access.organisation
    user = request.user
    today = timezone.localdate()
    instalments = selectors.schedule_of(loan)
    paid = selectors.settled(loan)  # repayments and waivers
    left = allocation.remaining(instalments, paid) if instalments else []
    owed = sum(r.total for r in left) + (selectors.penalty_owed(loan) if instalments else 0)
    standing = arrears.standing(instalments, paid, loan.principal, today) if instalments else None
    day = max(today, loan.disbursed_on or loan.applied_on)
    votes = quorum.progress(loan) if loan.status == Loan.Status.APPLIED else None
    guarantors = list(loan.guarantors.select_related("member", "consent_by").order_by("pk"))
    act = rules.LoanAct(loan, user, reason="-", date=day, amount=1, owed=max(owed, 1),
                        approvers=votes.approver_ids if votes else frozenset(), consents=tuple(guarantors))

    def may(checks) -> bool:
        return org.is_group and not problems_of(checks, act)

    can_disburse = may(rules.LOAN_DISBURSE)
    account = services.savings_account_of(loan, today) if can_disburse else None
    repayments = list(loan.repayments.select_related("entry", "reversal", "received_by").order_by("date", "pk"))
    standing_ones = [r for r in repayments if r.reversal_id is None]
    may_reverse = bool(standing_ones) and org.is_group and request.access.can(scoping.APPROVE)
    return render(request, "loans/detail.html", {
        "loan": loan, "status_label": status_label(loan.status),
        "terms": selectors.terms_summary(loan.terms, language.current()) if loan.terms else "",
        "asked_terms": selectors.terms_summary(selectors.applied_terms(loan), language.current())
        if loan.terms is None and loan.status == Loan.Status.APPLIED else "",
        "rows": list(zip(instalments, left)), "paid": paid, "owed": owed,
        "outstanding": selectors.outstanding_principal(loan), "standing": standing,
        "guarantors": guarantors, "consent": consent,
        "waiting_consent": rules.consent_problems(guarantors) if loan.status == Loan.Status.APPLIED else [],
        "can_record_consent": org.is_group and loan.status == Loan.Status.APPLIED
        and request.access.can(scoping.WRITE),
        "consentable": {g.pk for g in guarantors  # a guarantor who has left cannot consent
                        if not rules.consent_guarantor_member(rules.ConsentAct(g, user, "", today))},
        "securities": [(r, selectors.security_text(r.security, language.current()))
                       for r in selectors.securities_of(loan)],
        "repayments": repayments, "last_repayment": standing_ones[-1] if standing_ones else None,
        "problems": list(problems), "repay": repay,
        "can_approve": may(rules.LOAN_APPROVE), "can_reject": may(rules.LOAN_REJECT),
        "can_withdraw": may(rules.LOAN_WITHDRAW), "can_disburse": can_disburse,
        "disburse": disburse or {}, "disburse_account": account.number if account else "",
        "can_repay": may(rules.LOAN_REPAY), "can_reverse": may_reverse,
        "own_application": loan.applied_by_id == user.pk and loan.status == Loan.Status.APPLIED,
        "quorum": votes, "approved_already": votes is not None and user.pk in votes.approver_ids,
        "approvals": [(a.user, timezone.localtime(a.at).date())
                      for a in (votes.approvals if votes else quorum.approvals_of(loan))],
        "any_to_savings": any(r.to_savings for r in repayments),
        "today": _typed(today), "adjust": adjust, **_adjustment_offers(request, loan, day),
        **views_reschedule.loan_page(request, loan),
    }, status=status)


@org_view(scoping.RECORDS)
def loan_detail(request, loan_id: int):
    return _detail(request, _loan(request, loan_id))


def _act(request, loan_id: int, do, done: str):
    """POST only: ``do(loan)`` with the services' refusals shown on the loan's page."""
    loan = _loan(request, loan_id)  # another group's loan is a 404, also for a GET
    if request.method != "POST":
        return redirect(_url("detail", request, loan_id=loan.pk))
    try:
        do(loan)
    except RuleViolation as exc:
        return _detail(request, _loan(request, loan_id), exc.problems, status=422)
    messages.success(request, done)
    return redirect(_url("detail", request, loan_id=loan.pk))


@org_view(scoping.RECORDS, write_need=scoping.APPROVE)
def loan_approve(request, loan_id: int):
    return _act(request, loan_id, lambda loan: services.loan_approve(actor=request.user, loan=loan),
                _("อนุมัติเงินกู้แล้ว"))


@org_view(scoping.RECORDS, write_need=scoping.APPROVE)
def loan_reject(request, loan_id: int):
    return _act(request, loan_id, lambda loan: services.loan_reject(
        actor=request.user, loan=loan, reason=request.POST.get("reason", "")), _("บันทึกการไม่อนุมัติแล้ว"))


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def loan_withdraw(request, loan_id: int):
    return _act(request, loan_id, lambda loan: services.loan_withdraw(
        actor=request.user, loan=loan, reason=request.POST.get("reason", "")), _("ถอนคำขอกู้แล้ว"))


def _dated(request, name: str, problems: list[Problem]) -> dt.date | None:
    return fields.date_field(request.POST.get(name), name, problems, default=timezone.localdate())


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def loan_disburse(request, loan_id: int):
    """Two steps like a repayment: the date, the first due date and how it is paid (cash, or into
    the borrower's savings account) are checked and shown back with the amount in Thai words;
    only "confirm" pays the loan out. The voucher is printed from the loan's page."""
    loan = _loan(request, loan_id)
    if request.method != "POST":
        return redirect(_url("detail", request, loan_id=loan.pk))
    problems: list[Problem] = []
    typed = {k: request.POST.get(k, "") for k in ("date", "first_due", "paid_to")}
    date = _dated(request, "date", problems)
    first_due = fields.date_field(typed["first_due"], "first_due", problems)
    into_savings = typed["paid_to"] == "savings"
    if not problems:
        problems = services.disburse_problems(actor=request.user, loan=loan, date=date, first_due=first_due,
                                              into_savings=into_savings)
    if problems:
        return _detail(request, loan, problems, status=422, disburse=typed)
    if request.POST.get("action") != "confirm":
        terms = schedule.Terms.from_dict(loan.terms)
        first = schedule.build(terms, loan.principal, date, first_due)[0]
        account = services.savings_account_of(loan, date) if into_savings else None
        return _detail(request, loan, disburse={
            **typed, "check": True, "words": amount_words(loan.principal), "account": account.number if account else "",
            "date_shown": format_date(date, lang=language.current()),
            "first_shown": format_date(first.due, lang=language.current()), "first_total": first.total})
    try:
        loan = services.loan_disburse(actor=request.user, loan=loan, date=date, first_due=first_due,
                                      into_savings=into_savings)
    except RuleViolation as exc:
        return _detail(request, _loan(request, loan_id), exc.problems, status=422, disburse=typed)
    messages.success(request, _("จ่ายเงินกู้สัญญา %(number)s แล้ว เลขที่ %(doc)s") % {
        "number": loan.number, "doc": loan.disbursement.document_number})
    return redirect(_url("detail", request, loan_id=loan.pk))


@org_view(scoping.RECORDS)
def loan_voucher(request, loan_id: int):
    """The disbursement's voucher (ใบสำคัญจ่ายเงินกู้), printable on A5: the borrower, the amount in
    Thai words, how it was paid, the terms, and the signatures of who paid, who approved and the
    borrower. Before the money is paid out it prints marked "not yet paid"."""
    loan = _loan(request, loan_id)
    if loan.status in (Loan.Status.REJECTED, Loan.Status.WITHDRAWN):
        raise Http404
    lang = language.current()
    return render(request, "loans/voucher.html", {
        "loan": loan, "org": loan.organisation, "words": amount_words(loan.principal),
        "terms": selectors.terms_summary(loan.terms, lang) if loan.terms else "",
        "approvals": [a.user for a in quorum.approvals_of(loan)],
        "guarantors": list(loan.guarantors.select_related("member")),
        "printed_on": format_date(timezone.localdate(), lang=lang),
    })


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def loan_repay(request, loan_id: int):
    """Two steps: the amount and date are checked and shown back in baht and Thai words with
    how they will be shared out; only "confirm" records the repayment."""
    loan = _loan(request, loan_id)
    if request.method != "POST":
        return redirect(_url("detail", request, loan_id=loan.pk))
    problems: list[Problem] = []
    typed = {"amount": request.POST.get("amount", ""), "date": request.POST.get("date", "")}
    amount = fields.money_field(typed["amount"], "amount", problems, required=True)
    date = _dated(request, "date", problems)
    if not problems:  # the service's own check: an overpayment refused, or taken into savings
        problems = services.repay_problems(actor=request.user, loan=loan, amount=amount, date=date)
    if problems:
        return _detail(request, loan, problems, status=422, repay=typed)
    if request.POST.get("action") != "confirm":
        surplus = max(amount - selectors.still_owed(loan), 0)
        target = services.surplus_target(loan, date) if surplus else None
        parts = allocation.allocate(selectors.schedule_of(loan), selectors.settled(loan), amount - surplus,
                                    penalty=selectors.penalty_owed(loan), order=selectors.allocation_order(loan))
        repay = {**typed, "amount_value": amount, "date_value": date, "words": amount_words(amount), "parts": parts,
                 "date_shown": format_date(date, lang=language.current()), "check": True, "surplus": surplus,
                 "surplus_account": target.number if target else ""}
        return _detail(request, loan, repay=repay)
    try:
        repayment = services.loan_repay(actor=request.user, loan=loan, amount=amount, date=date)
    except RuleViolation as exc:
        return _detail(request, _loan(request, loan_id), exc.problems, status=422, repay=typed)
    if repayment.to_savings:
        messages.success(request, _("รับชำระ %(amount)s บาท ใบเสร็จ %(doc)s: เกินยอดค้าง %(surplus)s บาท "
                                    "เข้าบัญชีเงินฝากออมทรัพย์") % {
            "amount": format_baht(amount), "doc": repayment.entry.document_number,
            "surplus": format_baht(repayment.to_savings)})
    else:
        messages.success(request, _("รับชำระ %(amount)s บาท ใบเสร็จ %(doc)s") % {
            "amount": format_baht(amount), "doc": repayment.entry.document_number})
    return redirect(_url("detail", request, loan_id=loan.pk))


@org_view(scoping.RECORDS, write_need=scoping.APPROVE)
def repayment_reverse(request, loan_id: int):
    """Reverse the loan's latest standing repayment (the reversal's own rules say which)."""
    loan = _loan(request, loan_id)
    if request.method != "POST":
        return redirect(_url("detail", request, loan_id=loan.pk))
    repayment = loan.repayments.filter(pk=request.POST.get("repayment") or 0).first() \
        if (request.POST.get("repayment") or "").isdigit() else None
    if repayment is None:
        return _detail(request, loan, [Problem("repayment", "เลือกรายการชำระที่จะกลับรายการ",
                                               "choose the repayment to reverse")], status=422)
    return _act(request, loan_id, lambda _loan: services.repayment_reverse(
        actor=request.user, repayment=repayment, reason=request.POST.get("reason", "")),
        pgettext("loans", "กลับรายการชำระแล้ว"))



# --- write-off and recovery: asked by one person, approved by a second ---------------------------

def _ask(request, loan_id: int, kind: str):
    """Two steps like a repayment: checked and shown back in baht and Thai words, then "confirm"
    records the request, which waits for a second person's approval."""
    loan = _loan(request, loan_id)
    if request.method != "POST":
        return redirect(_url("detail", request, loan_id=loan.pk))
    problems: list[Problem] = []
    typed = {k: request.POST.get(k, "") for k in ("amount", "date", "reason", "against", "part")}
    if kind == "waive":
        kind = WAIVE_PARTS.get(typed["part"], "waive")
    typed["kind"] = kind
    date = _dated(request, "date", problems)
    waivable = 0
    if kind == Adjustment.Kind.WRITE_OFF:
        amount, checks = selectors.outstanding_principal(loan), rules.WRITE_OFF_REQUEST
    elif kind == Adjustment.Kind.PENALTY:
        amount, checks = selectors.penalty_on(loan, date) if date else 0, rules.PENALTY_CHARGE
        typed["reason"] = typed["reason"] or "-"
    elif kind == Adjustment.Kind.RECOVER:
        amount, checks = fields.money_field(typed["amount"], "amount", problems, required=True), rules.RECOVERY_REQUEST
    else:
        amount, checks = fields.money_field(typed["amount"], "amount", problems, required=True), rules.WAIVE_REQUEST
        if loan.status == Loan.Status.DISBURSED:
            waivable = selectors.interest_waivable(loan) if kind == Adjustment.Kind.WAIVE_INTEREST \
                else selectors.penalty_owed(loan)
    if not problems:
        problems = problems_of(checks, rules.AdjustmentAct(
            loan, request.user, kind, amount=amount, date=date, reason=typed["reason"], against=typed["against"],
            outstanding=selectors.outstanding_principal(loan), recoverable=selectors.recoverable(loan),
            last_date=selectors.last_transaction_date(loan), pending=selectors.pending_adjustment(loan) is not None,
            waivable=waivable))
    if problems:
        return _detail(request, loan, problems, status=422, adjust=typed)
    if request.POST.get("action") != "confirm":
        adjust = {**typed, "amount_value": amount, "words": amount_words(amount), "check": True,
                  "date_shown": format_date(date, lang=language.current()),
                  "against_label": AGAINST_LABELS.get(typed["against"], "")}
        return _detail(request, loan, adjust=adjust)
    try:
        if kind == Adjustment.Kind.WRITE_OFF:
            services.write_off_request(actor=request.user, loan=loan, reason=typed["reason"],
                                       against=typed["against"], date=date)
        elif kind == Adjustment.Kind.PENALTY:
            charged = services.penalty_charge(actor=request.user, loan=loan, date=date)
        elif kind == Adjustment.Kind.RECOVER:
            services.recovery_request(actor=request.user, loan=loan, amount=amount, reason=typed["reason"], date=date)
        else:
            services.waive_request(actor=request.user, loan=loan, part=typed["part"], amount=amount,
                                   reason=typed["reason"], date=date)
    except RuleViolation as exc:
        return _detail(request, _loan(request, loan_id), exc.problems, status=422, adjust=typed)
    if kind == Adjustment.Kind.PENALTY:
        messages.success(request, _("คิดค่าปรับ %(amount)s บาท แล้ว รายการที่ %(number)s ชำระก่อนงวดที่ค้าง") % {
            "amount": format_baht(charged.amount), "number": charged.pk})
    else:
        messages.success(request, _("บันทึกคำขอ%(what)s %(amount)s บาท แล้ว รอกรรมการอีกคนอนุมัติ") % {
            "what": KIND_LABELS[kind], "amount": format_baht(amount)})
    return redirect(_url("detail", request, loan_id=loan.pk))


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def write_off(request, loan_id: int):
    return _ask(request, loan_id, Adjustment.Kind.WRITE_OFF)


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def recover(request, loan_id: int):
    return _ask(request, loan_id, Adjustment.Kind.RECOVER)


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def penalty(request, loan_id: int):
    return _ask(request, loan_id, Adjustment.Kind.PENALTY)


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def waive(request, loan_id: int):
    return _ask(request, loan_id, "waive")


@org_view(scoping.RECORDS, write_need=scoping.APPROVE)
def adjustment_decide(request, loan_id: int):
    """Approve or reject the loan's waiting write-off or recovery, or reverse an approved one
    (``action`` approve | reject | reverse, ``adjustment`` its id)."""
    loan = _loan(request, loan_id)
    if request.method != "POST":
        return redirect(_url("detail", request, loan_id=loan.pk))
    picked = request.POST.get("adjustment") or ""
    adjustment = loan.adjustments.filter(pk=int(picked)).first() if picked.isdigit() else None
    action = request.POST.get("action")
    if adjustment is None or action not in ("approve", "reject", "reverse"):
        return _detail(request, loan, [Problem("adjustment", "เลือกรายการตัดหนี้สูญหรือรับชำระหนี้สูญ",
                                               "choose the write-off or recovery")], status=422)
    reason = request.POST.get("reason", "")
    what = KIND_LABELS[adjustment.kind]
    try:
        if action == "approve":
            done = services.adjustment_approve(actor=request.user, adjustment=adjustment)
            message = _("อนุมัติ%(what)s %(amount)s บาท แล้ว เลขที่เอกสาร %(doc)s") % {
                "what": what, "amount": format_baht(done.amount),
                "doc": done.entry.document_number if done.entry_id else _("รายการที่ %(number)s") % {"number": done.pk}}
        elif action == "reject":
            services.adjustment_reject(actor=request.user, adjustment=adjustment, reason=reason)
            message = _("ไม่อนุมัติ%(what)s แล้ว") % {"what": what}
        else:
            done = services.adjustment_reverse(actor=request.user, adjustment=adjustment, reason=reason)
            message = _("กลับรายการ%(what)s แล้ว เลขที่เอกสาร %(doc)s") % {
                "what": what, "doc": done.reversal.document_number if done.reversal_id
                else _("รายการที่ %(number)s") % {"number": done.pk}}
    except RuleViolation as exc:
        return _detail(request, _loan(request, loan_id), exc.problems, status=422)
    messages.success(request, message)
    return redirect(_url("detail", request, loan_id=loan.pk))


# --- products: the list, a new product, a product's versions and new terms (manage) -------------------

def _version_context(values: dict) -> dict:
    lang = language.current()
    en = lang == "en"
    return {
        "values": values, **forms.term_choices(),
        "orders": [(k, v[en]) for k, v in forms.ORDERS.items()],
        "bands": [(i, values.get(f"band_{i}_up_to", ""), values.get(f"band_{i}_guarantors", ""))
                  for i in range(1, forms.BANDS_ON_FORM + 1)],
        "last_band": forms.BANDS_ON_FORM + 1,
        "last_band_value": values.get(f"band_{forms.BANDS_ON_FORM + 1}_guarantors", ""),
    }


@org_view(scoping.MANAGE)
def product_list(request):
    _group_only(request)
    org = request.access.organisation
    today, lang = timezone.localdate(), language.current()
    products = list(selectors.products(org))
    return render(request, "loans/products.html", {
        "rows": [(p, selectors.product_summary(p, today, lang)) for p in products],
    })


@org_view(scoping.MANAGE)
def product_new(request):
    _group_only(request)
    org = request.access.organisation
    problems: list[Problem] = []
    names = {k: request.POST.get(k, "").strip() for k in ("code", "name_th", "name_en")}
    values = forms.version_values()
    if request.method == "POST":
        values = forms.typed_values(request.POST)
        settings = forms.version_settings(values, problems)
        if settings is not None:
            try:
                product = services.product_create(actor=request.user, organisation=org, **names, **settings)
            except RuleViolation as exc:
                problems = exc.problems
            else:
                messages.success(request, _("เพิ่มประเภทเงินกู้ %(code)s แล้ว") % {"code": product.code})
                return redirect(_url("product", request, loan_product_id=product.pk))
    values["effective_from"] = values["effective_from"] or _typed(timezone.localdate())
    return render(request, "loans/product_new.html", {
        "names": names, "problems": problems, **_version_context(values),
    }, status=422 if problems else 200)


@org_view(scoping.RECORDS, write_need=scoping.MANAGE)
def product_detail(request, loan_product_id: int):
    org = request.access.organisation
    product = scoping.get_in_scope(selectors.products(org), org, loan_product_id)  # another group's: 404
    scoping.require(request.access, scoping.MANAGE)  # then only who manages the group
    _group_only(request)
    today, lang = timezone.localdate(), language.current()
    versions = list(product.versions.order_by("-effective_from"))
    current = selectors.version_in_force(product, today) or (versions[0] if versions else None)
    problems: list[Problem] = []
    values = forms.version_values(current)
    if request.method == "POST":
        values = forms.typed_values(request.POST)
        settings = forms.version_settings(values, problems)
        if settings is not None:
            try:
                version = services.product_version_create(actor=request.user, product=product, **settings)
            except RuleViolation as exc:
                problems = exc.problems
            else:
                messages.success(request, _("บันทึกเงื่อนไขใหม่ เริ่มใช้ %(date)s") % {
                    "date": format_date(version.effective_from, lang=lang)})
                return redirect(_url("product", request, loan_product_id=product.pk))
    counts = selectors.loans_by_version(product)
    rows = [{"version": v, "terms": selectors.terms_summary(v.terms, lang),
             "bands": selectors.bands_summary(v.guarantor_bands, lang), "current": current and v.pk == current.pk,
             "loans": counts.get(v.pk, 0)} for v in versions]
    return render(request, "loans/product.html", {
        "product": product, "rows": rows, "problems": problems, **_version_context(values),
    }, status=422 if problems else 200)
