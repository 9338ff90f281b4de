"""Welfare over HTTP: schemes, rule versions, claims (submit, approve, reject, pay, reverse),
what-if and the fund projection. Every endpoint resolves the organisation through
``omboon.orgs.scoping``; problems answer 422 with every error record (Thai and English)."""


import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import Http404, QueryDict
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import AfterValidator, WithJsonSchema

from omboon.core.contract import (
    Date,
    DatedReasonIn,
    DateIn,
    Id,
    Limit,
    NonNegativeSatang,
    Offset,
    OrgCode,
    PositiveSatang,
    Satang,
    choice,
    code,
    number,
    rows,
    text,
    whole,
)
from omboon.core.errors import RuleViolation
from omboon.core.money import format_baht
from omboon.orgs import scoping
from omboon.welfare import projection as proj
from omboon.welfare import schema, selectors, services, whatif
from omboon.welfare.models import BenefitScheme, Category, Claim, RuleVersion

router = Router(tags=["welfare"])


RULE_HELP = ("กติกาของสวัสดิการเป็น JSON (ดูหน้าแก้กติกา) / the scheme's rule as JSON, read by welfare.schema.parse; "
             "what the schema cannot say (min_age above max_age, tiers or document codes that repeat) is a 422 "
             "naming the rule's field")


# --- a rule's JSON: the shape welfare.schema.parse reads (it stays the one validator) -------------
# Every field here is one parse knows, with at most the bounds parse allows (tighter is fine: the
# schema must never allow what parse refuses). Unknown fields are refused, as parse refuses them.

Count = Annotated[int, Field(ge=0, le=100_000)]
AtLeastOne = Annotated[int, Field(ge=1, le=100_000)]
Age = Annotated[int, Field(ge=0, le=150)]
_LABEL = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


def _two_decimals(value: float) -> float:
    if (Decimal(str(value)) * 100) % 1:
        raise ValueError("ร้อยละมีทศนิยมไม่เกิน 2 ตำแหน่ง / a percentage has at most 2 decimals")
    return value


Percent = Annotated[float, Field(gt=0, le=100), AfterValidator(_two_decimals), WithJsonSchema({
    "type": "number", "exclusiveMinimum": 0, "maximum": 100, "multipleOf": 0.01,
    "description": "ร้อยละของค่าใช้จ่าย ทศนิยมไม่เกิน 2 ตำแหน่ง / the percentage of the cost, at most 2 decimals"})]


class RulePart(Schema):
    model_config = {"extra": "forbid"}


class EligibilityIn(RulePart):
    """Who may claim; a field left out is the default shown."""

    min_membership_months: Count = 0
    waiting_days: Count = 0
    min_age: Age | None = None
    max_age: Age | None = None
    sexes: Annotated[list[Literal[schema.SEXES]], Field(max_length=2)] = []
    statuses: Annotated[list[Literal[schema.STATUSES]], Field(min_length=1, max_length=5)] = ["active"]
    paid_up: bool = False
    grace_months: Count = 0


class FixedAmount(RulePart):
    kind: Literal["fixed"]
    amount: PositiveSatang


class PerNightAmount(RulePart):
    kind: Literal["per_night"]
    per_night: PositiveSatang
    max_nights: AtLeastOne | None = None


class TierIn(RulePart):
    min_years: Count
    amount: PositiveSatang


class TieredAmount(RulePart):
    kind: Literal["tiered"]
    tiers: Annotated[list[TierIn], Field(min_length=1, max_length=50)]


class PercentAmount(RulePart):
    kind: Literal["percent"]
    percent: Percent
    cap: PositiveSatang | None = None


class LimitsIn(RulePart):
    per_event: PositiveSatang | None = None
    per_year: PositiveSatang | None = None
    per_lifetime: PositiveSatang | None = None
    claims_per_year: AtLeastOne | None = None
    nights_per_year: AtLeastOne | None = None


class DocumentIn(RulePart):
    code: Annotated[str, Field(pattern=schema.CODE_RE.pattern, description="a-z 0-9 _")]
    label_th: Annotated[str, Field(min_length=1, max_length=200, pattern=_LABEL)]
    label_en: text(200) = ""


class RuleIn(RulePart):
    """A rule version's JSON, as ``welfare.schema`` documents it (amounts in satang)."""

    eligibility: EligibilityIn | None = None
    amount: Annotated[FixedAmount | PerNightAmount | TieredAmount | PercentAmount, Field(discriminator="kind")]
    limits: LimitsIn | None = None
    documents: Annotated[list[DocumentIn], Field(max_length=50)] = []


