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
lock it (``services.receipts_locked``).

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
SQLite, COPY on PostgreSQL; ``core.bulk.insert_rows``). Per payment the Python work is a few
dictionary look-ups and two tuples.

The caller holds the transaction (the call is atomic in itself) and writes the audit event.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from omboon.contributions import coverage, rules, selectors
from omboon.contributions.models import (
    KIND_ACCOUNT,
    MEMBER_KINDS,
    Kind,
    Receipt,
    ReceiptItem,
    receipt_document_number,
)
from omboon.contributions.services import receipts_locked
from omboon.core import audit, sequence
from omboon.core.bulk import insert_rows
from omboon.core.errors import Problem, raise_if
from omboon.ledger import chart
from omboon.ledger.bulk import BulkEntry, BulkLine, entries_post_bulk
from omboon.ledger.models import Account, DocumentType, Fund, JournalEntry
from omboon.members.models import LEFT_STATUSES, Member

PAYMENTS_PER_ENTRY = 25
ONE_DAY = coverage.ONE_DAY
_CHUNK = 500  # keys per IN (...) query

RECEIPT_COLUMNS = ["organisation_id", "fiscal_year", "number", "document_number", "date", "member_id",
                   "payer_name", "total", "paid_into", "memo", "entry_id", "collection_day_id", "status",
                   "void_reason", "void_entry_id", "voided_by_id", "voided_at", "idempotency_key", "created_by_id",
                   "created_at"]
ITEM_COLUMNS = ["organisation_id", "receipt_id", "member_id", "kind", "amount", "period_from", "period_to"]


@dataclass(slots=True)
class Payment:
    """One past payment of a member: a receipt with one item per kind.

    ``key``: the receipt's idempotency key, unique in the group (imports use the file's hash
    and row); ``items``: ((kind, satang), ...) with kinds from ``MEMBER_KINDS``."""

    key: str
    member_id: int
    date: dt.date
    items: Sequence[tuple[str, int]]
    memo: str = ""


@dataclass(slots=True)
class _NewReceipt:
    fiscal_year: int
    number: int
    document: str
    payment: Payment
    entry_key: str  # the day entry's idempotency key
    total: int


def _existing_keys(organisation, keys: list[str]) -> set[str]:
    """The keys already on a receipt of the group (one indexed look-up per key, in chunks)."""
    quote = connection.ops.quote_name
    sql = (f"SELECT {quote('idempotency_key')} FROM {quote(Receipt._meta.db_table)} "
           f"WHERE {quote('organisation_id')} = %s AND {quote('idempotency_key')} IN ")
    found: set[str] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start:start + _CHUNK]
            cursor.execute(sql + f"({', '.join(['%s'] * len(chunk))})", [organisation.pk, *chunk])
            found.update(key for (key,) in cursor.fetchall())
    return found


class _Member(NamedTuple):
    """What the checks, the schedules and the payer's name read of a member (no model
    instance: thousands are read per call)."""

    pk: int
    organisation_id: int
    number: str
    title: str
    first_name: str
    last_name: str
    join_date: dt.date
    status: str
    status_date: dt.date | None

    @property
    def full_name(self) -> str:
        return f"{self.title}{self.first_name} {self.last_name}".strip()


def _members(organisation, ids: set[int]) -> dict[int, _Member]:
    qs = Member.objects.filter(organisation=organisation).order_by().values_list(*_Member._fields)
    make = _Member._make
    if len(ids) > 2000:  # most of the group: one read of all of it
        return {v[0]: make(v) for v in qs if v[0] in ids}
    out: dict[int, _Member] = {}
    id_list = sorted(ids)
    for start in range(0, len(id_list), _CHUNK):
        out.update({v[0]: make(v) for v in qs.filter(pk__in=id_list[start:start + _CHUNK])})
    return out


