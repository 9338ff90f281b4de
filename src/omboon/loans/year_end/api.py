"""The year-end allocation over HTTP, on the loans router (/api/v1/loans/{org}/year-end/{year}):
the year's allocation and its parts, its members (paginated), a what-if of other percentages
(never saved), and the lifecycle — draft, approve (twice; the first records the general
meeting), post, pay, reverse. A year names the allocation that stands for it (a reversed one
gives way to the next draft). Reading needs ``records``, drafting, posting and paying ``write``,
approving and reversing ``approve``; a refusal answers with the Thai/English problems."""


from decimal import Decimal

from django.http import Http404
from ninja import Schema, Status
from ninja.pagination import paginate

from omboon.core.contract import Date, DatedReasonIn, DateIn, In, OrgCode, Page, Year, choice, number, text
from omboon.loans.models import YearEndAllocation, YearEndShare
from omboon.loans.year_end import compute, selectors, services
from omboon.orgs import scoping

PercentIn = number(0, 100, description="ร้อยละ ทศนิยมไม่เกิน 2 ตำแหน่ง / a percentage, at most two decimals")
Model = choice(list(compute.MODELS), description="pool = แบ่งตามสัดส่วน / percentages; rate = ตามอัตรา / rates")
Base = choice(YearEndAllocation.Base, description="ฐานปันผล / the dividend's balances")
How = choice(YearEndAllocation.PaidHow, description="จ่ายเป็นเงินสดหรือเข้าบัญชีเงินฝาก / cash or into savings")


class ModelIn(In):
    model: Model = compute.POOL
    reserve: PercentIn = 10
    dividend: PercentIn = 0
    refund: PercentIn = 0
    welfare: PercentIn = 0
    committee: PercentIn = 0
    public: PercentIn = 0

    def as_model(self) -> compute.Model:
        return compute.Model(self.model, **{p: Decimal(str(getattr(self, p))) for p in compute.PARTS})


class AllocationDraftIn(ModelIn):
    base: Base = YearEndAllocation.Base.ALL


class AllocationApproveIn(In):
    meeting_on: Date | None = None
    resolution: text(2000) = ""


class AllocationPayIn(In):
    how: How
    date: Date | None = None


class PartsOut(Schema):
    reserve: int
    dividend: int
    refund: int
    welfare: int
    committee: int
    public: int


class AllocationOut(Schema):
    id: int
    group: str
    fiscal_year: int
    start: str
    end: str
    status: choice(YearEndAllocation.Status)
    model: dict[str, str]
    base: str
    net_income: int
    parts: PartsOut
    members: int
    meeting_on: str | None
    resolution: str
    entry: str | None
    payment: str | None
    paid_how: str
    reversal: str | None


class ShareOut(Schema):
    member: str
    name: str
    balance: int  # the time-weighted balance (the average of twelve month-ends), satang
    interest_paid: int
    dividend: int
    refund: int

    @staticmethod
    def resolve_member(obj: YearEndShare) -> str:
        return obj.member.number

    @staticmethod
    def resolve_name(obj: YearEndShare) -> str:
        return obj.member.full_name

    @staticmethod
    def resolve_balance(obj: YearEndShare) -> int:
        return obj.balance_months // compute.MONTHS


class WhatIfOut(Schema):
    fiscal_year: int
    net_income: int
    model: dict[str, str]
    parts: PartsOut
    members_paid: int


def _out(a: YearEndAllocation) -> dict:
    doc = lambda e: e.document_number if e is not None else None  # noqa: E731
    return {"id": a.pk, "group": a.organisation.code, "fiscal_year": a.fiscal_year, "start": a.start.isoformat(),
            "end": a.end.isoformat(), "status": a.status, "model": selectors.model_of(a).as_dict(), "base": a.base,
            "net_income": a.net_income, "parts": selectors.parts_of(a), "members": a.shares.count(),
            "meeting_on": a.meeting_on.isoformat() if a.meeting_on else None, "resolution": a.resolution,
            "entry": doc(a.entry), "payment": doc(a.payment), "paid_how": a.paid_how, "reversal": doc(a.reversal)}


def _allocation(organisation, year: int) -> YearEndAllocation:
    found = selectors.current(organisation, year)
    if found is None:
        raise Http404(f"ไม่มีการจัดสรรกำไรสุทธิปี {year} / no year-end allocation of {year}")
    return found


