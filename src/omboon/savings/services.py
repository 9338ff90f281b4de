"""Writes of savings, one transaction and one audit event each: products and their versions,
accounts (open → dormant → closed, with history), deposits (a receipt), withdrawals (asked by
one person, approved — and so paid, a payment entry — by a second one). Money moves only
through ``ledger.services.entry_post`` on the account's sub-account; the balance a withdrawal is
checked against is read under the account's row lock, so two withdrawals at once cannot both
take the same money."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from omboon.core import audit, months, sequence
from omboon.core.errors import problems_of, raise_if
from omboon.core.money import allocate, format_baht
from omboon.ledger import chart, holdings
from omboon.ledger import services as ledger
from omboon.ledger.models import DEBIT_NORMAL, DocumentType, JournalEntry, JournalLine
from omboon.ledger.rules import Approval, check_month_open, last_closed_period
from omboon.orgs import selectors as org_selectors
from omboon.savings import interest, passbook, rules, selectors
from omboon.savings.models import (
    KIND_ACCOUNT,
    Account,
    AccountSequence,
    InterestRun,
    Kind,
    MonthEndBalance,
    PassbookPrint,
    Product,
    ProductVersion,
    ShareTransfer,
    StatusChange,
    Withdrawal,
)

CASH_ACCOUNT = {"cash": chart.CASH, "bank": chart.BANK}


def _today() -> dt.date:
    return timezone.localdate()


def _months_after(day: dt.date, n: int) -> dt.date:
    """The same day ``n`` months on (the month's last day where it has fewer days)."""
    year, month = months.add(day.year, day.month, n)
    return months.day_in(year, month, day.day)


def _terms(terms: rules.Terms | None, **kw) -> rules.Terms:
    terms = terms or rules.Terms(**kw)
    for field in ("annual_rate", "early_rate"):
        value = getattr(terms, field)
        if isinstance(value, (int, str)) and not isinstance(value, bool):
            with contextlib.suppress(ArithmeticError):  # the rule says what is wrong with it
                terms = rules.Terms(**{**terms.as_fields(), field: Decimal(str(value))})
    return terms


# --- products ------------------------------------------------------------------------------

@transaction.atomic
def product_create(*, actor, organisation, code: str, kind: str, name_th: str, effective_from: dt.date,
                   name_en: str = "", terms: rules.Terms | None = None, opens_on_joining: bool = False,
                   **terms_kw) -> Product:
    """A product with its first terms (``rules.Terms``, or its fields as keywords)."""
    terms = _terms(terms, **terms_kw)
    code = (code or "").strip().upper()
    raise_if(problems_of(rules.PRODUCT_CREATE, rules.ProductInput(
        organisation, kind, terms, effective_from, last_closed_period(organisation), code=code, name_th=name_th,
        code_taken=Product.objects.filter(organisation=organisation, code=code).exists())))
    product = Product.objects.create(organisation=organisation, code=code, kind=kind, name_th=name_th.strip(),
                                     name_en=(name_en or "").strip(), opens_on_joining=bool(opens_on_joining))
    ProductVersion.objects.create(product=product, effective_from=effective_from, **terms.as_fields())
    audit.record(actor=actor, action="savings.product_create", organisation=organisation, obj=product,
                 summary=f"{product.code} {product.name_th}",
                 after={"kind": kind, "effective_from": effective_from, "opens_on_joining": bool(opens_on_joining),
                        **audit_terms(terms)})
    return product


@transaction.atomic
def product_set_opening(*, actor, product: Product, opens_on_joining: bool) -> Product:
    """Whether the bylaws open an account of the product for every member who joins."""
    raise_if(problems_of(rules.PRODUCT_SETTING, rules.Setting(actor, product)))
    before = product.opens_on_joining
    product.opens_on_joining = bool(opens_on_joining)
    product.save(update_fields=["opens_on_joining"])
    audit.record(actor=actor, action="savings.product_set_opening", organisation=product.organisation,
                 obj=product, summary=f"{product.code} opens_on_joining={product.opens_on_joining}",
                 before={"opens_on_joining": before}, after={"opens_on_joining": product.opens_on_joining})
    return product


def audit_terms(terms: rules.Terms) -> dict:
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in terms.as_fields().items()}


@transaction.atomic
def product_version_create(*, actor, product: Product, effective_from: dt.date, terms: rules.Terms | None = None,
                           **terms_kw) -> ProductVersion:
    """New terms from a date on (never back-dated into a closed month)."""
    terms = _terms(terms, **terms_kw)
    raise_if(problems_of(rules.VERSION_CREATE, rules.ProductInput(
        product.organisation, product.kind, terms, effective_from, last_closed_period(product.organisation),
        date_taken=product.versions.filter(effective_from=effective_from).exists())))
    version = ProductVersion.objects.create(product=product, effective_from=effective_from, **terms.as_fields())
    audit.record(actor=actor, action="savings.product_version_create", organisation=product.organisation,
                 obj=product, summary=f"{product.code} {effective_from}",
                 after={"effective_from": effective_from, **audit_terms(terms)})
    return version


# --- accounts ------------------------------------------------------------------------------

def _history(account: Account, status: str, date: dt.date, actor, reason: str = "") -> None:
    StatusChange.objects.create(account=account, status=status, date=date, reason=reason[:255],
                                by=audit.person(actor))


