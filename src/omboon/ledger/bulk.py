"""Bulk posting of historical entries: many small balanced entries in a few statements.

The ledger's second and third doors for money (``entries_post_bulk`` and
``entries_insert_posted``; the three are described in ``omboon.ledger``).

``ledger.services.entry_post`` posts one entry with about ten queries and Django's per-object
``bulk_create``; 180,000 historical payments through it take minutes. Here the same checks run
over the whole batch — ``ledger.rules.ENTRY_POST``, the list ``entry_post`` runs: the group,
document types, every entry balanced with one positive side per line, accounts and funds of
this group (each pair once), nothing in a closed month (the batch's earliest date), a second
person for money out — document numbers are taken
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

from omboon.core import audit, sequence
from omboon.core.bulk import insert_rows
from omboon.core.errors import problems_of, raise_if
from omboon.ledger import chart, guards, rules
from omboon.ledger.models import (
    Account,
    DocumentSequence,
    Fund,
    JournalEntry,
    JournalLine,
    Period,
    PeriodBalance,
    SubAccount,
    member_model,
)


@dataclass
class BulkLine:
    account: object  # Account
    fund: object  # Fund
    debit: int = 0
    credit: int = 0
    member_id: int | None = None
    memo: str = ""
    sub_account: object = None  # SubAccount: a member's account under chart.SUB_ACCOUNTED

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


def _existing_keys(organisation, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        found.update(JournalEntry.objects.filter(organisation=organisation,
                                                 idempotency_key__in=keys[start:start + 500])
                     .values_list("idempotency_key", flat=True))
    return found


ENTRY_COLUMNS = ["organisation_id", "date", "doc_type", "number", "fiscal_year", "memo", "total", "source_type",
                 "source_id", "idempotency_key", "reverses_id", "created_by_id", "posted_at"]
LINE_COLUMNS = ["organisation_id", "entry_id", "date", "account_id", "fund_id", "member_id", "debit", "credit",
                "memo", "sub_account_id"]


def entry_ids(organisation, keys) -> dict[tuple[str, int, int], int]:
    """{(doc_type, fiscal_year, number): id} of the group's entries among ``keys``: one
    indexed range query per document sequence."""
    ranges: dict[tuple[str, int], list[int]] = {}
    for d, fy, n in keys:
        ranges.setdefault((d, fy), []).append(n)
    found = {}
    for (d, fy), numbers in ranges.items():
        for n, pk in JournalEntry.objects.filter(organisation=organisation, doc_type=d, fiscal_year=fy,
                                                 number__gte=min(numbers), number__lte=max(numbers)
                                                 ).values_list("number", "pk"):
            found[(d, fy, n)] = pk
    return {key: found[key] for key in keys if key in found}


def entries_post_bulk(*, actor, organisation, entries: list[BulkEntry], source: tuple[str, str],
                      approval: rules.Approval | None = None) -> int:
    """Post balanced entries; an entry whose idempotency key is already in the books is left
    out. Returns the number posted. Raises RuleViolation (nothing written) on any problem;
    should the database's own check of the batch still find one, IntegrityError (nothing written).
    Entries that take money out need ``approval`` (a second person), as ``services.entry_post``."""
    if not entries:
        return 0
    raise_if(rules.check_group(organisation))  # before anything is read of a network's books
    seen = _existing_keys(organisation, [e.idempotency_key for e in entries])
    entries = [e for e in entries if e.idempotency_key not in seen]
    if not entries:
        return 0
    raise_if(problems_of(rules.ENTRY_POST, rules.Postings(organisation, [
        rules.Posting(e.date, e.doc_type, e.lines, name=e.memo, key=e.idempotency_key) for e in entries],
        approval=approval)))

    with guards.batch_checked(connection):
        fy_start = organisation.fiscal_year_start_month
        by_sequence: dict[tuple[str, int], list[BulkEntry]] = defaultdict(list)
        for entry in entries:
            by_sequence[(entry.doc_type, chart.fiscal_year_of(fy_start, entry.date))].append(entry)
        now = timezone.now()
        adapt_date = connection.ops.adapt_datefield_value
        posted_at = connection.ops.adapt_datetimefield_value(now)
        actor_id = audit.person_id(actor)
        entry_rows = []
        numbered: list[tuple[str, int, int, BulkEntry]] = []
        for (doc_type, fy), group in sorted(by_sequence.items()):
            group.sort(key=lambda e: (e.date, e.idempotency_key))
            first = sequence.take_next(DocumentSequence, len(group), organisation=organisation, doc_type=doc_type,
                                       fiscal_year=fy)
            for offset, entry in enumerate(group):
                number = first + offset
                numbered.append((doc_type, fy, number, entry))
                entry_rows.append((
                    organisation.pk, adapt_date(entry.date), doc_type, number, fy, entry.memo[:255],
                    sum(ln.debit for ln in entry.lines), source[0], source[1], entry.idempotency_key,
                    None, actor_id, posted_at,
                ))
        insert_rows(JournalEntry._meta.db_table, ENTRY_COLUMNS, entry_rows)
        ids = entry_ids(organisation, [(d, y, n) for d, y, n, _ in numbered])
        line_rows = []
        for doc_type, fy, number, entry in numbered:
            entry_id = ids[(doc_type, fy, number)]
            day = adapt_date(entry.date)
            for ln in entry.lines:
                line_rows.append((organisation.pk, entry_id, day, ln.account.pk, ln.fund.pk, ln.member_id,
                                  ln.debit, ln.credit, ln.memo[:255], getattr(ln.sub_account, "pk", None)))
        insert_rows(JournalLine._meta.db_table, LINE_COLUMNS, line_rows)
    return len(entries)


@dataclass(slots=True)
class PostedLine:
    account: str  # the account's code
    fund: str  # the fund's code
    member: str | None  # the member's number
    debit: int
    credit: int
    memo: str = ""
    sub_account: str | None = None  # the sub-account's number


@dataclass(slots=True)
class PostedEntry:
    """An entry as another copy of the group's books posted it: its number and all."""

    doc_type: str
    fiscal_year: int
    number: int
    date: dt.date
    memo: str
    total: int
    source_type: str
    source_id: str
    idempotency_key: str | None
    posted_at: dt.datetime
    reverses: tuple[str, int, int] | None  # the reversed entry's (doc_type, fiscal_year, number)
    lines: list[PostedLine]
    key: tuple[str, int, int] = ()  # (doc_type, fiscal_year, number): what names it in both copies

    def __post_init__(self) -> None:
        self.key = (self.doc_type, self.fiscal_year, self.number)