def register(router) -> None:
    """Add the year-end's operations to the loans router (``loans.api`` calls it)."""

    @router.get("/{org}/year-end/{year}", response=AllocationOut,
                summary="จัดสรรกำไรสุทธิของปี / the year's allocation and its parts")
    def year_end_detail(request, org: OrgCode, year: Year):
        return _out(_allocation(scoping.org_of(request, org), year))

    @router.post("/{org}/year-end/{year}", response={201: AllocationOut},
                 summary="จัดทำร่าง (ปิดเดือนสุดท้ายของปีแล้ว) / draft it from the books, once the year is closed")
    def year_end_draft(request, org: OrgCode, year: Year, body: AllocationDraftIn):
        organisation = scoping.org_of(request, org, scoping.WRITE)
        a = services.allocation_draft(actor=request.user, organisation=organisation, fiscal_year=year,
                                      model=body.as_model(), base=body.base)
        return Status(201, _out(a))

    @router.get("/{org}/year-end/{year}/members", response=list[ShareOut],
                summary="รายชื่อสมาชิกที่ได้รับปันผลและเฉลี่ยคืน / the per-member list")
    @paginate(Page)
    def year_end_members(request, org: OrgCode, year: Year, q: text(100) = ""):
        return selectors.shares(_allocation(scoping.org_of(request, org), year), query=q)

    @router.get("/{org}/year-end/{year}/what-if", response=WhatIfOut,
                summary="ทดลองคำนวณด้วยร้อยละอื่น ไม่บันทึก / the draft's members under other percentages, not saved")
    def year_end_what_if(request, org: OrgCode, year: Year, model: Model = compute.POOL, reserve: PercentIn = 10,
                         dividend: PercentIn = 0, refund: PercentIn = 0, welfare: PercentIn = 0,
                         committee: PercentIn = 0, public: PercentIn = 0):
        a = _allocation(scoping.org_of(request, org), year)
        other = ModelIn(model=model, reserve=reserve, dividend=dividend, refund=refund, welfare=welfare,
                        committee=committee, public=public).as_model()
        result = selectors.what_if(a, other)
        return {"fiscal_year": year, "net_income": result.net_income, "model": other.as_dict(),
                "parts": result.parts, "members_paid": len(result.paid_members)}

    @router.post("/{org}/year-end/{year}/approve", response=AllocationOut,
                 summary="อนุมัติ: คนแรกบันทึกมติที่ประชุมใหญ่ คนที่สองอนุมัติ (ไม่ใช่ผู้จัดทำ) / "
                         "approve: the first records the meeting's decision, a second approves (never the drafter)")
    def year_end_approve(request, org: OrgCode, year: Year, body: AllocationApproveIn):
        organisation = scoping.org_of(request, org, scoping.APPROVE)
        return _out(services.allocation_approve(actor=request.user, allocation=_allocation(organisation, year),
                                                meeting_on=body.meeting_on, resolution=body.resolution))

    @router.post("/{org}/year-end/{year}/post", response=AllocationOut,
                 summary="ลงบัญชี (ครั้งเดียว) / post it, once")
    def year_end_post(request, org: OrgCode, year: Year, body: DateIn):
        organisation = scoping.org_of(request, org, scoping.WRITE)
        return _out(services.allocation_post(actor=request.user, allocation=_allocation(organisation, year),
                                             date=body.date))

    @router.post("/{org}/year-end/{year}/pay", response=AllocationOut,
                 summary="จ่ายเงินปันผลและเฉลี่ยคืน / pay every member, in cash or into savings")
    def year_end_pay(request, org: OrgCode, year: Year, body: AllocationPayIn):
        organisation = scoping.org_of(request, org, scoping.WRITE)
        return _out(services.allocation_pay(actor=request.user, allocation=_allocation(organisation, year),
                                            how=body.how, date=body.date))

    @router.post("/{org}/year-end/{year}/reverse", response=AllocationOut,
                 summary="กลับรายการก่อนจ่าย / reverse it before it is paid")
    def year_end_reverse(request, org: OrgCode, year: Year, body: DatedReasonIn):
        organisation = scoping.org_of(request, org, scoping.APPROVE)
        return _out(services.allocation_reverse(actor=request.user, allocation=_allocation(organisation, year),
                                                reason=body.reason, date=body.date))