@transaction.atomic
def account_open(*, actor, organisation, member, product: Product, opened_on: dt.date | None = None,
                 _checks=None) -> Account:
    """A member's account of ``product``: numbered per group (``<product code>-<running number>``),
    with its ledger sub-account under the product's account (2100/2110/2120/3400)."""
    opened_on = opened_on or _today()
    checks = rules.ACCOUNT_OPEN if _checks is None else _checks
    version = selectors.version_in_force(product, opened_on) if product is not None else None
    has_open = product is not None and member is not None and Account.objects.filter(
        product=product, member=member).exclude(status=Account.Status.CLOSED).exists()
    raise_if(problems_of(checks, rules.Opening(
        organisation, actor, member, product, version, opened_on, has_open_account=has_open)))
    n = sequence.take_next(AccountSequence, organisation=organisation)
    number = f"{product.code}-{n:05d}"
    sub = ledger.sub_account_open(actor=actor, organisation=organisation, account=KIND_ACCOUNT[product.kind],
                                  member=member, number=number, opened_on=opened_on,
                                  kind=f"savings:{product.kind}", name=member.full_name)
    matures = _months_after(opened_on, version.term_months) if product.kind == Kind.FIXED else None
    account = Account.objects.create(organisation=organisation, number=number, product=product, member=member,
                                     sub_account=sub, opened_on=opened_on, matures_on=matures)
    _history(account, Account.Status.OPEN, opened_on, actor)
    audit.record(actor=actor, action="savings.account_open", organisation=organisation, obj=account,
                 summary=f"{number} {member.number} {member.full_name}",
                 after={"number": number, "member": member.number, "product": product.code,
                        "opened_on": opened_on, "matures_on": matures})
    return account


@transaction.atomic
def accounts_open_bulk(*, actor, organisation, product: Product, openings: list[tuple],
                       _checks=None) -> list[Account]:
    """Many members' accounts of one product at once (an import, the demo): each ``(member,
    opened_on)`` checked as ``account_open`` checks one, numbered in one run of the group's
    series, with one insert per table and one audit event. Nothing is written if any is refused."""
    if not openings:
        return []
    open_now = set(Account.objects.filter(product=product).exclude(status=Account.Status.CLOSED)
                   .values_list("member_id", flat=True))
    versions: dict[dt.date, ProductVersion | None] = {}
    problems = []
    for member, opened_on in openings:
        if opened_on not in versions:
            versions[opened_on] = selectors.version_in_force(product, opened_on)
        problems += problems_of(rules.ACCOUNT_OPEN if _checks is None else _checks, rules.Opening(
            organisation, actor, member, product, versions[opened_on], opened_on,
            has_open_account=member.pk in open_now))
        open_now.add(member.pk)
    raise_if(problems)
    first = sequence.take_next(AccountSequence, count=len(openings), organisation=organisation)
    numbers = [f"{product.code}-{first + i:05d}" for i in range(len(openings))]
    subs = ledger.sub_accounts_open_bulk(
        actor=actor, organisation=organisation, account=KIND_ACCOUNT[product.kind], kind=f"savings:{product.kind}",
        rows=[(m, n, day, m.full_name) for (m, day), n in zip(openings, numbers)])
    accounts = Account.objects.bulk_create([
        Account(organisation=organisation, number=n, product=product, member=m, sub_account=sub, opened_on=day,
                matures_on=(_months_after(day, versions[day].term_months) if product.kind == Kind.FIXED else None))
        for (m, day), n, sub in zip(openings, numbers, subs)], batch_size=1000)
    by = audit.person(actor)
    StatusChange.objects.bulk_create([StatusChange(account=a, status=Account.Status.OPEN, date=a.opened_on, by=by)
                                      for a in accounts], batch_size=1000)
    audit.record(actor=actor, action="savings.accounts_open_bulk", organisation=organisation, obj=product,
                 summary=f"{product.code} {len(accounts)} บัญชี/accounts {numbers[0]}–{numbers[-1]}",
                 after={"product": product.code, "count": len(accounts), "first": numbers[0], "last": numbers[-1]})
    return accounts


def _locked(account: Account) -> Account:
    return (Account.objects.select_for_update()
            .select_related("organisation", "member", "product", "sub_account__account").get(pk=account.pk))


def _movement(actor, account, amount, date, paid, *, fee=0, exclude=None) -> rules.Movement:
    version = selectors.version_in_force(account.product, date) if isinstance(date, dt.date) else None
    return rules.Movement(
        actor=actor, account=account, version=version, amount=amount, date=date,
        balance=selectors.balance(account), fee=fee, pending=selectors.pending(account, exclude=exclude),
        holds=selectors.holds(account),
        withdrawals_this_year=(selectors.withdrawals_paid_in_year(account, date.year)
                               if isinstance(date, dt.date) else 0),
        last_closed=last_closed_period(account.organisation), paid=paid)


def movement_problems(*, actor, account: Account, amount, date, paid: str = "cash",
                      withdrawal: bool = False) -> list:
    """What a deposit (or a withdrawal) would be refused for now, without writing: a page
    checks before it asks for the confirmation (the service checks again under the lock)."""
    fee = withdrawal_fee(account, date) if withdrawal and isinstance(date, dt.date) else 0
    return problems_of(rules.WITHDRAW if withdrawal else rules.DEPOSIT,
                       _movement(actor, account, amount, date, paid, fee=fee))


