"""Pages under /o/<org>/savings/: the group's accounts (search, product, status, pages), one
account (its balance, movements, history, and the deposit, withdrawal, reversal and closing
forms this person may use), opening an account, the products and their versions, the
withdrawals waiting for a second person, and posting interest (a preview, then confirm).

Thin: parse the form, call a service or selector, render. Every page passes ``org_view``; an
account comes through ``scoping.get_in_scope``, and a member who sees only their own records
reaches only their own accounts. Money moves only after a confirmation in baht and Thai words;
the result names the document number; a deposit or withdrawal is undone by a reversal.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omboon.core import fields, language
from omboon.core.bahttext import amount_words
from omboon.core.errors import Problem, RuleViolation
from omboon.core.money import format_baht
from omboon.core.thaidate import format_date
from omboon.members import selectors as member_selectors
from omboon.orgs import scoping
from omboon.orgs.decorators import org_view
from omboon.savings import forms, passbook, rules, selectors, services
from omboon.savings.models import Account, Kind, Product, ShareTransfer, Withdrawal

PAGE_SIZE = 50
MOVEMENTS_SHOWN = 30


def _url(name: str, request, **kw) -> str:
    return reverse(f"savings:{name}", kwargs={"org": request.access.organisation.code, **kw})


def _group_only(request) -> None:
    if not request.access.organisation.is_group:
        raise Http404("หน้านี้ใช้กับกลุ่มเท่านั้น / this page is for a group")


def _typed(day: dt.date | None) -> str:
    """A date for a form field as the person reads it (พ.ศ. in Thai)."""
    return format_date(day, "numeric", lang=language.current()) if day else ""


def _own_member(request):
    """The member record of a member-role user here (None for staff)."""
    org = request.access.organisation
    return member_selectors.members_of(org).filter(user=request.user).first() \
        if request.user.is_authenticated else None


def visible_accounts(request):
    """The accounts this person may read: the group's for staff, their own for a member."""
    qs = selectors.accounts(request.access.organisation)
    if not request.access.can(scoping.RECORDS):
        qs = qs.filter(member__user=request.user)
    return qs


def _account(request, account_id: int) -> Account:
    org = request.access.organisation
    return scoping.get_in_scope(visible_accounts(request), org, account_id)


# --- accounts -------------------------------------------------------------------------------

STATUS_FILTERS = ("active", "open", "dormant", "closed", "all")


def _status_filters():
    labels = dict(Account.Status.choices)
    return [("active", _("ยังไม่ปิด")), *[(s, labels[s]) for s in Account.Status.values], ("all", _("ทั้งหมด"))]


def account_search(org, *, query: str = "", status: str = "active", product_id: int | None = None,
                   member_id: int | None = None):
    qs = selectors.accounts(org)
    if status == "active":
        qs = qs.exclude(status=Account.Status.CLOSED)
    elif status in Account.Status.values:
        qs = qs.filter(status=status)
    if product_id:
        qs = qs.filter(product_id=product_id)
    if member_id:
        qs = qs.filter(member_id=member_id)
    if query:
        qs = qs.filter(Q(number__icontains=query) | Q(member__number=query) | Q(member__first_name__icontains=query)
                       | Q(member__last_name__icontains=query))
    return qs


@org_view(scoping.VIEW)
def account_list(request):
    """Staff: the group's accounts. A member: their own accounts (nobody else's)."""
    org = request.access.organisation
    if not request.access.can(scoping.RECORDS):
        return _my_accounts(request)
    status = request.GET.get("status", "active")
    status = status if status in STATUS_FILTERS else "active"
    query = request.GET.get("q", "").strip()
    product = forms.an_id(request.GET.get("product"))
    member = forms.an_id(request.GET.get("member"))
    qs = account_search(org, query=query, status=status, product_id=product, member_id=member)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page)
    balances = selectors.balances(org, accounts_=rows)
    member_shown = member_selectors.members_of(org).filter(pk=member).first() if member else None
    return render(request, "savings/list.html", {
        "member_shown": member_shown, "member_left": bool(member_shown and rules.is_left(member_shown)),
        "page": page, "rows": [(a, balances[a.pk]) for a in rows], "status": status, "q": query,
        "product": product or "", "member": member or "", "filters": _status_filters(),
        "products": list(selectors.products(org)), "lang": language.current(),
    })


