"""The books over HTTP (mounted at /api/ledger/): accounts, entries (post, reverse), vouchers
(create, approve, post, cancel), periods (close, reopen) and the trial balance. Every endpoint
resolves the group through scoping.

Money out always has a second person: ``POST entries`` takes money in, and journals that move
no cash where the group's bylaws allow one person; a payment is a voucher that someone else,
who may approve, approves before it is posted."""


import datetime as dt

from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from omboon.core.contract import Date, Id, MonthNumber, NonNegativeSatang, OrgCode, Page, Year, choice, code, rows, text
from omboon.core.errors import RuleViolation
from omboon.ledger import rules, selectors, services
from omboon.ledger.models import DocumentType, JournalEntry, Voucher, member_model
from omboon.orgs import scoping

router = Router(tags=["ledger"])


class AccountOut(Schema):
    code: str
    name_th: str
    name_en: str
    type: str
    standard_code: str
    is_active: bool


Reason = text(255, min_length=1, description="เหตุผล / the reason")


class LineIn(Schema):
    """One side more than zero, the other zero (``debit`` or ``credit``); the lines of an entry
    balance and name accounts of the group's chart (rules)."""

    model_config = {"json_schema_extra": {"oneOf": [
        {"required": ["debit"], "properties": {"debit": {"minimum": 1}, "credit": {"maximum": 0}}},
        {"required": ["credit"], "properties": {"credit": {"minimum": 1}, "debit": {"maximum": 0}}}]}}

    account: code(16, description="รหัสบัญชีในผังบัญชีของกลุ่ม / an account code of the group's chart")
    fund: code(16) | None = None
    member_id: Id | None = None
    debit: NonNegativeSatang = 0
    credit: NonNegativeSatang = 0
    memo: text(255) = ""


class LineOut(Schema):
    account: str
    fund: str
    member_id: int | None
    debit: int
    credit: int
    memo: str


class EntryIn(Schema):
    date: Date
    doc_type: choice(DocumentType, description="money out only through a voucher and its second person")
    memo: text(255) = ""
    idempotency_key: text(128, min_length=1) | None = None
    lines: rows(LineIn, 200, min_length=2)


class EntryOut(Schema):
    id: int
    document_number: str
    date: dt.date
    doc_type: str
    fiscal_year: int
    number: int
    memo: str
    total: int
    reverses_id: int | None
    reversed_by_id: int | None
    lines: list[LineOut]

    @staticmethod
    def resolve_reversed_by_id(obj: JournalEntry) -> int | None:
        reversal = JournalEntry.objects.filter(reverses=obj).values_list("pk", flat=True).first()
        return reversal

    @staticmethod
    def resolve_lines(obj: JournalEntry) -> list[dict]:
        return [{"account": ln.account.code, "fund": ln.fund.code, "member_id": ln.member_id, "debit": ln.debit,
                 "credit": ln.credit, "memo": ln.memo} for ln in obj.lines.select_related("account", "fund")]


class ReverseIn(Schema):
    date: Date
    reason: Reason


class PeriodOut(Schema):
    year: int
    month: int
    closed: bool
    is_next: bool


class PeriodIn(Schema):
    year: Year
    month: MonthNumber


class ReopenIn(PeriodIn):
    reason: Reason


class TrialBalanceRowOut(Schema):
    code: str
    name_th: str
    name_en: str
    debit: int
    credit: int


class TrialBalanceOut(Schema):
    as_of: dt.date
    rows: list[TrialBalanceRowOut]
    total_debit: int
    total_credit: int


@router.get("/{org}/accounts", response=list[AccountOut], summary="ผังบัญชี / chart of accounts")
def account_list(request, org: OrgCode):
    return list(selectors.accounts(scoping.org_of(request, org)))


@router.get("/{org}/entries", response=list[EntryOut], summary="รายการบัญชี / journal entries")
@paginate(Page)
def entry_list(request, org: OrgCode, start: Date | None = None, end: Date | None = None):
    qs = selectors.entries(scoping.org_of(request, org))
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    return qs


@router.get("/{org}/entries/{entry_id}", response=EntryOut, summary="รายการบัญชีเดียว / one entry")
def entry_detail(request, org: OrgCode, entry_id: Id):
    return selectors.entry_detail(scoping.org_of(request, org), entry_id)


@router.post("/{org}/entries", response={201: EntryOut}, summary="ลงบัญชี / post an entry")
def entry_post(request, org: OrgCode, payload: EntryIn):
    organisation = scoping.org_of(request, org, scoping.WRITE)
    lines = _lines(organisation, payload.lines)
    entry = services.entry_post(actor=request.user, organisation=organisation, date=payload.date,
                                doc_type=payload.doc_type, lines=lines, memo=payload.memo,
                                idempotency_key=payload.idempotency_key, direct=True)
    return Status(201, entry)


def _lines(organisation, payload_lines: list[LineIn]) -> list:
    members = {m.pk: m for m in scoping.in_scope(member_model().objects.all(), organisation).filter(
        pk__in=[ln.member_id for ln in payload_lines if ln.member_id])}
    missing = [ln.member_id for ln in payload_lines if ln.member_id and ln.member_id not in members]
    if missing:
        raise RuleViolation(rules.unknown_members(missing))
    return [services.Line(account=ln.account, fund=ln.fund, debit=ln.debit, credit=ln.credit, memo=ln.memo,
                          member=members.get(ln.member_id) if ln.member_id else None) for ln in payload_lines]


