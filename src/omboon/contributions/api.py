"""Contributions over HTTP (mounted at /api/contributions/): plans, receipts (issue, void),
matching grants, collection days, coverage and passbooks. Every endpoint resolves the group
through ``omboon.orgs.scoping``; a member-role user reads only their own passbook. Money is
integer satang."""


import datetime as dt

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from omboon.contributions import drafts, selectors, services
from omboon.contributions.models import GRANT_KINDS, MEMBER_KINDS, Frequency, Receipt
from omboon.contributions.rules import PAID_INTO
from omboon.core.contract import (
    Date,
    Id,
    NonNegativeSatang,
    OrgCode,
    Page,
    PositiveSatang,
    Satang,
    SmallCount,
    choice,
    code,
    rows,
    text,
    whole,
)
from omboon.members.models import Member
from omboon.orgs import scoping

router = Router(tags=["contributions"])


IdemKey = text(128, min_length=1, description="คีย์กันส่งซ้ำ / idempotency key: the same key again gives the same result")
MemberKind = choice(MEMBER_KINDS, description="เงินของสมาชิก / a member's payment")
PaidInto = choice(PAID_INTO, description="รับเป็นเงินสดหรือเข้าบัญชีธนาคาร / received in cash or into the bank")


class PlanIn(Schema):
    """``frequency``: the entry fee ``once``; the others ``monthly``, ``quarterly`` or ``yearly``
    (left out: ``once`` for the entry fee, ``monthly`` for the others)."""

    model_config = {"json_schema_extra": {"oneOf": [
        {"properties": {"kind": {"const": "entry_fee"}, "frequency": {"enum": ["once", None]}}},
        {"properties": {"kind": {"enum": ["annual_fee", "daily_saving"]},
                        "frequency": {"enum": ["monthly", "quarterly", "yearly", None]}}}]}}

    kind: MemberKind
    amount: PositiveSatang
    effective_from: Date
    frequency: choice(Frequency) | None = None
    fund_code: text(16) = ""
    note: text(255) = ""


class PlanOut(Schema):
    id: int
    kind: str
    amount: int
    frequency: str
    effective_from: dt.date
    fund_code: str
    note: str


class ItemIn(Schema):
    kind: MemberKind
    amount: PositiveSatang
    period_from: Date | None = None
    period_to: Date | None = None


class ItemOut(Schema):
    kind: str
    amount: int
    period_from: dt.date | None
    period_to: dt.date | None


class ReceiptIn(Schema):
    """One item per kind (a kind twice is a rule's refusal); a date not after today, in an open month."""

    member_id: Id
    date: Date
    items: rows(ItemIn, len(MEMBER_KINDS), min_length=1)
    idempotency_key: IdemKey | None = None
    memo: text(255) = ""
    paid_into: PaidInto = "cash"


class GrantIn(Schema):
    kind: choice(GRANT_KINDS, description="เงินสมทบหรือเงินบริจาค / a matching grant or a donation")
    amount: PositiveSatang
    payer_name: text(200, min_length=1)
    date: Date
    memo: text(255) = ""
    paid_into: PaidInto = "bank"
    idempotency_key: IdemKey | None = None


class VoidIn(Schema):
    reason: text(255, min_length=1)
    date: Date | None = None


class ReceiptPartOut(Schema):
    part: str  # savings, loans
    ref: str  # the part's target: a savings account's id, a loan's id
    label_th: str
    label_en: str
    amount: int
    detail: dict[str, int | str]  # a loan repayment's split: penalty, fee, interest, principal (satang)


class ReceiptOut(Schema):
    id: int
    document_number: str
    fiscal_year: int
    number: int
    date: dt.date
    member_id: int | None
    payer_name: str
    total: int
    paid_into: str
    status: str
    void_reason: str
    entry: str
    items: list[ItemOut]
    parts: list[ReceiptPartOut]

    @staticmethod
    def resolve_entry(obj: Receipt) -> str:
        return obj.entry.document_number

    @staticmethod
    def resolve_items(obj: Receipt) -> list[dict]:
        return [{"kind": i.kind, "amount": i.amount, "period_from": i.period_from, "period_to": i.period_to}
                for i in obj.items.all()]

    @staticmethod
    def resolve_parts(obj: Receipt) -> list[dict]:
        return [{"part": p.part, "ref": p.ref, "label_th": p.label_th, "label_en": p.label_en, "amount": p.amount,
                 "detail": p.detail or {}} for p in obj.parts.all()]


