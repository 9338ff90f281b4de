"""Members over HTTP (mounted at /api/members/): list and search, one member (national ID
masked), create, and a member's beneficiaries (read, replace). Every endpoint resolves the
organisation through ``omboon.orgs.scoping``: reading needs ``records``, writing ``write``.
Refused writes answer 422 with the same Thai/English problems as the forms and imports.
"""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status
from ninja.pagination import paginate

from omboon.core import national_id
from omboon.core.contract import Id, Page
from omboon.members import selectors, services
from omboon.members.models import Member
from omboon.orgs import scoping

router = Router(tags=["members"])


class MemberOut(Schema):
    id: int
    group: str
    number: str
    title: str
    first_name: str
    last_name: str
    full_name: str
    sex: str
    national_id_masked: str
    birth_date: dt.date
    join_date: dt.date
    status: str
    status_date: dt.date | None
    phone: str
    house_no: str
    moo: int | None
    street: str
    subdistrict_code: str
    district_code: str
    province_code: str
    postcode: str
    disabled: bool
    chronically_ill: bool
    low_income: bool
    elderly: bool

    @staticmethod
    def resolve_group(obj: Member) -> str:
        return obj.organisation.code

    @staticmethod
    def resolve_national_id_masked(obj: Member) -> str:
        return national_id.masked(obj.national_id)

    @staticmethod
    def resolve_elderly(obj: Member) -> bool:
        return obj.is_elderly()


class MemberIn(Schema):
    """Dates as ISO (2024-03-01) or as typed in Thai (1/3/2567); sex M/F or ชาย/หญิง."""

    number: str | None = None
    title: str = ""
    first_name: str
    last_name: str
    sex: str
    national_id: str
    birth_date: str
    join_date: str
    status: str = "active"
    phone: str = ""
    house_no: str = ""
    moo: str | None = None
    street: str = ""
    subdistrict_code: str = ""
    district_code: str = ""
    province_code: str = ""
    postcode: str = ""
    disabled: bool = False
    chronically_ill: bool = False
    low_income: bool = False


class BeneficiaryRow(Schema):
    name: str
    relation: str = ""
    share_percent: int
    phone: str = ""


def _org(request, code: str, need: str = scoping.RECORDS):
    return scoping.access_org(request.user, code, need).organisation


def _member(organisation, member_id: int) -> Member:
    return scoping.get_in_scope(Member.objects.select_related("organisation"), organisation, member_id)


@router.get("/{org}", response=list[MemberOut], summary="สมาชิก / members (search with q, status)")
@paginate(Page)
def member_list(request, org: str, q: str = "", status: str = ""):
    """``q`` as on the member list: a national ID is matched only whole (and audited)."""
    organisation = _org(request, org)
    found = selectors.member_list(organisation=organisation, query=q,
                                  status=status or None).select_related("organisation")
    if selectors.id_terms(q)[0]:
        services.member_id_searched(actor=request.user, organisation=organisation, found=found.count())
    return found


@router.get("/{org}/{member_id}", response=MemberOut, summary="สมาชิกคนเดียว / one member")
def member_detail(request, org: str, member_id: Id):
    return _member(_org(request, org), member_id)


@router.post("/{org}", response={201: MemberOut}, summary="เพิ่มสมาชิก / create a member")
def member_create(request, org: str, payload: MemberIn):
    organisation = _org(request, org, scoping.WRITE)
    fields = payload.dict()
    if not fields.get("number"):
        fields.pop("number")
    member = services.member_create(actor=request.user, organisation=organisation, **fields)
    return Status(201, member)


@router.get("/{org}/{member_id}/beneficiaries", response=list[BeneficiaryRow],
            summary="ผู้รับผลประโยชน์ / beneficiaries")
def beneficiaries_get(request, org: str, member_id: Id):
    return list(_member(_org(request, org), member_id).beneficiaries.all())


@router.put("/{org}/{member_id}/beneficiaries", response=list[BeneficiaryRow],
            summary="กำหนดผู้รับผลประโยชน์ / replace the beneficiaries (shares add up to 100)")
def beneficiaries_put(request, org: str, member_id: Id, payload: list[BeneficiaryRow]):
    member = _member(_org(request, org, scoping.WRITE), member_id)
    return services.beneficiaries_set(actor=request.user, member=member,
                                      rows=[row.dict() for row in payload])