@transaction.atomic
def deposit(*, actor, account: Account, amount: int, date: dt.date | None = None, paid_into: str = "cash",
            memo: str = "", idempotency_key: str | None = None) -> JournalEntry:
    """Money in: a receipt, Dr cash (or bank), Cr the account's sub-account. A dormant account
    is open again. The same ``idempotency_key`` twice posts once."""
    date = date or _today()
    account = _locked(account)
    if idempotency_key:
        done = JournalEntry.objects.filter(organisation=account.organisation, idempotency_key=idempotency_key).first()
        if done is not None:
            return done
    raise_if(problems_of(rules.DEPOSIT, _movement(actor, account, amount, date, paid_into)))
    name = f"{account.product.name_th} {account.number} {account.member.full_name}"
    entry = ledger.entry_post(
        actor=actor, organisation=account.organisation, date=date, doc_type=DocumentType.RECEIPT,
        memo=(memo or f"ฝาก {name}")[:255], idempotency_key=idempotency_key, source=account,
        lines=[ledger.Line(account=CASH_ACCOUNT[paid_into], debit=amount, member=account.member),
               ledger.Line(account=account.sub_account.account, credit=amount, sub_account=account.sub_account,
                           memo=name)])
    if account.status == Account.Status.DORMANT:
        account.status = Account.Status.OPEN
        account.save(update_fields=["status"])
        _history(account, Account.Status.OPEN, date, actor, "ฝากเงิน / a deposit")
    audit.record(actor=actor, action="savings.deposit", organisation=account.organisation, obj=account,
                 summary=f"{account.number} ฝาก/deposit {format_baht(amount)} {entry.document_number}",
                 after={"amount": amount, "date": date, "entry": entry.document_number})
    return entry


def _interest_run_entry() -> Q:
    """Lines of interest runs' entries (and of their reversals)."""
    return (Q(entry__idempotency_key__startswith="savings.interest:")
            | Q(entry__reverses__idempotency_key__startswith="savings.interest:"))


def _last_settled(account: Account, before: dt.date | None = None) -> dt.date | None:
    """The date of the account's last standing paid withdrawal (a fixed-term deposit's: its
    interest is settled through that day)."""
    qs = account.withdrawals.filter(status=Withdrawal.Status.PAID, entry__reversed_by__isnull=True)
    if before is not None:
        qs = qs.filter(date__lte=before)
    return qs.order_by("-date").values_list("date", flat=True).first()


def fixed_settlement(account: Account, date: dt.date) -> int:
    """The interest settled when a fixed-term deposit is withdrawn (whole) on ``date``; signed
    satang, + paid to the member on top of the balance, − taken back out of it.

    - Before it matures (``date`` < ``matures_on``, term_months after opening) the deposit earns
      the product's ``early_rate`` instead of its rate, over every day it was held: the early
      interest on the money deposited (interest credited is not compounded), from the day after
      the opening (or the last withdrawal) through the day before ``date``, by the rule of
      ``interest.interest`` (end-of-day balances, rounded DOWN to the satang once), less the
      interest the interest runs already credited at the product rate in that time.
    - On or after maturity it earns the product's rate: the days since the last interest run
      (or the opening) through the day before ``date``, on the end-of-day balance, as the next
      run would pay them (which then skips them: ``interest_due``).

    0 for any other kind, or without terms in force."""
    version = selectors.version_in_force(account.product, date) if isinstance(date, dt.date) else None
    if account.product.kind != Kind.FIXED or version is None:
        return 0
    settled = _last_settled(account, before=date)
    since = (settled + dt.timedelta(days=1)) if settled else account.opened_on
    end = date - dt.timedelta(days=1)
    lines = account.sub_account.lines.filter(date__gte=since, date__lte=date)
    if account.matures_on is not None and date < account.matures_on:
        principal = [(d, c - db) for d, db, c in lines.exclude(_interest_run_entry()).filter(date__lte=end)
                     .values_list("date", "debit", "credit").order_by("date", "id")]
        credited = sum(c - db for db, c in lines.filter(_interest_run_entry()).values_list("debit", "credit"))
        return interest.interest(0, principal, since, end, version.early_rate, version.min_balance) - credited
    run_end = (InterestRun.objects.filter(product=account.product, period_end__lt=date, period_end__gte=since)
               .order_by("-period_end").values_list("period_end", flat=True).first())
    start = max(since, run_end + dt.timedelta(days=1)) if run_end else since
    held = selectors.movements(account.organisation, [account.sub_account_id], end).get(account.sub_account_id, [])
    return interest.interest(0, held, start, end, version.annual_rate, version.min_balance)


def withdrawal_fee(account: Account, date: dt.date) -> int:
    """The fee a withdrawal of the account pays on ``date`` (voluntary savings, by its terms)."""
    version = selectors.version_in_force(account.product, date)
    if version is None or account.product.kind != Kind.VOLUNTARY or rules.is_left(account.member):
        return 0
    return version.withdrawal_fee


@transaction.atomic
def withdrawal_request(*, actor, account: Account, amount: int, date: dt.date | None = None,
                       paid_from: str = "cash") -> Withdrawal:
    """Ask for money out of an account; paid when a second person approves it. Refused at once
    beyond the balance (less what is already waiting), below the minimum or beyond the bylaws."""
    date = date or _today()
    account = _locked(account)
    fee = withdrawal_fee(account, date) if isinstance(date, dt.date) else 0
    raise_if(problems_of(rules.WITHDRAW, _movement(actor, account, amount, date, paid_from, fee=fee)))
    settled = fixed_settlement(account, date)
    w = Withdrawal.objects.create(organisation=account.organisation, account=account, date=date, amount=amount,
                                  fee=fee, interest=settled, paid_from=paid_from, requested_by=actor)
    audit.record(actor=actor, action="savings.withdrawal_request", organisation=account.organisation, obj=w,
                 summary=f"{account.number} ขอถอน/asks {format_baht(amount)}",
                 after={"account": account.number, "amount": amount, "fee": fee, "interest": settled, "date": date})
    return w


def _locked_withdrawal(withdrawal: Withdrawal) -> Withdrawal:
    return Withdrawal.objects.select_for_update().select_related("organisation").get(pk=withdrawal.pk)


