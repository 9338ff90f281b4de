"""Pages under /o/<org>/loans/year-end/: the group's year-end allocations with the draft form,
and one allocation — its parts, its per-member list (paginated in SQL), a what-if of other
percentages (computed, never saved), and the actions this person may take: record the general
meeting's decision and approve (two committee members, never the drafter), post, pay in cash or
into savings, reverse before payment — post, pay and reverse confirmed in baht and words.

Thin: parse the form, call a service or selector, render. Which actions are offered is asked
of the same rules the services run."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from omboon.core import fields
from omboon.core.errors import Problem, RuleViolation, problems_of
from omboon.core.money import format_baht
from omboon.core.thaidate import to_ce
from omboon.loans.models import YearEndAllocation
from omboon.loans.pages import group_only as _group_only
from omboon.loans.pages import typed as _typed
from omboon.loans.pages import url as _url
from omboon.loans.year_end import compute, rules, selectors, services
from omboon.orgs import scoping
from omboon.orgs.decorators import org_view

PAGE_SIZE = 50
PART_LABELS = {
    compute.RESERVE: pgettext_lazy("year-end", "ทุนสำรอง"),
    compute.DIVIDEND: pgettext_lazy("year-end", "เงินปันผล"),
    compute.REFUND: pgettext_lazy("year-end", "เงินเฉลี่ยคืน"),
    compute.WELFARE: pgettext_lazy("year-end", "กองทุนสวัสดิการ"),
    compute.COMMITTEE: pgettext_lazy("year-end", "ค่าตอบแทนกรรมการ"),
    compute.PUBLIC: pgettext_lazy("year-end", "ทุนสาธารณประโยชน์"),
}
STATUS_LABELS = {
    YearEndAllocation.Status.DRAFT: pgettext_lazy("year-end", "ร่าง"),
    YearEndAllocation.Status.DECIDED: pgettext_lazy("year-end", "บันทึกมติแล้ว รออนุมัติคนที่สอง"),
    YearEndAllocation.Status.APPROVED: pgettext_lazy("year-end", "อนุมัติแล้ว รอลงบัญชี"),
    YearEndAllocation.Status.POSTED: pgettext_lazy("year-end", "ลงบัญชีแล้ว รอจ่าย"),
    YearEndAllocation.Status.PAID: pgettext_lazy("year-end", "จ่ายแล้ว"),
    YearEndAllocation.Status.REVERSED: pgettext_lazy("year-end", "กลับรายการแล้ว"),
}
MODEL_LABELS = {compute.POOL: pgettext_lazy("year-end", "แบ่งตามสัดส่วนของกำไรสุทธิ"),
                compute.RATE: pgettext_lazy("year-end", "ปันผลและเฉลี่ยคืนตามอัตรา")}
BASE_LABELS = {YearEndAllocation.Base.ALL: pgettext_lazy("year-end", "หุ้นและเงินฝาก"),
               YearEndAllocation.Base.SHARES: pgettext_lazy("year-end", "หุ้น"),
               YearEndAllocation.Base.SAVINGS: pgettext_lazy("year-end", "เงินฝาก")}
HOW_LABELS = {YearEndAllocation.PaidHow.CASH: pgettext_lazy("year-end", "เงินสด"),
              YearEndAllocation.PaidHow.SAVINGS: pgettext_lazy("year-end", "เข้าบัญชีเงินฝากของสมาชิก")}
DEFAULT_PERCENTS = {compute.RESERVE: "10", compute.DIVIDEND: "60", compute.REFUND: "20", compute.WELFARE: "5",
                    compute.COMMITTEE: "3", compute.PUBLIC: "2"}


def _allocation(request, allocation_id: int) -> YearEndAllocation:
    org = request.access.organisation
    return scoping.get_in_scope(selectors.allocations(org).select_related("entry", "payment", "reversal"),
                                org, allocation_id)


def _model(data, problems: list[Problem]) -> compute.Model | None:
    """The model and percentages typed on a form (a what-if or a draft)."""
    kind = data.get("model", compute.POOL)
    values = {}
    for part in compute.PARTS:
        text = (data.get(part) or "0").strip().replace(",", "")
        try:
            values[part] = Decimal(text)
        except InvalidOperation:
            problems.append(Problem(part, "ร้อยละต้องเป็นตัวเลข", "a percentage is a number", value=text))
    return compute.Model(kind, **values) if len(values) == len(compute.PARTS) else None


def _parts(parts: dict[str, int], model: compute.Model) -> list[tuple]:
    return [(p, PART_LABELS[p], model.percent(p), parts[p]) for p in compute.PARTS]


# --- the list and the draft form --------------------------------------------------------------

@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def year_end_list(request):
    _group_only(request)
    org = request.access.organisation
    can_draft = request.access.can(scoping.WRITE)
    data = request.POST if request.method == "POST" else {}
    last_year = timezone.localdate().year - 1
    values = {"year": data.get("year", str(last_year)), "model": data.get("model", compute.POOL),
              "base": data.get("base", YearEndAllocation.Base.ALL),
              **{p: data.get(p, DEFAULT_PERCENTS[p]) for p in compute.PARTS}}
    problems: list[Problem] = []
    if request.method == "POST":
        model = _model(data, problems)
        year = values["year"].strip()
        if not year.isdigit():
            problems.append(Problem("year", "ปีงบประมาณเป็นตัวเลข เช่น 2568", "the fiscal year is a number, e.g. 2025",
                                    value=year))
        if not problems:
            fiscal_year = int(year)
            fiscal_year = to_ce(fiscal_year) if fiscal_year > 2400 else fiscal_year
            try:
                allocation = services.allocation_draft(actor=request.user, organisation=org, fiscal_year=fiscal_year,
                                                       model=model, base=values["base"])
            except RuleViolation as exc:
                problems = exc.problems
            else:
                messages.success(request, _("จัดทำร่างการจัดสรรกำไรสุทธิแล้ว"))
                return redirect(_url("year-end-detail", request, allocation_id=allocation.pk))
    page = Paginator(selectors.allocations(org), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "loans/year_end_list.html", {
        "page": page, "status_labels": STATUS_LABELS, "can_draft": can_draft, "values": values,
        "problems": problems, "part_labels": list(PART_LABELS.items()), "model_labels": list(MODEL_LABELS.items()),
        "base_labels": list(BASE_LABELS.items()),
    }, status=422 if problems else 200)


# --- one allocation ---------------------------------------------------------------------------

def _offers(request, allocation: YearEndAllocation) -> dict:
    """What this person may do now, asked of the services' own rules."""
    user = request.user

    def may(checks, **kw) -> bool:
        return allocation.organisation.is_group and not problems_of(checks, rules.Act(allocation, user, **kw))

    return {
        "can_approve": may([rules.approve_status, rules.approver_may]),
        "first_approval": allocation.status == YearEndAllocation.Status.DRAFT,
        "can_post": may([rules.post_status, rules.poster_writes]),
        "can_pay": may([rules.pay_status, rules.poster_writes]),
        "can_reverse": may([rules.reverse_status, rules.reverser_approves]),
        "can_redraft": allocation.status == YearEndAllocation.Status.DRAFT and request.access.can(scoping.WRITE),
    }