def _my_accounts(request):
    member = _own_member(request)
    if member is None:
        raise Http404("ไม่พบบัญชีของท่านในกลุ่มนี้ / you have no accounts in this group")
    rows = list(visible_accounts(request))
    balances = selectors.balances(request.access.organisation, accounts_=rows)
    return render(request, "savings/mine.html", {
        "member": member, "rows": [(a, balances[a.pk]) for a in rows], "lang": language.current()})


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def account_new(request):
    _group_only(request)
    org = request.access.organisation
    if not request.access.can(scoping.WRITE):
        raise Http404("ไม่มีสิทธิ์ / not allowed")
    products = list(selectors.products(org).filter(is_active=True))
    data = request.POST if request.method == "POST" else request.GET
    values = {k: data.get(k, "") for k in ("member", "product", "opened_on")}
    problems: list[Problem] = []
    if request.method == "POST":
        member = forms.member_by_number(member_selectors.members_of(org), values["member"])
        if member is None:
            problems.append(Problem("member", "ไม่พบสมาชิกเลขที่นี้ในกลุ่ม", "no member with this number in the group",
                                    value=values["member"]))
        product = next((p for p in products if str(p.pk) == values["product"]), None)
        if product is None:
            problems.append(Problem("product", "เลือกประเภทเงินฝาก", "choose a savings product"))
        opened_on = fields.date_field(values["opened_on"], "opened_on", problems, default=timezone.localdate())
        if not problems:
            try:
                account = services.account_open(actor=request.user, organisation=org, member=member,
                                                product=product, opened_on=opened_on)
            except RuleViolation as exc:
                problems = exc.problems
            else:
                messages.success(request, _("เปิดบัญชี %(number)s แล้ว") % {"number": account.number})
                return redirect(_url("account", request, account_id=account.pk))
    return render(request, "savings/new.html", {
        "products": products, "values": values, "problems": problems, "today": _typed(timezone.localdate()),
        "lang": language.current(),
    }, status=422 if problems else 200)


def _detail(request, account: Account, problems=(), status: int = 200, deposit=None, withdraw=None,
            transfer=None):
    org = request.access.organisation
    today = timezone.localdate()
    balance = selectors.balance(account)
    lines = selectors.statement(account)[1]
    version = selectors.version_in_force(account.product, today)
    pending = list(account.withdrawals.filter(status=Withdrawal.Status.REQUESTED).select_related("requested_by"))
    holds = selectors.holds(account)  # liens: a loan's security (ledger.holdings)
    held = sum(h.amount for h in holds)
    labels = dict(Account.Status.choices)
    staff_writes = org.is_group and request.access.can(scoping.WRITE) and account.status != Account.Status.CLOSED
    reversible = (services.movements_reversible(account)
                  if org.is_group and request.access.can(scoping.APPROVE) else [])
    return render(request, "savings/detail.html", {
        "account": account, "balance": balance, "words": amount_words(balance),
        "lines": lines[-MOVEMENTS_SHOWN:], "more_lines": max(len(lines) - MOVEMENTS_SHOWN, 0),
        "history": [(h, labels[h.status]) for h in account.history.select_related("by")], "version": version,
        "pending": pending, "pending_total": sum(w.amount + w.fee for w in pending),
        "holds": holds, "held": held, "free": max(balance - sum(w.amount + w.fee for w in pending) - held, 0),
        "withdrawals": list(account.withdrawals.select_related("requested_by", "decided_by", "entry")[:20]),
        "problems": list(problems), "deposit": deposit, "withdraw": withdraw, "transfer": transfer,
        "can_transfer": staff_writes and account.product.kind == Kind.SHARES,
        "transfers": list(selectors.share_transfers(org).filter(Q(from_account=account) | Q(to_account=account))
                          .filter(status=ShareTransfer.Status.REQUESTED)),
        "can_deposit": staff_writes and not rules.is_left(account.member),
        "can_withdraw": staff_writes,
        "can_close": staff_writes and balance == 0 and not pending and not holds,
        "reversible": reversible[:5],
        "today": _typed(today), "lang": language.current(),
        "fee": services.withdrawal_fee(account, today),
        "token": request.POST.get("token") or uuid.uuid4().hex,
    }, status=status)


