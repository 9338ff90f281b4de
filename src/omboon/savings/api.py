"""Savings over HTTP (/api/v1/savings/{org}/…): products, accounts, deposits, withdrawals (asked,
then approved or rejected by a second person), balances and statements. Every endpoint resolves
the organisation through ``omboon.orgs.scoping``; problems answer 422 with every error record
(Thai and English), nothing written."""


import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.http import Http404
from ninja import Field, Router, Schema, Status
from pydantic import BeforeValidator, WithJsonSchema

from omboon.core.contract import (
    Date,
    Id,
    In,
    Key,
    Limit,
    NonNegativeSatang,
    Offset,
    OrgCode,
    Percent,
    PositiveSatang,
    ReasonIn,
    choice,
    code,
    text,
    whole,
)
from omboon.ledger import holdings
from omboon.members.models import Member
from omboon.orgs import scoping
from omboon.savings import passbook, rules, selectors, services
from omboon.savings.models import Account, InterestPeriod, Kind, Product, ShareTransfer, Withdrawal

router = Router(tags=["savings"])


# --- shapes --------------------------------------------------------------------------------

RATE_PATTERN = r"^(100(\.0{1,3})?|[0-9]{1,2}(\.[0-9]{1,3})?)$"
def _rate(value):
    """A JSON number as the decimal it was written as (0.57, not 0.5700000000000001)."""
    return Decimal(str(round(value, 6))) if isinstance(value, float) else value


Rate = Annotated[Decimal, BeforeValidator(_rate), Field(ge=0, le=100, decimal_places=3), WithJsonSchema({
    "anyOf": [{"type": "number", "minimum": 0, "maximum": 100, "multipleOf": 0.001},
              {"type": "string", "pattern": RATE_PATTERN}],
    "description": "ร้อยละต่อปี ทศนิยมไม่เกิน 3 ตำแหน่ง / percent a year, at most 3 decimals (a number or text)"})]
Shares = whole(0, 1_000_000, description="จำนวนหุ้น / a number of shares")


class TermsIO(Schema):
    """The terms of a product version; which of them a kind needs (a fixed deposit's term, a
    share's price, …) is a rule."""

    min_balance: NonNegativeSatang = 0
    annual_rate: Rate = Decimal(0)
    interest_period: choice(InterestPeriod) = "none"
    monthly_amount: NonNegativeSatang = 0
    withdrawals_a_year: whole(0, 366) = 0
    withdrawal_max_percent: Percent = 0
    withdrawal_fee: NonNegativeSatang = 0
    term_months: whole(0, 600) = 0
    early_rate: Rate = Decimal(0)
    share_price: NonNegativeSatang = 0
    min_shares: Shares = 0
    max_shares: Shares = 0


class SavingsProductOut(Schema):
    id: int
    code: str
    kind: str
    name_th: str
    name_en: str
    is_active: bool
    effective_from: dt.date | None
    terms: TermsIO | None


def _product_out(product: Product, day: dt.date) -> dict:
    version = selectors.version_in_force(product, day)
    terms = {f: getattr(version, f) for f in TermsIO.model_fields} if version else None
    return {"id": product.pk, "code": product.code, "kind": product.kind, "name_th": product.name_th,
            "name_en": product.name_en, "is_active": product.is_active,
            "effective_from": version.effective_from if version else None, "terms": terms}


AccountNumber = code(32, description="เลขที่บัญชีเงินฝาก / a savings account's number")


class ProductIn(In):
    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,15}$",
                               description="รหัสผลิตภัณฑ์ / the product's code")]
    kind: choice(Kind)
    name_th: text(120, min_length=1)
    name_en: text(120) = ""
    effective_from: Date
    terms: TermsIO = TermsIO()


class SavingsHoldOut(Schema):
    amount: int = Field(description="สตางค์ที่อายัด / satang held")
    held_for_th: str = Field(description="อายัดค้ำประกัน เช่น เงินกู้สัญญา 12 / what holds it, in Thai")
    held_for_en: str = Field(description="e.g. loan 12 / what holds it, in English")