def _check(organisation, payments: list, members: dict[int, _Member]) -> list[Problem]:
    """Every payment: a member of this group who may pay that day, known kinds once each,
    whole positive satang, a unique key. Cheap per row; the messages come from ``rules``."""
    problems: list[Problem] = []
    today = timezone.localdate()
    window: dict[int, tuple[dt.date, dt.date]] = {}  # the days each member may pay on
    for m in members.values():
        last = (m.status_date or dt.date.min) if m.status in LEFT_STATUSES else today
        window[m.pk] = (m.join_date, min(last, today))
    keys: set[str] = set()
    kinds = set(MEMBER_KINDS)
    for p in payments:
        key, member_id, day, items = p.key, p.member_id, p.date, p.items
        member = members.get(member_id)
        if member is None:
            problems += rules.payment_unknown_member(key)
            continue
        lo, hi = window[member_id]
        if not isinstance(day, dt.date) or not (lo <= day <= hi):
            problems += rules.keyed(rules.check_member_may_pay(organisation, member, day)
                                    or rules.check_date(day, today=today), key)
        if key in keys:
            problems += rules.payment_twice(key)
        keys.add(key)
        seen = set()
        if not items:
            problems += rules.payment_no_items(key)
        for kind, amount in items:
            if kind not in kinds or kind in seen or type(amount) is not int or amount <= 0:
                problems += rules.keyed(rules.check_items([_Item(k, a) for k, a in items], for_member=True), key)
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
    """The period each item covers: from the member's total paid of the kind before it (as
    ``services._periods``). Members who joined (and left) on the same days share a schedule,
    and a schedule's answer for a total paid on a day is worked out once."""

    def __init__(self, organisation, members: dict[int, _Member], kind_rates):
        self.members = members
        self.kind_rates = kind_rates
        self.fy = organisation.fiscal_year_start_month
        ids = list(members)
        self.paid = selectors.paid_totals(organisation, ids if len(ids) < 500 else None)
        self.through: dict[tuple[int, str], dt.date | None] = {}
        self.member_schedule: dict[tuple[int, str], coverage.Schedule] = {}
        self.schedules: dict[tuple, coverage.Schedule] = {}
        self.answers: dict[tuple, dt.date | None] = {}

    def _schedule(self, member_id: int, kind: str) -> coverage.Schedule:
        member = self.members[member_id]
        shape = (kind, member.join_date, selectors.left_on(member))
        sched = self.schedules.get(shape)
        if sched is None:
            sched = self.schedules[shape] = selectors.schedule(member, kind, self.kind_rates.get(kind, []), self.fy)
        return sched

    def _paid_through(self, sched: coverage.Schedule, paid: int, day: dt.date) -> dt.date | None:
        key = (id(sched), paid, day)
        try:
            return self.answers[key]
        except KeyError:
            found = self.answers[key] = sched.paid_through(paid, day)
            return found

    def of(self, member_id: int, kind: str, amount: int, day: dt.date) -> tuple[dt.date | None, dt.date | None]:
        if kind == Kind.ENTRY_FEE:
            return None, None
        key = (member_id, kind)
        sched = self.member_schedule.get(key)
        before = self.paid.get(key, 0)
        if sched is None:
            sched = self.member_schedule[key] = self._schedule(member_id, kind)
            self.through[key] = self._paid_through(sched, before, day)
        prev = self.through[key]
        after = self._paid_through(sched, before + amount, day)
        self.paid[key] = before + amount
        self.through[key] = after
        start = prev + ONE_DAY if prev else sched.first
        if after is None or after < start:
            return None, None
        return start, after


class _Adapted(dict):
    """Dates as the database driver takes them, each adapted once."""

    def __init__(self, adapt):
        super().__init__({None: None})
        self.adapt = adapt

    def __missing__(self, day):
        value = self[day] = self.adapt(day)
        return value


def _literal(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return "'" + str(value).replace("'", "''").replace("%", "%%") + "'"  # %% : the cursor's %s style


def _insert_same(table: str, columns: list[str], rows: list[tuple], same: dict) -> None:
    """``rows`` hold the columns not in ``same``, in ``columns``' order; ``same`` the values
    every row shares. SQLite gets those as constants of the INSERT (fewer values to bind per
    row); PostgreSQL's COPY takes whole rows."""
    if not rows:
        return
    varying = [c for c in columns if c not in same]
    if connection.vendor != "sqlite":
        at = {c: i for i, c in enumerate(varying)}
        insert_rows(table, columns, [tuple(row[at[c]] if c in at else same[c] for c in columns) for row in rows])
        return
    quote = connection.ops.quote_name
    values = ", ".join("%s" if c not in same else _literal(same[c]) for c in columns)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES ({values})",
                           rows)