@transaction.atomic
def withdrawal_approve(*, actor, withdrawal: Withdrawal) -> Withdrawal:
    """The second person approves: the money is paid (a payment entry, PV: Dr the account's
    sub-account amount + fee, Cr cash amount, Cr other income the fee). The account is locked
    first and every limit checked again on its balance now: of two withdrawals approved at
    once, the one that finds the money gone is refused."""
    account = _locked(withdrawal.account)
    w = _locked_withdrawal(withdrawal)
    raise_if(problems_of(rules.WITHDRAWAL_APPROVE, rules.WithdrawalAct(w, actor)))
    raise_if(problems_of(rules.WITHDRAW, _movement(w.requested_by, account, w.amount, w.date, w.paid_from,
                                                   fee=w.fee, exclude=w)))
    name = f"{account.product.name_th} {account.number} {account.member.full_name}"
    # a fixed-term deposit's interest, settled again on the books as they stand now
    w.interest = fixed_settlement(account, w.date)
    lines = [ledger.Line(account=account.sub_account.account, debit=w.amount + w.fee,
                         sub_account=account.sub_account, memo=name)]
    if w.amount + w.interest:
        lines.append(ledger.Line(account=CASH_ACCOUNT[w.paid_from], credit=w.amount + w.interest,
                                 member=account.member))
    if w.interest:
        memo = (f"ดอกเบี้ยเงินฝากประจำ {account.number}" if w.interest > 0
                else f"เรียกคืนดอกเบี้ย (ถอนก่อนครบกำหนด) {account.number}")
        lines.append(ledger.Line(account=chart.INTEREST_ON_SAVINGS, debit=max(w.interest, 0),
                                 credit=max(-w.interest, 0), member=account.member, memo=memo))
    if w.fee:
        lines.append(ledger.Line(account=chart.SAVINGS_FEES, credit=w.fee, member=account.member,
                                 memo=f"ค่าธรรมเนียมถอน {account.number}"))
    entry = ledger.entry_post(
        actor=actor, organisation=account.organisation, date=w.date, doc_type=DocumentType.PAYMENT,
        memo=f"ถอน {name}"[:255], idempotency_key=f"savings.withdrawal:{w.pk}", source=w, lines=lines,
        approval=Approval(maker=w.requested_by, approver=actor, what=f"savings.withdrawal:{w.pk}"))
    w.status, w.decided_by, w.decided_at, w.entry = Withdrawal.Status.PAID, actor, timezone.now(), entry
    w.save(update_fields=["status", "decided_by", "decided_at", "entry", "interest"])
    audit.record(actor=actor, action="savings.withdrawal_approve", organisation=account.organisation, obj=w,
                 summary=f"{account.number} ถอน/paid {format_baht(w.amount)} {entry.document_number}",
                 before={"status": "requested"}, after={"status": "paid", "entry": entry.document_number})
    return w


def _decline(actor, withdrawal, checks, status, action, reason) -> Withdrawal:
    w = _locked_withdrawal(withdrawal)
    raise_if(problems_of(checks, rules.WithdrawalAct(w, actor, reason=reason)))
    w.status, w.decided_by, w.decided_at, w.reason = status, actor, timezone.now(), reason.strip()[:255]
    w.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    audit.record(actor=actor, action=action, organisation=w.organisation, obj=w,
                 summary=f"{w.account.number} {status}", before={"status": "requested"},
                 after={"status": status, "reason": w.reason})
    return w


@transaction.atomic
def withdrawal_reject(*, actor, withdrawal: Withdrawal, reason: str) -> Withdrawal:
    return _decline(actor, withdrawal, rules.WITHDRAWAL_REJECT, Withdrawal.Status.REJECTED,
                    "savings.withdrawal_reject", reason)


@transaction.atomic
def withdrawal_cancel(*, actor, withdrawal: Withdrawal, reason: str) -> Withdrawal:
    return _decline(actor, withdrawal, rules.WITHDRAWAL_CANCEL, Withdrawal.Status.CANCELLED,
                    "savings.withdrawal_cancel", reason)


@transaction.atomic
def account_close(*, actor, account: Account, reason: str, date: dt.date | None = None) -> Account:
    """Close an account whose balance is zero (history kept)."""
    date = date or _today()
    account = _locked(account)
    raise_if(problems_of(rules.ACCOUNT_CLOSE, rules.Closing(actor, account, selectors.balance(account),
                                                             selectors.pending(account), reason,
                                                             holds=selectors.holds(account))))
    before = account.status
    account.status, account.closed_on = Account.Status.CLOSED, date
    account.save(update_fields=["status", "closed_on"])
    _history(account, Account.Status.CLOSED, date, actor, reason)
    audit.record(actor=actor, action="savings.account_close", organisation=account.organisation, obj=account,
                 summary=f"{account.number} ปิดบัญชี/closed", before={"status": before},
                 after={"status": "closed", "reason": reason})
    return account


DORMANT_MONTHS = 12  # unless the bylaws say otherwise (``savings_dormant_months``)