class PartIn(Schema):
    """A savings deposit or a loan repayment of a row (the targets a collection page shows)."""

    part: text(16, min_length=1)  # savings, loans
    ref: text(32, min_length=1)  # a savings account's id, a loan's id
    amount: Satang | text(32)  # satang, or the amount as typed


def _parts(parts) -> dict:
    out: dict[str, dict[str, object]] = {}
    for p in parts or []:
        out.setdefault(p.part, {})[p.ref] = p.amount
    return out


class RowIn(Schema):
    """A member by ``member_id`` or by ``number``; the money as one ``amount`` (the member's
    plans decide the split) or as ``items``; ``parts``: its savings deposits and loan repayments."""

    model_config = {"json_schema_extra": {"allOf": [
        {"anyOf": [{"required": ["member_id"], "properties": {"member_id": {"type": "integer"}}},
                   {"required": ["number"], "properties": {"number": {"type": "string"}}}]},
        {"anyOf": [{"required": ["amount"], "properties": {"amount": {"type": "integer"}}},
                   {"required": ["items"], "properties": {"items": {"type": "array"}}},
                   {"required": ["parts"], "properties": {"parts": {"type": "array"}}}]}]}}

    member_id: Id | None = None
    number: code(16) | None = None
    amount: Satang | None = None  # a negative amount is a rule's refusal, named by row
    items: rows(ItemIn, len(MEMBER_KINDS), min_length=1) | None = None
    parts: list[PartIn] | None = Field(None, max_length=32)


class CollectionIn(Schema):
    date: Date
    rows: rows(RowIn, 5000, min_length=1)
    idempotency_key: IdemKey | None = None
    paid_into: PaidInto = "cash"


class CollectionOut(Schema):
    id: int
    date: dt.date
    count: int
    total: int
    receipts: list[str]

    @staticmethod
    def resolve_receipts(obj) -> list[str]:
        return list(obj.receipts.order_by("number").values_list("document_number", flat=True))


class CoverageOut(Schema):
    kind: str
    paid: int
    paid_through: dt.date | None
    arrears: int
    months_behind: int
    due_now: int


class MemberCoverageOut(Schema):
    member_id: int
    number: str
    name: str
    arrears: int
    months_behind: int
    due_now: int
    kinds: list[CoverageOut]


class PassbookLineOut(Schema):
    date: dt.date
    document: str
    description_th: str
    description_en: str
    paid_in: int
    benefit: int
    balance: int
    void: bool


class PassbookOut(Schema):
    member_id: int
    number: str
    name: str
    as_of: dt.date
    total_paid: int
    total_benefits: int
    coverage: list[CoverageOut]
    lines: list[PassbookLineOut]


def _member(org, member_id: int) -> Member:
    return scoping.get_in_scope(Member.objects.select_related("organisation"), org, member_id)


def _receipts(org):
    return selectors.receipts(org).select_related("entry").prefetch_related("items", "parts")


def _coverage(c) -> dict:
    return {"kind": c.kind, "paid": c.paid, "paid_through": c.paid_through, "arrears": c.arrears,
            "months_behind": c.months_behind, "due_now": c.due_now}


def _member_coverage(mc) -> dict:
    return {"member_id": mc.member.pk, "number": mc.member.number, "name": mc.member.full_name,
            "arrears": mc.arrears, "months_behind": mc.months_behind, "due_now": mc.due_now,
            "kinds": [_coverage(c) for c in mc.kinds.values()]}


@router.get("/{org}/plans", response=list[PlanOut], summary="อัตราเงินสมทบ / contribution plans")
def plan_list(request, org: OrgCode):
    return list(selectors.plans(scoping.org_of(request, org)))


@router.post("/{org}/plans", response={201: PlanOut}, summary="เพิ่มอัตรา / add a plan")
def plan_create(request, org: OrgCode, payload: PlanIn):
    group = scoping.org_of(request, org, scoping.WRITE)
    return Status(201, services.plan_set(actor=request.user, organisation=group, **payload.dict()))


@router.get("/{org}/receipts", response=list[ReceiptOut], summary="ใบเสร็จ / receipts")
@paginate(Page)
def receipt_list(request, org: OrgCode, start: Date | None = None, end: Date | None = None,
                 member_id: Id | None = None):
    qs = _receipts(scoping.org_of(request, org)).order_by("-date", "-fiscal_year", "-number")
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    if member_id:
        qs = qs.filter(member_id=member_id)
    return qs


