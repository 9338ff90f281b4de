"""Reads of contributions shared by views, reports, the API and the benchmarks. Every query
goes through ``omboon.orgs.scoping.in_scope``."""

from __future__ import annotations

import datetime as dt
from copy import copy
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Sum

from omboon.contributions import coverage
from omboon.contributions.models import (
    GRANT_KINDS,
    KIND_ACCOUNT,
    MEMBER_KINDS,
    CollectionDay,
    CollectionDraft,
    CollectionDraftLine,
    ContributionPlan,
    Kind,
    Receipt,
    ReceiptItem,
    kind_label,
)
from omboon.core.thaidate import format_date
from omboon.ledger.models import AccountType, DocumentType, JournalLine
from omboon.members.models import LEFT_STATUSES, Member
from omboon.members.selectors import member_list
from omboon.orgs import scoping

PAYING_STATUSES = (Member.Status.APPLIED, Member.Status.ACTIVE)


def plans(organisation) -> QuerySet[ContributionPlan]:
    return scoping.in_scope(ContributionPlan.objects.all(), organisation).order_by("kind", "effective_from")


def rates(organisation) -> dict[str, list[coverage.Rate]]:
    found = coverage.rates_by_kind(plans(organisation))
    for kind in MEMBER_KINDS:
        found.setdefault(kind, coverage.default_rates(kind))
    return found


def current_plans(organisation, on: dt.date) -> dict[str, coverage.Rate | None]:
    return {kind: coverage.rate_on(r, on) for kind, r in rates(organisation).items()}


def receipts(organisation) -> QuerySet[Receipt]:
    return scoping.in_scope(Receipt.objects.all(), organisation).select_related("member", "organisation")


def collection_days(organisation) -> QuerySet[CollectionDay]:
    return scoping.in_scope(CollectionDay.objects.all(), organisation)


def valid_items(organisation) -> QuerySet[ReceiptItem]:
    return scoping.in_scope(ReceiptItem.objects.all(), organisation).filter(receipt__status=Receipt.Status.ISSUED)


def paid_totals(organisation, member_ids=None, *, as_of: dt.date | None = None) -> dict[tuple[int, str], int]:
    """Total paid per (member id, kind), from receipts that are not void."""
    qs = valid_items(organisation).filter(member__isnull=False)
    if member_ids is not None:
        qs = qs.filter(member_id__in=list(member_ids))
    if as_of is not None:
        qs = qs.filter(receipt__date__lte=as_of)
    return {(m, k): total for m, k, total in
            qs.values_list("member_id", "kind").annotate(total=Sum("amount")).order_by()}


def left_on(member: Member) -> dt.date | None:
    if member.status in LEFT_STATUSES:
        return member.status_date or member.join_date
    return None


def schedule(member: Member, kind: str, kind_rates: list[coverage.Rate], fy_start_month: int) -> coverage.Schedule:
    return coverage.Schedule(kind, kind_rates, joined=member.join_date, left=left_on(member),
                             fy_start_month=fy_start_month)


@dataclass
class MemberCoverage:
    member: Member
    kinds: dict[str, coverage.Coverage] = field(default_factory=dict)

    @property
    def arrears(self) -> int:
        return sum(c.arrears for c in self.kinds.values())

    @property
    def due_now(self) -> int:
        return sum(c.due_now for c in self.kinds.values())

    @property
    def months_behind(self) -> int:
        return max((c.months_behind for c in self.kinds.values()), default=0)

    def get(self, kind: str) -> coverage.Coverage | None:
        return self.kinds.get(kind)


def coverage_of(members, organisation, *, as_of: dt.date, kind_rates=None, paid=None,
                shared: bool = False, schedule_of=None) -> list[MemberCoverage]:
    """Coverage of every kind for each member (of one group), from two queries. ``shared``:
    members with the same figures share one Coverage object (the caller copies what it keeps)."""
    members = list(members)
    kind_rates = kind_rates if kind_rates is not None else rates(organisation)
    if paid is None:
        paid = paid_totals(organisation, [m.pk for m in members] if len(members) < 500 else None, as_of=as_of)
    schedule_of = schedule_of or _schedules(kind_rates, organisation.fiscal_year_start_month)
    # A coverage depends only on the schedule and the amount paid: members who share them (many,
    # in a group of thousands) share one computation (each gets its own copy unless ``shared``).
    computed: dict[tuple, coverage.Coverage] = {}
    out = []
    for member in members:
        mc = MemberCoverage(member)
        left = left_on(member)
        for kind in MEMBER_KINDS:
            amount = paid.get((member.pk, kind), 0)
            key = (kind, member.join_date, left)
            sched = schedule_of(kind, member.join_date, left)
            if not sched.owed and not amount:
                continue
            found = computed.get((key, amount))
            if found is None:
                found = computed[(key, amount)] = sched.coverage(amount, as_of)
            mc.kinds[kind] = found if shared else copy(found)
        out.append(mc)
    return out


