"""Writes to the books, one transaction and one audit event each: ``entry_post`` (the first of
the ledger's three doors for money, see ``omboon.ledger``), reversals, the chart, month closes
and reopens, vouchers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Min, Sum
from django.utils import timezone

from omboon.core import audit, sequence
from omboon.core.errors import RuleViolation, problems_of, raise_if
from omboon.core.thaidate import to_be
from omboon.ledger import chart, month_end, rules, signals
from omboon.ledger.models import (
    Account,
    AccountType,
    DocumentSequence,
    DocumentType,
    Fund,
    JournalEntry,
    JournalLine,
    Period,
    PeriodBalance,
    SubAccount,
    Voucher,
    VoucherLine,
)
from omboon.orgs import selectors as org_selectors


@dataclass
class Line:
    """One line asked for: ``account`` and ``fund`` are objects or codes (fund None: default)."""

    account: Any
    debit: int = 0
    credit: int = 0
    fund: Any = None
    member: Any = None
    memo: str = ""
    sub_account: Any = None  # SubAccount: a member's account, on a chart.SUB_ACCOUNTED account


@dataclass
class _Resolved:
    account: Account | None
    fund: Fund | None
    member: Any
    debit: Any
    credit: Any
    memo: str
    account_ref: Any = None
    fund_ref: Any = None
    sub_account: Any = None


def _as_line(spec) -> Line:
    if isinstance(spec, Line):
        return spec
    if isinstance(spec, dict):
        return Line(**spec)
    raise TypeError(f"a line is a Line or a dict, not {type(spec).__name__}")


def _resolve(organisation, specs) -> list[_Resolved]:
    """Codes to objects with two queries, whatever the number of lines."""
    lines = [_as_line(s) for s in specs]
    codes = {ln.account for ln in lines if isinstance(ln.account, str)}
    by_code = {a.code: a for a in Account.objects.filter(organisation=organisation, code__in=codes)} if codes else {}
    funds = list(Fund.objects.filter(organisation=organisation))
    fund_by_code = {f.code: f for f in funds}
    default = next((f for f in funds if f.is_default), None)
    out = []
    for ln in lines:
        account = by_code.get(ln.account) if isinstance(ln.account, str) else ln.account
        if ln.fund is None:
            fund = default
        elif isinstance(ln.fund, str):
            fund = fund_by_code.get(ln.fund)
        else:
            fund = ln.fund
        sub = ln.sub_account
        member = ln.member if ln.member is not None or sub is None else sub.member
        out.append(_Resolved(account, fund, member, ln.debit, ln.credit, ln.memo or "",
                             account_ref=getattr(ln.account, "code", ln.account),
                             fund_ref=getattr(ln.fund, "code", ln.fund), sub_account=sub))
    return out


def _locked_sub_balances(organisation, resolved) -> dict[int, int] | None:
    """The balances of the members' accounts the lines name, their rows locked for the rest of
    the transaction (two postings to one account wait for each other; in id order, so never
    in a cycle). None when no line names one."""
    ids = sorted({r.sub_account.pk for r in resolved if r.sub_account is not None and r.sub_account.pk})
    if not ids:
        return None
    subs = list(SubAccount.objects.select_for_update().filter(organisation=organisation, pk__in=ids)
                .select_related("account").order_by("pk"))
    totals = dict.fromkeys((s.pk for s in subs), 0)
    for row in (JournalLine.objects.filter(sub_account_id__in=totals).values("sub_account_id")
                .annotate(d=Sum("debit"), c=Sum("credit")).order_by()):
        totals[row["sub_account_id"]] = row["d"] - row["c"]
    return {s.pk: totals[s.pk] if s.account.debit_normal else -totals[s.pk] for s in subs}


def _source(source) -> tuple[str, str]:
    if source is None:
        return "", ""
    if isinstance(source, tuple):
        return str(source[0]), str(source[1])
    return source._meta.label_lower, str(source.pk)


def _post(*, actor, organisation, date, doc_type, lines, memo, idempotency_key=None, source=None,
          reverses: JournalEntry | None = None, approval: rules.Approval | None = None,
          correction: bool = False, direct: bool = False) -> tuple[JournalEntry, bool]:
    """(entry, created). Callers hold the transaction and write the audit event. Money out needs
    ``approval`` (a second person), except a correction: a reversal, or a void of a receipt."""
    if idempotency_key:
        existing = JournalEntry.objects.filter(organisation=organisation, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    resolved = _resolve(organisation, lines)
    raise_if(problems_of(rules.ENTRY_POST, rules.Postings(
        organisation, [rules.Posting(date, doc_type, resolved)], approval=approval,
        correction=correction or reverses is not None, direct=direct,
        sub_balances=_locked_sub_balances(organisation, resolved))))
    fiscal_year = chart.fiscal_year_of(organisation.fiscal_year_start_month, date)
    source_type, source_id = _source(source)
    entry = JournalEntry(
        organisation=organisation, date=date, doc_type=doc_type,
        number=sequence.take_next(DocumentSequence, organisation=organisation, doc_type=doc_type,
                                  fiscal_year=fiscal_year), fiscal_year=fiscal_year,
        memo=(memo or "")[:255], total=sum(r.debit for r in resolved),
        source_type=source_type, source_id=source_id, idempotency_key=idempotency_key or None,
        reverses=reverses, created_by=audit.person(actor),
        posted_at=timezone.now(),
    )
    entry.save()
    written = JournalLine.objects.bulk_create([
        JournalLine(organisation=organisation, entry=entry, date=date, account=r.account, fund=r.fund,
                    member=r.member, sub_account=r.sub_account, debit=r.debit, credit=r.credit,
                    memo=r.memo[:255])
        for r in resolved
    ])
    entry.written_lines = written  # its audit event reads them from here, not back from the database
    return entry, True


def _entry_after(entry: JournalEntry) -> dict:
    lines = getattr(entry, "written_lines", None)  # an entry just posted (``_post``)
    if lines is None:
        lines = entry.lines.select_related("account", "fund", "sub_account")
    return {
        "document": entry.document_number, "date": entry.date, "doc_type": entry.doc_type,
        "memo": entry.memo, "total": entry.total,
        "lines": [[ln.account.code, ln.fund.code, ln.member_id, ln.debit, ln.credit,
                   *([ln.sub_account.number] if ln.sub_account_id else [])]
                  for ln in lines],
    }


@transaction.atomic
def entry_post(*, actor, organisation, date: dt.date, doc_type: str, lines, memo: str = "",
               idempotency_key: str | None = None, source=None, approval: rules.Approval | None = None,
               correction: bool = False, direct: bool = False) -> JournalEntry:
    """Post a balanced entry. The same ``idempotency_key`` twice returns the first entry.

    Money leaving the group (``rules.cash_out``) is posted only with ``approval``: the maker and
    a second person who may approve (an approved voucher, claim or payout import); ``correction``
    (a receipt's void) is exempt like a reversal, and audited as one by its caller. ``direct``: a
    person's entry straight to the books, not from a voucher (the API), which
    ``rules.check_direct_post`` limits to money in and, where the bylaws allow, no-cash journals."""
    entry, created = _post(actor=actor, organisation=organisation, date=date, doc_type=doc_type, lines=lines,
                           memo=memo, idempotency_key=idempotency_key, source=source, approval=approval,
                           correction=correction, direct=direct)
    if created:
        after = _entry_after(entry)
        if approval is not None:
            after["approval"] = {"maker": getattr(approval.maker, "username", None),
                                 "approver": approval.approver.username, "of": approval.what}
        audit.record(actor=actor, action="ledger.entry_post", organisation=organisation, obj=entry,
                     summary=f"{entry.document_number} {entry.memo}", after=after)
    return entry


def reversal_of(entry: JournalEntry, *, date, reason: str = "") -> rules.Reversal:
    """What ``rules.ENTRY_REVERSE`` reads (a page asks it too, before offering the reversal)."""
    return rules.Reversal(entry, date, reason, JournalEntry.objects.filter(reverses=entry).exists())


@transaction.atomic
def entry_reverse(*, actor, entry: JournalEntry, date: dt.date, reason: str) -> JournalEntry:
    """Post the mirror image of ``entry``; the two are linked both ways
    (``reversal.reverses`` and ``entry.reversed_by``)."""
    original = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    raise_if(problems_of(rules.ENTRY_REVERSE, reversal_of(original, date=date, reason=reason)))
    lines = [Line(account=ln.account, fund=ln.fund, member=ln.member, debit=ln.credit, credit=ln.debit,
                  memo=ln.memo, sub_account=ln.sub_account)
             for ln in original.lines.select_related("account", "fund", "sub_account")]
    reversal, _ = _post(
        actor=actor, organisation=original.organisation, date=date, doc_type=DocumentType.JOURNAL,
        lines=lines, memo=f"กลับรายการ {original.document_number}: {reason.strip()}",
        source=original, reverses=original,
    )
    audit.record(actor=actor, action="ledger.entry_reverse", organisation=original.organisation, obj=reversal,
                 summary=f"{reversal.document_number} กลับรายการ {original.document_number}",
                 after={**_entry_after(reversal), "reverses": original.document_number, "reason": reason})
    return reversal


# --- chart of accounts --------------------------------------------------------------------

@transaction.atomic
def chart_create(*, actor, organisation) -> list[Account]:
    """The standard chart and funds for a new group (idempotent)."""
    if Account.objects.filter(organisation=organisation).exists():
        return list(Account.objects.filter(organisation=organisation))
    by_code: dict[str, Account] = {}
    for code, th, en, type_, parent in chart.STANDARD_CHART:
        by_code[code] = Account.objects.create(
            organisation=organisation, code=code, name_th=th, name_en=en, type=type_, standard_code=code,
            parent=by_code.get(parent) if parent else None,
        )
    Fund.objects.bulk_create([
        Fund(organisation=organisation, code=code, name_th=th, name_en=en, is_default=default)
        for code, th, en, default in chart.STANDARD_FUNDS
    ])
    audit.record(actor=actor, action="ledger.chart_create", organisation=organisation,
                 summary=f"ผังบัญชีมาตรฐาน {len(by_code)} บัญชี / standard chart, {len(by_code)} accounts",
                 after={"accounts": sorted(by_code), "funds": [f[0] for f in chart.STANDARD_FUNDS]})
    return list(by_code.values())


@transaction.atomic
def account_create(*, actor, organisation, code: str, name_th: str, standard_code: str, name_en: str = "",
                   parent: Account | None = None) -> Account:
    """A group's own account, mapped to a standard code (its type follows the standard)."""
    code = (code or "").strip()
    raise_if(problems_of(rules.ACCOUNT_CREATE, rules.NewAccount(
        organisation, code, name_th, standard_code, parent,
        code_taken=bool(code) and Account.objects.filter(organisation=organisation, code=code).exists())))
    account = Account.objects.create(
        organisation=organisation, code=code, name_th=name_th.strip(), name_en=(name_en or "").strip(),
        type=chart.STANDARD_TYPES[standard_code], standard_code=standard_code, parent=parent,
    )
    audit.record(actor=actor, action="ledger.account_create", organisation=organisation, obj=account,
                 summary=str(account), after=audit.snapshot(account))
    return account


# --- members' sub-accounts ----------------------------------------------------------------

@transaction.atomic
def sub_account_open(*, actor, organisation, account, member, number: str, opened_on: dt.date, kind: str = "",
                     name: str = "") -> SubAccount:
    """A member's account under a per-member account of the chart (``chart.SUB_ACCOUNTED``):
    what lines on 2100/2110/2120/3400 name. ``account`` is an Account or a code. The domain
    that keeps the member's account (savings) calls this in its own transaction."""
    if isinstance(account, str):
        account = Account.objects.filter(organisation=organisation, code=account).first()
    number = (number or "").strip()
    raise_if(problems_of(rules.SUB_ACCOUNT_OPEN, rules.NewSubAccount(
        organisation, account, member, number,
        number_taken=bool(number) and SubAccount.objects.filter(organisation=organisation, number=number).exists())))
    sub = SubAccount.objects.create(organisation=organisation, account=account, member=member, number=number,
                                    kind=kind[:32], name=(name or "")[:200], opened_on=opened_on)
    audit.record(actor=actor, action="ledger.sub_account_open", organisation=organisation, obj=sub,
                 summary=f"{account.code} {number}", after=audit.snapshot(sub))
    return sub


@transaction.atomic
def sub_accounts_open_bulk(*, actor, organisation, account, rows: list[tuple], kind: str = "") -> list[SubAccount]:
    """Many members' accounts under one per-member account at once (an import, the demo): each
    ``(member, number, opened_on, name)`` checked as ``sub_account_open`` checks one, then one
    insert and one audit event. Nothing is written if any row is refused."""
    if isinstance(account, str):
        account = Account.objects.filter(organisation=organisation, code=account).first()
    taken = set(SubAccount.objects.filter(organisation=organisation, number__in=[r[1] for r in rows])
                .values_list("number", flat=True))
    problems = []
    for member, number, _opened_on, _name in rows:
        problems += problems_of(rules.SUB_ACCOUNT_OPEN, rules.NewSubAccount(
            organisation, account, member, number, number_taken=number in taken))
        taken.add(number)
    raise_if(problems)
    subs = SubAccount.objects.bulk_create([
        SubAccount(organisation=organisation, account=account, member=member, number=number.strip(), kind=kind[:32],
                   name=(name or "")[:200], opened_on=opened_on) for member, number, opened_on, name in rows],
        batch_size=1000)
    if subs:
        audit.record(actor=actor, action="ledger.sub_accounts_open_bulk", organisation=organisation,
                     summary=f"{account.code} {len(subs)} บัญชี/accounts {subs[0].number}–{subs[-1].number}",
                     after={"account": account.code, "count": len(subs), "first": subs[0].number,
                            "last": subs[-1].number})
    return subs


# --- month-end close ------------------------------------------------------------------------

def next_period(organisation) -> tuple[int, int] | None:
    """The month to close next: after the last closed one; else the month of the first entry,
    or of the founding when nothing is posted yet."""
    last = rules.last_closed_period(organisation)
    if last is not None:
        return chart.next_month(last.year, last.month)
    first = JournalLine.objects.filter(organisation=organisation).aggregate(d=Min("date"))["d"]
    start = first or organisation.founded_on
    return (start.year, start.month) if start else None


def _closing_entry(*, actor, organisation, year: int, month: int) -> JournalEntry | None:
    """At the fiscal year's last month: move every income and expense balance, per fund, to
    accumulated surplus (3300). Balances are cumulative and every earlier year was closed the
    same way, so they hold exactly this fiscal year's figures."""
    end = chart.month_end(year, month)
    prev = rules.last_closed_period(organisation)
    totals: dict[tuple[int, int], int] = {}
    if prev is not None:
        for row in PeriodBalance.objects.filter(period=prev, account__type__in=[AccountType.INCOME,
                                                                               AccountType.EXPENSE]):
            totals[(row.account_id, row.fund_id)] = row.balance
    start = dt.date(year, month, 1) if prev is not None else dt.date(1900, 1, 1)
    for row in (JournalLine.objects.filter(organisation=organisation, date__gte=start, date__lte=end,
                                           account__type__in=[AccountType.INCOME, AccountType.EXPENSE])
                .values("account_id", "fund_id").annotate(d=Sum("debit"), c=Sum("credit"))):
        key = (row["account_id"], row["fund_id"])
        totals[key] = totals.get(key, 0) + row["d"] - row["c"]
    totals = {key: balance for key, balance in totals.items() if balance}
    if not totals:
        return None
    accounts = Account.objects.in_bulk({a for a, _ in totals})
    funds = Fund.objects.in_bulk({f for _, f in totals})
    lines: list[Line] = []
    net_by_fund: dict[int, int] = {}
    for (account_id, fund_id), balance in sorted(totals.items(), key=lambda kv: (accounts[kv[0][0]].code, kv[0][1])):
        lines.append(Line(account=accounts[account_id], fund=funds[fund_id],
                          debit=max(-balance, 0), credit=max(balance, 0)))
        net_by_fund[fund_id] = net_by_fund.get(fund_id, 0) + balance
    surplus = Account.objects.get(organisation=organisation, code=chart.ACCUMULATED_SURPLUS)
    for fund_id, net in sorted(net_by_fund.items()):
        if net:
            lines.append(Line(account=surplus, fund=funds[fund_id], debit=max(net, 0), credit=max(-net, 0)))
    fy = chart.fiscal_year_of(organisation.fiscal_year_start_month, end)
    entry, _ = _post(actor=actor, organisation=organisation, date=end, doc_type=DocumentType.CLOSING,
                     lines=lines, memo=f"ปิดบัญชีสิ้นปีงบประมาณ {to_be(fy)}")
    return entry


@transaction.atomic
def period_close(*, actor, organisation, year: int, month: int, today: dt.date | None = None) -> Period:
    """Close one month, in order: lock it, post the adjusting entries other domains registered
    (``month_end``), at the fiscal year's end the closing entry, and store every account × fund
    closing balance."""
    raise_if(problems_of(rules.PERIOD_CLOSE, rules.Closing(
        organisation, year, month, next_period(organisation), today or timezone.localdate())))
    period, _ = Period.objects.get_or_create(organisation=organisation, year=year, month=month)
    period = Period.objects.select_for_update().get(pk=period.pk)
    for adjust in month_end.adjustments():  # other domains' adjusting entries (the loans' allowance)
        adjust(actor=actor, organisation=organisation, year=year, month=month)
    closing = None
    if chart.is_fiscal_year_end(organisation.fiscal_year_start_month, month):
        closing = _closing_entry(actor=actor, organisation=organisation, year=year, month=month)
    prev = rules.last_closed_period(organisation)
    rows: dict[tuple[int, int], list[int]] = {}
    if prev is not None:
        for account_id, fund_id, balance in PeriodBalance.objects.filter(period=prev).values_list(
                "account_id", "fund_id", "balance"):
            rows[(account_id, fund_id)] = [0, 0, balance]
    start = dt.date(year, month, 1) if prev is not None else dt.date(1900, 1, 1)
    movements = (JournalLine.objects.filter(organisation=organisation, date__gte=start,
                                            date__lte=chart.month_end(year, month))
                 .values_list("account_id", "fund_id").annotate(Sum("debit"), Sum("credit")).order_by())
    for account_id, fund_id, debit, credit in movements:
        row = rows.setdefault((account_id, fund_id), [0, 0, 0])
        row[0] += debit
        row[1] += credit
        row[2] += debit - credit
    PeriodBalance.objects.bulk_create([
        PeriodBalance(organisation=organisation, period=period, account_id=a, fund_id=f,
                      debit_total=d, credit_total=c, balance=b)
        for (a, f), (d, c, b) in rows.items() if d or c or b
    ])
    period.status = Period.Status.CLOSED
    period.closed_at = timezone.now()
    period.closed_by = audit.person(actor)
    period.save()
    audit.record(actor=actor, action="ledger.period_close", organisation=organisation, obj=period,
                 summary=f"ปิดบัญชีเดือน {month:02d}/{to_be(year)}",
                 after={"year": year, "month": month, "balances": len(rows),
                        "closing_entry": closing.document_number if closing else None})
    signals.period_closed.send(sender=Period, organisation=organisation, year=year, month=month,
                               actor=actor)
    return period


@transaction.atomic
def period_reopen(*, actor, organisation, year: int, month: int, reason: str) -> list[Period]:
    """Reopen a closed month and every later one, deleting their stored balances.
    Privileged: the actor needs ``manage`` on the group."""
    period = Period.objects.filter(organisation=organisation, year=year, month=month,
                                   status=Period.Status.CLOSED).first()
    raise_if(problems_of(rules.PERIOD_REOPEN, rules.Reopening(organisation, actor, year, month, reason,
                                                               closed=period is not None)))
    return _reopen(actor=actor, organisation=organisation, year=year, month=month, reason=reason, obj=period)


@transaction.atomic
def periods_reopen_from(*, actor, organisation, year: int, month: int, reason: str) -> list[Period]:
    """Reopen every closed month from ``year``-``month`` on (none closed: nothing happens), with
    the reopen's audit event and signal. For the network's server when a group's laptop sends
    entries for months the server holds as closed: the laptop's chair reopened them there (the
    periods that follow in its outbox close them again), so no person's rights are checked here."""
    return _reopen(actor=actor, organisation=organisation, year=year, month=month, reason=reason)


def _reopen(*, actor, organisation, year: int, month: int, reason: str, obj=None) -> list[Period]:
    later = sorted(
        (p for p in Period.objects.select_for_update().filter(organisation=organisation,
                                                               status=Period.Status.CLOSED, year__gte=year)
         if (p.year, p.month) >= (year, month)),
        key=lambda p: (p.year, p.month))
    if not later:
        return []
    ids = [p.pk for p in later]
    PeriodBalance.objects.filter(period_id__in=ids).delete()
    Period.objects.filter(pk__in=ids).update(status=Period.Status.OPEN, closed_at=None, closed_by=None)
    months = [f"{p.year}-{p.month:02d}" for p in later]
    shown = ", ".join(f"{p.month:02d}/{to_be(p.year)}" for p in later)
    audit.record(actor=actor, action="ledger.period_reopen", organisation=organisation, obj=obj or later[0],
                 summary=f"เปิดงวด {shown}"[:255],
                 before={"closed": months}, after={"reopened": months, "reason": reason})
    for p in later:
        p.status = Period.Status.OPEN
    signals.period_reopened.send(sender=Period, organisation=organisation,
                                 periods=[(p.year, p.month) for p in later], actor=actor)
    return later


# --- vouchers -------------------------------------------------------------------------------

VOUCHER_DOC_TYPE = {
    Voucher.Kind.RECEIPT: DocumentType.RECEIPT,
    Voucher.Kind.PAYMENT: DocumentType.PAYMENT,
    Voucher.Kind.JOURNAL: DocumentType.JOURNAL,
}


@transaction.atomic
def voucher_create(*, actor, organisation, kind: str, date: dt.date, memo: str, lines,
                   counterparty: str = "") -> Voucher:
    """A draft voucher; checked as an entry would be, so approval cannot fail on its lines."""
    resolved = _resolve(organisation, lines)
    raise_if(problems_of(rules.VOUCHER_CREATE, rules.NewVoucher(organisation, actor, kind, date, memo, resolved)))
    voucher = Voucher.objects.create(organisation=organisation, kind=kind, date=date, memo=memo.strip()[:255],
                                     counterparty=(counterparty or "").strip()[:200], created_by=actor)
    VoucherLine.objects.bulk_create([
        VoucherLine(organisation=organisation, voucher=voucher, account=r.account, fund=r.fund, member=r.member,
                    sub_account=r.sub_account, description=r.memo[:255], debit=r.debit, credit=r.credit)
        for r in resolved
    ])
    audit.record(actor=actor, action="ledger.voucher_create", organisation=organisation, obj=voucher,
                 summary=f"{voucher.get_kind_display()} {memo}"[:255],
                 after={"kind": kind, "date": date, "memo": memo,
                        "lines": [[r.account.code, r.fund.code, r.debit, r.credit] for r in resolved]})
    return voucher


def _locked_voucher(voucher: Voucher) -> Voucher:
    return Voucher.objects.select_for_update().select_related("organisation").get(pk=voucher.pk)


def _admin_spend(v: Voucher) -> rules.AdminSpend | None:
    """What ``rules.within_admin_cap`` weighs, where the bylaws in force on the voucher's date
    set a cap (else None): the fiscal year's administration and contributions so far."""
    cap = org_selectors.bylaws_on(v.organisation, v.date).get("admin_cap_percent")
    if cap is None:
        return None
    this = sum(ln.debit - ln.credit for ln in v.lines.filter(account__code__in=rules.ADMIN_ACCOUNTS))
    start, end = chart.fiscal_year_bounds(v.organisation.fiscal_year_start_month,
                                          chart.fiscal_year_of(v.organisation.fiscal_year_start_month, v.date))
    year = JournalLine.objects.filter(organisation=v.organisation, date__gte=start, date__lte=end)

    def net(codes, sign):
        t = year.filter(account__code__in=codes).aggregate(d=Sum("debit"), c=Sum("credit"))
        return sign * ((t["d"] or 0) - (t["c"] or 0))

    return rules.AdminSpend(cap_percent=cap, spent=net(rules.ADMIN_ACCOUNTS, 1), this=this,
                            contributions=net(rules.CONTRIBUTION_ACCOUNTS, -1))


@transaction.atomic
def voucher_approve(*, actor, voucher: Voucher) -> Voucher:
    """Maker-checker: a second person, who holds ``approve`` in the group, approves."""
    v = _locked_voucher(voucher)
    raise_if(problems_of(rules.VOUCHER_APPROVE, rules.VoucherAct(v, actor, admin=_admin_spend(v))))
    v.status = Voucher.Status.APPROVED
    v.approved_by = actor
    v.approved_at = timezone.now()
    v.save(update_fields=["status", "approved_by", "approved_at"])
    audit.record(actor=actor, action="ledger.voucher_approve", organisation=v.organisation, obj=v,
                 summary=str(v), before={"status": "draft"}, after={"status": "approved"})
    return v


@transaction.atomic
def voucher_post(*, actor, voucher: Voucher) -> Voucher:
    """Post an approved voucher as a journal entry (its document number comes from here). A
    journal voucher that moves no cash may be posted from its draft by one person where the
    bylaws say so (``rules.journal_single_person``)."""
    v = _locked_voucher(voucher)
    lines = [Line(account=ln.account, fund=ln.fund, member=ln.member, debit=ln.debit, credit=ln.credit,
                  memo=ln.description, sub_account=ln.sub_account)
             for ln in v.lines.select_related("account", "fund", "sub_account")]
    single = v.status == Voucher.Status.DRAFT and rules.one_person_journal(v.organisation, v.kind, lines)
    raise_if(problems_of(rules.VOUCHER_POST, rules.VoucherAct(v, actor, one_person=single)))
    memo = f"{v.memo} ({v.counterparty})" if v.counterparty else v.memo
    approval = rules.Approval(maker=v.created_by, approver=v.approved_by, what=f"ledger.voucher:{v.pk}")
    entry, _ = _post(actor=actor, organisation=v.organisation, date=v.date, doc_type=VOUCHER_DOC_TYPE[v.kind],
                     lines=lines, memo=memo, idempotency_key=f"voucher:{v.pk}", source=v, approval=approval)
    v.entry = entry
    v.status = Voucher.Status.POSTED
    v.save(update_fields=["entry", "status"])
    audit.record(actor=actor, action="ledger.voucher_post", organisation=v.organisation, obj=v,
                 summary=f"{entry.document_number} {v.memo}"[:255],
                 before={"status": "draft" if single else "approved"},
                 after={"status": "posted", "entry": entry.document_number})
    return v


@transaction.atomic
def voucher_cancel(*, actor, voucher: Voucher, reason: str) -> Voucher:
    v = _locked_voucher(voucher)
    raise_if(problems_of(rules.VOUCHER_CANCEL, rules.VoucherAct(v, actor, reason=reason)))
    before = v.status
    v.status = Voucher.Status.CANCELLED
    v.save(update_fields=["status"])
    audit.record(actor=actor, action="ledger.voucher_cancel", organisation=v.organisation, obj=v,
                 summary=str(v), before={"status": before}, after={"status": "cancelled", "reason": reason})
    return v


Approval = rules.Approval

__all__ = [
    "Approval",
    "Line",
    "RuleViolation",
    "account_create",
    "chart_create",
    "entry_post",
    "entry_reverse",
    "next_period",
    "period_close",
    "period_reopen",
    "sub_account_open",
    "voucher_approve",
    "voucher_cancel",
    "voucher_create",
    "voucher_post",
]