@org_view(scoping.VIEW)
def account_detail(request, account_id: int):
    return _detail(request, _account(request, account_id))


def _posted_only(request, account_id: int):
    account = _account(request, account_id)
    if request.method != "POST":
        return account, redirect(_url("account", request, account_id=account.pk))
    return account, None


def _money_form(request, account, kind: str):
    """The amount, date and cash/bank typed on the deposit or withdrawal form, with the
    problems the services' rules find (checked before any confirmation is shown)."""
    problems: list[Problem] = []
    typed = {k: request.POST.get(k, "") for k in ("amount", "date", "paid")}
    amount = fields.money_field(typed["amount"], "amount", problems, required=True)
    date = fields.date_field(typed["date"], "date", problems, default=timezone.localdate())
    paid = typed["paid"] or "cash"
    if not problems:
        problems = services.movement_problems(actor=request.user, account=account, amount=amount, date=date,
                                              paid=paid, withdrawal=kind == "withdraw")
    shown = {**typed, "paid": paid}
    if not problems:
        shown.update(amount_value=amount, date_value=date, words=amount_words(amount), check=True,
                     date_shown=format_date(date, lang=language.current()),
                     fee=services.withdrawal_fee(account, date) if kind == "withdraw" else 0,
                     interest=services.fixed_settlement(account, date) if kind == "withdraw" else 0,
                     early=(kind == "withdraw" and account.matures_on is not None and date < account.matures_on))
        shown["interest_back"] = -shown["interest"]
    return amount, date, paid, problems, shown


@org_view(scoping.VIEW, write_need=scoping.WRITE)
def deposit(request, account_id: int):
    """Two steps: checked and shown back in baht and Thai words; only "confirm" posts."""
    account, away = _posted_only(request, account_id)
    if away:
        return away
    amount, date, paid, problems, shown = _money_form(request, account, "deposit")
    if problems:
        return _detail(request, account, problems, status=422, deposit=shown)
    if request.POST.get("action") != "confirm":
        return _detail(request, account, deposit=shown)
    try:
        entry = services.deposit(actor=request.user, account=account, amount=amount, date=date, paid_into=paid,
                                 idempotency_key=request.POST.get("token") or None)
    except RuleViolation as exc:
        return _detail(request, _account(request, account_id), exc.problems, status=422, deposit=shown)
    messages.success(request, _("รับฝาก %(amount)s บาท เข้าบัญชี %(number)s ใบเสร็จ %(doc)s") % {
        "amount": format_baht(amount), "number": account.number, "doc": entry.document_number})
    return redirect(_url("account", request, account_id=account.pk))


@org_view(scoping.VIEW, write_need=scoping.WRITE)
def withdraw(request, account_id: int):
    """A withdrawal voucher: checked, confirmed in baht and Thai words, then waiting for a
    second person to approve (and so pay) it."""
    account, away = _posted_only(request, account_id)
    if away:
        return away
    amount, date, paid, problems, shown = _money_form(request, account, "withdraw")
    if problems:
        return _detail(request, account, problems, status=422, withdraw=shown)
    if request.POST.get("action") != "confirm":
        return _detail(request, account, withdraw=shown)
    try:
        w = services.withdrawal_request(actor=request.user, account=account, amount=amount, date=date,
                                        paid_from=paid)
    except RuleViolation as exc:
        return _detail(request, _account(request, account_id), exc.problems, status=422, withdraw=shown)
    messages.success(request, _("บันทึกคำขอถอน %(amount)s บาท (คำขอเลขที่ %(id)s) รอผู้อนุมัติคนที่สอง") % {
        "amount": format_baht(amount), "id": w.pk})
    return redirect(_url("account", request, account_id=account.pk))


