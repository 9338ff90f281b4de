"""Writes of contributions: plans, receipts (one balanced ledger entry each), voids,
matching grants and whole collection days. Each service is one transaction with one audit
event; money moves only through ``omboon.ledger.services.entry_post`` / ``entry_reverse``.

Receipt numbers run per group per fiscal year (``ReceiptSequence``). A service first locks
that sequence row (``select_for_update``; on SQLite the IMMEDIATE transaction already holds
the write lock), then checks its idempotency key, then takes its numbers, all in one
transaction: a double submit — even from two treasurers at once — makes one receipt, and a
refused or failed submission leaves no gap. A receipt issued alone posts its own entry; a
collection day posts one entry for all its receipts (one cash and one income line per
receipt and kind, the member on each), so 500 receipts cost a handful of queries.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from omboon.contributions import coverage, rules, selectors
from omboon.contributions.models import (
    KIND_ACCOUNT,
    MEMBER_KINDS,
    CollectionDay,
    ContributionPlan,
    Frequency,
    Kind,
    Receipt,
    ReceiptItem,
    ReceiptPart,
    ReceiptSequence,
    kind_label,
    receipt_document_number,
)
from omboon.core import audit, sequence
from omboon.core.bulk import insert_rows
from omboon.core.errors import Problem, problems_of, raise_if
from omboon.core.money import format_baht, parse_baht
from omboon.ledger import bulk as ledger_bulk
from omboon.ledger import chart, collection
from omboon.ledger import services as ledger
from omboon.ledger.models import Account, DocumentType, Fund, JournalEntry
from omboon.members.models import Member

CASH_ACCOUNT = {"cash": chart.CASH, "bank": chart.BANK}


@dataclass
class Item:
    kind: str
    amount: Any
    period_from: dt.date | None = None
    period_to: dt.date | None = None


def as_item(spec) -> Item:
    if isinstance(spec, Item):
        return spec
    if isinstance(spec, dict):
        return Item(**spec)
    spec = tuple(spec)
    return Item(*spec)


# --- plans ----------------------------------------------------------------------------------

@transaction.atomic
def plan_set(*, actor, organisation, kind: str, amount: int, effective_from: dt.date,
             frequency: str | None = None, fund_code: str = "", note: str = "") -> ContributionPlan:
    """A plan for one kind from ``effective_from`` (until a later plan of the kind). The entry
    fee is paid once; the others monthly (default), quarterly or yearly."""
    if frequency is None:
        frequency = Frequency.ONCE if kind == Kind.ENTRY_FEE else Frequency.MONTHLY
    raise_if(problems_of(rules.PLAN_SET, rules.NewPlan(
        organisation, kind, amount, frequency, effective_from, fund_code,
        fund_known=not fund_code or Fund.objects.filter(organisation=organisation, code=fund_code).exists(),
        date_taken=isinstance(effective_from, dt.date) and ContributionPlan.objects.filter(
            organisation=organisation, kind=kind, effective_from=effective_from).exists())))
    plan = ContributionPlan.objects.create(
        organisation=organisation, kind=kind, amount=amount, frequency=frequency,
        effective_from=effective_from, fund_code=fund_code, note=(note or "")[:255],
        created_by=audit.person(actor))
    audit.record(actor=actor, action="contributions.plan_set", organisation=organisation, obj=plan,
                 summary=f"{kind_label(kind)} {format_baht(amount)} {frequency} ตั้งแต่/from {effective_from}",
                 after=audit.snapshot(plan, ["kind", "amount", "frequency", "effective_from", "fund_code", "note"]))
    return plan


# --- the posting core -----------------------------------------------------------------------

def receipts_locked(organisation, date: dt.date) -> ReceiptSequence:
    """This fiscal year's receipt sequence (``core.sequence``), locked for the rest of the
    transaction; numbers are taken with ``sequence.take``."""
    fy = chart.fiscal_year_of(organisation.fiscal_year_start_month, date)
    return sequence.locked(ReceiptSequence, organisation=organisation, fiscal_year=fy)


class _Books:
    """Accounts and funds of a group, read once per transaction."""

    def __init__(self, organisation):
        self.accounts = {a.code: a for a in Account.objects.filter(
            organisation=organisation, code__in=[*KIND_ACCOUNT.values(), *CASH_ACCOUNT.values()])}
        self.funds = {f.code: f for f in Fund.objects.filter(organisation=organisation)}
        self.default_fund = next((f for f in self.funds.values() if f.is_default), None)
        self.fund_of_kind: dict[str, Fund | None] = {}

    def fund(self, code: str):
        return self.funds.get(code) if code else self.default_fund


def _fund_codes(kind_rates, date) -> dict[str, str]:
    out = {}
    for kind, rs in kind_rates.items():
        r = coverage.rate_on(rs, date)
        out[kind] = r.fund_code if r else ""
    return out


def _periods(member, items: list[Item], *, kind_rates, paid: dict, fy_start: int, date: dt.date) -> None:
    """Fill in the period each item covers, from what the member had paid before."""
    for item in items:
        if item.kind not in MEMBER_KINDS or item.kind == Kind.ENTRY_FEE:
            continue
        if item.period_from or item.period_to:
            continue
        sched = selectors.schedule(member, item.kind, kind_rates.get(item.kind, []), fy_start)
        before = paid.get((member.pk, item.kind), 0)
        prev = sched.paid_through(before, date)
        after = sched.paid_through(before + item.amount, date)
        item.period_from = prev + coverage.ONE_DAY if prev else sched.first
        item.period_to = after
        if item.period_to is None or item.period_to < item.period_from:
            item.period_from = item.period_to = None


def _cash_lines(cash, credits: list, *, member=None, memo: str = "") -> list:
    """Dr cash, one line per fund credited (so every fund balances on its own)."""
    by_fund: dict[Any, int] = {}
    for ln in credits:
        by_fund[ln.fund] = by_fund.get(ln.fund, 0) + ln.credit
    return [ledger.Line(account=cash, debit=amount, fund=fund, member=member, memo=memo[:255])
            for fund, amount in by_fund.items()]


def _lines_for(books: _Books, fund_codes: dict, *, member, payer_name: str, items: list[Item], paid_into: str,
               memo: str = "", with_cash: bool = True) -> list:
    """Dr cash (one line per fund credited) / Cr the income account of each item."""
    needed = [CASH_ACCOUNT[paid_into], *(KIND_ACCOUNT[i.kind] for i in items)]
    raise_if(rules.check_chart([code for code in needed if code not in books.accounts]))
    cash = books.accounts[CASH_ACCOUNT[paid_into]]
    credits = [ledger.Line(account=books.accounts[KIND_ACCOUNT[item.kind]], credit=item.amount,
                           fund=books.fund(fund_codes.get(item.kind, "")), member=member,
                           memo=(memo or kind_label(item.kind))[:255]) for item in items]
    if not with_cash:
        return credits
    return _cash_lines(cash, credits, member=member, memo=memo or payer_name) + credits


def _issue(*, actor, organisation, seq: ReceiptSequence, books: _Books, fund_codes: dict, date, member,
           payer_name: str, items: list[Item], memo: str, paid_into: str, idempotency_key: str | None) -> Receipt:
    """One receipt with its own entry in the books."""
    number = sequence.take(seq, 1)
    document = receipt_document_number(seq.fiscal_year, number)
    lines = _lines_for(books, fund_codes, member=member, payer_name=payer_name, items=items, paid_into=paid_into)
    entry = ledger.entry_post(
        actor=actor, organisation=organisation, date=date, doc_type=DocumentType.RECEIPT, lines=lines,
        memo=f"ใบเสร็จ {document} {memo or payer_name}"[:255],
        idempotency_key=f"receipt:{idempotency_key}" if idempotency_key else None,
        source=("contributions.receipt", document),
    )
    receipt = Receipt.objects.create(
        organisation=organisation, fiscal_year=seq.fiscal_year, number=number, document_number=document,
        date=date, member=member, payer_name=payer_name[:200], total=sum(i.amount for i in items),
        paid_into=paid_into, memo=(memo or "")[:255], entry=entry,
        idempotency_key=idempotency_key or None, created_by=audit.person(actor))
    ReceiptItem.objects.bulk_create([
        ReceiptItem(organisation=organisation, receipt=receipt, member=member, kind=i.kind, amount=i.amount,
                    period_from=i.period_from, period_to=i.period_to) for i in items])
    return receipt


def _receipt_after(receipt: Receipt, items: list[Item]) -> dict:
    return {"document": receipt.document_number, "date": receipt.date, "member": receipt.member_id,
            "payer": receipt.payer_name, "total": receipt.total,
            "items": [[i.kind, i.amount, i.period_from, i.period_to] for i in items]}


def _existing(organisation, idempotency_key) -> Receipt | None:
    if not idempotency_key:
        return None
    return Receipt.objects.filter(organisation=organisation, idempotency_key=idempotency_key).first()


# --- one receipt ----------------------------------------------------------------------------

@transaction.atomic
def receipt_issue(*, actor, organisation, member: Member, date: dt.date, items: Iterable,
                  idempotency_key: str | None = None, memo: str = "", paid_into: str = "cash",
                  today: dt.date | None = None) -> Receipt:
    """A receipt for a member's payment: ``items`` are (kind, amount[, period_from, period_to])
    with amounts in satang. Posts Dr cash / Cr 4100, 4200, 4300 with the member on every line.
    The same ``idempotency_key`` twice returns the first receipt."""
    raise_if(rules.check_group(organisation))
    items = [as_item(i) for i in items]
    problems = [*rules.check_date(date, today=today or timezone.localdate()),
                *rules.check_paid_into(paid_into)]
    if problems:
        raise_if(problems)
    seq = receipts_locked(organisation, date)
    found = _existing(organisation, idempotency_key)
    if found is not None:
        return found
    if member is not None:
        member = Member.objects.filter(pk=member.pk).first()
    problems = [*rules.check_member_may_pay(organisation, member, date), *rules.check_items(items, for_member=True)]
    raise_if(problems)
    kind_rates = selectors.rates(organisation)
    paid = selectors.paid_totals(organisation, [member.pk])
    _periods(member, items, kind_rates=kind_rates, paid=paid, fy_start=organisation.fiscal_year_start_month,
             date=date)
    receipt = _issue(actor=actor, organisation=organisation, seq=seq, books=_Books(organisation),
                     fund_codes=_fund_codes(kind_rates, date), date=date, member=member,
                     payer_name=f"{member.number} {member.full_name}", items=items, memo=memo,
                     paid_into=paid_into, idempotency_key=idempotency_key)
    audit.record(actor=actor, action="contributions.receipt_issue", organisation=organisation, obj=receipt,
                 summary=f"{receipt.document_number} {receipt.payer_name} {format_baht(receipt.total)}",
                 after=_receipt_after(receipt, items))
    return receipt


@transaction.atomic
def grant_record(*, actor, organisation, date: dt.date, kind: str, amount: int, payer_name: str,
                 memo: str = "", paid_into: str = "bank", idempotency_key: str | None = None,
                 today: dt.date | None = None) -> Receipt:
    """Matching money by source: state/CODI (4400), local government (4500), donations (4600)."""
    items = [Item(kind, amount)]
    raise_if(problems_of(rules.GRANT_RECORD, rules.Grant(organisation, date, items, payer_name, paid_into,
                                                          today or timezone.localdate())))
    seq = receipts_locked(organisation, date)
    found = _existing(organisation, idempotency_key)
    if found is not None:
        return found
    receipt = _issue(actor=actor, organisation=organisation, seq=seq, books=_Books(organisation),
                     fund_codes={}, date=date, member=None, payer_name=payer_name.strip(), items=items,
                     memo=memo or f"{kind_label(kind)} {payer_name.strip()}", paid_into=paid_into,
                     idempotency_key=idempotency_key)
    audit.record(actor=actor, action="contributions.grant_record", organisation=organisation, obj=receipt,
                 summary=f"{receipt.document_number} {kind_label(kind)} {format_baht(amount)}",
                 after=_receipt_after(receipt, items))
    return receipt


@transaction.atomic
def receipt_void(*, actor, receipt: Receipt, reason: str, date: dt.date | None = None) -> Receipt:
    """Void a receipt: a reversing entry in the books; the number stays, marked void."""
    current = Receipt.objects.select_for_update().select_related("organisation", "entry").get(pk=receipt.pk)
    raise_if(rules.check_void(current, reason))
    day = date or max(timezone.localdate(), current.date)
    reason_text = f"ยกเลิกใบเสร็จ {current.document_number}: {reason.strip()}"
    shares_entry = Receipt.objects.filter(entry_id=current.entry_id).exclude(pk=current.pk).exists()
    if not shares_entry:
        reversal = ledger.entry_reverse(actor=actor, entry=current.entry, date=day, reason=reason_text)
    else:
        # A collection day's entry holds other receipts too: reverse this receipt's lines only.
        mine = [ln for ln in current.entry.lines.select_related("account", "fund", "sub_account")
                if ln.credit and ln.member_id == current.member_id and _is_receipt_line(ln, current)]
        raise_if(rules.check_void_date(current, day))
        cash = Account.objects.get(organisation=current.organisation, code=CASH_ACCOUNT[current.paid_into])
        back = [ledger.Line(account=ln.account, fund=ln.fund, member=ln.member, debit=ln.credit, memo=ln.memo,
                            sub_account=ln.sub_account) for ln in mine]
        by_fund: dict[Any, int] = {}
        for ln in back:
            by_fund[ln.fund] = by_fund.get(ln.fund, 0) + ln.debit
        back += [ledger.Line(account=cash, fund=fund, member=current.member, credit=amount,
                             memo=f"{current.document_number} {current.payer_name}"[:255])
                 for fund, amount in by_fund.items()]
        reversal = ledger.entry_post(
            actor=actor, organisation=current.organisation, date=day, doc_type=DocumentType.JOURNAL,
            lines=back,
            memo=f"กลับรายการ {current.entry.document_number} {reason_text}"[:255],
            source=("contributions.receipt", current.document_number),
            idempotency_key=f"void:{current.document_number}", correction=True)
    by_part: dict[str, list[str]] = {}
    for code, ref in current.parts.values_list("part", "ref"):
        by_part.setdefault(code, []).append(ref)
    for code, refs in by_part.items():
        part = collection.part(code)
        if part is not None:
            part.void(actor=actor, organisation=current.organisation, entry=current.entry, reversal=reversal,
                      refs=refs)
    current.status = Receipt.Status.VOID
    current.void_reason = reason.strip()[:255]
    current.void_entry = reversal
    current.voided_by = audit.person(actor)
    current.voided_at = timezone.now()
    current.save(update_fields=["status", "void_reason", "void_entry", "voided_by", "voided_at"])
    audit.record(actor=actor, action="contributions.receipt_void", organisation=current.organisation, obj=current,
                 summary=f"ยกเลิก/void {current.document_number}: {reason.strip()}",
                 before={"status": "issued"},
                 after={"status": "void", "reason": reason.strip(), "reversal": reversal.document_number})
    return current


def _is_receipt_line(line, receipt: Receipt) -> bool:
    """The lines of a shared entry that belong to ``receipt``: tagged with its number."""
    return line.memo.startswith(receipt.document_number)


# --- collection day -------------------------------------------------------------------------

def split_amount(mc: selectors.MemberCoverage, amount: int) -> list[Item]:
    """One amount handed over by a member, to the oldest dues first: the entry fee, the
    yearly contribution due, then the daily saving (the rest, paid ahead if more)."""
    items: list[Item] = []
    left = amount
    for kind in (Kind.ENTRY_FEE, Kind.ANNUAL_FEE):
        cov = mc.get(kind)
        if cov is None or left <= 0:
            continue
        take = min(cov.due_now, left)
        if take > 0:
            items.append(Item(kind, take))
            left -= take
    if left > 0:
        rest_kind = next((k for k in (Kind.DAILY_SAVING, Kind.ANNUAL_FEE)
                          if mc.get(k) is not None and mc.get(k).owed), Kind.DAILY_SAVING)
        same = next((i for i in items if i.kind == rest_kind), None)
        if same is not None:
            same.amount += left
        else:
            items.append(Item(rest_kind, left))
    return items


def row_amount(value, row: int) -> tuple[int | None, list[Problem]]:
    if isinstance(value, str):
        try:
            value = parse_baht(value)
        except ValueError as exc:
            return None, [Problem.from_error("amount", exc, row=row, value=value)]
    problems = rules.check_amount(value)
    return (value if not problems else None), rules._at(problems, row)


def _post_day(*, actor, organisation, date: dt.date, lines: list, memo: str, key: str, source) -> JournalEntry:
    """The day's one entry through the ledger's door for many lines (``ledger.bulk.entries_post_bulk``:
    the same rules as ``entry_post``, the lines inserted at once and checked set-based): a day of
    3,000 members with their deposits and repayments is some 12,000 lines, which row by row the
    books' SQLite guards would re-sum for every line."""
    codes = {ln.account for ln in lines if isinstance(ln.account, str)}
    accounts = {a.code: a for a in Account.objects.filter(organisation=organisation, code__in=codes)} if codes else {}
    raise_if(rules.check_chart(sorted(codes - set(accounts))))
    default_fund = Fund.objects.filter(organisation=organisation, is_default=True).first()

    def member_id(ln):
        if ln.member is not None:
            return getattr(ln.member, "pk", ln.member)
        return ln.sub_account.member_id if ln.sub_account is not None else None

    ledger_bulk.entries_post_bulk(actor=actor, organisation=organisation, source=source, entries=[
        ledger_bulk.BulkEntry(date=date, doc_type=DocumentType.RECEIPT, memo=memo[:255], idempotency_key=key, lines=[
            ledger_bulk.BulkLine(account=accounts[ln.account] if isinstance(ln.account, str) else ln.account,
                                 fund=ln.fund or default_fund, debit=ln.debit, credit=ln.credit,
                                 member_id=member_id(ln), memo=ln.memo[:255], sub_account=ln.sub_account)
            for ln in lines])])
    return JournalEntry.objects.get(organisation=organisation, idempotency_key=key)