def entries_insert_posted(*, organisation, entries: list[PostedEntry]) -> int:
    """Entries already posted in another copy of the same group's books (a standalone
    group's laptop, ``network.sync``), numbers and all, with their lines; those whose
    (doc_type, fiscal_year, number) the books hold already are left out. Returns how many
    went in.

    Account and fund codes, member and sub-account numbers must exist in the group (KeyError otherwise).
    Inside ``guards.batch_checked``: the database checks the batch as it checks any insert. A
    reversal whose reversed entry is in the same batch goes in a second round; one whose
    reversed entry is nowhere raises ``LookupError``.
    """
    todo = {e.key: e for e in entries}
    known = entry_ids(organisation, todo)
    todo = {key: e for key, e in todo.items() if key not in known}
    if not todo:
        return 0
    accounts = dict(Account.objects.filter(organisation=organisation).values_list("code", "pk"))
    funds = dict(Fund.objects.filter(organisation=organisation).values_list("code", "pk"))
    members = dict(member_model().objects.filter(organisation=organisation).values_list("number", "pk"))
    subs = dict(SubAccount.objects.filter(organisation=organisation).values_list("number", "pk"))
    adapt_date, adapt_time = connection.ops.adapt_datefield_value, connection.ops.adapt_datetimefield_value
    added = 0
    with guards.batch_checked(connection):
        while todo:
            ready = [e for e in todo.values() if not e.reverses or tuple(e.reverses) in known]
            if not ready:
                raise LookupError("a reversal refers to an entry the books do not have")
            insert_rows(JournalEntry._meta.db_table, ENTRY_COLUMNS, [
                (organisation.pk, adapt_date(e.date), e.doc_type, e.number, e.fiscal_year, e.memo, e.total,
                 e.source_type, e.source_id, e.idempotency_key, known[tuple(e.reverses)] if e.reverses else None,
                 None, adapt_time(e.posted_at))
                for e in ready])
            known.update(entry_ids(organisation, [e.key for e in ready]))
            lines = []
            for e in ready:
                entry_id, day = known[e.key], adapt_date(e.date)
                for ln in e.lines:
                    lines.append((organisation.pk, entry_id, day, accounts[ln.account], funds[ln.fund],
                                  members[ln.member] if ln.member else None, ln.debit, ln.credit, ln.memo,
                                  subs[ln.sub_account] if ln.sub_account else None))
            insert_rows(JournalLine._meta.db_table, LINE_COLUMNS, lines)
            added += len(ready)
            todo = {key: e for key, e in todo.items() if key not in known}
    return added