@router.get("/{org}/receipts/{receipt_id}", response=ReceiptOut, summary="ใบเสร็จเดียว / one receipt")
def receipt_detail(request, org: OrgCode, receipt_id: Id):
    group = scoping.org_of(request, org)
    return scoping.get_in_scope(_receipts(group), group, receipt_id)


@router.post("/{org}/receipts", response={201: ReceiptOut}, summary="ออกใบเสร็จ / issue a receipt")
def receipt_issue(request, org: OrgCode, payload: ReceiptIn):
    group = scoping.org_of(request, org, scoping.WRITE)
    member = _member(group, payload.member_id)
    receipt = services.receipt_issue(
        actor=request.user, organisation=group, member=member, date=payload.date,
        items=[i.dict() for i in payload.items], idempotency_key=payload.idempotency_key, memo=payload.memo,
        paid_into=payload.paid_into)
    return Status(201, receipt)


@router.post("/{org}/receipts/{receipt_id}/void", response=ReceiptOut, summary="ยกเลิกใบเสร็จ / void")
def receipt_void(request, org: OrgCode, receipt_id: Id, payload: VoidIn):
    group = scoping.org_of(request, org)
    receipt = scoping.get_in_scope(_receipts(group), group, receipt_id)
    scoping.require(scoping.resolve(request.user, group), scoping.WRITE)
    services.receipt_void(actor=request.user, receipt=receipt, reason=payload.reason, date=payload.date)
    return scoping.get_in_scope(_receipts(group), group, receipt_id)


@router.post("/{org}/grants", response={201: ReceiptOut},
             summary="เงินสมทบจากรัฐ/อปท./บริจาค / matching grant or donation")
def grant_record(request, org: OrgCode, payload: GrantIn):
    group = scoping.org_of(request, org, scoping.WRITE)
    return Status(201, services.grant_record(actor=request.user, organisation=group, **payload.dict()))


@router.post("/{org}/collection-days", response={201: CollectionOut},
             summary="บันทึกวันเก็บเงิน / record a collection day")
def collection_day(request, org: OrgCode, payload: CollectionIn):
    group = scoping.org_of(request, org, scoping.WRITE)
    rows = []
    for r in payload.rows:
        row = {"member": r.member_id, "number": r.number}
        if r.items:
            row["items"] = [i.dict() for i in r.items]
        else:
            row["amount"] = r.amount
        if r.parts:
            row["parts"] = _parts(r.parts)
        rows.append(row)
    day = services.collection_day_post(actor=request.user, organisation=group, date=payload.date, rows=rows,
                                       idempotency_key=payload.idempotency_key, paid_into=payload.paid_into)
    return Status(201, day)


class PieceRowIn(Schema):
    member_id: Id
    paid: bool = True
    amount: Satang | text(32) | None = None  # satang, or the amount as typed ("๓๑", "1,234.50")
    parts: list[PartIn] | None = Field(None, max_length=32)


class PieceIn(Schema):
    key: IdemKey
    rows: rows(PieceRowIn, 5000)


class PieceProblemOut(Schema):
    field: str
    message_th: str
    message_en: str


class NoticeOut(Schema):
    """What a row will do beyond what it names: a loan's overpayment credited to savings."""

    part: str  # the part that takes it: "loans"
    ref: str  # its target: the loan's id
    amount: int  # the surplus, satang
    into: str  # where it goes: the savings account's number
    message_th: str
    message_en: str


class PieceOut(Schema):
    saved: list[int]
    removed: list[int]
    repeated: bool
    count: int
    total: int
    problems: dict[str, list[PieceProblemOut]]
    notices: dict[str, list[NoticeOut]]  # member id → what each saved row does beyond what it names


class DraftLineOut(Schema):
    member_id: int
    amount: int  # the contribution
    parts: dict[str, dict[str, int]]  # {part: {ref: satang}}: savings deposits, loan repayments


class DraftOut(Schema):
    id: int | None
    date: dt.date
    count: int
    total: int
    lines: list[DraftLineOut]
    notices: dict[str, list[NoticeOut]]  # member id → what the row will do beyond what it names, when posted


class DraftPostIn(Schema):
    count: SmallCount
    total: NonNegativeSatang
    paid_into: PaidInto = "cash"


@router.get("/{org}/collection-drafts/{draft_date}", response=DraftOut,
            summary="วันเก็บเงินที่ยังไม่บันทึกบัญชี / the draft collection day of a date")
