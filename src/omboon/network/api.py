"""The network over HTTP: consolidated figures (session or API auth, scoped) and the sync
protocol (its own auth: a group's bearer token, each item signed; see ``omboon.network.sync``)."""

import json
from typing import Annotated

from django.http import JsonResponse
from ninja import Field, Router, Schema

from omboon.core.contract import MONTH_PATTERN, ORG_CODE_PATTERN, OrgCode, problems_body
from omboon.core.errors import Problem
from omboon.network import selectors
from omboon.network.models import year_month, ym_of
from omboon.network.sync import protocol, server
from omboon.network.views import parse_month
from omboon.orgs import scoping

router = Router(tags=["network"])

MonthOrBlank = Annotated[str, Field(pattern=MONTH_PATTERN.replace("^", "^(").replace("$", ")?$"),
                                    description="เดือน ค.ศ. ปปปป-ดด หรือว่าง / a month YYYY-MM, or empty")]


class FiguresOut(Schema):
    code: str
    name: str
    groups: int
    reported: int
    members_active: int
    members_male: int
    members_female: int
    joins: int
    leavers: int
    receipts: dict[str, int]
    benefits: dict[str, int]
    benefit_cases: dict[str, int]
    fund_size: int
    funds: dict[str, int]
    balances_by_code: dict[str, int]
    savings: int = Field(description="เงินฝากและหุ้นของสมาชิก ณ สิ้นเดือนล่าสุด (สตางค์) / members' savings and "
                                     "shares at the last month's end (satang)")
    savers: int = Field(description="สมาชิกที่มีเงินฝากหรือหุ้น / members holding savings or shares")
    loans_outstanding: int = Field(description="เงินต้นคงค้าง ณ สิ้นเดือนล่าสุด (สตางค์) / loans' outstanding "
                                               "principal at the last month's end (satang)")
    loans_count: int = Field(description="สัญญาเงินกู้คงค้าง / loans outstanding")
    par30: int = Field(description="เงินต้นคงค้างของสัญญาที่ค้างชำระเกิน 30 วัน (สตางค์) / outstanding principal "
                                   "of loans more than 30 days overdue (satang)")
    write_offs: int = Field(description="เงินต้นที่ตัดเป็นหนี้สูญในช่วงเดือน (สตางค์) / principal written off "
                                        "in the months (satang)")
    write_off_count: int = Field(description="สัญญาที่ตัดเป็นหนี้สูญในช่วงเดือน / loans written off in the months")
    borrowers: int = Field(description="สมาชิกที่มีเงินกู้คงค้าง / members with a loan outstanding")


class ConsolidatedOut(Schema):
    organisation: str
    first_month: str
    last_month: str
    total: FiguresOut
    rows: list[FiguresOut]


def _figures(code: str, name: str, f: selectors.Figures) -> dict:
    return {"code": code, "name": name, "groups": f.groups, "reported": f.reported,
            "members_active": f.members_active, "members_male": f.members_male, "members_female": f.members_female,
            "joins": f.joins, "leavers": f.leavers, "receipts": dict(f.receipts), "benefits": dict(f.benefits),
            "benefit_cases": dict(f.benefit_cases), "fund_size": f.fund_size, "funds": f.fund_sizes(),
            "balances_by_code": dict(f.by_code()), "savings": f.savings, "savers": f.savers,
            "loans_outstanding": f.loans, "loans_count": f.loans_count, "par30": f.par30,
            "write_offs": f.write_offs, "write_off_count": f.write_off_count, "borrowers": f.borrowers}


@router.get("/{code}/figures", response=ConsolidatedOut,
            summary="ตัวเลขรวมจากข้อเท็จจริงรายเดือน / consolidated figures from monthly facts")
def figures(request, code: OrgCode, from_month: MonthOrBlank = "", to_month: MonthOrBlank = ""):
    """Money in satang. ``from_month``/``to_month``: YYYY-MM (default: January to the last month
    with facts). Each row is a child beneath the organisation."""
    org = scoping.access_org(request.user, code, scoping.VIEW).organisation
    first, last = selectors.default_range(org)
    last = parse_month(to_month) or last
    first = parse_month(from_month) or (ym_of(year_month(last)[0], 1) if to_month else first)
    result = selectors.consolidated(org, first=first, last=min(max(first, last), last))
    return {"organisation": org.code, "first_month": "{:04d}-{:02d}".format(*year_month(first)),
            "last_month": "{:04d}-{:02d}".format(*year_month(last)),
            "total": _figures(org.code, org.name_th, result.total),
            "rows": [_figures(r.code, r.name_th, r.figures) for r in result.rows]}