class VoucherIn(Schema):
    kind: choice(Voucher.Kind)
    date: Date
    memo: text(255, min_length=1)
    counterparty: text(200) = ""
    lines: rows(LineIn, 200, min_length=2)


class VoucherOut(Schema):
    id: int
    kind: choice(Voucher.Kind)
    status: choice(Voucher.Status)
    date: dt.date
    memo: str
    counterparty: str
    created_by: str
    approved_by: str | None
    entry_id: int | None

    @staticmethod
    def resolve_created_by(obj: Voucher) -> str:
        return obj.created_by.username

    @staticmethod
    def resolve_approved_by(obj: Voucher) -> str | None:
        return obj.approved_by.username if obj.approved_by_id else None


class CancelIn(Schema):
    reason: Reason


def _voucher(organisation, voucher_id: int) -> Voucher:
    return scoping.get_in_scope(selectors.vouchers(organisation), organisation, voucher_id)


@router.get("/{org}/vouchers", response=list[VoucherOut], summary="ใบสำคัญ / vouchers")
@paginate(Page)
def voucher_list(request, org: OrgCode, status: choice(Voucher.Status, blank=True) = ""):
    qs = selectors.vouchers(scoping.org_of(request, org)).order_by("-date", "-id")
    return qs.filter(status=status) if status else qs


@router.post("/{org}/vouchers", response={201: VoucherOut}, summary="ทำใบสำคัญ / make a voucher (draft)")
def voucher_create(request, org: OrgCode, payload: VoucherIn):
    organisation = scoping.org_of(request, org, scoping.WRITE)
    return Status(201, services.voucher_create(
        actor=request.user, organisation=organisation, kind=payload.kind, date=payload.date, memo=payload.memo,
        counterparty=payload.counterparty, lines=_lines(organisation, payload.lines)))


@router.post("/{org}/vouchers/{voucher_id}/approve", response=VoucherOut,
             summary="อนุมัติใบสำคัญ (คนที่สอง) / approve a voucher (a second person)")
def voucher_approve(request, org: OrgCode, voucher_id: Id):
    organisation = scoping.org_of(request, org, scoping.APPROVE)
    return services.voucher_approve(actor=request.user, voucher=_voucher(organisation, voucher_id))


@router.post("/{org}/vouchers/{voucher_id}/post", response=VoucherOut, summary="ลงบัญชีใบสำคัญ / post a voucher")
def voucher_post(request, org: OrgCode, voucher_id: Id):
    organisation = scoping.org_of(request, org, scoping.WRITE)
    return services.voucher_post(actor=request.user, voucher=_voucher(organisation, voucher_id))


@router.post("/{org}/vouchers/{voucher_id}/cancel", response=VoucherOut, summary="ยกเลิกใบสำคัญ / cancel a voucher")
def voucher_cancel(request, org: OrgCode, voucher_id: Id, payload: CancelIn):
    organisation = scoping.org_of(request, org, scoping.WRITE)
    return services.voucher_cancel(actor=request.user, voucher=_voucher(organisation, voucher_id),
                                   reason=payload.reason)


@router.post("/{org}/entries/{entry_id}/reverse", response={201: EntryOut}, summary="กลับรายการ / reverse")
def entry_reverse(request, org: OrgCode, entry_id: Id, payload: ReverseIn):
    organisation = scoping.org_of(request, org, scoping.WRITE)
    entry = selectors.entry_detail(organisation, entry_id)
    return Status(201, services.entry_reverse(actor=request.user, entry=entry, date=payload.date,
                                              reason=payload.reason))


@router.get("/{org}/periods", response=list[PeriodOut], summary="งวดบัญชี / periods")
def period_list(request, org: OrgCode):
    return [{"year": r["year"], "month": r["month"], "closed": r["closed"], "is_next": r["is_next"]}
            for r in selectors.period_list(scoping.org_of(request, org))]


@router.post("/{org}/periods/close", response=PeriodOut, summary="ปิดบัญชีสิ้นเดือน / close a month")
def period_close(request, org: OrgCode, payload: PeriodIn):
    organisation = scoping.org_of(request, org, scoping.WRITE)
    p = services.period_close(actor=request.user, organisation=organisation, year=payload.year,
                              month=payload.month)
    return {"year": p.year, "month": p.month, "closed": True, "is_next": False}


@router.post("/{org}/periods/reopen", response=list[PeriodOut], summary="เปิดงวดบัญชี / reopen a month")
def period_reopen(request, org: OrgCode, payload: ReopenIn):
    organisation = scoping.org_of(request, org, scoping.MANAGE)
    reopened = services.period_reopen(actor=request.user, organisation=organisation, year=payload.year,
                                      month=payload.month, reason=payload.reason)
    return [{"year": p.year, "month": p.month, "closed": False, "is_next": i == 0} for i, p in enumerate(reopened)]


@router.get("/{org}/trial-balance", response=TrialBalanceOut, summary="งบทดลอง / trial balance")
def trial_balance(request, org: OrgCode, as_of: Date | None = None):
    tb = selectors.trial_balance(scoping.org_of(request, org), as_of or timezone.localdate())
    return {"as_of": tb.as_of, "total_debit": tb.total_debit, "total_credit": tb.total_credit,
            "rows": [{"code": r.account.code, "name_th": r.account.name_th, "name_en": r.account.name_en,
                      "debit": r.debit, "credit": r.credit} for r in tb.rows]}
