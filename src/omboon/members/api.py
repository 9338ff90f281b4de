"""Members over HTTP (mounted at /api/members/): list and search, one member (national ID
masked), create, and a member's beneficiaries (read, replace). Every endpoint resolves the
organisation through ``omboon.orgs.scoping``: reading needs ``records``, writing ``write``.
Refused writes answer 422 with the same Thai/English problems as the forms and imports.
"""


import datetime as dt
from typing import Annotated

from ninja import Body, Field, Router, Schema, Status
from ninja.pagination import paginate

from omboon.core import national_id
from omboon.core.contract import Id, NationalId, OrgCode, Page, ThaiDate, choice, code, text, whole
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
    sex: choice(Member.Sex)
    national_id_masked: str
    birth_date: dt.date
    join_date: dt.date
    status: choice(Member.Status)
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


def digits(n: int, what: str):
    """Exactly ``n`` digits, or empty."""
    return Annotated[str, Field(pattern=rf"^([0-9๐-๙]{{{n}}})?$", description=f"{what}: {n} digits, or empty")]


NAME_PATTERN = r"^\s*[^\s0-9๐-๙\x00-\x1f\x7f][^0-9๐-๙\x00-\x1f\x7f]*$"  # something, and no digit
PersonName = Annotated[str, Field(min_length=1, max_length=100, pattern=NAME_PATTERN,
                                  description="ชื่อ ไม่มีตัวเลข / a name, without digits")]
Phone = Annotated[str, Field(max_length=20, pattern=r"^(([- ()]*[0-9๐-๙]){9,10}[- ()]*)?$",
                             description="โทรศัพท์ 9–10 หลัก (เว้นวรรค - ( ) ได้) หรือว่าง / "
                                         "a phone number of 9–10 digits (spaces, -, ( ) allowed), or empty")]
Beneficiaries = Body(..., max_length=20)


class MemberIn(Schema):
    """Dates as ISO (2024-03-01) or as typed in Thai (1/3/2567, พ.ศ.); sex M/F (or ชาย/หญิง).
    Without ``number`` the next free number is given. The national ID's check digit, a birth
    date before joining and a number or ID not already taken are rules (422, named field)."""

    number: code(16) | None = None
    title: text(32) = ""
    first_name: PersonName
    last_name: PersonName
    sex: choice(["M", "F", "ชาย", "หญิง"], description="M = ชาย / male, F = หญิง / female")
    national_id: NationalId
    birth_date: ThaiDate
    join_date: ThaiDate
    status: choice(Member.Status) = "active"
    phone: Phone = ""
    house_no: text(32) = ""
    moo: whole(1, 99, description="หมู่ที่ / village number") | None = None
    street: text(100) = ""
    subdistrict_code: digits(6, "รหัสตำบล / subdistrict code") = ""
    district_code: digits(4, "รหัสอำเภอ / district code") = ""
    province_code: digits(2, "รหัสจังหวัด / province code") = ""
    postcode: digits(5, "รหัสไปรษณีย์ / postcode") = ""
    disabled: bool = False
    chronically_ill: bool = False
    low_income: bool = False


class BeneficiaryRow(Schema):
    """The shares of a member's beneficiaries add up to 100 (a rule)."""

    name: text(200, min_length=1)
    relation: text(64) = ""
    share_percent: Annotated[int, Field(ge=1, le=100)]
    phone: Phone = ""


def _member(organisation, member_id: int) -> Member:
    return scoping.get_in_scope(Member.objects.select_related("organisation"), organisation, member_id)


@router.get("/{org}", response=list[MemberOut], summary="สมาชิก / members (search with q, status)")
@paginate(Page)
def member_list(request, org: OrgCode, q: text(100) = "", status: choice(Member.Status, blank=True) = ""):
    """``q`` as on the member list: a national ID is matched only whole (and audited)."""
    organisation = scoping.org_of(request, org)
    found = selectors.member_list(organisation=organisation, query=q,
                                  status=status or None).select_related("organisation")
    if selectors.id_terms(q)[0]:
        services.member_id_searched(actor=request.user, organisation=organisation, found=found.count())
    return found


@router.get("/{org}/{member_id}", response=MemberOut, summary="สมาชิกคนเดียว / one member")
def member_detail(request, org: OrgCode, member_id: Id):
    return _member(scoping.org_of(request, org), member_id)


@router.post("/{org}", response={201: MemberOut}, summary="เพิ่มสมาชิก / create a member")
def member_create(request, org: OrgCode, payload: MemberIn):
    organisation = scoping.org_of(request, org, scoping.WRITE)
    fields = payload.dict()
    if not fields.get("number"):
        fields.pop("number")
    member = services.member_create(actor=request.user, organisation=organisation, **fields)
    return Status(201, member)


@router.get("/{org}/{member_id}/beneficiaries", response=list[BeneficiaryRow],
            summary="ผู้รับผลประโยชน์ / beneficiaries")
def beneficiaries_get(request, org: OrgCode, member_id: Id):
    return list(_member(scoping.org_of(request, org), member_id).beneficiaries.all())


@router.put("/{org}/{member_id}/beneficiaries", response=list[BeneficiaryRow],
            summary="กำหนดผู้รับผลประโยชน์ / replace the beneficiaries (shares add up to 100)")
def beneficiaries_put(request, org: OrgCode, member_id: Id, payload: list[BeneficiaryRow] = Beneficiaries):
    member = _member(scoping.org_of(request, org, scoping.WRITE), member_id)
    return services.beneficiaries_set(actor=request.user, member=member,
                                      rows=[row.dict() for row in payload])
