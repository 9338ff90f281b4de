"""Loans over HTTP (mounted at /api/v1/loans/): products, loans (list and search, one loan with
its schedule and repayments), the lifecycle — apply, guarantors' consent, approve, reject, withdraw, disburse,
repay, write off, waive, reschedule — and the portfolio (PAR, aging). Every endpoint resolves the group through
``omboon.orgs.scoping``; reading needs ``records``, entering ``write``, deciding ``approve``.
A refusal answers with the same Thai/English problems as the pages; nothing is written."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import BeforeValidator, WithJsonSchema

from omboon.core.contract import (
    Date,
    DatedReasonIn,
    Id,
    In,
    NonNegativeSatang,
    OrgCode,
    Page,
    PositiveSatang,
    ReasonIn,
    choice,
    code,
    rows,
    text,
    whole,
)
from omboon.core.errors import Problem, RuleViolation
from omboon.loans import allocation, arrears, rules, schedule, selectors, services
from omboon.loans.models import (
    Adjustment,
    Guarantor,
    Loan,
    LoanProduct,
    LoanProductVersion,
    LoanSecurity,
    Repayment,
    Reschedule,
)
from omboon.loans.year_end import api as year_end_api
from omboon.members import selectors as member_selectors
from omboon.orgs import scoping

router = Router(tags=["loans"])

MemberNumber = text(16, min_length=1, description="เลขที่สมาชิก / member number")
ProductCode = text(16, min_length=1, description="รหัสประเภทเงินกู้ / the product's code")
Purpose = text(255, min_length=1)
Reason = text(255, min_length=1)
Search = text(100)
Against = choice(Adjustment.Against, description="ตัดหนี้สูญเป็น / written off as")
WaivePart = choice(["interest", "penalty"], description="ยกเว้นดอกเบี้ยหรือค่าปรับ / waive interest or penalty")
StatusFilter = choice(["open", "all", *Loan.Status.values], description="open = ยังไม่ปิด / not yet ended")


# --- shapes --------------------------------------------------------------------------------------

def _decimal(value):
    """A JSON number as the decimal it was written as (1.25, not 1.2499999999999998)."""
    return Decimal(str(round(value, 6))) if isinstance(value, float) else value


def _percent(places: int, description: str):
    """A percentage 0–100 (or a multiple 0–100) with at most ``places`` decimals, a number or text."""
    pattern = rf"^(100(\.0{{1,{places}}})?|[0-9]{{1,2}}(\.[0-9]{{1,{places}}})?)$"
    return Annotated[Decimal, BeforeValidator(_decimal), Field(ge=0, le=100, decimal_places=places),
                     WithJsonSchema({"anyOf": [{"type": "number", "minimum": 0, "maximum": 100,
                                                "multipleOf": 10 ** -places}, {"type": "string", "pattern": pattern}],
                                     "description": description})]


Rate = _percent(4, "ร้อยละ ต่อปีหรือต่อเดือนตาม per ทศนิยมไม่เกิน 4 ตำแหน่ง / percent, per year or month as "
                        "``per`` says, at most 4 decimals")
PenaltyRate = _percent(4, "ค่าปรับร้อยละต่อเดือนของเงินต้นค้าง / penalty, percent a month of overdue principal")
Multiple = _percent(2, "กู้ได้ไม่เกินกี่เท่าของเงินออม (0 = ไม่จำกัด) / times own savings (0: no such limit)")
Part = choice(list(schedule.PARTS), description="ส่วนของการชำระ / a part of a repayment")


class LoanTermsIO(Schema):
    method: choice(list(schedule.METHODS), description="flat = เงินต้นคงที่ดอกเบี้ยคงที่, declining = ลดต้นลดดอกงวดเท่ากัน, "
                   "equal-principal = ลดต้นลดดอกเงินต้นเท่ากัน")
    rate: Rate
    per: choice([schedule.PER_YEAR, schedule.PER_MONTH], description="อัตราต่อปีหรือต่อเดือน / rate per year or month")
    every: choice(list(schedule.PERIODS_A_YEAR),
                  description="งวดรายสัปดาห์ รายเดือน รายปี / repaid every week, month or year")
    term: whole(1, rules.MAX_TERM, description="จำนวนงวด / instalments")
    grace_principal: whole(0, rules.MAX_TERM, description="งวดปลอดเงินต้น / instalments without principal") = 0
    grace_interest: whole(0, rules.MAX_TERM, description="งวดปลอดดอกเบี้ย / instalments without interest") = 0
    rounding: choice(["1", "100", "500", "1000"], description="ปัดงวดเป็นทวีคูณ (สตางค์) 1 = ไม่ปัด, 100/500/1000 = "
                     "1, 5, 10 บาท / round instalments to a multiple in satang") = "1"
    penalty_rate: PenaltyRate = Decimal(0)
    penalty_fine: NonNegativeSatang = 0
    order: rows(Part, 4, min_length=4) = list(schedule.PARTS)

    def as_terms(self) -> schedule.Terms:
        return schedule.Terms(method=self.method, rate=self.rate, per=self.per, every=self.every, term=self.term,
                              grace_principal=self.grace_principal, grace_interest=self.grace_interest,
                              rounding=int(self.rounding), penalty_rate=self.penalty_rate,
                              penalty_fine=self.penalty_fine, order=tuple(self.order))


class GuarantorBandIO(Schema):
    up_to: PositiveSatang | None = Field(None, description="ถึงวงเงิน (สตางค์) ว่าง = ส่วนที่เกินช่วงก่อน ๆ (ช่วงสุดท้าย) / up to "
                                         "this amount (satang); null: above the others (the last band)")
    guarantors: whole(0, rules.MAX_GUARANTORS, description="จำนวนผู้ค้ำ / guarantors required")


class LoanProductVersionOut(Schema):
    effective_from: dt.date
    terms: dict
    term_min: int
    term_max: int
    max_amount: int
    guarantor_bands: list[GuarantorBandIO]
    guarantor_cap: int
    savings_multiple: str
    refuse_in_arrears: bool
    overpayment_to_savings: bool
    lien_replaces_guarantors: bool

    @staticmethod
    def resolve_guarantor_bands(obj: LoanProductVersion):
        return [{"up_to": up_to, "guarantors": n} for up_to, n in obj.guarantor_bands or []]

    @staticmethod
    def resolve_savings_multiple(obj: LoanProductVersion):
        return f"{obj.savings_multiple:.2f}"


class LoanProductOut(Schema):
    id: int
    code: str
    name_th: str
    name_en: str
    is_active: bool
    terms: dict | None
    max_amount: int | None
    in_force: LoanProductVersionOut | None

    @staticmethod
    def resolve_in_force(obj: LoanProduct):
        return selectors.version_in_force(obj, timezone.localdate())

    @staticmethod
    def resolve_terms(obj: LoanProduct):
        v = LoanProductOut.resolve_in_force(obj)
        return v.terms if v else None

    @staticmethod
    def resolve_max_amount(obj: LoanProduct):
        v = LoanProductOut.resolve_in_force(obj)
        return v.max_amount if v else None


class LoanProductHistoryOut(Schema):
    code: str
    name_th: str
    versions: list[LoanProductVersionOut]


TermLimit = whole(1, rules.MAX_TERM, description="จำนวนงวด / instalments")


class LoanProductVersionIn(In):
    effective_from: Date
    terms: LoanTermsIO
    term_min: TermLimit | None = Field(None, description="จำนวนงวดต่ำสุดที่ผู้กู้เลือกได้ ว่าง = เท่ากับ terms.term / the "
                                       "shortest term an application may ask for; null: terms.term")
    term_max: TermLimit | None = Field(None, description="จำนวนงวดสูงสุดที่ผู้กู้เลือกได้ ว่าง = เท่ากับ terms.term / the "
                                       "longest term an application may ask for; null: terms.term")
    max_amount: PositiveSatang
    guarantor_bands: rows(GuarantorBandIO, rules.MAX_BANDS) = []
    guarantor_cap: NonNegativeSatang = 0
    savings_multiple: Multiple = Decimal(0)
    refuse_in_arrears: bool = True
    overpayment_to_savings: bool = False
    lien_replaces_guarantors: bool = Field(False, description="อายัดเงินฝาก/หุ้นของผู้กู้ครบวงเงินกู้แทนผู้ค้ำได้ / liens on "
                                           "the borrower's own savings or shares covering the whole principal stand "
                                           "in for the guarantors")

    def settings(self) -> dict:
        return {"effective_from": self.effective_from, "terms": self.terms.as_terms(), "term_min": self.term_min,
                "term_max": self.term_max, "max_amount": self.max_amount,
                "guarantor_bands": [[b.up_to, b.guarantors] for b in self.guarantor_bands],
                "guarantor_cap": self.guarantor_cap, "savings_multiple": self.savings_multiple,
                "refuse_in_arrears": self.refuse_in_arrears, "overpayment_to_savings": self.overpayment_to_savings,
                "lien_replaces_guarantors": self.lien_replaces_guarantors}


class LoanProductIn(LoanProductVersionIn):
    code: code(16, description="รหัสประเภทเงินกู้ / the product's code")
    name_th: text(120, min_length=1)
    name_en: text(120) = ""


class LoanSecurityOut(Schema):
    position: int
    kind: choice(LoanSecurity.Kind)
    account: str = Field(description="บัญชีที่อายัด / a lien's account")
    amount: int = Field(description="จำนวนที่อายัด (สตางค์) / a lien's amount pledged (satang)")
    held: int = Field(description="ที่ยังอายัดอยู่ตอนนี้ (สตางค์) ตามสถานะสัญญา / what the lien holds now (satang), by "
                      "the loan's state: 0 once released")
    collateral: str = Field(description="land_title, vehicle, other (หลักทรัพย์ / collateral)")
    description: str
    document_no: str
    value: int = Field(description="ราคาประเมิน (สตางค์) / collateral's appraised value (satang)")


class GuarantorConsentOut(Schema):
    member: str = Field(description="เลขที่สมาชิกของผู้ค้ำ / the guarantor's member number")
    consent: choice(Guarantor.Consent, description="รอการยินยอม / ยินยอมแล้ว / ไม่ยินยอม — pending, given or declined")
    consent_on: str | None = Field(description="วันที่ยินยอมหรือไม่ยินยอม / the day it was given or declined")
    recorded_by: str | None = Field(description="ผู้บันทึก (เจ้าหน้าที่จากหนังสือยินยอม หรือผู้ค้ำเอง) / who recorded "
                                    "it (staff from the signed form, or the guarantor themself)")
    by_self: bool = Field(description="ผู้ค้ำบันทึกเอง / recorded by the guarantor themself, signed in")

    @staticmethod
    def resolve_member(obj: Guarantor) -> str:
        return obj.member.number

    @staticmethod
    def resolve_consent_on(obj: Guarantor) -> str | None:
        return obj.consent_on.isoformat() if obj.consent_on else None

    @staticmethod
    def resolve_recorded_by(obj: Guarantor) -> str | None:
        return obj.consent_by.username if obj.consent_by_id else None


class LoanOut(Schema):
    id: int
    group: str
    number: int
    member: str
    product: str
    principal: int
    term: int | None = Field(None, description="จำนวนงวดที่ขอ / the term asked for (null: the product's, before "
                             "terms were chosen)")
    purpose: str
    status: choice(Loan.Status)
    applied_on: str
    disbursed_on: str | None
    first_due: str | None
    closed_on: str | None
    terms: dict | None
    reason: str
    guarantors: list[str]
    securities: list[LoanSecurityOut]
    guarantor_consents: list[GuarantorConsentOut] = Field(description="ความยินยอมของผู้ค้ำแต่ละคน / each guarantor's "
                                                          "consent (approval waits until every one has given it)")
    disbursement: str | None
    disbursed_into: str = Field(description="เลขที่บัญชีเงินฝากที่โอนเงินกู้เข้า ว่าง = จ่ายเงินสด / the savings "
                                            "account the loan was credited to ('': paid in cash)")

    @staticmethod
    def resolve_group(obj: Loan) -> str:
        return obj.organisation.code

    @staticmethod
    def resolve_member(obj: Loan) -> str:
        return obj.member.number

    @staticmethod
    def resolve_product(obj: Loan) -> str:
        return obj.product_version.product.code

    @staticmethod
    def resolve_applied_on(obj: Loan) -> str:
        return obj.applied_on.isoformat()

    @staticmethod
    def resolve_disbursed_on(obj: Loan) -> str | None:
        return obj.disbursed_on.isoformat() if obj.disbursed_on else None

    @staticmethod
    def resolve_first_due(obj: Loan) -> str | None:
        return obj.first_due.isoformat() if obj.first_due else None

    @staticmethod
    def resolve_closed_on(obj: Loan) -> str | None:
        return obj.closed_on.isoformat() if obj.closed_on else None

    @staticmethod
    def resolve_guarantors(obj: Loan) -> list[str]:
        return [g.member.number for g in obj.guarantors.select_related("member")]

    @staticmethod
    def resolve_securities(obj: Loan) -> list[dict]:
        return [{"position": r.security.position, "kind": r.security.kind, "account": r.security.account_number,
                 "amount": r.security.amount, "held": r.held, "collateral": r.security.collateral,
                 "description": r.security.description, "document_no": r.security.document_no,
                 "value": r.security.value} for r in selectors.securities_of(obj)]

    @staticmethod
    def resolve_guarantor_consents(obj: Loan) -> list[Guarantor]:
        return list(obj.guarantors.select_related("member", "consent_by").order_by("pk"))

    @staticmethod
    def resolve_disbursement(obj: Loan) -> str | None:
        return obj.disbursement.document_number if obj.disbursement_id else None


class LoanScheduleInstalmentOut(Schema):
    n: int
    due: str
    principal: int
    interest: int
    total: int
    balance: int


class InstalmentOut(LoanScheduleInstalmentOut):
    """An instalment of the schedule the loan follows now, with what is still owed of it."""

    still_owed: int


class RepaymentOut(Schema):
    id: int
    loan: int
    date: str
    amount: int
    penalty: int
    fee: int
    interest: int
    principal: int
    document_number: str
    reversed_by: str | None

    @staticmethod
    def resolve_loan(obj: Repayment) -> int:
        return obj.loan_id

    @staticmethod
    def resolve_date(obj: Repayment) -> str:
        return obj.date.isoformat()

    @staticmethod
    def resolve_document_number(obj: Repayment) -> str:
        return obj.entry.document_number

    @staticmethod
    def resolve_reversed_by(obj: Repayment) -> str | None:
        return obj.reversal.document_number if obj.reversal_id else None


class AdjustmentOut(Schema):
    id: int
    loan: int
    kind: str  # write_off | recover
    status: str  # pending | approved | rejected
    amount: int
    date: str
    against: str
    reason: str
    document_number: str | None
    reversed_by: str | None

    @staticmethod
    def resolve_loan(obj: Adjustment) -> int:
        return obj.loan_id

    @staticmethod
    def resolve_date(obj: Adjustment) -> str:
        return obj.date.isoformat()

    @staticmethod
    def resolve_document_number(obj: Adjustment) -> str | None:
        return obj.entry.document_number if obj.entry_id else None

    @staticmethod
    def resolve_reversed_by(obj: Adjustment) -> str | None:
        if obj.reversed_on is not None:
            return f"reversed {obj.reversed_on.isoformat()}"
        return obj.reversal.document_number if obj.reversal_id else None


class LoanDetailOut(Schema):
    loan: LoanOut
    outstanding_principal: int
    still_owed: int
    penalty_owed: int
    days_overdue: int
    schedule: list[InstalmentOut]
    repayments: list[RepaymentOut]
    adjustments: list[AdjustmentOut]


class LoanSecurityIn(In):
    kind: choice(rules.SECURITY_KINDS, description="lien = อายัดเงินฝากหรือหุ้น ตามชนิดของบัญชี / a lien on savings or "
                 "shares, by the account's kind; savings_lien, shares_lien; collateral = หลักทรัพย์ / collateral")
    account: text(32, description="เลขที่บัญชีเงินฝาก/หุ้นของผู้กู้ที่อายัด / a lien's account: the borrower's own") = ""
    amount: NonNegativeSatang = 0
    collateral: choice(LoanSecurity.Collateral, description="ประเภทหลักทรัพย์ / collateral's kind") | None = None
    description: text(255, description="รายละเอียดหลักทรัพย์ / collateral: what and where") = ""
    document_no: text(64, description="เลขที่โฉนด/ทะเบียน / the title deed's or registration's number") = ""
    value: NonNegativeSatang = 0

    def as_security(self) -> rules.Security:
        return rules.Security(self.kind, account=self.account, amount=self.amount, collateral=self.collateral or "",
                              description=self.description, document_no=self.document_no, value=self.value)


class ApplyIn(In):
    product: ProductCode
    member: MemberNumber
    principal: PositiveSatang
    purpose: Purpose
    guarantors: rows(MemberNumber, 5) = []
    guarantors_consented: rows(MemberNumber, 5) = Field([], description=(
        "ผู้ค้ำที่ลงนามหนังสือยินยอมค้ำประกันมากับคำขอ (ต้องอยู่ใน guarantors) คนอื่นรอการยินยอม / the guarantors "
        "whose signed consent form comes with the application (each among guarantors); the others' consent waits"))
    applied_on: Date | None = None
    term: TermLimit | None = Field(None, description="จำนวนงวดที่ขอ ภายในช่วงของประเภทเงินกู้ ว่าง = ตามประเภทเงินกู้ / "
                                   "instalments asked for, within the product's limits; null: the product's term")
    securities: rows(LoanSecurityIn, rules.MAX_SECURITIES) = []


class DisburseIn(In):
    date: Date | None = None
    first_due: Date | None = None
    paid_to: Literal["cash", "savings"] = Field(
        "cash", description="เงินสด หรือโอนเข้าบัญชีเงินฝากออมทรัพย์ของผู้กู้ / cash, or into the borrower's "
                            "voluntary savings account")


class RepayIn(In):
    amount: PositiveSatang
    date: Date | None = None


class WriteOffIn(In):
    reason: Reason
    against: Against = "expense"
    date: Date | None = None


class PenaltyIn(In):
    date: Date | None = None


class WaiveIn(In):
    part: WaivePart
    amount: PositiveSatang
    reason: Reason
    date: Date | None = None


class RecoverIn(In):
    amount: PositiveSatang
    reason: Reason
    date: Date | None = None


class PortfolioOut(Schema):
    on: str
    gross_outstanding: int
    at_risk: dict[str, int]  # "PAR1", "PAR30", "PAR60", "PAR90" → principal at risk
    par: dict[str, float | None]  # the same ÷ gross outstanding
    overdue_principal: int
    arrears_rate: float | None  # overdue principal ÷ gross outstanding: not PAR
    aging: list[dict]


# --- helpers -------------------------------------------------------------------------------------

def _loan(org, pk: int) -> Loan:
    return scoping.get_in_scope(selectors.loans_of(org), org, pk)


def _member(org, number: str, field: str, row: int | None = None):
    found = member_selectors.members_of(org).filter(number=number.strip()).first()
    if found is None:
        raise RuleViolation([Problem(field, "ไม่พบสมาชิกเลขที่นี้ในกลุ่ม", "no member with this number in the group",
                                     row=row, value=number)])
    return found


# --- endpoints -----------------------------------------------------------------------------------

@router.get("/{org}/products", response=list[LoanProductOut], summary="ประเภทเงินกู้ / loan products")
def product_list(request, org: OrgCode):
    return list(selectors.products(scoping.org_of(request, org)))


@router.post("/{org}/products", response={201: LoanProductOut},
             summary="เพิ่มประเภทเงินกู้ / create a loan product with its first version (manage)")
def product_create(request, org: OrgCode, body: LoanProductIn):
    organisation = scoping.org_of(request, org, scoping.MANAGE)
    product = services.product_create(actor=request.user, organisation=organisation, code=body.code,
                                      name_th=body.name_th, name_en=body.name_en, **body.settings())
    return Status(201, product)


def _product(organisation, product_code: str) -> LoanProduct:
    found = selectors.products(organisation).filter(code=product_code.strip()).first()
    if found is None:
        raise RuleViolation([Problem("product", "ไม่พบประเภทเงินกู้นี้ในกลุ่ม", "no such loan product in this group",
                                     value=product_code)])
    return found


@router.get("/{org}/products/{product_code}/versions", response=LoanProductHistoryOut,
            summary="ฉบับของเงื่อนไขประเภทเงินกู้ / a product's versions, newest first (manage)")
def product_versions(request, org: OrgCode, product_code: ProductCode):
    found = _product(scoping.org_of(request, org, scoping.MANAGE), product_code)
    return {"code": found.code, "name_th": found.name_th,
            "versions": list(found.versions.order_by("-effective_from"))}


@router.post("/{org}/products/{product_code}/versions", response={201: LoanProductVersionOut},
             summary="เงื่อนไขใหม่ตั้งแต่วันที่ / new terms of a product from a date on (manage)")
def product_version_create(request, org: OrgCode, product_code: ProductCode, body: LoanProductVersionIn):
    found = _product(scoping.org_of(request, org, scoping.MANAGE), product_code)
    return Status(201, services.product_version_create(actor=request.user, product=found, **body.settings()))


@router.get("/{org}/portfolio", response=PortfolioOut,
            summary="คุณภาพสินเชื่อ / the portfolio on a day (PAR1/30/60/90, arrears rate, aging)")
def portfolio(request, org: OrgCode, on: Date | None = None):
    organisation = scoping.org_of(request, org)
    day = on or timezone.localdate()
    p = selectors.portfolio(organisation, day)
    return {"on": day.isoformat(), "gross_outstanding": p.gross,
            "at_risk": {f"PAR{d}": p.at_risk[d] for d in (1, 30, 60, 90)},
            "par": {f"PAR{d}": (float(p.par(d)) if p.par(d) is not None else None) for d in (1, 30, 60, 90)},
            "overdue_principal": p.overdue_principal,
            "arrears_rate": float(p.arrears_rate) if p.arrears_rate is not None else None,
            "aging": [{"days": arrears.bucket_label(b), "loans": n, "outstanding": amount}
                      for b, (n, amount) in p.by_bucket.items()]}


@router.get("/{org}", response=list[LoanOut], summary="สัญญาเงินกู้ / loans (search with q, filter by status)")
@paginate(Page)
def loan_list(request, org: OrgCode, q: Search = "", status: StatusFilter = "open"):
    return selectors.loan_search(scoping.org_of(request, org), query=q, status=status)


@router.get("/{org}/{loan_id}", response=LoanDetailOut, summary="สัญญาเงินกู้หนึ่งสัญญา / one loan with its schedule")
def loan_detail(request, org: OrgCode, loan_id: Id):
    loan = _loan(scoping.org_of(request, org), loan_id)
    instalments = selectors.schedule_of(loan)
    paid = selectors.settled(loan)
    left = allocation.remaining(instalments, paid) if instalments else []
    unpaid_penalty = selectors.penalty_owed(loan) if instalments else 0
    standing = arrears.standing(instalments, paid, loan.principal, timezone.localdate()) if instalments else None
    return {"loan": loan, "outstanding_principal": selectors.outstanding_principal(loan),
            "still_owed": sum(r.total for r in left) + unpaid_penalty, "penalty_owed": unpaid_penalty,
            "days_overdue": standing.days_overdue if standing else 0,
            "schedule": [{"n": i.n, "due": i.due.isoformat(), "principal": i.principal, "interest": i.interest,
                          "total": i.total, "balance": i.balance, "still_owed": r.total}
                         for i, r in zip(instalments, left)],
            "repayments": list(loan.repayments.select_related("entry", "reversal")),
            "adjustments": list(loan.adjustments.select_related("entry", "reversal"))}


@router.post("/{org}", response={201: LoanOut}, summary="ยื่นคำขอกู้ / apply for a loan")
def loan_apply(request, org: OrgCode, body: ApplyIn):
    organisation = scoping.org_of(request, org, scoping.WRITE)
    product = selectors.products(organisation).filter(code=body.product.strip()).first()
    member = _member(organisation, body.member, "member")
    guarantors = [_member(organisation, n, "guarantors", row=i) for i, n in enumerate(body.guarantors, start=1)]
    consented = [_member(organisation, n, "guarantors_consented", row=i)
                 for i, n in enumerate(body.guarantors_consented, start=1)]
    loan = services.loan_apply(actor=request.user, organisation=organisation, member=member, product=product,
                               principal=body.principal, purpose=body.purpose, guarantors=guarantors,
                               applied_on=body.applied_on, term=body.term,
                               securities=[s.as_security() for s in body.securities], consented=consented)
    return Status(201, _loan(organisation, loan.pk))


class ConsentIn(In):
    date: Date | None = Field(None, description="วันที่ลงนาม ว่าง = วันนี้ / the day it was signed; null: today")


def _guarantor(request, org: str, loan_id: int, member: str) -> Guarantor:
    """The guarantor ``member`` of the loan, for the group's staff or the guarantor themself
    (anyone else: 404, as if there were none)."""
    access = scoping.access_org(request.user, org, scoping.VIEW)
    organisation = access.organisation
    loan = _loan(organisation, loan_id)
    found = loan.guarantors.select_related("member").filter(member__number=member.strip()).first()
    if found is None or not (access.can(scoping.WRITE) or found.member.user_id == request.user.pk):
        raise Http404("ไม่พบผู้ค้ำประกัน / no such guarantor")
    return found


@router.post("/{org}/{loan_id}/guarantors/{member}/consent", response=LoanOut,
             summary="ผู้ค้ำยินยอมค้ำประกัน / the guarantor consents (staff from the signed form, or the guarantor)")
def guarantor_consent(request, org: OrgCode, loan_id: Id, member: MemberNumber, body: ConsentIn):
    g = services.guarantor_consent(actor=request.user, guarantor=_guarantor(request, org, loan_id, member),
                                   consent=True, on=body.date)
    return g.loan


class ReplaceGuarantorIn(In):
    member: MemberNumber = Field(description="เลขที่สมาชิกผู้ค้ำคนใหม่ / the new guarantor's member number")
    consented: bool = Field(False, description="ผู้ค้ำคนใหม่ลงนามหนังสือยินยอมแล้ว / their signed consent form comes "
                            "with it (else their consent waits)")
    date: Date | None = Field(None, description="วันที่ลงนาม ว่าง = วันนี้ / the day it was signed; null: today")


@router.post("/{org}/{loan_id}/guarantors/{member}/replace", response=LoanOut,
             summary="เปลี่ยนผู้ค้ำของคำขอ / another member stands guarantor instead (write)")
def guarantor_replace(request, org: OrgCode, loan_id: Id, member: MemberNumber, body: ReplaceGuarantorIn):
    organisation = scoping.org_of(request, org, scoping.WRITE)
    loan = _loan(organisation, loan_id)
    old = loan.guarantors.select_related("member").filter(member__number=member.strip()).first()
    if old is None:
        raise Http404("ไม่พบผู้ค้ำประกัน / no such guarantor")
    g = services.guarantor_replace(actor=request.user, guarantor=old,
                                   member=_member(organisation, body.member, "member"), consented=body.consented,
                                   on=body.date)
    return g.loan


@router.post("/{org}/{loan_id}/guarantors/{member}/decline", response=LoanOut,
             summary="ผู้ค้ำไม่ยินยอม / the guarantor declines (staff, or the guarantor)")
def guarantor_decline(request, org: OrgCode, loan_id: Id, member: MemberNumber, body: ConsentIn):
    g = services.guarantor_consent(actor=request.user, guarantor=_guarantor(request, org, loan_id, member),
                                   consent=False, on=body.date)
    return g.loan


@router.post("/{org}/{loan_id}/approve", response=LoanOut,
             summary="อนุมัติ (ไม่ใช่ผู้บันทึก) / approve (not the one who entered it)")
def loan_approve(request, org: OrgCode, loan_id: Id):
    organisation = scoping.org_of(request, org, scoping.APPROVE)
    return services.loan_approve(actor=request.user, loan=_loan(organisation, loan_id))


@router.post("/{org}/{loan_id}/reject", response=LoanOut, summary="ไม่อนุมัติ / reject, with a reason")
def loan_reject(request, org: OrgCode, loan_id: Id, body: ReasonIn):
    organisation = scoping.org_of(request, org, scoping.APPROVE)
    return services.loan_reject(actor=request.user, loan=_loan(organisation, loan_id), reason=body.reason)


@router.post("/{org}/{loan_id}/withdraw", response=LoanOut, summary="ถอนคำขอ / withdraw, with a reason")
def loan_withdraw(request, org: OrgCode, loan_id: Id, body: ReasonIn):
    organisation = scoping.org_of(request, org, scoping.WRITE)
    return services.loan_withdraw(actor=request.user, loan=_loan(organisation, loan_id), reason=body.reason)


@router.post("/{org}/{loan_id}/disburse", response=LoanOut, summary="จ่ายเงินกู้ / pay the loan out (once)")
def loan_disburse(request, org: OrgCode, loan_id: Id, body: DisburseIn):
    organisation = scoping.org_of(request, org, scoping.WRITE)
    loan = services.loan_disburse(actor=request.user, loan=_loan(organisation, loan_id), date=body.date,
                                  first_due=body.first_due, into_savings=body.paid_to == "savings")
    return _loan(organisation, loan.pk)


@router.post("/{org}/{loan_id}/repay", response={201: RepaymentOut},
             summary="รับชำระ / a repayment (oldest instalment first; an overpayment is refused)")
def loan_repay(request, org: OrgCode, loan_id: Id, body: RepayIn):
    organisation = scoping.org_of(request, org, scoping.WRITE)
    repayment = services.loan_repay(actor=request.user, loan=_loan(organisation, loan_id), amount=body.amount,
                                    date=body.date)
    return Status(201, repayment)


@router.post("/{org}/{loan_id}/write-off", response={201: AdjustmentOut},
             summary="ขอตัดหนี้สูญ (รออนุมัติ) / ask to write off the outstanding principal (a second person approves)")
def write_off(request, org: OrgCode, loan_id: Id, body: WriteOffIn):
    organisation = scoping.org_of(request, org, scoping.WRITE)
    return Status(201, services.write_off_request(actor=request.user, loan=_loan(organisation, loan_id),
                                                  reason=body.reason, against=body.against, date=body.date))


@router.post("/{org}/{loan_id}/recover", response={201: AdjustmentOut},
             summary="รับชำระหนี้สูญ (รออนุมัติ) / money received after a write-off (a second person approves)")
def recover(request, org: OrgCode, loan_id: Id, body: RecoverIn):
    organisation = scoping.org_of(request, org, scoping.WRITE)
    return Status(201, services.recovery_request(actor=request.user, loan=_loan(organisation, loan_id),
                                                 amount=body.amount, reason=body.reason, date=body.date))


def _adjustment(organisation, loan_id: int, adjustment_id: int) -> Adjustment:
    found = _loan(organisation, loan_id).adjustments.filter(pk=adjustment_id).first()
    if found is None:
        raise RuleViolation([Problem("adjustment", "ไม่พบรายการนี้ของสัญญา", "no such request of this loan",
                                     value=adjustment_id)])
    return found


@router.post("/{org}/{loan_id}/adjustments/{adjustment_id}/approve", response=AdjustmentOut,
             summary="อนุมัติตัดหนี้สูญ/รับชำระหนี้สูญ (ไม่ใช่ผู้บันทึก) / approve: posts it (not the one who asked)")
def adjustment_approve(request, org: OrgCode, loan_id: Id, adjustment_id: Id):
    organisation = scoping.org_of(request, org, scoping.APPROVE)
    return services.adjustment_approve(actor=request.user, adjustment=_adjustment(organisation, loan_id,
                                                                                  adjustment_id))


@router.post("/{org}/{loan_id}/adjustments/{adjustment_id}/reject", response=AdjustmentOut,
             summary="ไม่อนุมัติ / reject a write-off or recovery, with a reason")
def adjustment_reject(request, org: OrgCode, loan_id: Id, adjustment_id: Id, body: ReasonIn):
    organisation = scoping.org_of(request, org, scoping.APPROVE)
    return services.adjustment_reject(actor=request.user, adjustment=_adjustment(organisation, loan_id, adjustment_id),
                                      reason=body.reason)


@router.post("/{org}/{loan_id}/adjustments/{adjustment_id}/reverse", response=AdjustmentOut,
             summary="กลับรายการ / reverse an approved write-off or recovery (recoveries before their write-off)")
def adjustment_reverse(request, org: OrgCode, loan_id: Id, adjustment_id: Id, body: ReasonIn):
    organisation = scoping.org_of(request, org, scoping.APPROVE)
    return services.adjustment_reverse(actor=request.user,
                                       adjustment=_adjustment(organisation, loan_id, adjustment_id),
                                       reason=body.reason)


@router.post("/{org}/{loan_id}/penalty", response={201: AdjustmentOut},
             summary="คิดค่าปรับงวดค้าง / charge the penalty the terms give for overdue instalments up to a day")
def penalty_charge(request, org: OrgCode, loan_id: Id, body: PenaltyIn):
    organisation = scoping.org_of(request, org, scoping.WRITE)
    return Status(201, services.penalty_charge(actor=request.user, loan=_loan(organisation, loan_id), date=body.date))


@router.post("/{org}/{loan_id}/waive", response={201: AdjustmentOut},
             summary="ขอยกเว้นดอกเบี้ยหรือค่าปรับ (รออนุมัติ) / ask to waive interest or penalty (a second person approves)")
def waive(request, org: OrgCode, loan_id: Id, body: WaiveIn):
    organisation = scoping.org_of(request, org, scoping.WRITE)
    return Status(201, services.waive_request(actor=request.user, loan=_loan(organisation, loan_id), part=body.part,
                                              amount=body.amount, reason=body.reason, date=body.date))


# --- reschedule (ปรับโครงสร้างหนี้): asked by one person, in force when a second approves -----------

class RescheduleIn(In):
    term: whole(1, rules.MAX_TERM, description="จำนวนงวดใหม่ (ไม่เกินของประเภทเงินกู้) / new instalments (at most "
                "the product's term)")
    first_due: Date = Field(description="ครบกำหนดงวดแรกของตารางใหม่ / the first new instalment's due date")
    reason: Reason
    date: Date | None = Field(None, description="วันปรับโครงสร้างหนี้ ว่าง = วันนี้ / the reschedule's date (today)")
    rate: Rate | None = Field(None, description="อัตราใหม่ ว่าง = อัตราเดิม / the new rate (null: the current one)")
    per: choice([schedule.PER_YEAR, schedule.PER_MONTH], description="ว่าง = เดิม / null: as now") | None = None
    method: choice(list(schedule.METHODS), description="ว่าง = เดิม / null: as now") | None = None
    every: choice(list(schedule.PERIODS_A_YEAR), description="ว่าง = เดิม / null: as now") | None = None
    grace_principal: whole(0, rules.MAX_TERM, description="งวดปลอดเงินต้น / instalments without principal") = 0
    grace_interest: whole(0, rules.MAX_TERM, description="งวดปลอดดอกเบี้ย / instalments without interest") = 0
    rounding: choice(["1", "100", "500", "1000"], description="ปัดงวด (สตางค์) ว่าง = เดิม / round instalments to a "
                     "multiple in satang (null: as now)") | None = None


class RescheduleOut(Schema):
    id: int
    loan: int
    loan_number: int
    status: str  # pending | approved | rejected
    reversed_on: str | None
    date: str
    first_due: str
    terms: dict
    principal: int  # satang: the outstanding principal lent anew
    kept_interest: int  # satang: unpaid interest due with the first new instalment (recorded at the approval)
    reason: str
    decision_reason: str
    reversal_reason: str

    @staticmethod
    def resolve_loan(obj: Reschedule) -> int:
        return obj.loan_id

    @staticmethod
    def resolve_loan_number(obj: Reschedule) -> int:
        return obj.loan.number

    @staticmethod
    def resolve_reversed_on(obj: Reschedule) -> str | None:
        return obj.reversed_on.isoformat() if obj.reversed_on else None

    @staticmethod
    def resolve_date(obj: Reschedule) -> str:
        return obj.date.isoformat()

    @staticmethod
    def resolve_first_due(obj: Reschedule) -> str:
        return obj.first_due.isoformat()


class LoanScheduleOut(Schema):
    reschedule: int | None  # the reschedule that made it (null: the schedule agreed at approval)
    current: bool
    instalments: list[LoanScheduleInstalmentOut]


def _reschedule(organisation, loan_id: int, reschedule_id: int) -> Reschedule:
    found = _loan(organisation, loan_id).reschedules.select_related("loan").filter(pk=reschedule_id).first()
    if found is None:
        raise RuleViolation([Problem("reschedule", "ไม่พบการปรับโครงสร้างหนี้นี้ของสัญญา",
                                     "no such reschedule of this loan", value=reschedule_id)])
    return found


@router.get("/{org}/reschedules/pending", response=list[RescheduleOut],
            summary="ปรับโครงสร้างหนี้รออนุมัติ / reschedules awaiting a second person, oldest first")
@paginate(Page)
def reschedules_pending(request, org: OrgCode):
    return selectors.reschedules_pending(scoping.org_of(request, org))


@router.get("/{org}/{loan_id}/reschedules", response=list[RescheduleOut],
            summary="การปรับโครงสร้างหนี้ของสัญญา / the loan's reschedules, asked, decided and reversed")
def reschedule_list(request, org: OrgCode, loan_id: Id):
    return list(_loan(scoping.org_of(request, org), loan_id).reschedules.select_related("loan").order_by("date", "pk"))


@router.get("/{org}/{loan_id}/schedules", response=list[LoanScheduleOut],
            summary="ตารางผ่อนชำระทุกฉบับ / the loan's schedules: the first, then each standing reschedule's; "
                    "the last is current")
def schedule_list(request, org: OrgCode, loan_id: Id):
    made = selectors.schedules_of(_loan(scoping.org_of(request, org), loan_id))
    return [{"reschedule": r.pk if r is not None else None, "current": k == len(made) - 1,
             "instalments": [{"n": i.n, "due": i.due.isoformat(), "principal": i.principal, "interest": i.interest,
                              "total": i.total, "balance": i.balance} for i in rows]}
            for k, (r, rows) in enumerate(made)]


@router.post("/{org}/{loan_id}/reschedules", response={201: RescheduleOut},
             summary="ขอปรับโครงสร้างหนี้ (รออนุมัติ) / ask for a new schedule of what is owed (a second person "
                     "approves); unset terms stay as now, grace none")
def reschedule_request(request, org: OrgCode, loan_id: Id, body: RescheduleIn):
    organisation = scoping.org_of(request, org, scoping.WRITE)
    return Status(201, services.reschedule_request(
        actor=request.user, loan=_loan(organisation, loan_id), term=body.term, first_due=body.first_due,
        reason=body.reason, rate=body.rate, date=body.date, method=body.method, per=body.per, every=body.every,
        grace_principal=body.grace_principal, grace_interest=body.grace_interest,
        rounding=int(body.rounding) if body.rounding else None))


@router.post("/{org}/{loan_id}/reschedules/{reschedule_id}/approve", response=RescheduleOut,
             summary="อนุมัติปรับโครงสร้างหนี้ (ไม่ใช่ผู้ขอ) / approve: the new schedule in force (not the one who asked)")
def reschedule_approve(request, org: OrgCode, loan_id: Id, reschedule_id: Id):
    organisation = scoping.org_of(request, org, scoping.APPROVE)
    return services.reschedule_approve(actor=request.user,
                                       reschedule=_reschedule(organisation, loan_id, reschedule_id))


@router.post("/{org}/{loan_id}/reschedules/{reschedule_id}/reject", response=RescheduleOut,
             summary="ไม่อนุมัติปรับโครงสร้างหนี้ / reject a reschedule, with a reason")
def reschedule_reject(request, org: OrgCode, loan_id: Id, reschedule_id: Id, body: ReasonIn):
    organisation = scoping.org_of(request, org, scoping.APPROVE)
    return services.reschedule_reject(actor=request.user, reason=body.reason,
                                      reschedule=_reschedule(organisation, loan_id, reschedule_id))


@router.post("/{org}/{loan_id}/reschedules/{reschedule_id}/reverse", response=RescheduleOut,
             summary="กลับรายการปรับโครงสร้างหนี้ครั้งหลังสุด (ยังไม่มีการชำระตามตารางใหม่) / reverse the latest "
                     "reschedule while nothing was settled on its schedule")
def reschedule_reverse(request, org: OrgCode, loan_id: Id, reschedule_id: Id, body: DatedReasonIn):
    organisation = scoping.org_of(request, org, scoping.APPROVE)
    return services.reschedule_reverse(actor=request.user, reason=body.reason, date=body.date,
                                       reschedule=_reschedule(organisation, loan_id, reschedule_id))


# The year-end allocation's operations (loans/year_end/api.py), on this router.
year_end_api.register(router)