def _rule_json(rule: RuleIn) -> dict[str, Any]:
    """The JSON parse reads: what the caller sent, nothing filled in."""
    return rule.model_dump(mode="json", exclude_unset=True)


Rule = Annotated[RuleIn, Field(description=RULE_HELP)]
SchemeKey = Annotated[str, Field(pattern=r"^[1-9][0-9]{0,17}$", description="รหัสสวัสดิการ / a scheme's id")]
Proposals = Annotated[dict[SchemeKey, Rule], Field(
    max_length=50, json_schema_extra={"additionalProperties": False},
    description="รหัสสวัสดิการ → กติกาที่เสนอ / a scheme's id → the proposed rule")]


# --- shapes --------------------------------------------------------------------------------

class SchemeOut(Schema):
    id: int
    group: str
    category: str
    category_label: str
    name_th: str
    name_en: str
    expense_account: str
    is_active: bool

    @staticmethod
    def resolve_group(obj: BenefitScheme) -> str:
        return obj.organisation.code

    @staticmethod
    def resolve_category_label(obj: BenefitScheme) -> str:
        return obj.category_name("th")

    @staticmethod
    def resolve_expense_account(obj: BenefitScheme) -> str:
        return obj.expense_account.code


class SchemeIn(Schema):
    category: choice(Category)
    name_th: text(200, min_length=1)
    name_en: text(200) = ""
    custom_label: text(100) = ""
    effective_from: Date
    rule: Rule


class VersionOut(Schema):
    id: int
    scheme: int
    effective_from: dt.date
    rule: dict[str, Any]
    note: str

    @staticmethod
    def resolve_scheme(obj: RuleVersion) -> int:
        return obj.scheme_id


class VersionIn(Schema):
    effective_from: Date
    rule: Rule
    note: text(255) = ""


class PayeeIO(Schema):
    name: text(200, min_length=1)
    relation: text(64) = ""
    share: whole(1, 100, description="ร้อยละ / percent; a claim's shares add up to 100")
    amount: NonNegativeSatang = 0


class ClaimOut(Schema):
    id: int
    group: str
    member: str
    scheme: int
    rule_version: int
    event_date: dt.date
    event_key: str
    nights: int
    cost: int
    status: choice(Claim.Status)
    amount: int
    documents: list[str]
    eligibility: dict[str, Any]
    payees: list[PayeeIO]
    document_number: str | None
    paid_on: dt.date | None

    @staticmethod
    def resolve_group(obj: Claim) -> str:
        return obj.organisation.code

    @staticmethod
    def resolve_member(obj: Claim) -> str:
        return obj.member.number

    @staticmethod
    def resolve_scheme(obj: Claim) -> int:
        return obj.scheme_id

    @staticmethod
    def resolve_rule_version(obj: Claim) -> int:
        return obj.rule_version_id

    @staticmethod
    def resolve_payees(obj: Claim) -> list:
        return list(obj.payees.all())

    @staticmethod
    def resolve_document_number(obj: Claim) -> str | None:
        return obj.entry.document_number if obj.entry_id else None


class ClaimIn(Schema):
    """Whether the member may claim, and how much, are the scheme's rules (422 naming them)."""

    member: code(16, description="เลขที่สมาชิก / the member's number")
    scheme: Id
    event_date: Date
    event_key: text(100) = ""
    nights: whole(0, 366) = 0
    cost: NonNegativeSatang = 0
    details: text(2000) = ""
    documents: rows(text(64, min_length=1), 30) = []
    payees: rows(PayeeIO, 20) = []


class WhatIfIn(Schema):
    start: Date
    end: Date
    proposals: Proposals


MONEY_ASSUMPTIONS = ("opening_balance", "contribution_per_member", "other_income_per_year")


class AssumptionsIn(Schema):
    """What the projection assumes; a field left out keeps the figure observed in the books."""

    model_config = {"extra": "forbid"}

    opening_balance: Satang | None = None
    joiners_per_year: whole(0, 100_000) | None = None
    leaving_rate_pct: number(0, 100) | None = None
    contribution_per_member: NonNegativeSatang | None = None
    other_income_per_year: NonNegativeSatang | None = None
    admin_pct: number(0, 100) | None = None
    interest_pct: number(0, 50) | None = None
    claim_rate_factor_pct: number(0, 1000) | None = None


class ProjectionIn(Schema):
    years: whole(5, 20) = 10
    observed_years: whole(1, 20) = 5
    assumptions: AssumptionsIn = AssumptionsIn()
    proposals: Proposals = {}


