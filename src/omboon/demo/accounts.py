"""The demo logins: one per role. ``omboon demo`` creates them, ``omboon demo-logins`` lists them."""

from __future__ import annotations

from dataclasses import dataclass

from omboon.orgs.models import Role

DEMO_PASSWORD = "omboon-demo"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    organisation: str
    first_name: str
    last_name: str
    sees_th: str
    sees_en: str
    superuser: bool = False


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("treasurer", Role.TREASURER, "BDC", "สมศรี", "แก้วมา",
             "รับเงิน ลงทะเบียนสมาชิก จ่ายสวัสดิการ ปิดเดือน ของกลุ่มบ้านดอนไชย",
             "payments, members, benefits, month-end of Ban Don Chai"),
    DemoUser("chair", Role.CHAIR, "BDC", "ประเสริฐ", "ใจดี",
             "ทุกอย่างของกลุ่มบ้านดอนไชย รวมการตั้งค่าและการอนุมัติ",
             "everything of Ban Don Chai, incl. settings and approvals"),
    DemoUser("secretary", Role.SECRETARY, "BDC", "วันเพ็ญ", "ศรีวิชัย",
             "บันทึกและอนุมัติรายการ ของกลุ่มบ้านดอนไชย",
             "records and approves entries of Ban Don Chai"),
    DemoUser("committee", Role.COMMITTEE, "BDC", "บุญเรือง", "คำปัน",
             "อ่านรายงาน อนุมัติรายการที่คนอื่นบันทึก ของกลุ่มบ้านดอนไชย",
             "reads reports, approves what others entered, Ban Don Chai"),
    DemoUser("auditor", Role.AUDITOR, "BDC", "อรทัย", "ธรรมสอน",
             "อ่านอย่างเดียว: บัญชี เอกสาร และประวัติการแก้ไข ของกลุ่มบ้านดอนไชย",
             "read-only: books, vouchers and audit trail of Ban Don Chai"),
    DemoUser("member", Role.MEMBER, "BDC", "สมาชิก", "บ้านดอนไชย",
             "สมุดและสวัสดิการของตนเองเท่านั้น (สมาชิกกลุ่มบ้านดอนไชย)",
             "only their own passbook and benefits (a Ban Don Chai member)"),
    DemoUser("coord-zone", Role.COORDINATOR, "LP-S", "ชัยวัฒน์", "ปัญญาวงศ์",
             "ทุกกลุ่มในเครือข่ายลำปางใต้ (อ่านอย่างเดียว) แต่ไม่เห็นลำปางเหนือ",
             "every group of the southern zone (read-only), not the northern one"),
    DemoUser("coord-province", Role.COORDINATOR, "LP", "สุนทร", "ชัยวงศ์",
             "ทุกกลุ่มทุกเครือข่ายในจังหวัดลำปาง (อ่านอย่างเดียว)",
             "every group of every zone in Lampang (read-only)"),
    DemoUser("admin", Role.ADMIN, "LP", "ผู้ดูแล", "ระบบ",
             "ผู้ดูแลระบบ: ทุกองค์กร และหน้าผู้ดูแล /admin/",
             "system admin: every organisation and the /admin/ back office", superuser=True),
)
