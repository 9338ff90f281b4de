"""Everything Omboon holds about one member — the member's right of access under the PDPA
(พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล มาตรา 30).

``member_data`` gathers it from every domain, read-only: the registry record (with the full
national ID: it is the member's own), beneficiaries, status history, every payment and
benefit of the passbook, welfare claims with their payees and decisions, and the audit events
about the member. ``member_data_result`` lays the same out as report tables, so the PDF is the
registry's own renderer (Sarabun, the group's header). Who may download it, and the audit event
of each download, is the view's and ``members.services.member_data_exported``'s business.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from omboon.contributions import selectors as contributions
from omboon.core import national_id
from omboon.core.models import AuditEvent
from omboon.core.reporting import DATE, MONEY, TEXT, Column, Result, Table
from omboon.members.models import Member
from omboon.welfare import selectors as welfare

REGISTRY_FIELDS = ("number", "title", "first_name", "last_name", "sex", "national_id", "birth_date", "join_date",
                   "status", "status_date", "phone", "house_no", "moo", "street", "subdistrict_code",
                   "district_code", "province_code", "postcode", "disabled", "chronically_ill", "low_income")
FIELD_LABELS = {
    "number": ("เลขที่สมาชิก", "Member no."), "title": ("คำนำหน้า", "Title"), "first_name": ("ชื่อ", "First name"),
    "last_name": ("นามสกุล", "Last name"), "sex": ("เพศ", "Sex"), "national_id": ("เลขประจำตัวประชาชน", "National ID"),
    "birth_date": ("วันเกิด", "Birth date"), "join_date": ("วันที่เข้าเป็นสมาชิก", "Joined"),
    "status": ("สถานะ", "Status"), "status_date": ("วันที่เปลี่ยนสถานะ", "Status date"), "phone": ("โทรศัพท์", "Phone"),
    "house_no": ("บ้านเลขที่", "House no."), "moo": ("หมู่", "Village (moo)"), "street": ("ถนน", "Street"),
    "subdistrict_code": ("รหัสตำบล", "Subdistrict code"), "district_code": ("รหัสอำเภอ", "District code"),
    "province_code": ("รหัสจังหวัด", "Province code"), "postcode": ("รหัสไปรษณีย์", "Postcode"),
    "disabled": ("ผู้พิการ", "Disability"), "chronically_ill": ("ผู้ป่วยเรื้อรัง", "Chronically ill"),
    "low_income": ("ผู้มีรายได้น้อย", "Low income"), "user": ("ชื่อผู้ใช้", "Login"),
}


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def member_data(member: Member, *, today: dt.date | None = None) -> dict[str, Any]:
    """Every record about the member, as plain JSON-ready values (dates ISO, money in satang)."""
    registry = {name: _plain(getattr(member, name)) for name in REGISTRY_FIELDS}
    registry["user"] = member.user.username if member.user_id else None
    book = contributions.passbook(member, as_of=today or dt.date.today())
    claims = welfare.member_history(member).select_related("scheme", "submitted_by", "approved_by", "paid_by")
    events = (AuditEvent.objects.filter(organisation=member.organisation, object_type="members.member",
                                        object_id=str(member.pk)).select_related("actor").order_by("at", "pk"))
    return {
        "organisation": {"code": member.organisation.code, "name_th": member.organisation.name_th},
        "generated_on": _plain(today or dt.date.today()),
        "member": registry,
        "beneficiaries": [{"name": b.name, "relation": b.relation, "share_percent": b.share_percent,
                           "phone": b.phone} for b in member.beneficiaries.all()],
        "status_history": [{"date": _plain(c.date), "from": c.from_status, "to": c.to_status, "reason": c.reason}
                           for c in member.status_changes.order_by("date", "pk")],
        "passbook": [{"date": _plain(ln.date), "document": ln.document, "description_th": ln.description_th,
                      "description_en": ln.description_en, "paid_in_satang": ln.paid_in,
                      "benefit_satang": ln.benefit, "void": ln.void} for ln in book.lines],
        "claims": [{"scheme": c.scheme.name_th, "event_date": _plain(c.event_date), "status": c.status,
                    "amount_satang": c.amount, "details": c.details, "paid_on": _plain(c.paid_on),
                    "submitted_by": _name(c.submitted_by), "approved_by": _name(c.approved_by),
                    "payees": [{"name": p.name, "relation": p.relation, "share": p.share,
                                "amount_satang": p.amount} for p in c.payees.all()]} for c in claims],
        "audit_events": [{"at": _plain(e.at), "action": e.action, "actor": _name(e.actor), "summary": e.summary}
                         for e in events],
    }


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def member_data_result(member: Member, data: dict[str, Any]) -> Result:
    """The same records as printable tables."""
    registry = data["member"]
    facts = [{"field": FIELD_LABELS[k][0], "field_en": FIELD_LABELS[k][1],
              "value": national_id.formatted(v) if k == "national_id" else ("" if v is None else str(v))}
             for k, v in registry.items()]
    money = lambda satang: satang or 0  # noqa: E731
    tables = [
        Table("ข้อมูลทะเบียน", "Registry record", [
            Column("field", "รายการ", "Field"), Column("value", "ข้อมูล", "Value")], facts),
        Table("ผู้รับผลประโยชน์", "Beneficiaries", [
            Column("name", "ชื่อ", "Name"), Column("relation", "ความสัมพันธ์", "Relation"),
            Column("share_percent", "ส่วนแบ่ง (%)", "Share (%)"), Column("phone", "โทรศัพท์", "Phone")],
            data["beneficiaries"]),
        Table("ประวัติสถานะ", "Status history", [
            Column("date", "วันที่", "Date", DATE), Column("from", "จาก", "From"), Column("to", "เป็น", "To"),
            Column("reason", "เหตุผล", "Reason")],
            [{**r, "date": dt.date.fromisoformat(r["date"])} for r in data["status_history"]]),
        Table("การชำระเงินและสวัสดิการ", "Payments and benefits", [
            Column("date", "วันที่", "Date", DATE), Column("document", "เลขที่เอกสาร", "Document"),
            Column("description", "รายการ", "Item", TEXT), Column("paid_in", "ชำระ", "Paid", MONEY, total=True),
            Column("benefit", "สวัสดิการ", "Benefit", MONEY, total=True)],
            [{"date": dt.date.fromisoformat(r["date"]), "document": r["document"], "description": r["description_th"],
              "paid_in": money(r["paid_in_satang"]) if not r["void"] else 0, "benefit": money(r["benefit_satang"])}
             for r in data["passbook"]]),
        Table("คำขอรับสวัสดิการ", "Welfare claims", [
            Column("scheme", "สวัสดิการ", "Benefit"), Column("event_date", "วันที่เกิดเหตุ", "Event", DATE),
            Column("status", "สถานะ", "Status"), Column("amount", "จำนวนเงิน", "Amount", MONEY),
            Column("people", "ผู้ยื่น / ผู้อนุมัติ", "Submitted / approved by")],
            [{"scheme": c["scheme"], "event_date": dt.date.fromisoformat(c["event_date"]), "status": c["status"],
              "amount": c["amount_satang"], "people": f"{c['submitted_by']} / {c['approved_by']}"}
             for c in data["claims"]]),
        Table("บันทึกการตรวจสอบที่เกี่ยวกับสมาชิก", "Audit events about the member", [
            Column("at", "เวลา", "When"), Column("action", "การกระทำ", "Action"), Column("actor", "ผู้ทำ", "By"),
            Column("summary", "รายละเอียด", "Details")], data["audit_events"]),
    ]
    return Result("member-data", f"ข้อมูลส่วนบุคคลของ {member.full_name}", f"Personal data of {member.full_name}",
                  member.organisation, None, None, tables, signatures=False)