def collection_draft(request, org: OrgCode, draft_date: Date):
    group = scoping.org_of(request, org, scoping.RECORDS)
    draft = selectors.open_draft(group, draft_date)
    count, total = selectors.draft_totals(draft)
    lines = [{"member_id": m, "amount": a, "parts": p} for m, a, p in selectors.draft_all_rows(draft)]
    notices: dict[str, list[dict]] = {}
    for n in drafts.draft_notices(actor=request.user, organisation=group, draft=draft):
        notices.setdefault(str(n.take.member.pk), []).append(drafts.notice_dict(n))
    return {"id": draft.pk if draft else None, "date": draft_date, "count": count, "total": total, "lines": lines,
            "notices": notices}


@router.post("/{org}/collection-drafts/{draft_date}/pieces", response=PieceOut,
             summary="บันทึกวันเก็บเงินทีละชุด / save a piece of a collection day (idempotent by key)")
def collection_draft_piece(request, org: OrgCode, draft_date: Date, payload: PieceIn):
    group = scoping.org_of(request, org, scoping.WRITE)
    result = drafts.collection_draft_save(
        actor=request.user, organisation=group, date=draft_date, key=payload.key,
        rows=[{"member": r.member_id, "paid": r.paid, "amount": r.amount, "parts": _parts(r.parts)}
              for r in payload.rows])
    return {"saved": result.saved, "removed": result.removed, "repeated": result.repeated, "count": result.count,
            "total": result.total,
            "problems": {str(k): [{"field": p.field, "message_th": p.message_th, "message_en": p.message_en}
                                  for p in v] for k, v in result.problems.items()},
            "notices": {str(k): [drafts.notice_dict(n) for n in v] for k, v in result.notices.items()}}


@router.post("/{org}/collection-drafts/{draft_date}/post", response={201: CollectionOut},
             summary="บันทึกบัญชีวันเก็บเงินทั้งวัน / post the draft day (the count and total confirmed)")
def collection_draft_post(request, org: OrgCode, draft_date: Date, payload: DraftPostIn):
    group = scoping.org_of(request, org, scoping.WRITE)
    draft = selectors.open_draft(group, draft_date)
    if draft is None:
        raise Http404("ไม่มีรายการวันเก็บเงินที่ยังไม่บันทึกบัญชีของวันนี้ / no draft collection day on this date")
    day = drafts.collection_draft_post(actor=request.user, organisation=group, draft=draft, count=payload.count,
                                         total=payload.total, paid_into=payload.paid_into)
    return Status(201, day)


@router.get("/{org}/arrears", response=list[MemberCoverageOut], summary="ค้างชำระ / arrears")
def arrears(request, org: OrgCode, as_of: Date | None = None, months: whole(1, 120) = 1):
    group = scoping.org_of(request, org)
    if not group.is_group:
        raise Http404("ใช้กับกลุ่มเท่านั้น / for a group only")
    return [_member_coverage(mc) for mc in selectors.arrears(group, as_of=as_of or timezone.localdate(),
                                                               min_months=max(months, 1))]


@router.get("/{org}/members/{member_id}/coverage", response=MemberCoverageOut,
            summary="ชำระถึงวันที่ / paid-through per kind")
def member_coverage(request, org: OrgCode, member_id: Id, as_of: Date | None = None):
    group = scoping.org_of(request, org)
    return _member_coverage(selectors.member_coverage(_member(group, member_id),
                                                      as_of=as_of or timezone.localdate()))


@router.get("/{org}/members/{member_id}/passbook", response=PassbookOut, summary="สมุดบัญชีสมาชิก / passbook")
def passbook(request, org: OrgCode, member_id: Id, as_of: Date | None = None):
    access = scoping.access_org(request.user, org, scoping.VIEW)
    qs = Member.objects.select_related("organisation")
    if not access.can(scoping.RECORDS):
        qs = qs.filter(user=request.user)  # a member reads only their own
    member = scoping.get_in_scope(qs, access.organisation, member_id)
    book = selectors.passbook(member, as_of=as_of or timezone.localdate())
    return {"member_id": member.pk, "number": member.number, "name": member.full_name, "as_of": book.as_of,
            "total_paid": book.total_paid, "total_benefits": book.total_benefits,
            "coverage": [_coverage(c) for c in book.coverage.kinds.values()],
            "lines": [ln.__dict__ for ln in book.lines]}