@transaction.atomic
def accounts_mark_dormant(*, actor, organisation, as_of: dt.date | None = None) -> int:
    """Open accounts with no movement for the bylaws' number of months (12 unless said) become
    dormant; returns how many. A deposit opens one again. The months are the bylaws' in force on
    ``as_of`` (set on /o/<org>/settings/ or ``omboon bylaws set --savings-dormant-months``)."""
    as_of = as_of or _today()
    n_months = int(org_selectors.bylaws_on(organisation, as_of).get("savings_dormant_months") or DORMANT_MONTHS)
    since = _months_after(as_of, -n_months)
    open_ = list(Account.objects.select_for_update().filter(organisation=organisation, status=Account.Status.OPEN,
                                                            opened_on__lte=since))
    moved = set(selectors.moved_since(organisation, [a.sub_account_id for a in open_], since))
    dormant = [a for a in open_ if a.sub_account_id not in moved]
    Account.objects.filter(pk__in=[a.pk for a in dormant]).update(status=Account.Status.DORMANT)
    StatusChange.objects.bulk_create([
        StatusChange(account=a, status=Account.Status.DORMANT, date=as_of, by=audit.person(actor),
                     reason=f"ไม่เคลื่อนไหว {n_months} เดือน / no movement for {n_months} months") for a in dormant])
    if dormant:
        audit.record(actor=actor, action="savings.accounts_mark_dormant", organisation=organisation,
                     summary=f"{len(dormant)} บัญชีไม่เคลื่อนไหว / dormant",
                     after={"accounts": [a.number for a in dormant], "as_of": as_of, "months": n_months})
    return len(dormant)


# --- interest ------------------------------------------------------------------------------

def interest_due(product: Product, start: dt.date, end: dt.date, earlier: dict | None = None) -> dict[Account, int]:
    """{account: satang} of the product's accounts for the period (``interest.interest``, by
    the terms in force on the period's last day; fixed-term deposits at their annual rate, and
    not for the days a withdrawal already settled: ``fixed_settlement``).
    ``earlier`` ({sub-account id: [(date, satang)]}): interest of earlier periods not posted yet,
    counted as if it were (it will be, on its period's last day, before this one)."""
    version = selectors.version_in_force(product, end)
    if version is None or not version.annual_rate:
        return {}
    accounts = list(Account.objects.filter(product=product, opened_on__lte=end)
                    .exclude(status=Account.Status.CLOSED, closed_on__lt=start)
                    .select_related("member", "sub_account__account"))
    moves = selectors.movements(product.organisation, [a.sub_account_id for a in accounts], end)
    settled: dict[int, dt.date] = {}  # a fixed-term deposit withdrawn: its interest settled through then
    if product.kind == Kind.FIXED:
        for account_id, day in (Withdrawal.objects.filter(account__product=product, status=Withdrawal.Status.PAID,
                                                          entry__reversed_by__isnull=True, date__gte=start)
                                .values_list("account_id", "date").order_by("date")):
            settled[account_id] = day
    due = {}
    for account in accounts:
        lines = moves.get(account.sub_account_id, [])
        if earlier and earlier.get(account.sub_account_id):
            lines = sorted([*lines, *earlier[account.sub_account_id]], key=lambda m: m[0])
        first = max(start, settled[account.pk]) if account.pk in settled else start
        amount = interest.interest(0, lines, first, end, version.annual_rate, version.min_balance)
        if amount > 0:
            due[account] = amount
    return due


@dataclass(frozen=True)
class InterestPeriodDue:
    """A product's period not yet posted, as a preview shows it."""

    product: Product
    start: dt.date
    end: dt.date
    due: dict  # {account: satang}
    problems: list

    @property
    def total(self) -> int:
        return sum(self.due.values())


def interest_pending(organisation, through: dt.date) -> list[InterestPeriodDue]:
    """Every product's period not yet posted whose end is on or before ``through``, with the
    interest each account would get and, for a period ending in a closed month, why not."""
    out = []
    last_closed = last_closed_period(organisation)
    for product in Product.objects.filter(organisation=organisation, is_active=True).order_by("code"):
        version = selectors.version_in_force(product, through)
        if version is None or version.interest_period not in interest.PERIOD_MONTHS:
            continue
        first = Account.objects.filter(product=product).order_by("opened_on").values_list("opened_on", flat=True)
        if not first:
            continue
        length = interest.PERIOD_MONTHS[version.interest_period]
        done = set(InterestRun.objects.filter(product=product).values_list("period_end", flat=True))
        earlier: dict[int, list] = {}
        for end in interest.period_ends(organisation.fiscal_year_start_month, length, first[0], through):
            if end in done:
                continue
            start, _ = interest.period_of(end, length)
            due = interest_due(product, start, end, earlier)
            for account, amount in due.items():
                earlier.setdefault(account.sub_account_id, []).append((end, amount))
            out.append(InterestPeriodDue(product, start, end, due, check_month_open(last_closed, end, field="through")))
    return out


@transaction.atomic
def interest_post(*, actor, organisation, through: dt.date) -> list[InterestRun]:
    """Post every period's interest not yet posted whose end is on or before ``through``, one
    entry a product and period (Dr 5400, Cr each account's sub-account). A period posted once is
    never posted again; a period ending in a closed month is refused."""
    runs = []
    for period in interest_pending(organisation, through):
        product, start, end, due = period.product, period.start, period.end, period.due
        raise_if(period.problems)
        total = period.total
        entry = None
        if total:
            entry = ledger.entry_post(
                actor=actor, organisation=organisation, date=end, doc_type=DocumentType.JOURNAL,
                memo=f"ดอกเบี้ย{product.name_th} {start:%d/%m/%Y}–{end:%d/%m/%Y}"[:255],
                idempotency_key=f"savings.interest:{product.pk}:{end.isoformat()}",
                lines=[ledger.Line(account=chart.INTEREST_ON_SAVINGS, debit=total),
                       *(ledger.Line(account=a.sub_account.account, credit=amount, sub_account=a.sub_account,
                                     member=a.member, memo=a.number)
                         for a, amount in sorted(due.items(), key=lambda kv: kv[0].number))])
        run = InterestRun.objects.create(organisation=organisation, product=product, period_start=start,
                                         period_end=end, total=total, accounts=len(due), entry=entry,
                                         posted_by=audit.person(actor))
        audit.record(actor=actor, action="savings.interest_post", organisation=organisation, obj=run,
                     summary=f"{product.code} {start}–{end} {format_baht(total)}",
                     after={"product": product.code, "start": start, "end": end, "total": total,
                            "accounts": len(due), "entry": entry.document_number if entry else None})
        runs.append(run)
    return runs