def _schedules(kind_rates, fy_start_month: int):
    """``schedule`` by (kind, join date, leaving date), each made once: a schedule depends on
    nothing else of a member, and keeps what it has worked out (``Schedule.due_through``)."""
    made: dict[tuple, coverage.Schedule] = {}

    def schedule_of(kind: str, joined: dt.date, left: dt.date | None) -> coverage.Schedule:
        key = (kind, joined, left)
        sched = made.get(key)
        if sched is None:
            sched = made[key] = coverage.Schedule(kind, kind_rates.get(kind, []), joined=joined, left=left,
                                                  fy_start_month=fy_start_month)
        return sched

    return schedule_of


def member_coverage(member: Member, *, as_of: dt.date) -> MemberCoverage:
    return coverage_of([member], member.organisation, as_of=as_of)[0]


def paying_members(organisation) -> QuerySet[Member]:
    return scoping.in_scope(Member.objects.all(), organisation).filter(status__in=PAYING_STATUSES)


def due_list(organisation, *, as_of: dt.date, query: str = "") -> list[MemberCoverage]:
    """Members who may pay today with what each owes through the current billing period."""
    members = paying_members(organisation).filter(join_date__lte=as_of).order_by("number")
    if query:
        members = member_list(organisation=organisation, query=query).filter(
            status__in=PAYING_STATUSES, join_date__lte=as_of).order_by("number")
    return coverage_of(members.only("id", "organisation_id", "number", "title", "first_name", "last_name",
                                    "join_date", "status", "status_date", "moo"),
                       organisation, as_of=as_of)


@dataclass(frozen=True)
class _Dates:
    """What ``coverage_of`` reads of a member."""

    pk: int
    join_date: dt.date
    status: str
    status_date: dt.date | None


def arrears(organisation, *, as_of: dt.date, min_months: int = 1) -> list[MemberCoverage]:
    """Active members behind on any contribution by at least ``min_months`` months (or with
    an unpaid entry fee), most behind first."""
    members = paying_members(organisation).filter(join_date__lte=as_of).order_by("number")
    # Three dates of every member say who owes more than they paid for the periods that have
    # ended (each join date's figures worked out once); only those get a coverage, and only the
    # members listed are read whole.
    kind_rates = rates(organisation)
    paid = paid_totals(organisation, as_of=as_of)
    schedule_of = _schedules(kind_rates, organisation.fiscal_year_start_month)
    # (kind, due to date) of the kinds owed, by join date and leaving date: members who share
    # them (most of a group of thousands) share the figures, and each member's test is a look-up
    dues_of: dict[tuple, tuple[tuple[str, int], ...]] = {}
    behind = []
    for row in members.values_list("pk", "join_date", "status", "status_date"):
        m = _Dates(*row)
        key = (m.join_date, left_on(m))
        dues = dues_of.get(key)
        if dues is None:
            dues = dues_of[key] = tuple((kind, due) for kind in MEMBER_KINDS
                                        if (due := schedule_of(kind, *key).due_to_date(as_of)))
        if any(due > paid.get((m.pk, kind), 0) for kind, due in dues):
            behind.append(m)
    rows = [mc for mc in coverage_of(behind, organisation, as_of=as_of, kind_rates=kind_rates, paid=paid,
                                     shared=True, schedule_of=schedule_of)
            if mc.arrears and (mc.months_behind >= min_months or
                               (mc.get(Kind.ENTRY_FEE) and mc.get(Kind.ENTRY_FEE).arrears))]
    whole = members.in_bulk([mc.member.pk for mc in rows])
    for mc in rows:
        mc.member = whole[mc.member.pk]
        mc.kinds = {kind: copy(c) for kind, c in mc.kinds.items()}
    rows.sort(key=lambda mc: (-mc.months_behind, -mc.arrears, mc.member.number))
    return rows


# --- collection day in pieces ---------------------------------------------------------------

COLLECT_PAGE_SIZE = 100  # rows a page: 3 fields each, 300 + 8 fields, below DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000)
# with savings deposits and loan repayments (``ledger.collection``) a row has 3 + one field a target
# (an account, a loan): 50 rows of up to 16 targets stay below the limit
COLLECT_PAGE_SIZE_WITH_PARTS = 50


def open_draft(organisation, date: dt.date) -> CollectionDraft | None:
    """The draft day being recorded for ``date`` (not yet in the books), if any."""
    return scoping.in_scope(CollectionDraft.objects.all(), organisation).filter(
        date=date, status=CollectionDraft.Status.OPEN).first()