def _refused(exc: protocol.SyncRefused) -> JsonResponse:
    return JsonResponse(problems_body(exc.problems), status=exc.status)


def _bad_request(field: str, message_th: str, message_en: str) -> JsonResponse:
    return JsonResponse(problems_body([Problem(field, message_th, message_en)]), status=400)


def _bearer(request) -> str:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.startswith("Bearer ") else ""


def _header(name: str, schema: dict, description: str) -> dict:
    return {"in": "header", "name": name, "required": True, "schema": schema, "description": description}


GROUP_HEADER = _header("X-Omboon-Group", {"type": "string", "pattern": ORG_CODE_PATTERN},
                       "รหัสกลุ่ม / the group's code")
SYNC_TOKEN = _header("Authorization", {"type": "string", "pattern": r"^Bearer [A-Za-z0-9_-]{16,200}$"},
                     "Bearer <โทเคนของเครื่อง / the laptop's sync token> (not an API token)")
ENROL_BODY = {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "required": ["code", "group"], "additionalProperties": False,
    "properties": {"code": {"type": "string", "minLength": 1, "maxLength": 64,
                            "description": "รหัสลงทะเบียนครั้งเดียว / the one-time enrolment code"},
                   "group": {"type": "string", "pattern": ORG_CODE_PATTERN}}}}}}
PUSH_BODY = {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "description": "หนึ่งชุดการเปลี่ยนแปลง ลงนามทั้งก้อน / one change item, signed as sent "
                                     "(omboon.network.sync.protocol)"}}}}


@router.post("/sync/enrol", auth=None, summary="ลงทะเบียนเครื่องของกลุ่มด้วยรหัสครั้งเดียว / enrol a group's laptop",
             openapi_extra={"requestBody": ENROL_BODY})
def sync_enrol(request):
    """Body ``{"code": one-time code, "group": group code}`` → ``{"token", "group"}`` (the token
    is shown once; the server keeps only its sha256)."""
    try:
        data = json.loads(request.body or b"{}")
        org, token = server.enrolment_redeem(code=str(data.get("code", "")), group_code=str(data.get("group", "")))
    except protocol.SyncRefused as exc:
        return _refused(exc)
    except ValueError:
        return _bad_request("body", "ข้อมูลไม่ใช่ JSON", "the body is not JSON")
    return JsonResponse({"token": token, "group": org.code, "last_applied": 0,
                         "organisations": server.org_details(org)})


@router.get("/sync/status", auth=None, summary="ลำดับล่าสุดที่รับแล้ว / the last applied sequence",
            openapi_extra={"parameters": [SYNC_TOKEN, GROUP_HEADER]})
def sync_status(request):
    try:
        node = server.authenticate(_bearer(request), request.headers.get("X-Omboon-Group", ""))
    except protocol.SyncRefused as exc:
        return _refused(exc)
    return JsonResponse({"group": node.organisation.code, "last_applied": node.last_applied_seq})


@router.post("/sync/push", auth=None, summary="ส่งชุดการเปลี่ยนแปลงหนึ่งชุด / send one change item", openapi_extra={
    "parameters": [SYNC_TOKEN, GROUP_HEADER,
                   _header("X-Omboon-Seq", {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
                           "ลำดับของชุดนี้ / this item's sequence number"),
                   _header("X-Omboon-Signature", {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                           "hex HMAC-SHA256(token, body + seq)")],
    "requestBody": PUSH_BODY,
    "responses": {"409": {"description": "ลำดับขาดช่วง / a gap in the sequence: send from last_applied + 1",
                          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problems"}}}}}})
def sync_push(request):
    """Headers: ``Authorization: Bearer <token>``, ``X-Omboon-Group``, ``X-Omboon-Seq`` and
    ``X-Omboon-Signature`` = hex HMAC-SHA256(token, body + seq). 200 ``{"last_applied"}`` for
    the next item or a replay; 409 for a gap; 401 wrong or revoked token; 403 bad signature."""
    try:
        seq = int(request.headers.get("X-Omboon-Seq", ""))
    except ValueError:
        return _bad_request("X-Omboon-Seq", "ต้องมี X-Omboon-Seq เป็นจำนวนเต็ม", "X-Omboon-Seq is required, a whole number")
    try:
        last, applied = server.apply_batch(token=_bearer(request), group_code=request.headers.get("X-Omboon-Group", ""),
                                         seq=seq, signature=request.headers.get("X-Omboon-Signature", ""),
                                         body=request.body)
    except protocol.SyncRefused as exc:
        return _refused(exc)
    return JsonResponse({"last_applied": last, "applied": applied})