@org_view(scoping.VIEW, write_need=scoping.APPROVE)
def account_reverse(request, account_id: int):
    account, away = _posted_only(request, account_id)
    if away:
        return away
    try:
        reversal = services.movement_reverse(actor=request.user, account=account,
                                             entry_id=forms.an_id(request.POST.get("entry")) or 0,
                                             reason=request.POST.get("reason", ""))
    except RuleViolation as exc:
        return _detail(request, _account(request, account_id), exc.problems, status=422)
    messages.success(request, _("กลับรายการแล้ว เอกสาร %(doc)s") % {"doc": reversal.document_number})
    return redirect(_url("account", request, account_id=account.pk))


@org_view(scoping.VIEW, write_need=scoping.WRITE)
def account_close(request, account_id: int):
    account, away = _posted_only(request, account_id)
    if away:
        return away
    try:
        services.account_close(actor=request.user, account=account, reason=request.POST.get("reason", ""))
    except RuleViolation as exc:
        return _detail(request, _account(request, account_id), exc.problems, status=422)
    messages.success(request, _("ปิดบัญชี %(number)s แล้ว") % {"number": account.number})
    return redirect(_url("account", request, account_id=account.pk))


# --- products -------------------------------------------------------------------------------

@org_view(scoping.RECORDS)
def product_list(request):
    org = request.access.organisation
    today = timezone.localdate()
    products = list(selectors.products(org))
    counts = dict(Account.objects.filter(product__in=products).exclude(status=Account.Status.CLOSED)
                  .values("product").annotate(n=Count("pk")).values_list("product", "n"))
    return render(request, "savings/products.html", {
        "rows": [(p, selectors.version_in_force(p, today), counts.get(p.pk, 0)) for p in products],
        "lang": language.current(),
    })


@org_view(scoping.RECORDS)
def product_detail(request, product_id: int):
    org = request.access.organisation
    product = scoping.get_in_scope(Product.objects.all(), org, product_id)
    today = timezone.localdate()
    accounts = list(product.accounts.exclude(status=Account.Status.CLOSED))
    total = sum(selectors.balances(org, accounts_=accounts).values()) if accounts else 0
    return render(request, "savings/product.html", {
        "product": product, "versions": list(product.versions.order_by("-effective_from")),
        "in_force": selectors.version_in_force(product, today), "accounts": len(accounts), "total": total,
        "runs": list(product.interest_runs.select_related("entry").order_by("-period_end")[:12]),
        "lang": language.current(),
    })


# --- withdrawals waiting for a second person ----------------------------------------------

@org_view(scoping.RECORDS)
def withdrawal_list(request):
    org = request.access.organisation
    status = request.GET.get("status", Withdrawal.Status.REQUESTED)
    qs = selectors.withdrawals(org)
    if status in Withdrawal.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(Withdrawal.Status.choices)
    return render(request, "savings/withdrawals.html", {
        "page": page, "status": status,
        "filters": [*[(s, labels[s]) for s in Withdrawal.Status.values], ("all", _("ทั้งหมด"))],
        "may_decide": org.is_group and request.access.can(scoping.APPROVE),
        "may_cancel": org.is_group and request.access.can(scoping.WRITE),
    })


def _withdrawal(request, withdrawal_id: int) -> Withdrawal:
    return scoping.get_in_scope(selectors.withdrawals(request.access.organisation), request.access.organisation,
                                withdrawal_id)


def _decide(request, withdrawal_id: int, do, done):
    w = _withdrawal(request, withdrawal_id)
    if request.method != "POST":
        return redirect(_url("withdrawals", request))
    try:
        w = do(w)
    except RuleViolation as exc:
        return _detail(request, w.account, exc.problems, status=422)
    messages.success(request, done(w))
    back = request.POST.get("next")
    if back == "account":
        return redirect(_url("account", request, account_id=w.account_id))
    return redirect(_url("withdrawals", request))