class SavingsAccountOut(Schema):
    number: str
    member: str
    member_name: str
    product: str
    kind: choice(Kind)
    status: choice(Account.Status)
    opened_on: dt.date
    matures_on: dt.date | None
    closed_on: dt.date | None
    balance: int  # satang, from the account's ledger lines
    held: int = Field(description="สตางค์ที่อายัดค้ำประกันเงินกู้ ถอน/โอน/ปิดต่ำกว่านี้ไม่ได้ / satang held as a loan's "
                      "security: the account is not taken below it")
    holds: list[SavingsHoldOut]


def _account_out(account: Account, balance: int, holds=None) -> dict:
    holds = selectors.holds(account) if holds is None else holds
    return {"number": account.number, "member": account.member.number, "member_name": account.member.full_name,
            "product": account.product.code, "kind": account.product.kind, "status": account.status,
            "opened_on": account.opened_on, "matures_on": account.matures_on, "closed_on": account.closed_on,
            "balance": balance, "held": sum(h.amount for h in holds),
            "holds": [{"amount": h.amount, "held_for_th": h.th, "held_for_en": h.en} for h in holds]}


class AccountIn(In):
    member: code(16, description="เลขที่สมาชิก / the member's number")
    product: code(16, description="รหัสผลิตภัณฑ์ / the product's code")
    opened_on: Date | None = None


class DepositIn(In):
    amount: PositiveSatang
    date: Date | None = None
    paid_into: choice(["cash", "bank"]) = "cash"
    memo: text(255) = ""
    idempotency_key: Key | None = None


class DepositOut(Schema):
    account: str
    document_number: str
    amount: int
    balance: int


class WithdrawalIn(In):
    amount: PositiveSatang
    date: Date | None = None
    paid_from: choice(["cash", "bank"]) = "cash"


class WithdrawalOut(Schema):
    id: int
    account: str
    member: str
    date: dt.date
    amount: int
    fee: int
    interest: int  # a fixed-term deposit's interest settled with it: + paid on top, − taken back
    status: choice(Withdrawal.Status)
    requested_by: str
    decided_by: str | None
    reason: str
    document_number: str | None


def _withdrawal_out(w: Withdrawal) -> dict:
    return {"id": w.pk, "account": w.account.number, "member": w.account.member.number, "date": w.date,
            "amount": w.amount, "fee": w.fee, "interest": w.interest, "status": w.status,
            "requested_by": w.requested_by.username,
            "decided_by": w.decided_by.username if w.decided_by_id else None, "reason": w.reason,
            "document_number": w.entry.document_number if w.entry_id else None}


class StatementLineOut(Schema):
    date: dt.date
    document: str
    memo: str
    deposit: int
    withdrawal: int
    balance: int


class StatementOut(Schema):
    account: str
    start: dt.date | None
    end: dt.date | None
    brought_forward: int
    lines: list[StatementLineOut]
    balance: int


# --- helpers -------------------------------------------------------------------------------

def _account(org, number: str) -> Account:
    account = selectors.accounts(org).filter(number=number).first()
    if account is None:
        raise Http404("ไม่พบบัญชีเงินฝาก / no such savings account")
    return account


def _withdrawal(org, pk: int) -> Withdrawal:
    return scoping.get_in_scope(selectors.withdrawals(org), org, pk)


def _today() -> dt.date:
    return services._today()


# --- products ------------------------------------------------------------------------------

@router.get("/{org}/products", response=list[SavingsProductOut], summary="ผลิตภัณฑ์เงินฝาก / savings products")
def product_list(request, org: OrgCode):
    day = _today()
    return [_product_out(p, day) for p in selectors.products(scoping.org_of(request, org, scoping.VIEW))]


@router.post("/{org}/products", response={201: SavingsProductOut}, summary="เพิ่มผลิตภัณฑ์เงินฝาก / create a product")
def product_create(request, org: OrgCode, body: ProductIn):
    organisation = scoping.org_of(request, org, scoping.MANAGE)
    product = services.product_create(actor=request.user, organisation=organisation, code=body.code,
                                      kind=body.kind, name_th=body.name_th, name_en=body.name_en,
                                      effective_from=body.effective_from,
                                      terms=rules.Terms(**body.terms.model_dump()))
    return Status(201, _product_out(product, body.effective_from))