# --- helpers -------------------------------------------------------------------------------

def _scheme(org, pk: int) -> BenefitScheme:
    return scoping.get_in_scope(selectors.schemes(org).select_related("organisation"), org, pk)


def _claim(org, pk: int) -> Claim:
    return scoping.get_in_scope(selectors.claims(org), org, pk)


def _rules(org, proposals: dict[str, RuleIn]) -> dict[int, schema.Rule]:
    out = {}
    problems = []
    for key, data in proposals.items():
        scheme_id = int(key)
        _scheme(org, scheme_id)
        rule, found = schema.parse(_rule_json(data))
        problems += found
        if rule is not None:
            out[scheme_id] = rule
    if problems:
        raise RuleViolation(problems)
    return out


# --- schemes and versions --------------------------------------------------------------------

@router.get("/{org}/schemes", response=list[SchemeOut], summary="สวัสดิการของกลุ่ม / benefit schemes")
def scheme_list(request, org: OrgCode):
    return list(selectors.schemes(scoping.org_of(request, org)).select_related("organisation"))


@router.post("/{org}/schemes", response={201: SchemeOut}, summary="เพิ่มสวัสดิการ / create a scheme")
def scheme_create(request, org: OrgCode, body: SchemeIn):
    organisation = scoping.org_of(request, org, scoping.MANAGE)
    scheme = services.scheme_create(actor=request.user, organisation=organisation, category=body.category,
                                    name_th=body.name_th, name_en=body.name_en, custom_label=body.custom_label,
                                    effective_from=body.effective_from, rule=_rule_json(body.rule))
    return Status(201, scheme)


@router.get("/{org}/schemes/{scheme_id}/versions", response=list[VersionOut],
            summary="กติกาแต่ละฉบับ / rule versions")
def version_list(request, org: OrgCode, scheme_id: Id):
    scheme = _scheme(scoping.org_of(request, org), scheme_id)
    return list(scheme.versions.order_by("effective_from"))


@router.post("/{org}/schemes/{scheme_id}/versions", response={201: VersionOut},
             summary="กติกาฉบับใหม่ / a new rule version")
def version_create(request, org: OrgCode, scheme_id: Id, body: VersionIn):
    scheme = _scheme(scoping.org_of(request, org, scoping.MANAGE), scheme_id)
    return Status(201, services.rule_version_create(actor=request.user, scheme=scheme,
                                                    effective_from=body.effective_from, rule=_rule_json(body.rule),
                                                    note=body.note))


# --- claims ----------------------------------------------------------------------------------

@router.get("/{org}/claims", response=list[ClaimOut], summary="คำขอสวัสดิการ / claims")
def claim_list(request, org: OrgCode, status: choice(["pending", *Claim.Status.values], blank=True) = "",
               member: text(16) = "", limit: Limit = 200, offset: Offset = 0):
    qs = selectors.claims(scoping.org_of(request, org))
    if status == "pending":
        qs = qs.filter(status__in=[Claim.Status.SUBMITTED, Claim.Status.APPROVED])
    elif status:
        qs = qs.filter(status=status)
    if member:
        qs = qs.filter(member__number=member)
    return list(qs.prefetch_related("payees")[offset:offset + limit])


@router.get("/{org}/claims/{claim_id}", response=ClaimOut, summary="คำขอเดียว / one claim")
def claim_detail(request, org: OrgCode, claim_id: Id):
    return _claim(scoping.org_of(request, org), claim_id)


@router.post("/{org}/claims", response={201: ClaimOut}, summary="ยื่นคำขอ / submit a claim")
def claim_submit(request, org: OrgCode, body: ClaimIn):
    organisation = scoping.org_of(request, org, scoping.WRITE)
    member = selectors.members(organisation).filter(number=body.member).first()
    scheme = selectors.schemes(organisation).filter(pk=body.scheme).select_related("organisation").first()
    claim = services.claim_submit(
        actor=request.user, organisation=organisation, member=member, scheme=scheme, event_date=body.event_date,
        event_key=body.event_key, nights=body.nights, cost=body.cost, details=body.details,
        documents=body.documents, payees=[p.dict(exclude={"amount"}) for p in body.payees])
    return Status(201, _claim(organisation, claim.pk))


@router.post("/{org}/claims/{claim_id}/approve", response=ClaimOut, summary="อนุมัติ / approve")
def claim_approve(request, org: OrgCode, claim_id: Id):
    organisation = scoping.org_of(request, org, scoping.APPROVE)
    services.claim_approve(actor=request.user, claim=_claim(organisation, claim_id))
    return _claim(organisation, claim_id)


