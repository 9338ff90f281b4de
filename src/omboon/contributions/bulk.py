"""Historical contribution payments in bulk: receipts, their items and the books, in a few
statements. The one way to post many past payments at once (the imports' payments kind, the
province-scale demo); a payment made today goes through ``services.receipt_issue`` or
``services.collection_day_post``.

One **receipt per payment** — one member on one day, one item per kind paid — exactly what a
collection day issues, so an imported payment reads like any other in the passbook, on the
receipts list and in coverage, and can be voided the same way (``services.receipt_void``
finds its income lines in the shared entry by the receipt number that starts their memo).
Receipts are numbered gapless from ``ReceiptSequence`` per fiscal year, in date order (then
by key), continuing the series the normal services use; the sequence row is locked as they
lock it (``services._lock_receipts``).

The books: one receipt entry (RV) per day and up to ``PAYMENTS_PER_ENTRY`` payments — a credit
to 4100/4200/4300 for each item with the member on it and the memo "<receipt number> <payer>",
and one debit to cash per fund credited (the day's cash, as a cash book records it) — posted
through ``omboon.ledger.bulk.entries_post_bulk``, which runs the ledger's checks once per call.
The fund of each kind is the plan's (``fund_code``) on that day, else the group's default fund,
as for a normal receipt.

Each item carries the period it covers (from what the member had paid of that kind before,
oldest first, as ``services._periods`` does), so the passbook shows it; coverage, paid-through
dates and arrears are derived from the items' amounts (``selectors.paid_totals``) and count the
imported payments like any other.

Idempotent: a payment's ``key`` is its receipt's idempotency key; a payment whose receipt is
already in the group's books is left out, so running the same payments twice creates nothing.
Receipts, items, entries and lines go in with one prepared INSERT each (``executemany`` on
SQLite, COPY on PostgreSQL; ``ledger.bulk._insert``). Per payment the Python work is a few
dictionary look-ups and two tuples.

The caller holds the transaction (the call is atomic in itself) and writes the audit event.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Iterable, NamedTuple, Sequence

from django.db import connection, transaction
from django.utils import timezone

from omboon.contributions import coverage, rules, selectors
from omboon.contributions.models import (
    KIND_ACCOUNT, MEMBER_KINDS, Kind, Receipt, ReceiptItem, receipt_document_number,
)
from omboon.core.errors import Problem, RuleViolation, raise_if
from omboon.ledger import chart
from omboon.ledger.bulk import BulkEntry, BulkLine, _insert, entries_post_bulk
from omboon.ledger.models import Account, DocumentType, Fund, JournalEntry
from omboon.members.models import Member

PAYMENTS_PER_ENTRY = 25
_CHUNK = 500  # keys per IN (...) query

RECEIPT_COLUMNS = ["organisation_id", "fiscal_year", "number", "document_number", "date", "member_id",
                   "payer_name", "total", "paid_into", "memo", "entry_id", "collection_day_id", "status",
                   "void_reason", "void_entry_id", "voided_by_id", "voided_at", "idempotency_key", "created_by_id",
                   "created_at"]
ITEM_COLUMNS = ["organisation_id", "receipt_id", "member_id", "kind", "amount", "period_from", "period_to"]


class Payment(NamedTuple):
    """One past payment of a member: a receipt with one item per kind.

    ``key``: the receipt's idempotency key, unique in the group (imports use the file's hash
    and row); ``items``: ((kind, satang), ...) with kinds from ``MEMBER_KINDS``. A plain tuple
    in the same order does as well."""

    key: str
    member_id: int
    date: dt.date
    items: Sequence[tuple[str, int]]
    memo: str = ""


def _existing_keys(organisation, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), _CHUNK):
        found.update(Receipt.objects.filter(organisation=organisation, idempotency_key__in=keys[start:start + _CHUNK])
                     .values_list("idempotency_key", flat=True))
    return found


def _members(organisation, ids: set[int]) -> dict[int, Member]:
    fields = ("pk", "organisation_id", "number", "title", "first_name", "last_name", "join_date", "status",
              "status_date")
    qs = Member.objects.filter(organisation=organisation).only(*fields)
    if len(ids) > 2000:  # most of the group: one read of all of it
        return {m.pk: m for m in qs if m.pk in ids}
    out: dict[int, Member] = {}
    id_list = sorted(ids)
    for start in range(0, len(id_list), _CHUNK):
        out.update({m.pk: m for m in qs.filter(pk__in=id_list[start:start + _CHUNK])})
    return out


def _check(organisation, payments: list, members: dict[int, Member]) -> list[Problem]:
    """Every payment: a member of this group who may pay that day, known kinds once each,
    whole positive satang, a unique key. Cheap per row; the messages come from ``rules``."""
    problems: list[Problem] = []
    today = timezone.localdate()
    window: dict[int, tuple[dt.date, dt.date]] = {}  # the days each member may pay on
    for m in members.values():
        last = (m.status_date or dt.date.min) if m.status in rules.CLOSED else today
        window[m.pk] = (m.join_date, min(last, today))
    keys: set[str] = set()
    kinds = set(MEMBER_KINDS)
    for p in payments:
        key, member_id, day, items = p[0], p[1], p[2], p[3]
        member = members.get(member_id)
        if member is None:
            problems.append(Problem("member", "ไม่พบสมาชิกนี้ในกลุ่ม", "no such member in this group", value=key))
            continue
        lo, hi = window[member_id]
        if not isinstance(day, dt.date) or not (lo <= day <= hi):
            problems += [Problem(x.field, x.message_th, x.message_en, value=f"{key} {x.value}")
                         for x in rules.check_member_may_pay(organisation, member, day)
                         or rules.check_date(day, today=today)]
        if key in keys:
            problems.append(Problem("key", "รายการซ้ำในชุดเดียวกัน", "the same payment twice in one call", value=key))
        keys.add(key)
        seen = set()
        if not items:
            problems.append(Problem("items", "ต้องมีรายการรับเงินอย่างน้อยหนึ่งรายการ", "at least one item is needed",
                                    value=key))
        for kind, amount in items:
            if kind not in kinds or kind in seen or type(amount) is not int or amount <= 0:
                problems += [Problem(x.field, x.message_th, x.message_en, value=f"{key} {x.value}") for x in
                             rules.check_items([_Item(k, a) for k, a in items], for_member=True)]
                break
            seen.add(kind)
    return problems


class _Item(NamedTuple):
    kind: str
    amount: object
    period_from: dt.date | None = None
    period_to: dt.date | None = None


class _Funds:
    """The fund each kind credits on a day: the plan's fund, else the group's default."""

    def __init__(self, organisation, kind_rates):
        self.by_code = {f.code: f for f in Fund.objects.filter(organisation=organisation)}
        self.default = next((f for f in self.by_code.values() if f.is_default), None)
        self.kind_rates = kind_rates
        self.cache: dict[tuple[str, dt.date], Fund | None] = {}

    def of(self, kind: str, day: dt.date):
        found = self.cache.get((kind, day), False)
        if found is False:
            rate = coverage.rate_on(self.kind_rates.get(kind, []), day)
            code = rate.fund_code if rate else ""
            found = self.by_code.get(code) if code else self.default
            self.cache[(kind, day)] = found
        return found


class _Periods:
    """The period each item covers: from the member's total paid of the kind before it."""

    def __init__(self, organisation, members: dict[int, Member], kind_rates):
        self.members = members
        self.kind_rates = kind_rates
        self.fy = organisation.fiscal_year_start_month
        ids = list(members)
        self.paid = selectors.paid_totals(organisation, ids if len(ids) < 500 else None)
        self.through: dict[tuple[int, str], dt.date | None] = {}
        self.schedules: dict[tuple[int, str], coverage.Schedule] = {}

    def of(self, member_id: int, kind: str, amount: int, day: dt.date) -> tuple[dt.date | None, dt.date | None]:
        if kind == Kind.ENTRY_FEE:
            return None, None
        key = (member_id, kind)
        sched = self.schedules.get(key)
        before = self.paid.get(key, 0)
        if sched is None:
            sched = self.schedules[key] = selectors.schedule(self.members[member_id], kind,
                                                             self.kind_rates.get(kind, []), self.fy)
            self.through[key] = sched.paid_through(before, day)
        prev = self.through[key]
        after = sched.paid_through(before + amount, day)
        self.paid[key] = before + amount
        self.through[key] = after
        start = prev + coverage.ONE_DAY if prev else sched.first
        if after is None or after < start:
            return None, None
        return start, after