@org_view(scoping.RECORDS, write_need=scoping.APPROVE)
def withdrawal_approve(request, withdrawal_id: int):
    return _decide(request, withdrawal_id, lambda w: services.withdrawal_approve(actor=request.user, withdrawal=w),
                   lambda w: _("อนุมัติและจ่ายเงินถอน %(amount)s บาท ใบสำคัญจ่าย %(doc)s") % {
                       "amount": format_baht(w.amount), "doc": w.entry.document_number})


@org_view(scoping.RECORDS, write_need=scoping.APPROVE)
def withdrawal_reject(request, withdrawal_id: int):
    return _decide(request, withdrawal_id, lambda w: services.withdrawal_reject(
        actor=request.user, withdrawal=w, reason=request.POST.get("reason", "")),
        lambda w: _("ไม่อนุมัติคำขอถอนเลขที่ %(id)s") % {"id": w.pk})


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def withdrawal_cancel(request, withdrawal_id: int):
    return _decide(request, withdrawal_id, lambda w: services.withdrawal_cancel(
        actor=request.user, withdrawal=w, reason=request.POST.get("reason", "")),
        lambda w: _("ยกเลิกคำขอถอนเลขที่ %(id)s แล้ว") % {"id": w.pk})


# --- interest -------------------------------------------------------------------------------

@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def interest_page(request):
    """Choose the period end, see what would be posted (total and accounts per product and
    period, or why a period cannot be), then confirm. A period is posted once."""
    _group_only(request)
    org = request.access.organisation
    data = request.POST if request.method == "POST" else request.GET
    problems: list[Problem] = []
    typed = data.get("through", "")
    through = fields.date_field(typed, "through", problems) if typed else None
    pending = services.interest_pending(org, through) if through and not problems else []
    if request.method == "POST" and through and not problems:
        if not request.access.can(scoping.WRITE):
            raise Http404("ไม่มีสิทธิ์ / not allowed")
        try:
            runs = services.interest_post(actor=request.user, organisation=org, through=through)
        except RuleViolation as exc:
            problems = exc.problems
        else:
            docs = ", ".join(r.entry.document_number for r in runs if r.entry) or "–"
            messages.success(request, _("ลงดอกเบี้ยเงินฝาก %(n)s งวด รวม %(amount)s บาท เอกสาร %(docs)s") % {
                "n": len(runs), "amount": format_baht(sum(r.total for r in runs)), "docs": docs})
            return redirect(_url("interest", request))
    total = sum(p.total for p in pending)
    return render(request, "savings/interest.html", {
        "through": typed, "through_value": through, "pending": pending, "total": total,
        "words": amount_words(total) if total else "", "problems": problems,
        "blocked": any(p.problems for p in pending),
        "runs": list(selectors.interest_runs(org)[:24]), "today": _typed(timezone.localdate()),
        "lang": language.current(),
    }, status=422 if problems else 200)



# --- the passbook and statements ------------------------------------------------------------

def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@org_view(scoping.VIEW)
def passbook_page(request, account_id: int):
    """The passbook on screen: every line at its page and line, the ones already on paper
    marked, and (for whoever records) "print the new lines"."""
    account = _account(request, account_id)
    book = passbook.book(account)
    return render(request, "savings/passbook.html", {
        "account": account, "book": book, "rows": [(r, r.item(language.current())) for r in book.rows],
        "new": len(book.new_rows), "next_page": (book.next_position - 1) // passbook.LINES_PER_PAGE + 1,
        "next_line": (book.next_position - 1) % passbook.LINES_PER_PAGE + 1,
        "may_print": request.access.organisation.is_group and request.access.can(scoping.WRITE),
    })


@org_view(scoping.VIEW)
def passbook_pdf(request, account_id: int):
    """The whole book again, every line at its place (a new or lost book)."""
    account = _account(request, account_id)
    data = passbook.passbook_pdf(account, passbook.rows(account), lang=language.current())
    return _pdf(data, f"passbook-{account.number}")