@router.post("/{org}/claims/{claim_id}/reject", response=ClaimOut, summary="ไม่อนุมัติ / reject")
def claim_reject(request, org: OrgCode, claim_id: Id, body: DatedReasonIn):
    organisation = scoping.org_of(request, org, scoping.APPROVE)
    services.claim_reject(actor=request.user, claim=_claim(organisation, claim_id), reason=body.reason)
    return _claim(organisation, claim_id)


@router.post("/{org}/claims/{claim_id}/pay", response=ClaimOut, summary="จ่ายเงิน / pay")
def claim_pay(request, org: OrgCode, claim_id: Id, body: DateIn):
    organisation = scoping.org_of(request, org, scoping.WRITE)
    services.claim_pay(actor=request.user, claim=_claim(organisation, claim_id), date=body.date)
    return _claim(organisation, claim_id)


@router.post("/{org}/claims/{claim_id}/reverse", response=ClaimOut, summary="กลับรายการจ่าย / reverse")
def claim_reverse(request, org: OrgCode, claim_id: Id, body: DatedReasonIn):
    organisation = scoping.org_of(request, org, scoping.APPROVE)
    services.claim_reverse(actor=request.user, claim=_claim(organisation, claim_id), reason=body.reason,
                           date=body.date)
    return _claim(organisation, claim_id)


# --- what-if and projection ------------------------------------------------------------------

def _group(request, code: str):
    organisation = scoping.org_of(request, code)
    if not organisation.is_group:
        raise Http404("ใช้กับกลุ่มเท่านั้น / for a group")
    return organisation


@router.post("/{org}/what-if", summary="จำลองกติกาใหม่กับข้อมูลย้อนหลัง / replay a proposed rule")
def what_if(request, org: OrgCode, body: WhatIfIn):
    organisation = _group(request, org)
    result = whatif.what_if(organisation, start=body.start, end=body.end,
                            proposals=_rules(organisation, body.proposals))

    def case(c):
        return {"claim": c.claim_id, "member": c.member_number, "name": c.member_name, "category": c.category,
                "event_date": c.event_date.isoformat(), "actual_amount": c.actual_amount,
                "proposed_amount": c.proposed_amount, "reason_th": c.reason_th, "reason_en": c.reason_en}

    return {
        "start": result.start.isoformat(), "end": result.end.isoformat(),
        "categories": [{"category": r.category, "label_th": r.label_th, "label_en": r.label_en,
                        "actual_cases": r.actual_cases, "actual_amount": r.actual_amount,
                        "proposed_cases": r.proposed_cases, "proposed_amount": r.proposed_amount,
                        "difference": r.difference} for r in result.rows],
        "claims_gain": [case(c) for c in result.claims_gain], "claims_lose": [case(c) for c in result.claims_lose],
        "changed": [case(c) for c in result.changed],
        "members_gain": [case(c) for c in result.members_gain],
        "members_lose": [case(c) for c in result.members_lose],
    }


@router.post("/{org}/projection", summary="ประมาณการกองทุน 5–20 ปี / project the fund 5–20 years")
def projection(request, org: OrgCode, body: ProjectionIn):
    organisation = _group(request, org)
    observed = proj.observe(organisation, end=timezone.localdate(), years_back=body.observed_years)
    query = QueryDict(mutable=True)
    for key, value in {**body.assumptions.dict(exclude_none=True), "years": body.years}.items():
        if key in MONEY_ASSUMPTIONS and isinstance(value, int) and not isinstance(value, bool):
            value = format_baht(value)  # satang in the API, baht text in the form
        query[key] = str(value)
    assumptions, problems = proj.Assumptions.from_query(query, observed)
    if problems:
        raise RuleViolation(problems)
    result = proj.project(organisation, observed=observed, assumptions=assumptions,
                          proposals=_rules(organisation, body.proposals))
    return {
        "assumptions": assumptions.to_json(),
        "assumptions_th": result.assumption_lines("th"), "assumptions_en": result.assumption_lines("en"),
        "first_deficit_current": result.first_deficit_current,
        "first_deficit_proposed": result.first_deficit_proposed,
        "years": [{"year": r.year, "members": r.members, "contributions": r.contributions,
                   "other_income": r.other_income, "admin": r.admin, "benefits_current": r.benefits_current,
                   "benefits_proposed": r.benefits_proposed, "balance_current": r.balance_current,
                   "balance_proposed": r.balance_proposed} for r in result.rows],
    }