# --- month-end snapshots -------------------------------------------------------------------

@transaction.atomic
def snapshots_write(*, organisation, year: int, month: int) -> int:
    """Store every member account's balance at the end of a month being closed (the receiver
    of ``ledger.signals.period_closed``, inside the close's transaction and under its audit
    event): the previous snapshot plus the month's lines, one aggregate query. Returns how
    many balances were stored (zero balances are not)."""
    end = months.end(year, month)
    base = selectors.snapshot_end(organisation, before=end)
    balances: dict[int, int] = {}
    if base is not None:
        balances = dict(MonthEndBalance.objects.filter(organisation=organisation, month_end=base)
                        .values_list("sub_account_id", "balance"))
    lines = JournalLine.objects.filter(organisation=organisation, sub_account__isnull=False, date__lte=end)
    if base is not None:
        lines = lines.filter(date__gt=base)
    for sub_id, type_, d, c in (lines.values_list("sub_account_id", "account__type")
                                .annotate(Sum("debit"), Sum("credit")).order_by()):
        balances[sub_id] = balances.get(sub_id, 0) + selectors.signed(d, c, type_)
    MonthEndBalance.objects.filter(organisation=organisation, month_end__gte=end).delete()
    MonthEndBalance.objects.bulk_create([
        MonthEndBalance(organisation=organisation, sub_account_id=sub_id, month_end=end, balance=b)
        for sub_id, b in sorted(balances.items()) if b], batch_size=2000)
    return sum(1 for b in balances.values() if b)


@transaction.atomic
def snapshots_delete(*, organisation, months_: list[tuple[int, int]]) -> int:
    """Forget the snapshots of reopened months and every later one (``period_reopened``)."""
    if not months_:
        return 0
    first = min(months_)
    n, _ = MonthEndBalance.objects.filter(organisation=organisation,
                                          month_end__gte=dt.date(first[0], first[1], 1)).delete()
    return n


# --- reversing a movement ------------------------------------------------------------------

def _own_movements(account: Account):
    """The entries that are this account's own deposits (``deposit``: the account is their
    source) and paid withdrawals (theirs is the withdrawal): nobody else's money is in them.
    A collection day's or an import's shared entry is not one (its receipt is voided instead)."""
    withdrawals = [str(pk) for pk in account.withdrawals.values_list("pk", flat=True)]
    return JournalEntry.objects.filter(
        Q(source_type="savings.account", source_id=str(account.pk), doc_type=DocumentType.RECEIPT)
        | Q(source_type="savings.withdrawal", source_id__in=withdrawals, doc_type=DocumentType.PAYMENT),
        organisation=account.organisation)


def movements_reversible(account: Account) -> list[JournalEntry]:
    """The account's own deposits and paid withdrawals that stand (not reversed), newest
    first: what the account's page offers to reverse."""
    return list(_own_movements(account).filter(reversed_by__isnull=True).order_by("-date", "-pk"))


@transaction.atomic
def movement_reverse(*, actor, account: Account, entry_id: int, reason: str,
                     date: dt.date | None = None) -> JournalEntry:
    """Undo a deposit or a paid withdrawal of the account by a reversal entry (someone who may
    approve; never leaving the balance, less what waits to be paid, below zero)."""
    date = date or _today()
    account = _locked(account)
    line = account.sub_account.lines.select_related("entry").filter(entry_id=entry_id).first()
    entry = line.entry if line is not None else None
    shared = entry is not None and not _own_movements(account).filter(pk=entry.pk).exists()
    change = 0
    if entry is not None:
        debit_normal = account.sub_account.account.type in DEBIT_NORMAL
        for ln in account.sub_account.lines.filter(entry=entry):
            change -= (ln.debit - ln.credit) if debit_normal else (ln.credit - ln.debit)
    already = entry is not None and JournalEntry.objects.filter(reverses=entry).exists()
    raise_if(problems_of(rules.MOVEMENT_REVERSE, rules.Reversing(
        actor, account, entry, change, selectors.balance(account), selectors.pending(account), reason or "",
        already_reversed=already, shared=shared, holds=selectors.holds(account))))
    reversal = ledger.entry_reverse(actor=actor, entry=entry, date=date, reason=reason)
    audit.record(actor=actor, action="savings.movement_reverse", organisation=account.organisation, obj=account,
                 summary=f"{account.number} กลับรายการ/reversed {entry.document_number} {reversal.document_number}",
                 after={"entry": entry.document_number, "reversal": reversal.document_number, "change": change,
                        "reason": reason})
    return reversal


# --- the passbook ---------------------------------------------------------------------------

@transaction.atomic
def passbook_print_new(*, actor, account: Account) -> list[passbook.Row]:
    """The passbook's lines not yet printed, placed from the book's next free line on, and
    remembered as printed (the PDF of them is what goes on paper). None new: an empty list."""
    account = _locked(account)
    raise_if(problems_of(rules.PASSBOOK_PRINT, rules.Printing(actor, account)))
    printed, _ = PassbookPrint.objects.select_for_update().get_or_create(account=account)
    new = [r for r in passbook.rows(account) if r.line_id > printed.last_line_id]
    if not new:
        return []
    placed = passbook.placed(new, printed.lines_printed + 1)
    printed.last_line_id, printed.lines_printed = new[-1].line_id, placed[-1].position
    printed.printed_at, printed.printed_by = timezone.now(), audit.person(actor)
    printed.save()
    audit.record(actor=actor, action="savings.passbook_print", organisation=account.organisation, obj=account,
                 summary=f"{account.number} พิมพ์สมุด/passbook {len(placed)} บรรทัด/lines",
                 after={"from": placed[0].position, "to": placed[-1].position, "last_line": printed.last_line_id})
    return placed