# --- what a group's laptop sends besides entries (``network.sync``) -------------------------
# The caller holds the transaction and writes the audit event (the sync's ``network.apply_batch``).


def chart_receive(*, organisation, accounts: list, funds: list) -> int:
    """The accounts (code, Thai name, English name, type, standard code) and funds (code, Thai
    name, English name, is default) of a group's own chart that these books lack; those they
    have stay as they are. Returns how many accounts were sent."""
    have = set(Account.objects.filter(organisation=organisation).values_list("code", flat=True))
    Account.objects.bulk_create([
        Account(organisation=organisation, code=c, name_th=th, name_en=en, type=t, standard_code=s)
        for c, th, en, t, s in accounts if c not in have])
    have_funds = set(Fund.objects.filter(organisation=organisation).values_list("code", flat=True))
    has_default = Fund.objects.filter(organisation=organisation, is_default=True).exists()
    new_funds = []
    for c, th, en, default in funds:
        if c in have_funds:
            continue
        new_funds.append(Fund(organisation=organisation, code=c, name_th=th, name_en=en,
                              is_default=bool(default) and not has_default))
        has_default = has_default or bool(default)
    Fund.objects.bulk_create(new_funds)
    return len(accounts)


def sub_accounts_receive(*, organisation, rows: list) -> int:
    """Members' accounts (number, account code, member number, kind, name, opened on) of the
    group's own books that these books lack, by number; those they have stay. Account codes and
    member numbers must exist (KeyError otherwise). Returns how many were added."""
    have = set(SubAccount.objects.filter(organisation=organisation).values_list("number", flat=True))
    fresh = [r for r in rows if r[0] not in have]
    if not fresh:
        return 0
    accounts = dict(Account.objects.filter(organisation=organisation).values_list("code", "pk"))
    members = dict(member_model().objects.filter(organisation=organisation, number__in=[r[2] for r in fresh])
                   .values_list("number", "pk"))
    SubAccount.objects.bulk_create([
        SubAccount(organisation=organisation, number=number, account_id=accounts[code], member_id=members[member],
                   kind=kind, name=name, opened_on=opened_on)
        for number, code, member, kind, name, opened_on in fresh], batch_size=1000)
    return len(fresh)


@dataclass
class ReceivedPeriod:
    """A month as the group's own books hold it: open, or closed with every account × fund
    balance (account code, fund code, debits, credits, balance)."""

    year: int
    month: int
    status: str
    closed_at: dt.datetime | None = None
    balances: list = field(default_factory=list)


def periods_receive(*, organisation, periods: list[ReceivedPeriod]) -> int:
    """Months closed (or open) as in the group's own books, with their stored balances, in
    place of what these books held for them. Returns how many months."""
    accounts = dict(Account.objects.filter(organisation=organisation).values_list("code", "pk"))
    funds = dict(Fund.objects.filter(organisation=organisation).values_list("code", "pk"))
    for p in periods:
        period, _ = Period.objects.get_or_create(organisation=organisation, year=p.year, month=p.month)
        PeriodBalance.objects.filter(period=period).delete()
        closed = p.status == Period.Status.CLOSED
        Period.objects.filter(pk=period.pk).update(status=p.status, closed_at=p.closed_at if closed else None)
        if closed:
            PeriodBalance.objects.bulk_create([
                PeriodBalance(organisation=organisation, period=period, account_id=accounts[a], fund_id=funds[f],
                              debit_total=d, credit_total=c, balance=b) for a, f, d, c, b in p.balances],
                batch_size=1000)
    return len(periods)