def collection_drafts(organisation) -> QuerySet[CollectionDraft]:
    return scoping.in_scope(CollectionDraft.objects.all(), organisation)


def open_drafts(organisation) -> QuerySet[CollectionDraft]:
    return (scoping.in_scope(CollectionDraft.objects.all(), organisation)
            .filter(status=CollectionDraft.Status.OPEN)
            .annotate(n=Count("lines"), total=Sum(F("lines__amount") + F("lines__parts_total")))
            .order_by("-date"))


def draft_amounts(draft: CollectionDraft | None, member_ids=None) -> dict[int, int]:
    if draft is None:
        return {}
    qs = CollectionDraftLine.objects.filter(draft=draft)
    if member_ids is not None:
        qs = qs.filter(member_id__in=list(member_ids))
    return dict(qs.values_list("member_id", "amount"))


def draft_rows(draft: CollectionDraft | None, member_ids) -> dict[int, tuple[int, dict]]:
    """Member id → (contribution, {part code: {ref: satang}}) as saved in the draft."""
    if draft is None:
        return {}
    return {m: (a, p or {}) for m, a, p in CollectionDraftLine.objects.filter(
        draft=draft, member_id__in=list(member_ids)).values_list("member_id", "amount", "parts")}


def draft_all_rows(draft: CollectionDraft | None) -> list[tuple[int, int, dict]]:
    """(member id, contribution, parts) of every line of a draft day."""
    if draft is None:
        return []
    return list(CollectionDraftLine.objects.filter(draft=draft).values_list("member_id", "amount", "parts"))


def draft_totals(draft: CollectionDraft | None) -> tuple[int, int]:
    if draft is None:
        return 0, 0
    agg = CollectionDraftLine.objects.filter(draft=draft).aggregate(n=Count("id"),
                                                                    total=Sum(F("amount") + F("parts_total")))
    return agg["n"] or 0, agg["total"] or 0


def draft_lines(draft: CollectionDraft) -> QuerySet[CollectionDraftLine]:
    return (CollectionDraftLine.objects.filter(draft=draft).select_related("member")
            .order_by("member__number"))


def draft_unpayable(draft: CollectionDraft) -> QuerySet[CollectionDraftLine]:
    """Lines of members who may not pay on the draft's date (joined later, or left before it):
    the few candidates found in the database, each then checked by ``rules.check_member_may_pay``."""

    left = Q(member__status__in=LEFT_STATUSES) & (Q(member__status_date__isnull=True) |
                                                 Q(member__status_date__lt=draft.date))
    return draft_lines(draft).filter(left | Q(member__join_date__gt=draft.date))


def draft_by_village(draft: CollectionDraft) -> list[tuple[int | None, int, int]]:
    """(หมู่, members, total) of a draft day, for the confirmation."""
    return [(moo, n, total) for moo, n, total in
            CollectionDraftLine.objects.filter(draft=draft).values_list("member__moo")
            .annotate(n=Count("id"), total=Sum(F("amount") + F("parts_total"))).order_by("member__moo")]


def villages(organisation) -> list[int]:
    return list(paying_members(organisation).exclude(moo__isnull=True).values_list("moo", flat=True)
                .distinct().order_by("moo"))


def collect_members(organisation, *, as_of: dt.date, query: str = "", moo: int | None = None,
                    unpaid: bool = False, draft: CollectionDraft | None = None) -> QuerySet[Member]:
    """Who may pay on ``as_of`` (by number), searched (name, number, หมู่), in one village, or
    only those not yet paid that day (not in the draft, no receipt of that date)."""
    if query:
        members = member_list(organisation=organisation, query=query)
    else:
        members = scoping.in_scope(Member.objects.all(), organisation)
    members = members.filter(status__in=PAYING_STATUSES, join_date__lte=as_of)
    if moo is not None:
        members = members.filter(moo=moo)
    if unpaid:
        if draft is not None:
            members = members.exclude(pk__in=CollectionDraftLine.objects.filter(draft=draft).values("member_id"))
        members = members.exclude(pk__in=receipts(organisation).filter(
            date=as_of, status=Receipt.Status.ISSUED, member__isnull=False).values("member_id"))
    return members.order_by("number").only("id", "organisation_id", "number", "title", "first_name", "last_name",
                                           "join_date", "status", "status_date", "moo")


def receipted_on(organisation, member_ids, day: dt.date) -> dict[int, str]:
    """Member id → a receipt number of ``day`` already issued (so a row shows it was paid)."""
    return dict(receipts(organisation).filter(date=day, status=Receipt.Status.ISSUED, member_id__in=list(member_ids))
                .order_by("number").values_list("member_id", "document_number"))