# --- accounts ------------------------------------------------------------------------------

@router.get("/{org}/accounts", response=list[SavingsAccountOut], summary="บัญชีเงินฝาก / savings accounts")
def account_list(request, org: OrgCode, member: text(16) = "", product: text(16) = "",
                 status: choice(Account.Status, blank=True) = "", limit: Limit = 500, offset: Offset = 0):
    organisation = scoping.org_of(request, org)
    qs = selectors.accounts(organisation)
    if member:
        qs = qs.filter(member__number=member)
    if product:
        qs = qs.filter(product__code=product.upper())
    if status:
        qs = qs.filter(status=status)
    rows = list(qs[offset:offset + limit])
    balances = selectors.balances(organisation, accounts_=rows)
    holds = holdings.holds(a.pk for a in rows)
    return [_account_out(a, balances[a.pk], holds[a.pk]) for a in rows]


@router.post("/{org}/accounts", response={201: SavingsAccountOut}, summary="เปิดบัญชีเงินฝาก / open an account")
def account_open(request, org: OrgCode, body: AccountIn):
    organisation = scoping.org_of(request, org, scoping.WRITE)
    member = Member.objects.filter(organisation=organisation, number=body.member).first()
    product = selectors.products(organisation).filter(code=body.product.upper()).first()
    account = services.account_open(actor=request.user, organisation=organisation, member=member, product=product,
                                    opened_on=body.opened_on)
    return Status(201, _account_out(account, 0, ()))


@router.get("/{org}/accounts/{number}", response=SavingsAccountOut, summary="บัญชีและยอดเงิน / an account and its balance")
def account_detail(request, org: OrgCode, number: AccountNumber, as_of: Date | None = None):
    account = _account(scoping.org_of(request, org), number)
    return _account_out(account, selectors.balance(account, as_of=as_of))


@router.get("/{org}/accounts/{number}/statement", response=StatementOut,
            summary="รายการเคลื่อนไหว / statement lines")
def account_statement(request, org: OrgCode, number: AccountNumber, start: Date | None = None, end: Date | None = None):
    account = _account(scoping.org_of(request, org), number)
    brought, lines = selectors.statement(account, start=start, end=end)
    return {"account": account.number, "start": start, "end": end, "brought_forward": brought,
            "lines": [vars(ln) for ln in lines], "balance": lines[-1].balance if lines else brought}


@router.post("/{org}/accounts/{number}/deposits", response={201: DepositOut}, summary="ฝากเงิน / a deposit")
def account_deposit(request, org: OrgCode, number: AccountNumber, body: DepositIn):
    account = _account(scoping.org_of(request, org, scoping.WRITE), number)
    entry = services.deposit(actor=request.user, account=account, amount=body.amount, date=body.date,
                             paid_into=body.paid_into, memo=body.memo, idempotency_key=body.idempotency_key)
    return Status(201, {"account": account.number, "document_number": entry.document_number, "amount": body.amount,
                        "balance": selectors.balance(account)})


@router.post("/{org}/accounts/{number}/withdrawals", response={201: WithdrawalOut},
             summary="ขอถอนเงิน (รอผู้อนุมัติคนที่สอง) / ask for a withdrawal (a second person approves)")
def account_withdraw(request, org: OrgCode, number: AccountNumber, body: WithdrawalIn):
    account = _account(scoping.org_of(request, org, scoping.WRITE), number)
    w = services.withdrawal_request(actor=request.user, account=account, amount=body.amount, date=body.date,
                                    paid_from=body.paid_from)
    return Status(201, _withdrawal_out(w))


# --- withdrawals ---------------------------------------------------------------------------

