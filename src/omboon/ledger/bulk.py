"""Bulk posting of historical entries: many small balanced entries in a few statements.

The ledger's second door for money (beside ``services.entry_post``), for imports of
hand-kept history; it lives here so that only the ledger writes entries and lines.

``ledger.services.entry_post`` posts one entry with about ten queries and Django's per-object
``bulk_create``; 180,000 historical payments through it take minutes. Here the same checks run
once per batch instead of once per entry — ``ledger.rules.check_group``, ``check_amounts``
(every entry balanced, one positive side per line), ``check_accounts`` (accounts and funds of
this group) and ``check_open_date`` (nothing in a closed month) — document numbers are taken
from the locked ``DocumentSequence`` in one step (gapless), and entries and lines go in with
one prepared INSERT run by ``executemany`` (SQLite) or COPY (PostgreSQL). The database's own
guards still hold on every row, checked set-based for the whole batch: on SQLite the per-row
insert triggers step aside inside ``guards.batch_checked`` and one query per rule checks the
batch before it ends (closed month, each line's group and date match its entry, accounts and
funds of the group, every entry has two lines or more with debits = credits = its total); on
PostgreSQL the statement-level triggers check each COPY and the deferred trigger checks that
every entry balances at commit (migration 0003). Entries are never updated or deleted.

Everything is written inside one savepoint: a problem found by the database leaves nothing
written (and on SQLite the triggers in place), even if the caller catches the error.
The caller holds the transaction and writes the audit event.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from omboon.core.errors import Problem, raise_if
from omboon.ledger import chart, guards, rules
from omboon.ledger.models import DocumentSequence, JournalEntry, JournalLine


@dataclass
class BulkLine:
    account: object  # Account
    fund: object  # Fund
    debit: int = 0
    credit: int = 0
    member_id: int | None = None
    memo: str = ""

    # what ledger.rules.check_accounts reads
    @property
    def member(self):
        return None

    @property
    def account_ref(self):
        return getattr(self.account, "code", None)

    @property
    def fund_ref(self):
        return getattr(self.fund, "code", None)


@dataclass
class BulkEntry:
    date: dt.date
    doc_type: str
    memo: str
    idempotency_key: str
    lines: list[BulkLine] = field(default_factory=list)


def _take_numbers(organisation, doc_type: str, fiscal_year: int, count: int) -> int:
    DocumentSequence.objects.get_or_create(organisation=organisation, doc_type=doc_type, fiscal_year=fiscal_year)
    seq = DocumentSequence.objects.select_for_update().get(
        organisation=organisation, doc_type=doc_type, fiscal_year=fiscal_year)
    first = seq.last_number + 1
    seq.last_number += count
    seq.save(update_fields=["last_number"])
    return first


def _existing_keys(organisation, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        found.update(JournalEntry.objects.filter(organisation=organisation,
                                                 idempotency_key__in=keys[start:start + 500])
                     .values_list("idempotency_key", flat=True))
    return found


def _insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    ops = connection.ops
    cols = ", ".join(ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg's own cursor (Django's has no COPY): its errors wrapped as Django's
            with connection.wrap_database_errors, cursor.cursor.copy(
                    f"COPY {ops.quote_name(table)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {ops.quote_name(table)} ({cols}) VALUES ({marks})", rows)


def entries_post_bulk(*, actor, organisation, entries: list[BulkEntry], source: tuple[str, str]) -> int:
    """Post balanced entries; an entry whose idempotency key is already in the books is left
    out. Returns the number posted. Raises RuleViolation (nothing written) on any problem;
    should the database's own check of the batch still find one, IntegrityError (nothing written)."""
    if not entries:
        return 0
    problems: list[Problem] = [*rules.check_group(organisation)]
    raise_if(problems)
    seen = _existing_keys(organisation, [e.idempotency_key for e in entries])
    entries = [e for e in entries if e.idempotency_key not in seen]
    if not entries:
        return 0
    accounts_seen: dict[tuple, BulkLine] = {}
    for entry in entries:
        found = rules.check_amounts(entry.lines)
        if found:
            problems += [Problem(p.field, f"{entry.memo}: {p.message_th}", f"{entry.memo}: {p.message_en}",
                                 value=entry.idempotency_key) for p in found]
        for line in entry.lines:
            accounts_seen.setdefault((id(line.account), id(line.fund)), line)
    problems += rules.check_accounts(organisation, list(accounts_seen.values()))
    problems += rules.check_open_date(organisation, min(e.date for e in entries))
    raise_if(problems)

    with guards.batch_checked(connection):
        fy_start = organisation.fiscal_year_start_month
        by_sequence: dict[tuple[str, int], list[BulkEntry]] = defaultdict(list)
        for entry in entries:
            by_sequence[(entry.doc_type, chart.fiscal_year_of(fy_start, entry.date))].append(entry)
        now = timezone.now()
        adapt_date = connection.ops.adapt_datefield_value
        posted_at = connection.ops.adapt_datetimefield_value(now)
        actor_id = actor.pk if getattr(actor, "pk", None) else None
        entry_rows = []
        numbered: list[tuple[str, int, int, BulkEntry]] = []
        for (doc_type, fy), group in sorted(by_sequence.items()):
            group.sort(key=lambda e: (e.date, e.idempotency_key))
            first = _take_numbers(organisation, doc_type, fy, len(group))
            for offset, entry in enumerate(group):
                number = first + offset
                numbered.append((doc_type, fy, number, entry))
                entry_rows.append((
                    organisation.pk, adapt_date(entry.date), doc_type, number, fy, entry.memo[:255],
                    sum(ln.debit for ln in entry.lines), source[0], source[1], entry.idempotency_key,
                    None, actor_id, posted_at,
                ))
        _insert(JournalEntry._meta.db_table,
                ["organisation_id", "date", "doc_type", "number", "fiscal_year", "memo", "total", "source_type",
                 "source_id", "idempotency_key", "reverses_id", "created_by_id", "posted_at"], entry_rows)
        ids: dict[tuple[str, int, int], int] = {}
        for (doc_type, fy), group in by_sequence.items():
            numbers = [n for d, y, n, _ in numbered if d == doc_type and y == fy]
            ids.update({(doc_type, fy, n): pk for n, pk in JournalEntry.objects.filter(
                organisation=organisation, doc_type=doc_type, fiscal_year=fy,
                number__gte=min(numbers), number__lte=max(numbers)).values_list("number", "pk")})
        line_rows = []
        for doc_type, fy, number, entry in numbered:
            entry_id = ids[(doc_type, fy, number)]
            day = adapt_date(entry.date)
            for ln in entry.lines:
                line_rows.append((organisation.pk, entry_id, day, ln.account.pk, ln.fund.pk, ln.member_id,
                                  ln.debit, ln.credit, ln.memo[:255]))
        _insert(JournalLine._meta.db_table,
                ["organisation_id", "entry_id", "date", "account_id", "fund_id", "member_id", "debit", "credit",
                 "memo"], line_rows)
    return len(entries)