# --- passbook -------------------------------------------------------------------------------

@dataclass
class PassbookLine:
    date: dt.date
    document: str
    description_th: str
    description_en: str
    paid_in: int = 0
    benefit: int = 0
    balance: int = 0
    void: bool = False
    receipt_id: int | None = None


@dataclass
class Passbook:
    member: Member
    as_of: dt.date
    lines: list[PassbookLine]
    coverage: MemberCoverage
    totals_by_kind: dict[str, int]

    @property
    def total_paid(self) -> int:
        return sum(ln.paid_in for ln in self.lines if not ln.void)

    @property
    def total_benefits(self) -> int:
        return sum(ln.benefit for ln in self.lines if not ln.void)


def _period_text(item: ReceiptItem, lang: str) -> str:
    if item.period_from and item.period_to:
        return f" {format_date(item.period_from, lang=lang)} – {format_date(item.period_to, lang=lang)}"
    return ""


def passbook(member: Member, *, as_of: dt.date | None = None) -> Passbook:
    """Every payment (void ones marked) and benefit of a member, with the running total of
    what they have contributed."""
    as_of = as_of or dt.date.today()
    org = member.organisation
    items = (scoping.in_scope(ReceiptItem.objects.all(), org).filter(member=member, receipt__date__lte=as_of)
             .select_related("receipt").order_by("receipt__date", "receipt__fiscal_year", "receipt__number", "id"))
    lines: list[PassbookLine] = []
    totals: dict[str, int] = {}
    for item in items:
        void = item.receipt.is_void
        lines.append(PassbookLine(
            date=item.receipt.date, document=item.receipt.document_number,
            description_th=kind_label(item.kind) + _period_text(item, "th") + (" (ยกเลิก)" if void else ""),
            description_en=kind_label(item.kind, "en") + _period_text(item, "en") + (" (void)" if void else ""),
            paid_in=item.amount, void=void, receipt_id=item.receipt_id))
        if not void:
            totals[item.kind] = totals.get(item.kind, 0) + item.amount
    benefit_lines = (scoping.in_scope(JournalLine.objects.all(), org)
                     .filter(member=member, account__type=AccountType.EXPENSE, date__lte=as_of)
                     .select_related("entry", "account").order_by("date", "entry_id"))
    for ln in benefit_lines:
        lines.append(PassbookLine(date=ln.date, document=ln.entry.document_number,
                                  description_th=ln.account.name_th, description_en=ln.account.name_en or
                                  ln.account.name_th, benefit=ln.debit - ln.credit))
    lines.sort(key=lambda ln: (ln.date, ln.document))
    running = 0
    for ln in lines:
        if not ln.void:
            running += ln.paid_in
        ln.balance = running
    cov = coverage_of([member], org, as_of=as_of)[0]
    return Passbook(member=member, as_of=as_of, lines=lines, coverage=cov, totals_by_kind=totals)


def member_for_user(organisation, user) -> Member | None:
    """The member record of a member-role user in this group."""
    if not getattr(user, "is_authenticated", False):
        return None
    return scoping.in_scope(Member.objects.all(), organisation).filter(user=user).first()


def day_summary(organisation, day: dt.date) -> dict:
    qs = receipts(organisation).filter(date=day, status=Receipt.Status.ISSUED)
    agg = qs.aggregate(total=Sum("total"))
    return {"count": qs.count(), "total": agg["total"] or 0,
            "void": receipts(organisation).filter(date=day, status=Receipt.Status.VOID).count()}


def income_by_kind(organisation, start: dt.date | None, end: dt.date | None) -> dict[str, int]:
    qs = valid_items(organisation)
    if start:
        qs = qs.filter(receipt__date__gte=start)
    if end:
        qs = qs.filter(receipt__date__lte=end)
    return dict(qs.values_list("kind").annotate(total=Sum("amount")).order_by())


def grants_by_kind(organisation, start: dt.date | None, end: dt.date | None) -> dict[str, int]:
    """Matching grants and donations by kind as the books hold them (credits less debits of the
    kind's standard account, closing entries left out): a grant is received with a grant receipt
    (``services.grant_record``) or with a receipt voucher, and the report counts both."""
    codes = {KIND_ACCOUNT[k]: k for k in GRANT_KINDS}
    qs = JournalLine.objects.filter(organisation=organisation, account__standard_code__in=codes).exclude(
        entry__doc_type=DocumentType.CLOSING)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    out: dict[str, int] = {}
    for code, debit, credit in (qs.values_list("account__standard_code").annotate(Sum("debit"), Sum("credit"))
                                .order_by()):
        out[codes[code]] = out.get(codes[code], 0) + credit - debit
    return out