# --- joining and leaving --------------------------------------------------------------------

def accounts_open_on_joining(*, actor, member) -> list[Account]:
    """The accounts the bylaws give a member who joins: one of each active product that opens
    on joining, from the joining date (or the product's first terms, if later). The member's
    joining was allowed by the members' own rules, so who may open accounts is not asked again."""
    opened = []
    for product in Product.objects.filter(organisation=member.organisation, is_active=True, opens_on_joining=True):
        first = product.versions.order_by("effective_from").values_list("effective_from", flat=True).first()
        if first is None or Account.objects.filter(product=product, member=member).exists():
            continue
        day = max(member.join_date or _today(), first)
        opened.append(account_open(actor=actor, organisation=member.organisation, member=member, product=product,
                                   opened_on=day, _checks=rules.ACCOUNT_OPEN_ON_JOINING))
    return opened


@transaction.atomic
def accounts_open_on_joining_bulk(*, actor, organisation, members: list) -> list[Account]:
    """``accounts_open_on_joining`` for many members who joined at once (a members import): per
    product that opens on joining, one ``accounts_open_bulk`` of the members still in the group
    who have no account of it, each from their joining date (or the product's first terms)."""
    opened: list[Account] = []
    staying = [m for m in members if not rules.is_left(m)]
    if not staying:
        return opened
    for product in Product.objects.filter(organisation=organisation, is_active=True, opens_on_joining=True):
        first = product.versions.order_by("effective_from").values_list("effective_from", flat=True).first()
        if first is None:
            continue
        have = set(Account.objects.filter(product=product, member__in=staying).values_list("member_id", flat=True))
        openings = [(m, max(m.join_date or _today(), first)) for m in staying if m.pk not in have]
        opened += accounts_open_bulk(actor=actor, organisation=organisation, product=product, openings=openings,
                                     _checks=rules.ACCOUNT_OPEN_ON_JOINING)
    return opened


@dataclass(frozen=True)
class Payout:
    account: Account
    balance: int
    payee: str  # "" for the member
    relation: str
    amount: int
    held: int = 0  # kept on the account: a lien for a loan (``ledger.holdings``), paid out when released


def payout_plan(member, date: dt.date) -> tuple[list[Payout], list]:
    """What a member who left (or died) is paid: each account's whole balance, to the member,
    or on death split among the beneficiaries by their shares (``core.money.allocate``, the
    remainder satang to the first ones, as a welfare claim's payees). What a lien holds for a
    loan stays on the account until the loan releases it (the fund's security), and only the
    rest is paid. With the problems that stop it: the member has not left, a withdrawal still
    waits, a death with no beneficiary."""
    accounts = list(Account.objects.filter(member=member).exclude(status=Account.Status.CLOSED)
                    .select_related("product", "sub_account__account", "organisation", "member"))
    balances = selectors.balances(member.organisation, as_of=None, accounts_=accounts)
    held = holdings.held(a.pk for a in accounts)
    waiting = Withdrawal.objects.filter(account__in=accounts, status=Withdrawal.Status.REQUESTED).exists()
    beneficiaries = list(member.beneficiaries.order_by("position")) if member.status == "deceased" else []
    problems = problems_of(rules.PAYOUT, rules.Leaving(member, waiting, len(beneficiaries),
                                                       sum(max(balances[a.pk] - held[a.pk], 0) for a in accounts)))
    plan = []
    for a in accounts:
        balance, kept = balances[a.pk], held[a.pk]
        if balance - kept <= 0:
            continue
        if beneficiaries:
            for b, amount in zip(beneficiaries, allocate(balance - kept, [b.share_percent for b in beneficiaries])):
                if amount:
                    plan.append(Payout(a, balance, b.name, b.relation, amount, kept))
        else:
            plan.append(Payout(a, balance, "", "", balance - kept, kept))
    return plan, problems


@transaction.atomic
def member_payout(*, actor, member, date: dt.date | None = None, paid_from: str = "cash") -> list[Withdrawal]:
    """Withdrawal vouchers paying out a member who left or died (``payout_plan``), each waiting
    for a second person's approval like any withdrawal. Refused while one is already waiting."""
    date = date or _today()
    for a in Account.objects.filter(member=member).exclude(status=Account.Status.CLOSED):
        _locked(a)
    plan, problems = payout_plan(member, date)
    raise_if(problems)
    made = []
    for p in plan:
        account = _locked(p.account)
        raise_if(problems_of(rules.WITHDRAW, _movement(actor, account, p.amount, date, paid_from)))
        made.append(Withdrawal.objects.create(organisation=account.organisation, account=account, date=date,
                                              amount=p.amount, fee=0, paid_from=paid_from, requested_by=actor,
                                              payee=p.payee[:200], payee_relation=p.relation[:64]))
    audit.record(actor=actor, action="savings.member_payout", organisation=member.organisation, obj=member,
                 summary=f"{member.number} จ่ายคืนเงินฝาก/paid out {format_baht(sum(p.amount for p in plan))}",
                 after={"withdrawals": [w.pk for w in made], "date": date,
                        "payees": [[p.account.number, p.payee or member.number, p.amount] for p in plan]})
    return made