def _detail(request, allocation: YearEndAllocation, problems=(), status: int = 200, confirm=None, typed=None):
    model = selectors.model_of(allocation)
    what_if = None
    what_if_problems: list[Problem] = []
    query = request.GET.get("q", "").strip()
    if request.GET.get("what_if"):
        other = _model(request.GET, what_if_problems)
        if other is not None and allocation.net_income > 0:
            try:
                what_if = selectors.what_if(allocation, other)
            except RuleViolation as exc:
                what_if_problems = exc.problems
    if what_if is not None:
        # the what-if's members: computed for all (a share depends on everyone's), shown a page at a time
        numbers = {s.member_id: s.member for s in selectors.shares(allocation, query=query)}
        rows = [(numbers[m.member_id], m.balance, m.interest_paid, m.dividend, m.refund)
                for m in what_if.members if m.member_id in numbers]
        rows.sort(key=lambda r: (r[0].number, r[0].pk))
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        members = list(page)
    else:
        page = Paginator(selectors.shares(allocation, query=query), PAGE_SIZE).get_page(request.GET.get("page"))
        members = [(s.member, s.balance_months // compute.MONTHS, s.interest_paid, s.dividend, s.refund)
                   for s in page]
    today = timezone.localdate()
    typed = typed or {}
    return render(request, "loans/year_end_detail.html", {
        "allocation": allocation, "status_label": STATUS_LABELS[allocation.status],
        "model_label": MODEL_LABELS.get(allocation.model, allocation.model),
        "base_label": BASE_LABELS.get(allocation.base, allocation.base),
        "parts": _parts(selectors.parts_of(allocation), model),
        "what_if": what_if, "what_if_parts": _parts(what_if.parts, what_if.model) if what_if else None,
        "what_if_values": {p: request.GET.get(p, str(model.percent(p))) for p in compute.PARTS},
        "what_if_model": request.GET.get("model", allocation.model),
        "what_if_problems": what_if_problems, "part_labels": list(PART_LABELS.items()),
        "model_labels": list(MODEL_LABELS.items()), "how_labels": list(HOW_LABELS.items()),
        "paid_how": HOW_LABELS.get(allocation.paid_how, ""),
        "page": page, "members": members, "q": query,
        "problems": list(problems), "confirm": confirm, "typed": typed, "today": _typed(today),
        **_offers(request, allocation),
    }, status=status)


@org_view(scoping.RECORDS)
def year_end_detail(request, allocation_id: int):
    _group_only(request)
    return _detail(request, _allocation(request, allocation_id))


def _act(request, allocation_id: int, do, done: str, confirm=None):
    """POST only: ``confirm(allocation)`` first asks for a confirmation (returns its page, or
    problems); then ``do(allocation)`` with the services' refusals shown on the page."""
    _group_only(request)
    allocation = _allocation(request, allocation_id)
    if request.method != "POST":
        return redirect(_url("year-end-detail", request, allocation_id=allocation.pk))
    try:
        if confirm is not None and request.POST.get("confirmed") != "1":
            return confirm(allocation)
        do(allocation)
    except RuleViolation as exc:
        return _detail(request, _allocation(request, allocation_id), exc.problems, status=422,
                       typed=dict(request.POST.items()))
    messages.success(request, done)
    return redirect(_url("year-end-detail", request, allocation_id=allocation.pk))


def _date(request, problems: list[Problem], name: str = "date"):
    return fields.date_field(request.POST.get(name), name, problems, default=timezone.localdate())


def _dated(request):
    problems: list[Problem] = []
    day = _date(request, problems)
    if problems:
        raise RuleViolation(problems)
    return day


@org_view(scoping.RECORDS, write_need=scoping.APPROVE)
def year_end_approve(request, allocation_id: int):
    def do(allocation):
        problems: list[Problem] = []
        meeting = fields.date_field(request.POST.get("meeting_on"), "meeting_on", problems) \
            if allocation.status == YearEndAllocation.Status.DRAFT else None
        if problems:
            raise RuleViolation(problems)
        services.allocation_approve(actor=request.user, allocation=allocation, meeting_on=meeting,
                                    resolution=request.POST.get("resolution", ""))
    return _act(request, allocation_id, do, _("บันทึกการอนุมัติแล้ว"))


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def year_end_post(request, allocation_id: int):
    def confirm(allocation):
        day = _dated(request)
        raise_problems = problems_of([rules.post_status, rules.poster_writes, rules.post_date],
                                     rules.Act(allocation, request.user, date=day))
        if raise_problems:
            raise RuleViolation(raise_problems)
        lines = [_("%(part)s %(amount)s บาท") % {"part": PART_LABELS[p], "amount": format_baht(getattr(allocation, p))}
                 for p in compute.PARTS if getattr(allocation, p)]
        return _detail(request, allocation, confirm={
            "kind": "approve", "amount": allocation.net_income, "action": request.path,
            "fields": {"date": request.POST.get("date", "")},
            "cancel": _url("year-end-detail", request, allocation_id=allocation.pk),
            "what": _("ลงบัญชีจัดสรรกำไรสุทธิ วันที่ %(date)s") % {"date": _typed(day)},
            "button": _("ยืนยัน ลงบัญชี"), "lines": lines})

    return _act(request, allocation_id, lambda allocation: services.allocation_post(
        actor=request.user, allocation=allocation, date=_dated(request)), _("ลงบัญชีการจัดสรรกำไรสุทธิแล้ว"),
        confirm=confirm)


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def year_end_pay(request, allocation_id: int):
    how = request.POST.get("how", "")

    def confirm(allocation):
        day = _dated(request)
        found = problems_of(rules.PAY, rules.Act(allocation, request.user, date=day, how=how))
        if found:
            raise RuleViolation(found)
        paid = allocation.shares.filter(Q(dividend__gt=0) | Q(refund__gt=0)).count()
        return _detail(request, allocation, confirm={
            "kind": "approve", "amount": allocation.dividend + allocation.refund, "action": request.path,
            "fields": {"date": request.POST.get("date", ""), "how": how},
            "cancel": _url("year-end-detail", request, allocation_id=allocation.pk),
            "what": _("จ่ายเงินปันผลและเงินเฉลี่ยคืน: %(how)s วันที่ %(date)s") % {
                "how": HOW_LABELS[how], "date": _typed(day)},
            "button": _("ยืนยัน จ่าย"),
            "lines": [ngettext("สมาชิก %(n)s คน", "สมาชิก %(n)s คน", paid) % {"n": paid},
                      _("เงินปันผล %(amount)s บาท") % {"amount": format_baht(allocation.dividend)},
                      _("เงินเฉลี่ยคืน %(amount)s บาท") % {"amount": format_baht(allocation.refund)}]})

    return _act(request, allocation_id, lambda allocation: services.allocation_pay(
        actor=request.user, allocation=allocation, how=how, date=_dated(request)),
        _("จ่ายเงินปันผลและเงินเฉลี่ยคืนแล้ว"), confirm=confirm)


@org_view(scoping.RECORDS, write_need=scoping.APPROVE)
def year_end_reverse(request, allocation_id: int):
    reason = request.POST.get("reason", "")

    def confirm(allocation):
        day = _dated(request)
        found = problems_of(rules.REVERSE, rules.Act(allocation, request.user, date=day, reason=reason))
        if found:
            raise RuleViolation(found)
        return _detail(request, allocation, confirm={
            "kind": "reject", "amount": allocation.net_income, "action": request.path,
            "fields": {"date": request.POST.get("date", ""), "reason": reason},
            "cancel": _url("year-end-detail", request, allocation_id=allocation.pk),
            "what": _("กลับรายการจัดสรรกำไรสุทธิ วันที่ %(date)s") % {"date": _typed(day)},
            "button": _("ยืนยัน กลับรายการ"), "lines": [_("เหตุผล: %(reason)s") % {"reason": reason}]})

    return _act(request, allocation_id, lambda allocation: services.allocation_reverse(
        actor=request.user, allocation=allocation, reason=reason, date=_dated(request)),
        _("กลับรายการจัดสรรกำไรสุทธิแล้ว"), confirm=confirm)