def row_takes(raw: dict, member: Member, row) -> tuple[dict[str, list[collection.Take]], list[Problem]]:
    """The other parts of a row (``{"parts": {code: {ref: amount}}}``) as takes, amounts read
    as typed (blank or zero: nothing for that target)."""
    takes: dict[str, list[collection.Take]] = {}
    problems: list[Problem] = []
    for code, targets in (raw.get("parts") or {}).items():
        if collection.part(code) is None:
            problems += rules.unknown_part(code, row)
            continue
        for ref, value in (targets or {}).items():
            if value in (None, "", 0):
                continue
            amount, found = row_amount(value, row)
            if found:
                problems += [dataclasses.replace(p, field=f"{code}:{ref}") for p in found]
                continue
            takes.setdefault(code, []).append(collection.Take(member=member, ref=str(ref), amount=amount, row=row))
    return takes, problems


def collection_day_notices(*, actor, organisation, date: dt.date, rows: list[dict]) -> list[collection.Notice]:
    """What the rows of a day (as ``collection_day_post`` takes them: ``"member"`` or
    ``"number"``, ``"row"``, ``"parts"``) will do beyond what they name — a loan's overpayment
    credited to savings — to say before the day is posted; each notice's ``take.row`` names its
    row. Nothing is written; a row or take with a problem says nothing here (the posting names it)."""
    ids = [r["member"] for r in rows if isinstance(r.get("member"), int)]
    numbers = [str(r["number"]) for r in rows if r.get("number") is not None and r.get("member") is None]
    found = {m.pk: m for m in Member.objects.filter(organisation=organisation, pk__in=ids)}
    by_number = ({m.number: m for m in Member.objects.filter(organisation=organisation, number__in=numbers)}
                 if numbers else {})
    takes: dict[str, list[collection.Take]] = {}
    for index, raw in enumerate(rows, start=1):
        ref = raw.get("member")
        member = ref if isinstance(ref, Member) else found.get(ref) if ref is not None else \
            by_number.get(str(raw.get("number")))
        if member is None or not raw.get("parts"):
            continue
        for code, ts in row_takes(raw, member, raw.get("row", index))[0].items():
            takes.setdefault(code, []).extend(ts)
    out = [n for part in collection.parts() if takes.get(part.code)
           for n in part.notices(organisation, date, actor, takes[part.code])]
    return sorted(out, key=lambda n: n.take.row or 0)