def _ids(model, organisation, numbers_by_fy: dict[int, list[int]]) -> dict[tuple[int, int], int]:
    out: dict[tuple[int, int], int] = {}
    for fy, numbers in numbers_by_fy.items():
        out.update({(fy, n): pk for n, pk in model.objects.filter(
            organisation=organisation, fiscal_year=fy, number__gte=min(numbers), number__lte=max(numbers))
            .order_by().values_list("number", "pk")})
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
    raise_if([problem for p in payments for problem in rules.payment_undated(p.key, p.date)])
    # lock the sequences first (as services do), then look for what is already in
    fy_start = organisation.fiscal_year_start_month
    fy_of = {day: chart.fiscal_year_of(fy_start, day) for day in {p.date for p in payments}}
    first_day: dict[int, dt.date] = {}
    for day, fy in sorted(fy_of.items()):
        first_day.setdefault(fy, day)
    sequences = {fy: receipts_locked(organisation, day) for fy, day in sorted(first_day.items())}
    done = _existing_keys(organisation, [p.key for p in payments])
    if done:
        payments = [p for p in payments if p.key not in done]
        if not payments:
            return 0
    members = _members(organisation, {p.member_id for p in payments})
    raise_if(_check(organisation, payments, members))

    kind_rates = selectors.rates(organisation)
    funds = _Funds(organisation, kind_rates)
    periods_of = _Periods(organisation, members, kind_rates).of
    accounts = {a.code: a for a in Account.objects.filter(
        organisation=organisation, code__in=[chart.CASH, chart.BANK, *KIND_ACCOUNT.values()])}
    cash_code = chart.CASH if paid_into == "cash" else chart.BANK
    kinds_paid = {k for p in payments for k, _ in p.items}
    raise_if(rules.check_chart(sorted(code for code in {cash_code, *(KIND_ACCOUNT[k] for k in kinds_paid)}
                                      if code not in accounts)))
    cash = accounts[cash_code]
    income = {k: accounts.get(a) for k, a in KIND_ACCOUNT.items()}
    payers = {pk: f"{m.number} {m.full_name}"[:200] for pk, m in members.items()}

    # numbers in date order (then key) within each fiscal year; a fiscal year is a run of days
    payments.sort(key=attrgetter("date", "key"))
    per_fy = Counter(fy_of[p.date] for p in payments)
    next_number = {fy: sequence.take(sequences[fy], count) for fy, count in sorted(per_fy.items())}

    # the books: one entry per day and up to PAYMENTS_PER_ENTRY receipts
    entries: list[BulkEntry] = []
    receipts: list[_NewReceipt] = []
    items_rows: list[tuple] = []  # (index in receipts, kind, amount, period_from, period_to)
    for day, same_day in groupby(payments, key=attrgetter("date")):
        same_day = list(same_day)
        fy = fy_of[day]
        day_funds = {k: funds.of(k, day) for k in kinds_paid}
        for start in range(0, len(same_day), PAYMENTS_PER_ENTRY):
            chunk = same_day[start:start + PAYMENTS_PER_ENTRY]
            key = f"receipts:{chunk[0].key}"[:128]
            number = next_number[fy]
            next_number[fy] = number + len(chunk)
            first_doc = receipt_document_number(fy, number)
            lines: list[BulkLine] = []
            by_fund: dict[int, list] = {}  # id(fund) → [fund, cash]
            for p in chunk:
                document = receipt_document_number(fy, number)
                member_id = p.member_id
                memo = f"{document} {payers[member_id]}"[:255]
                total = 0
                for kind, amount in p.items:
                    total += amount
                    fund = day_funds[kind]
                    lines.append(BulkLine(income[kind], fund, 0, amount, member_id, memo))
                    cash_of = by_fund.get(id(fund))
                    if cash_of is None:
                        by_fund[id(fund)] = [fund, amount]
                    else:
                        cash_of[1] += amount
                    period_from, period_to = periods_of(member_id, kind, amount, day)
                    items_rows.append((len(receipts), kind, amount, period_from, period_to))
                receipts.append(_NewReceipt(fy, number, document, p, key, total))
                number += 1
            last_doc = receipts[-1].document
            cash_memo = f"รับเงินย้อนหลัง {first_doc}–{last_doc} / historical payments"
            entries.append(BulkEntry(
                date=day, doc_type=DocumentType.RECEIPT,
                memo=f"รับเงินย้อนหลัง ใบเสร็จ {first_doc}–{last_doc} ({len(chunk)} ใบ) / historical payments",
                idempotency_key=key,
                lines=[*(BulkLine(cash, f, total, 0, None, cash_memo) for f, total in by_fund.values()), *lines]))
    entries_post_bulk(actor=actor, organisation=organisation, entries=entries, source=source)
    entry_ids: dict[str, int] = {}
    keys = [e.idempotency_key for e in entries]
    for start in range(0, len(keys), _CHUNK):
        entry_ids.update(JournalEntry.objects.filter(organisation=organisation,
                                                     idempotency_key__in=keys[start:start + _CHUNK])
                         .order_by().values_list("idempotency_key", "pk"))

    # receipts, then their items
    day_value = _Adapted(connection.ops.adapt_datefield_value)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    org_id = organisation.pk
    actor_id = audit.person_id(actor)
    status = Receipt.Status.ISSUED.value
    numbers_by_fy: dict[int, list[int]] = defaultdict(list)
    receipt_rows = []
    for r in receipts:
        p = r.payment
        numbers_by_fy[r.fiscal_year].append(r.number)
        receipt_rows.append((r.fiscal_year, r.number, r.document, day_value[p.date], p.member_id,
                             payers[p.member_id], r.total, p.memo[:255], entry_ids[r.entry_key], p.key))
    _insert_same(Receipt._meta.db_table, RECEIPT_COLUMNS, receipt_rows, {
        "organisation_id": org_id, "paid_into": paid_into, "collection_day_id": None, "status": status,
        "void_reason": "", "void_entry_id": None, "voided_by_id": None, "voided_at": None, "created_by_id": actor_id,
        "created_at": now})
    receipt_ids = _ids(Receipt, organisation, numbers_by_fy)
    _insert_same(ReceiptItem._meta.db_table, ITEM_COLUMNS, [
        (receipt_ids[receipts[i].fiscal_year, receipts[i].number], receipts[i].payment.member_id, kind, amount,
         day_value[period_from], day_value[period_to])
        for i, kind, amount, period_from, period_to in items_rows], {"organisation_id": org_id})
    return len(receipts)


__all__ = ["PAYMENTS_PER_ENTRY", "Payment", "payments_post_bulk"]