@org_view(scoping.VIEW, write_need=scoping.WRITE)
def passbook_print(request, account_id: int):
    """POST: the lines not yet printed, from the next free line on, as a PDF for the passbook
    printer; they are remembered as printed."""
    account = _account(request, account_id)
    if request.method != "POST":
        return redirect(_url("passbook", request, account_id=account.pk))
    try:
        placed = services.passbook_print_new(actor=request.user, account=account)
    except RuleViolation as exc:
        messages.error(request, "; ".join(p.message_th for p in exc.problems))
        return redirect(_url("passbook", request, account_id=account.pk))
    if not placed:
        messages.info(request, _("ไม่มีรายการใหม่ที่ยังไม่ได้พิมพ์"))
        return redirect(_url("passbook", request, account_id=account.pk))
    data = passbook.passbook_pdf(account, placed, lang=language.current())
    return _pdf(data, f"passbook-{account.number}-{placed[0].position}-{placed[-1].position}")


def _period(request, problems):
    start = fields.date_field(request.GET.get("start"), "start", problems)
    end = fields.date_field(request.GET.get("end"), "end", problems)
    if start and end and start > end:
        problems.append(Problem("end", "วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น", "the end cannot be before the start"))
    return start, end


@org_view(scoping.VIEW)
def statement(request, account_id: int):
    """The account's movements of any period, with the balance brought forward."""
    account = _account(request, account_id)
    problems: list[Problem] = []
    start, end = _period(request, problems)
    brought, lines = selectors.statement(account, start=start, end=end) if not problems else (0, [])
    return render(request, "savings/statement.html", {
        "account": account, "brought": brought, "lines": lines, "problems": problems,
        "closing": lines[-1].balance if lines else brought, "start": request.GET.get("start", ""),
        "end": request.GET.get("end", ""), "deposits": sum(ln.deposit for ln in lines),
        "withdrawals": sum(ln.withdrawal for ln in lines),
    }, status=422 if problems else 200)


@org_view(scoping.VIEW)
def statement_pdf(request, account_id: int):
    account = _account(request, account_id)
    problems: list[Problem] = []
    start, end = _period(request, problems)
    if problems:
        return statement(request, account_id=account_id)
    return _pdf(passbook.statement_pdf(account, start, end, lang=language.current()), f"statement-{account.number}")


# --- products opening on joining; paying out a member who left -----------------------------

@org_view(scoping.RECORDS, write_need=scoping.MANAGE)
def product_opening(request, product_id: int):
    org = request.access.organisation
    product = scoping.get_in_scope(Product.objects.all(), org, product_id)
    if request.method == "POST":
        try:
            services.product_set_opening(actor=request.user, product=product,
                                         opens_on_joining=request.POST.get("opens_on_joining") == "1")
        except RuleViolation as exc:
            messages.error(request, "; ".join(p.message_th for p in exc.problems))
        else:
            messages.success(request, _("บันทึกการตั้งค่าแล้ว"))
    return redirect(_url("product", request, product_id=product.pk))


def _payout_page(request, member, problems=(), status=200):
    today = timezone.localdate()
    plan, found = services.payout_plan(member, today)
    return render(request, "savings/payout.html", {
        "member": member, "plan": plan, "problems": list(problems) or found, "total": sum(p.amount for p in plan),
        "words": amount_words(sum(p.amount for p in plan)) if plan else "", "today": _typed(today),
        "may_pay_out": org_writes(request) and not found,
    }, status=422 if problems else status)


def org_writes(request) -> bool:
    return request.access.organisation.is_group and request.access.can(scoping.WRITE)


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def member_payout(request, member_id: int):
    """A member who left or died: every account's balance paid out (on death to the
    beneficiaries by their shares) as withdrawal vouchers for a second person to approve."""
    org = request.access.organisation
    member = scoping.get_in_scope(member_selectors.members_of(org), org, member_id)
    if request.method != "POST":
        return _payout_page(request, member)
    problems: list[Problem] = []
    date = fields.date_field(request.POST.get("date"), "date", problems, default=timezone.localdate())
    if problems:
        return _payout_page(request, member, problems)
    try:
        made = services.member_payout(actor=request.user, member=member, date=date,
                                      paid_from=request.POST.get("paid") or "cash")
    except RuleViolation as exc:
        return _payout_page(request, member, exc.problems)
    messages.success(request, _("บันทึกใบถอนจ่ายคืนเงินฝาก %(n)s ใบ รวม %(amount)s บาท (คำขอเลขที่ %(ids)s) "
                                "รอผู้อนุมัติคนที่สอง") % {
        "n": len(made), "amount": format_baht(sum(w.amount for w in made)), "ids": ", ".join(str(w.pk) for w in made)})
    return redirect(_url("withdrawals", request))