@router.get("/{org}/withdrawals", response=list[WithdrawalOut], summary="คำขอถอนเงิน / withdrawals")
def withdrawal_list(request, org: OrgCode, status: choice(Withdrawal.Status, blank=True) = "", limit: Limit = 200,
                    offset: Offset = 0):
    qs = selectors.withdrawals(scoping.org_of(request, org))
    if status:
        qs = qs.filter(status=status)
    return [_withdrawal_out(w) for w in qs[offset:offset + limit]]


@router.post("/{org}/withdrawals/{withdrawal_id}/approve", response=WithdrawalOut,
             summary="อนุมัติและจ่าย / approve and pay")
def withdrawal_approve(request, org: OrgCode, withdrawal_id: Id):
    organisation = scoping.org_of(request, org, scoping.APPROVE)
    w = services.withdrawal_approve(actor=request.user, withdrawal=_withdrawal(organisation, withdrawal_id))
    return _withdrawal_out(selectors.withdrawals(organisation).get(pk=w.pk))


@router.post("/{org}/withdrawals/{withdrawal_id}/reject", response=WithdrawalOut, summary="ไม่อนุมัติ / reject")
def withdrawal_reject(request, org: OrgCode, withdrawal_id: Id, body: ReasonIn):
    organisation = scoping.org_of(request, org, scoping.APPROVE)
    w = services.withdrawal_reject(actor=request.user, withdrawal=_withdrawal(organisation, withdrawal_id),
                                   reason=body.reason)
    return _withdrawal_out(selectors.withdrawals(organisation).get(pk=w.pk))


# --- the passbook, reversals, paying out a member who left ---------------------------------

class SavingsPassbookRowOut(Schema):
    position: int  # the line of the book, 1, 2, … (page = (position − 1) // lines_per_page + 1)
    date: dt.date
    item: str  # deposit, withdrawal, interest, reversal, adjustment
    deposit: int
    withdrawal: int
    balance: int
    initials: str
    document: str
    printed: bool


class SavingsPassbookOut(Schema):
    account: str
    lines_per_page: int
    lines_printed: int  # the next print starts on line lines_printed + 1
    rows: list[SavingsPassbookRowOut]


@router.get("/{org}/accounts/{number}/passbook", response=SavingsPassbookOut, summary="สมุดคู่ฝาก / the passbook")
def account_passbook(request, org: OrgCode, number: AccountNumber):
    book = passbook.book(_account(scoping.org_of(request, org), number))
    return {"account": book.account.number, "lines_per_page": passbook.LINES_PER_PAGE,
            "lines_printed": book.next_position - 1,
            "rows": [{"position": r.position, "date": r.date, "item": r.kind, "deposit": r.deposit,
                      "withdrawal": r.withdrawal, "balance": r.balance, "initials": r.initials,
                      "document": r.document_number, "printed": r.line_id <= book.last_printed} for r in book.rows]}


class SavingsReversalIn(In):
    document: text(32, min_length=1)  # the deposit's receipt or the withdrawal's payment voucher, e.g. RV2567/00012
    reason: text(255, min_length=1)
    date: Date | None = None


class SavingsReversalOut(Schema):
    account: str
    reversed: str
    document_number: str
    balance: int


@router.post("/{org}/accounts/{number}/reversals", response={201: SavingsReversalOut},
             summary="กลับรายการฝากหรือถอน / reverse a deposit or a paid withdrawal")
def account_reverse(request, org: OrgCode, number: AccountNumber, body: SavingsReversalIn):
    account = _account(scoping.org_of(request, org, scoping.APPROVE), number)
    entry = next((e for e in services.movements_reversible(account) if e.document_number == body.document), None)
    reversal = services.movement_reverse(actor=request.user, account=account, entry_id=entry.pk if entry else 0,
                                         reason=body.reason, date=body.date)
    return Status(201, {"account": account.number, "reversed": body.document,
                        "document_number": reversal.document_number, "balance": selectors.balance(account)})


class SavingsPayoutIn(In):
    date: Date | None = None
    paid_from: choice(["cash", "bank"]) = "cash"


@router.post("/{org}/members/{member}/payout", response={201: list[WithdrawalOut]},
             summary="จ่ายคืนเงินฝากผู้พ้นสภาพ / pay out a member who left or died (vouchers to approve)")