# --- share transfers -----------------------------------------------------------------------

def _transfer_check(actor, holder, receiver, shares, date, *, exclude=None) -> rules.Transfer:
    version = selectors.version_in_force(holder.product, date) if isinstance(date, dt.date) else None
    return rules.Transfer(
        actor=actor, holder=holder, receiver=receiver, version=version, shares=shares, date=date,
        holder_balance=selectors.balance(holder),
        holder_pending=selectors.pending(holder) + selectors.transfers_waiting(holder, exclude=exclude),
        holder_holds=selectors.holds(holder),
        receiver_balance=selectors.balance(receiver) if receiver is not None else 0,
        last_closed=last_closed_period(holder.organisation))


def share_transfer_problems(*, actor, holder: Account, receiver, shares, date) -> list:
    """What a share transfer would be refused for now, without writing (a page's check)."""
    return problems_of(rules.SHARE_TRANSFER, _transfer_check(actor, holder, receiver, shares, date))


@transaction.atomic
def share_transfer_request(*, actor, holder: Account, receiver: Account | None, shares: int,
                           date: dt.date | None = None) -> ShareTransfer:
    """Ask to move ``shares`` whole shares from ``holder`` to another member's account of the
    same shares; done when a second person approves. Refused above the holder's shares (less
    what already waits to leave), below the holder's minimum while in the group, or beyond the
    receiver's maximum holding."""
    date = date or _today()
    holder = _locked(holder)
    check = _transfer_check(actor, holder, receiver, shares, date)
    raise_if(problems_of(rules.SHARE_TRANSFER, check))
    t = ShareTransfer.objects.create(organisation=holder.organisation, from_account=holder, to_account=receiver,
                                     date=date, shares=shares, amount=shares * check.version.share_price,
                                     requested_by=actor)
    audit.record(actor=actor, action="savings.share_transfer_request", organisation=holder.organisation, obj=t,
                 summary=f"{holder.number} → {receiver.number} {shares} หุ้น/shares",
                 after={"from": holder.number, "to": receiver.number, "shares": shares, "amount": t.amount,
                        "date": date})
    return t


def _locked_transfer(transfer: ShareTransfer) -> ShareTransfer:
    return ShareTransfer.objects.select_for_update().select_related("organisation").get(pk=transfer.pk)


@transaction.atomic
def share_transfer_approve(*, actor, transfer: ShareTransfer) -> ShareTransfer:
    """The second person approves: a journal entry, Dr the holder's sub-account, Cr the
    receiver's (both of 3400), for the shares at the price on the transfer's date. Both accounts
    are locked (in a fixed order) and every limit checked again on their balances now."""
    first, second = sorted([transfer.from_account_id, transfer.to_account_id])
    locked = {pk: _locked(Account(pk=pk)) for pk in (first, second)}
    holder, receiver = locked[transfer.from_account_id], locked[transfer.to_account_id]
    t = _locked_transfer(transfer)
    raise_if(problems_of(rules.SHARE_TRANSFER_APPROVE, rules.TransferAct(t, actor)))
    raise_if(problems_of(rules.SHARE_TRANSFER, _transfer_check(t.requested_by, holder, receiver, t.shares, t.date,
                                                               exclude=t)))
    amount = t.shares * selectors.version_in_force(holder.product, t.date).share_price
    memo = (f"โอนหุ้น {t.shares} หุ้น {holder.number} {holder.member.full_name} → {receiver.number} "
            f"{receiver.member.full_name}")
    entry = ledger.entry_post(
        actor=actor, organisation=holder.organisation, date=t.date, doc_type=DocumentType.JOURNAL,
        memo=memo[:255], idempotency_key=f"savings.share_transfer:{t.pk}", source=t,
        lines=[ledger.Line(account=holder.sub_account.account, debit=amount, sub_account=holder.sub_account,
                           member=holder.member, memo=f"โอนออก {t.shares} หุ้น"),
               ledger.Line(account=receiver.sub_account.account, credit=amount, sub_account=receiver.sub_account,
                           member=receiver.member, memo=f"รับโอน {t.shares} หุ้น")],
        approval=Approval(maker=t.requested_by, approver=actor, what=f"savings.share_transfer:{t.pk}"))
    t.status, t.decided_by, t.decided_at, t.entry, t.amount = (ShareTransfer.Status.DONE, actor, timezone.now(),
                                                               entry, amount)
    t.save(update_fields=["status", "decided_by", "decided_at", "entry", "amount"])
    audit.record(actor=actor, action="savings.share_transfer_approve", organisation=holder.organisation, obj=t,
                 summary=f"{holder.number} → {receiver.number} {t.shares} หุ้น/shares {entry.document_number}",
                 before={"status": "requested"}, after={"status": "done", "entry": entry.document_number})
    return t


@transaction.atomic
def share_transfer_reject(*, actor, transfer: ShareTransfer, reason: str) -> ShareTransfer:
    t = _locked_transfer(transfer)
    raise_if(problems_of(rules.SHARE_TRANSFER_REJECT, rules.TransferAct(t, actor, reason=reason)))
    t.status, t.decided_by, t.decided_at, t.reason = (ShareTransfer.Status.REJECTED, actor, timezone.now(),
                                                      reason.strip()[:255])
    t.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    audit.record(actor=actor, action="savings.share_transfer_reject", organisation=t.organisation, obj=t,
                 summary=f"{t.from_account.number} → {t.to_account.number} ไม่อนุมัติ/rejected",
                 before={"status": "requested"}, after={"status": "rejected", "reason": t.reason})
    return t