@transaction.atomic
def collection_day_post(*, actor, organisation, date: dt.date, rows: list[dict],
                        idempotency_key: str | None = None, paid_into: str = "cash",
                        today: dt.date | None = None) -> CollectionDay:
    """Record a whole collection day in one transaction: a receipt per row, all or nothing.

    A row is ``{"member": Member or id, "amount": satang or text}`` (split over the member's
    dues by ``split_amount``) or ``{"member": ..., "items": [(kind, amount), ...]}``; ``"number"``
    (the member number) may stand for ``"member"`` and ``"row"`` names the row in messages
    (default: its position, from 1). ``"parts"``: ``{part code: {target ref: amount}}`` — the
    savings deposits and loan repayments of the row, taken by the parts registered in
    ``ledger.collection`` (checked by their own rules; the amount may then be 0). Every problem
    of every row and part is reported at once; one receipt per row lists every part.
    """
    raise_if(problems_of(rules.COLLECTION_DAY, rules.Day(organisation, date, today or timezone.localdate(),
                                                          paid_into, rows)))
    problems = []
    seq = receipts_locked(organisation, date)
    if idempotency_key:
        done = CollectionDay.objects.filter(organisation=organisation, idempotency_key=idempotency_key).first()
        if done is not None:
            return done

    ids = {r["member"].pk if isinstance(r.get("member"), Member) else r.get("member") for r in rows} - {None}
    numbers = {str(r["number"]) for r in rows if r.get("number") is not None and r.get("member") is None}
    by_id = {m.pk: m for m in Member.objects.filter(organisation=organisation, pk__in=[i for i in ids
                                                                                        if isinstance(i, int)])}
    by_number = ({m.number: m for m in Member.objects.filter(organisation=organisation, number__in=numbers)}
                 if numbers else {})
    kind_rates = selectors.rates(organisation)
    wanted: list[tuple[int, Member, list[Item], dict[str, list[collection.Take]]]] = []
    part_takes: dict[str, list[collection.Take]] = {}
    seen: dict[int, int] = {}
    members = []
    for index, raw in enumerate(rows, start=1):
        row = raw.get("row", index)
        ref = raw.get("member")
        member = by_id.get(ref.pk if isinstance(ref, Member) else ref) if ref is not None else \
            by_number.get(str(raw.get("number")))
        if member is None:
            problems += rules.no_such_member(getattr(ref, "pk", ref) if ref is not None else raw.get("number"), row)
            continue
        if member.pk in seen:
            problems += rules.member_twice(member, row, seen[member.pk])
            continue
        seen[member.pk] = row
        problems += rules._at(rules.check_member_may_pay(organisation, member, date), row)
        takes, found = row_takes(raw, member, row)
        problems += found
        for code, ts in takes.items():
            part_takes.setdefault(code, []).extend(ts)
        if raw.get("items"):
            items = [as_item(i) for i in raw["items"]]
            item_problems = []
            for item in items:
                if isinstance(item.amount, str):
                    item.amount, found = row_amount(item.amount, row)
                    item_problems += found
            problems += item_problems or rules._at(rules.check_items(items, for_member=True), row)
            wanted.append((row, member, items, takes))
        elif (takes or raw.get("parts")) and raw.get("amount") in (None, "", 0, "0"):
            if not takes and not found:
                problems += rules._at(rules.check_amount(0), row)
            wanted.append((row, member, [], takes))
        else:
            amount, found = row_amount(raw.get("amount"), row)
            problems += found
            if amount is not None:
                wanted.append((row, member, [Item("_split", amount)], takes))
        members.append(member)
    for code, takes in part_takes.items():
        problems += collection.part(code).check(organisation, date, actor, takes)
    problems.sort(key=lambda p: p.row or 0)
    raise_if(problems)

    paid = selectors.paid_totals(organisation, [m.pk for m in members] if len(members) < 500 else None)
    books = _Books(organisation)
    fund_codes = _fund_codes(kind_rates, date)
    fy = organisation.fiscal_year_start_month
    covs = {mc.member.pk: mc for mc in selectors.coverage_of(
        [m for _, m, items, _t in wanted if items and items[0].kind == "_split"], organisation, as_of=date,
        kind_rates=kind_rates, paid=paid)}
    first_number = sequence.take(seq, len(wanted))
    planned = []
    lines = []
    for offset, (_row, member, items, takes) in enumerate(wanted):
        if items and items[0].kind == "_split":
            items = split_amount(covs[member.pk], items[0].amount)
        _periods(member, items, kind_rates=kind_rates, paid=paid, fy_start=fy, date=date)
        number = first_number + offset
        document = receipt_document_number(seq.fiscal_year, number)
        payer = f"{member.number} {member.full_name}"
        if items:
            lines += _lines_for(books, fund_codes, member=member, payer_name=payer, items=items,
                                paid_into=paid_into, memo=f"{document} {payer}", with_cash=False)
        for ts in takes.values():
            for t in ts:
                t.document = document
        planned.append((number, document, member, payer, items, []))
    by_document = {p[1]: p for p in planned}
    part_lines: dict[str, list[collection.PartLine]] = {}
    for part in collection.parts():
        takes = part_takes.get(part.code)
        if not takes:
            continue
        part_lines[part.code] = part.lines(organisation, date, takes)
        for pl in part_lines[part.code]:
            for ln in pl.lines:
                if ln.fund is None:
                    ln.fund = books.default_fund
            lines += pl.lines
            by_document[pl.take.document][5].append((pl.part or part.code, pl))
    owned: dict[str, list[collection.PartLine]] = {}  # by the part each line belongs to (a loan's surplus: savings)
    for code, pls in part_lines.items():
        for pl in pls:
            owned.setdefault(pl.part or code, []).append(pl)
    raise_if(rules.check_chart([CASH_ACCOUNT[paid_into]] if CASH_ACCOUNT[paid_into] not in books.accounts else []))
    first_doc, last_doc = planned[0][1], planned[-1][1]
    # The day's cash in one line per fund (as the cash book shows a collection day); the other
    # lines name each receipt and its member.
    lines = _cash_lines(books.accounts[CASH_ACCOUNT[paid_into]], lines,
                        memo=f"รับเงินวันเก็บเงิน {first_doc}–{last_doc}") + lines
    entry = _post_day(actor=actor, organisation=organisation, date=date, lines=lines,
                      memo=f"รับเงินวันเก็บเงิน ใบเสร็จ {first_doc}–{last_doc} ({len(planned)} ใบ)",
                      key=f"collection:{idempotency_key or uuid.uuid4().hex}",
                      source=("contributions.collectionday", f"{first_doc}-{last_doc}"))

    def receipt_total(items, parts) -> int:
        return sum(i.amount for i in items) + sum(pl.take.amount for _c, pl in parts)

    total = sum(receipt_total(items, parts) for *_, items, parts in planned)
    day = CollectionDay.objects.create(organisation=organisation, date=date, count=len(planned), total=total,
                                       idempotency_key=idempotency_key or None,
                                       created_by=audit.person(actor))
    for part in collection.parts():
        if part.code in owned:
            part.after_post(actor=actor, organisation=organisation, date=date, entry=entry,
                            part_lines=owned[part.code])
    # Thousands of receipts and items: inserted as plain rows (``core.bulk.insert_rows``), as the
    # bulk import of past payments does; the receipts' ids are read back by their numbers.
    ops = connection.ops
    creator_id = audit.person_id(actor)
    day_value, now = ops.adapt_datefield_value(date), ops.adapt_datetimefield_value(timezone.now())
    insert_rows(Receipt._meta.db_table, [
        "organisation_id", "fiscal_year", "number", "document_number", "date", "member_id", "payer_name", "total",
        "paid_into", "memo", "entry_id", "collection_day_id", "status", "void_reason", "idempotency_key",
        "created_by_id", "created_at"], [
        (organisation.pk, seq.fiscal_year, number, document, day_value, member.pk, payer[:200],
         receipt_total(items, parts), paid_into, "", entry.pk, day.pk, Receipt.Status.ISSUED, "",
         f"{idempotency_key}:{member.pk}" if idempotency_key else None, creator_id, now)
        for number, document, member, payer, items, parts in planned])
    ids = dict(Receipt.objects.filter(organisation=organisation, fiscal_year=seq.fiscal_year,
                                      number__gte=first_number, number__lte=first_number + len(planned) - 1)
               .order_by().values_list("number", "pk"))
    insert_rows(ReceiptItem._meta.db_table, [
        "organisation_id", "receipt_id", "member_id", "kind", "amount", "period_from", "period_to"], [
        (organisation.pk, ids[number], member.pk, i.kind, i.amount, ops.adapt_datefield_value(i.period_from),
         ops.adapt_datefield_value(i.period_to))
        for number, _, member, _, items, _p in planned for i in items])
    part_rows = [(organisation.pk, ids[number], code, pl.take.ref, pl.label_th[:200], pl.label_en[:200],
                  pl.take.amount, json.dumps(pl.detail))
                 for number, _, _m, _, _i, parts in planned for code, pl in parts]
    if part_rows:
        insert_rows(ReceiptPart._meta.db_table, [
            "organisation_id", "receipt_id", "part", "ref", "label_th", "label_en", "amount", "detail"], part_rows)
    by_code = {code: sum(pl.take.amount for pl in pls) for code, pls in owned.items()}
    audit.record(actor=actor, action="contributions.collection_day_post", organisation=organisation, obj=day,
                 summary=f"วันเก็บเงิน/collection day {date}: {day.count} ใบ/receipts {format_baht(total)}",
                 after={"date": date, "count": day.count, "total": total, "first": first_doc, "last": last_doc,
                        "entry": entry.document_number, **({"parts": by_code} if by_code else {})})
    return day