# --- share transfers --------------------------------------------------------------------------

@org_view(scoping.VIEW, write_need=scoping.WRITE)
def share_transfer(request, account_id: int):
    """Whole shares to another member's share account: checked, confirmed (shares, baht and
    Thai words, the receiver), then waiting for a second person to approve it."""
    account, away = _posted_only(request, account_id)
    if away:
        return away
    problems: list[Problem] = []
    typed = {k: request.POST.get(k, "").strip() for k in ("to", "shares", "date")}
    shares = int(typed["shares"]) if typed["shares"].isdigit() else None
    if shares is None:
        problems.append(Problem("shares", "จำนวนหุ้นต้องเป็นจำนวนเต็มมากกว่าศูนย์",
                                "the shares must be a whole number above zero", value=typed["shares"]))
    date = fields.date_field(typed["date"], "date", problems, default=timezone.localdate())
    receiver = selectors.accounts(request.access.organisation).filter(number=typed["to"].upper()).first()
    if not problems:
        problems = services.share_transfer_problems(actor=request.user, holder=account, receiver=receiver,
                                                    shares=shares, date=date)
    shown = dict(typed)
    if problems:
        return _detail(request, account, problems, status=422, transfer=shown)
    amount = shares * selectors.version_in_force(account.product, date).share_price
    shown.update(check=True, amount=amount, words=amount_words(amount), receiver=receiver,
                 date_shown=format_date(date, lang=language.current()))
    if request.POST.get("action") != "confirm":
        return _detail(request, account, transfer=shown)
    try:
        t = services.share_transfer_request(actor=request.user, holder=account, receiver=receiver, shares=shares,
                                            date=date)
    except RuleViolation as exc:
        return _detail(request, _account(request, account_id), exc.problems, status=422, transfer=shown)
    messages.success(request, _("บันทึกการโอนหุ้น %(shares)s หุ้น ให้บัญชี %(to)s (เลขที่ %(id)s) รอผู้อนุมัติคนที่สอง") % {
        "shares": t.shares, "to": receiver.number, "id": t.pk})
    return redirect(_url("account", request, account_id=account.pk))


def _decide_transfer(request, transfer_id: int, do, done):
    org = request.access.organisation
    t = scoping.get_in_scope(selectors.share_transfers(org), org, transfer_id)
    if request.method != "POST":
        return redirect(_url("account", request, account_id=t.from_account_id))
    try:
        t = do(t)
    except RuleViolation as exc:
        return _detail(request, t.from_account, exc.problems, status=422)
    messages.success(request, done(t))
    return redirect(_url("account", request, account_id=t.from_account_id))


@org_view(scoping.RECORDS, write_need=scoping.APPROVE)
def share_transfer_approve(request, transfer_id: int):
    return _decide_transfer(
        request, transfer_id, lambda t: services.share_transfer_approve(actor=request.user, transfer=t),
        lambda t: _("อนุมัติการโอนหุ้น %(shares)s หุ้น เอกสาร %(doc)s") % {
            "shares": t.shares, "doc": t.entry.document_number})


@org_view(scoping.RECORDS, write_need=scoping.APPROVE)
def share_transfer_reject(request, transfer_id: int):
    return _decide_transfer(
        request, transfer_id,
        lambda t: services.share_transfer_reject(actor=request.user, transfer=t, reason=request.POST.get("reason", "")),
        lambda t: _("ไม่อนุมัติการโอนหุ้นเลขที่ %(id)s") % {"id": t.pk})