def member_payout(request, org: OrgCode, member: code(16, description="เลขที่สมาชิก / the member's number"),
                  body: SavingsPayoutIn):
    organisation = scoping.org_of(request, org, scoping.WRITE)
    found = Member.objects.filter(organisation=organisation, number=member).first()
    if found is None:
        raise Http404("ไม่พบสมาชิก / no such member")
    made = services.member_payout(actor=request.user, member=found, date=body.date, paid_from=body.paid_from)
    return Status(201, [_withdrawal_out(selectors.withdrawals(organisation).get(pk=w.pk)) for w in made])


# --- share transfers ------------------------------------------------------------------------

class ShareTransferIn(In):
    to: code(32, description="บัญชีหุ้นของผู้รับโอน / the receiver's share account")
    shares: whole(1, 10_000_000)
    date: Date | None = None


class ShareTransferOut(Schema):
    id: int
    from_account: str
    to_account: str
    date: dt.date
    shares: int
    amount: int  # satang, at the share price on the date
    status: choice(ShareTransfer.Status)
    requested_by: str
    decided_by: str | None
    reason: str
    document_number: str | None


def _transfer_out(t: ShareTransfer) -> dict:
    return {"id": t.pk, "from_account": t.from_account.number, "to_account": t.to_account.number, "date": t.date,
            "shares": t.shares, "amount": t.amount, "status": t.status, "requested_by": t.requested_by.username,
            "decided_by": t.decided_by.username if t.decided_by_id else None, "reason": t.reason,
            "document_number": t.entry.document_number if t.entry_id else None}


def _transfer(org, pk: int) -> ShareTransfer:
    return scoping.get_in_scope(selectors.share_transfers(org), org, pk)


@router.post("/{org}/accounts/{number}/share-transfers", response={201: ShareTransferOut},
             summary="ขอโอนหุ้นให้สมาชิกอื่น (รอผู้อนุมัติคนที่สอง) / ask to transfer shares (a second person approves)")
def account_share_transfer(request, org: OrgCode, number: AccountNumber, body: ShareTransferIn):
    organisation = scoping.org_of(request, org, scoping.WRITE)
    holder = _account(organisation, number)
    receiver = selectors.accounts(organisation).filter(number=body.to).first()
    t = services.share_transfer_request(actor=request.user, holder=holder, receiver=receiver, shares=body.shares,
                                        date=body.date)
    return Status(201, _transfer_out(selectors.share_transfers(organisation).get(pk=t.pk)))


@router.get("/{org}/share-transfers", response=list[ShareTransferOut], summary="การโอนหุ้น / share transfers")
def share_transfer_list(request, org: OrgCode, status: choice(ShareTransfer.Status, blank=True) = "",
                        limit: Limit = 200, offset: Offset = 0):
    qs = selectors.share_transfers(scoping.org_of(request, org))
    if status:
        qs = qs.filter(status=status)
    return [_transfer_out(t) for t in qs[offset:offset + limit]]


@router.post("/{org}/share-transfers/{transfer_id}/approve", response=ShareTransferOut,
             summary="อนุมัติการโอนหุ้น / approve a share transfer")
def share_transfer_approve(request, org: OrgCode, transfer_id: Id):
    organisation = scoping.org_of(request, org, scoping.APPROVE)
    t = services.share_transfer_approve(actor=request.user, transfer=_transfer(organisation, transfer_id))
    return _transfer_out(selectors.share_transfers(organisation).get(pk=t.pk))


@router.post("/{org}/share-transfers/{transfer_id}/reject", response=ShareTransferOut,
             summary="ไม่อนุมัติการโอนหุ้น / reject a share transfer")
def share_transfer_reject(request, org: OrgCode, transfer_id: Id, body: ReasonIn):
    organisation = scoping.org_of(request, org, scoping.APPROVE)
    t = services.share_transfer_reject(actor=request.user, transfer=_transfer(organisation, transfer_id),
                                       reason=body.reason)
    return _transfer_out(selectors.share_transfers(organisation).get(pk=t.pk))