def _ids(model, organisation, numbers_by_fy: dict[int, list[int]]) -> dict[tuple[int, int], int]:
    out: dict[tuple[int, int], int] = {}
    for fy, numbers in numbers_by_fy.items():
        out.update({(fy, n): pk for n, pk in model.objects.filter(
            organisation=organisation, fiscal_year=fy, number__gte=min(numbers), number__lte=max(numbers))
            .values_list("number", "pk")})
    return out


@transaction.atomic
def payments_post_bulk(*, actor, organisation, payments: Iterable, source: tuple[str, str],
                       paid_into: str = "cash") -> int:
    """Post past payments: receipts (numbered), their items (with periods) and the day
    entries in the books. Payments whose key is already a receipt of the group are left out.
    Returns the number of receipts created. Raises RuleViolation (nothing written) on any
    problem: the problems name the payment's key."""
    payments = list(payments)
    raise_if([*rules.check_group(organisation), *rules.check_paid_into(paid_into)])
    if not payments:
        return 0
    # lock the sequences first (as services do), then look for what is already in
    fy_start = organisation.fiscal_year_start_month
    by_fy: dict[int, list] = defaultdict(list)
    for p in payments:
        by_fy[chart.fiscal_year_of(fy_start, p[2]) if isinstance(p[2], dt.date) else 0].append(p)
    raise_if([Problem("date", "ต้องระบุวันที่รับเงิน", "the date of payment is required", value=p[0])
              for p in by_fy.get(0, [])])
    from omboon.contributions.services import _lock_receipts, _take_numbers

    sequences = {fy: _lock_receipts(organisation, group[0][2]) for fy, group in sorted(by_fy.items())}
    done = _existing_keys(organisation, [p[0] for p in payments])
    if done:
        payments = [p for p in payments if p[0] not in done]
        if not payments:
            return 0
    members = _members(organisation, {p[1] for p in payments})
    raise_if(_check(organisation, payments, members))

    kind_rates = selectors.rates(organisation)
    funds = _Funds(organisation, kind_rates)
    periods = _Periods(organisation, members, kind_rates)
    accounts = {a.code: a for a in Account.objects.filter(
        organisation=organisation, code__in=[chart.CASH, chart.BANK, *KIND_ACCOUNT.values()])}
    cash_code = chart.CASH if paid_into == "cash" else chart.BANK
    needed = [cash_code, *{KIND_ACCOUNT[k] for p in payments for k, _ in p[3]}]
    missing = sorted(code for code in needed if code not in accounts)
    if missing:
        raise RuleViolation.single("account", f"ผังบัญชีของกลุ่มไม่มีบัญชี {', '.join(missing)}",
                                   f"the group's chart has no account {', '.join(missing)}")
    cash = accounts[cash_code]
    income = {k: accounts.get(a) for k, a in KIND_ACCOUNT.items()}
    payers = {pk: f"{m.number} {m.full_name}"[:200] for pk, m in members.items()}

    # numbers, in date order within each fiscal year
    payments.sort(key=lambda p: (p[2], p[0]))
    by_fy = defaultdict(list)
    for p in payments:
        by_fy[chart.fiscal_year_of(fy_start, p[2])].append(p)
    numbered: list[tuple[int, int, str, tuple]] = []  # (fy, number, document, payment)
    for fy, group in sorted(by_fy.items()):
        first = _take_numbers(sequences[fy], len(group))
        numbered += [(fy, first + i, receipt_document_number(fy, first + i), p) for i, p in enumerate(group)]
    numbered.sort(key=lambda n: (n[3][2], n[0], n[1]))

    # the books: one entry per day and up to PAYMENTS_PER_ENTRY receipts
    entries: list[BulkEntry] = []
    entry_of: list[str] = []  # per numbered payment, its entry's key
    items_rows: list[tuple] = []  # (index in numbered, kind, amount, period_from, period_to)
    day_start = 0
    while day_start < len(numbered):
        day = numbered[day_start][3][2]
        day_end = day_start
        while day_end < len(numbered) and numbered[day_end][3][2] == day:
            day_end += 1
        for start in range(day_start, day_end, PAYMENTS_PER_ENTRY):
            chunk = numbered[start:min(start + PAYMENTS_PER_ENTRY, day_end)]
            first_doc, last_doc = chunk[0][2], chunk[-1][2]
            key = f"receipts:{chunk[0][3][0]}"[:128]
            lines: list[BulkLine] = []
            by_fund: dict = {}
            for offset, (_fy, _number, document, p) in enumerate(chunk, start=start):
                memo = f"{document} {payers[p[1]]}"[:255]
                for kind, amount in p[3]:
                    fund = funds.of(kind, day)
                    lines.append(BulkLine(account=income[kind], fund=fund, credit=amount, member_id=p[1],
                                          memo=memo))
                    by_fund[fund] = by_fund.get(fund, 0) + amount
                    period_from, period_to = periods.of(p[1], kind, amount, day)
                    items_rows.append((offset, kind, amount, period_from, period_to))
                entry_of.append(key)
            cash_memo = f"รับเงินย้อนหลัง {first_doc}–{last_doc} / historical payments"
            entries.append(BulkEntry(
                date=day, doc_type=DocumentType.RECEIPT,
                memo=f"รับเงินย้อนหลัง ใบเสร็จ {first_doc}–{last_doc} ({len(chunk)} ใบ) / historical payments",
                idempotency_key=key,
                lines=[*(BulkLine(account=cash, fund=f, debit=total, memo=cash_memo) for f, total in by_fund.items()),
                       *lines]))
        day_start = day_end
    entries_post_bulk(actor=actor, organisation=organisation, entries=entries, source=source)
    entry_ids: dict[str, int] = {}
    keys = [e.idempotency_key for e in entries]
    for start in range(0, len(keys), _CHUNK):
        entry_ids.update(JournalEntry.objects.filter(organisation=organisation,
                                                     idempotency_key__in=keys[start:start + _CHUNK])
                         .values_list("idempotency_key", "pk"))

    # receipts, then their items
    adapt_date = connection.ops.adapt_datefield_value
    dates: dict[dt.date, object] = {}

    def day_value(d):
        if d is None:
            return None
        v = dates.get(d)
        if v is None:
            v = dates[d] = adapt_date(d)
        return v

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    org_id = organisation.pk
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    status = Receipt.Status.ISSUED.value
    receipt_rows = []
    numbers_by_fy: dict[int, list[int]] = defaultdict(list)
    for (fy, number, document, p), entry_key in zip(numbered, entry_of):
        numbers_by_fy[fy].append(number)
        receipt_rows.append((org_id, fy, number, document, day_value(p[2]), p[1], payers[p[1]],
                             sum(a for _, a in p[3]), paid_into, (p[4] if len(p) > 4 else "")[:255],
                             entry_ids[entry_key], None, status, "", None, None, None, p[0], actor_id, now))
    _insert(Receipt._meta.db_table, RECEIPT_COLUMNS, receipt_rows)
    receipt_ids = _ids(Receipt, organisation, numbers_by_fy)
    _insert(ReceiptItem._meta.db_table, ITEM_COLUMNS, [
        (org_id, receipt_ids[(numbered[i][0], numbered[i][1])], numbered[i][3][1], kind, amount,
         day_value(period_from), day_value(period_to))
        for i, kind, amount, period_from, period_to in items_rows])
    return len(numbered)


__all__ = ["PAYMENTS_PER_ENTRY", "Payment", "payments_post_bulk"]
