"""The past benefit claims import: money out, approved by a second person before it posts."""

from __future__ import annotations

from omboon.core.errors import Problem
from omboon.imports import cells
from omboon.imports.common import (
    MemberIndex,
    at_row,
    cell_problem,
    check_member_dates,
    member_ref_problem,
    required,
)
from omboon.imports.kinds.shared import idem_key, today_local
from omboon.imports.spec import Field, KindSpec
from omboon.imports.values import Choice, Coded
from omboon.ledger.models import AccountType, JournalLine
from omboon.ledger.rules import check_month_open, last_closed_period
from omboon.members.models import Member
from omboon.welfare.models import CATEGORY_EN, CATEGORY_TH, Category, category_label
from omboon.welfare.selectors import claim_events
from omboon.welfare.services import claim_record_paid, default_event_key

CLAIM_FIELDS = (
    Field("member", "เลขที่สมาชิก", "member number", required=True,
          aliases=("member_number", "เลขสมาชิก", "รหัสสมาชิก", "สมาชิก"), example="0001",
          note_th="หรือเลขประจำตัวประชาชน", note_en="or the national ID"),
    Field("national_id", "เลขประจำตัวประชาชน", "national ID", aliases=("เลขบัตรประชาชน",)),
    Field("category", "ประเภทสวัสดิการ", "benefit category", required=True, aliases=("สวัสดิการ", "ประเภท"),
          example="ค่าเยี่ยมไข้/นอนโรงพยาบาล"),
    Field("event_date", "วันที่เกิดเหตุ", "event date", aliases=("วันที่เจ็บป่วย", "วันเกิดเหตุ"), example="3/02/2565",
          note_th="ว่าง = วันที่จ่าย", note_en="blank: the date paid"),
    Field("paid_date", "วันที่จ่าย", "date paid", required=True, aliases=("วันที่", "paid on"), example="10/02/2565"),
    Field("amount", "จำนวนเงิน", "amount", required=True, aliases=("ยอดเงิน",), example="500"),
    Field("details", "รายละเอียด", "details", aliases=("หมายเหตุ", "memo")),
)


# The benefit categories as groups write them (``imports.values``).
CATEGORY = Coded("category", tuple(Choice(c.value, CATEGORY_TH[c], CATEGORY_EN[c]) for c in Category), {
    "คลอดบุตร": Category.CHILDBIRTH, "ทำขวัญบุตร": Category.CHILDBIRTH, "รับขวัญบุตร": Category.CHILDBIRTH,
    "ค่าคลอดบุตร": Category.CHILDBIRTH, "ทำขวัญเด็กแรกเกิด": Category.CHILDBIRTH, "เด็กแรกเกิด": Category.CHILDBIRTH,
    "เกิด": Category.CHILDBIRTH, "รับขวัญเด็ก": Category.CHILDBIRTH,
    "เยี่ยมไข้": Category.SICKNESS, "นอนโรงพยาบาล": Category.SICKNESS, "เจ็บป่วย": Category.SICKNESS,
    "ค่ารักษาพยาบาล": Category.SICKNESS, "รักษาพยาบาล": Category.SICKNESS, "ป่วย": Category.SICKNESS,
    "นอนโรงบาล": Category.SICKNESS, "นอนรพ": Category.SICKNESS, "เยี่ยมไข้นอนโรงพยาบาล": Category.SICKNESS,
    "เงินช่วยเหลือเจ็บป่วย": Category.SICKNESS, "ค่าเยี่ยมไข้": Category.SICKNESS,
    "ศพ": Category.DEATH, "เสียชีวิต": Category.DEATH, "จัดการศพ": Category.DEATH, "ค่าทำศพ": Category.DEATH,
    "เงินสงเคราะห์ศพ": Category.DEATH, "ฌาปนกิจ": Category.DEATH, "ฌาปนกิจสงเคราะห์": Category.DEATH,
    "เงินสงเคราะห์(ตาย)": Category.DEATH, "สงเคราะห์ตาย": Category.DEATH, "ตาย": Category.DEATH,
    "ช่วยงานศพ": Category.DEATH, "ค่าพวงหรีด": Category.DEATH, "พวงหรีด": Category.DEATH,
    "ผู้พิการ": Category.DISABILITY, "ด้อยโอกาส": Category.DISABILITY, "คนพิการ": Category.DISABILITY,
    "พิการ": Category.DISABILITY, "ผู้ด้อยโอกาส": Category.DISABILITY,
    "ทุนการศึกษา": Category.EDUCATION, "การศึกษา": Category.EDUCATION, "ทุนเรียน": Category.EDUCATION,
    "ทุนการศึกษาบุตร": Category.EDUCATION,
    "ผู้สูงอายุ": Category.ELDERLY, "คนชรา": Category.ELDERLY, "บำนาญ": Category.ELDERLY,
    "บำนาญผู้สูงอายุ": Category.ELDERLY, "สวัสดิการผู้สูงอายุ": Category.ELDERLY,
    "ภัยพิบัติ": Category.DISASTER, "อุทกภัย": Category.DISASTER, "น้ำท่วม": Category.DISASTER,
    "อัคคีภัย": Category.DISASTER, "ไฟไหม้": Category.DISASTER, "วาตภัย": Category.DISASTER,
    "วิสาหกิจชุมชน": Category.COMMUNITY_ENTERPRISE, "ทุนวิสาหกิจ": Category.COMMUNITY_ENTERPRISE,
    "กลุ่มอาชีพ": Category.COMMUNITY_ENTERPRISE, "อื่นๆ": Category.OTHER, "อื่น": Category.OTHER,
})


def _existing_claims(organisation) -> set[tuple]:
    return set(JournalLine.objects.filter(organisation=organisation, account__code__startswith="51", debit__gt=0,
                                          member__isnull=False, account__type=AccountType.EXPENSE)
               .values_list("member_id", "date", "debit"))


def _duplicate(member, category, event, paid, amount, row, seen, claimed, existing) -> list[Problem]:
    """A row for an event the file has already claimed or the group already holds — the same
    event is one claim (``welfare`` keeps one per member, scheme and event; a member dies once,
    whatever the date) — is this row's problem, before anything is written. Else it is noted."""
    key = (member.pk, category, default_event_key(category, event))
    if key in seen:
        if category == Category.DEATH:
            return [Problem("category", f"ค่าจัดการศพของสมาชิก {member.number} อยู่ในแถว {seen[key]} แล้ว "
                                        "(จ่ายได้ครั้งเดียว)",
                            f"the death benefit of member {member.number} is already in row {seen[key]} "
                            "(it is paid once)", row=row, value=f"{member.number} {event.isoformat()}",
                            code="duplicate")]
        return [Problem("event_date", f"คำขอซ้ำกับแถว {seen[key]}", f"the same claim as row {seen[key]}",
                        row=row, value=f"{member.number} {event.isoformat()}", code="duplicate")]
    if key in claimed:
        return [Problem("category", f"สมาชิก {member.number} มีคำขอสวัสดิการสำหรับเหตุการณ์นี้อยู่แล้ว",
                        f"member {member.number} already has a claim for this event", row=row,
                        value=f"{member.number} {event.isoformat()}", code="duplicate")]
    if (member.pk, paid, amount) in existing:
        return [Problem("paid_date", "การจ่ายนี้มีอยู่ในบัญชีแล้ว", "this payout is already in the books",
                        row=row, value=f"{member.number} {paid.isoformat()}", code="duplicate")]
    seen[key] = row
    return []


def check_claims(organisation, rows, *, today=None):
    today = today or today_local()
    members = MemberIndex(organisation)
    closed = last_closed_period(organisation)
    existing = _existing_claims(organisation)
    claimed = claim_events(organisation)
    problems: list[Problem] = []
    accepted = []
    seen: dict[tuple, int] = {}
    total = 0
    for row, raw in rows:
        found: list[Problem] = []
        number, id_value, member = members.resolve(raw.get("member"), raw.get("national_id"))
        if member is None:
            found.append(member_ref_problem(number, id_value, row))
        category = CATEGORY.code_of(raw.get("category"))
        if category is None:
            found.append(Problem("category", "ไม่รู้จักประเภทสวัสดิการนี้", "unknown benefit category", row=row,
                                 value=cells.text(raw.get("category"))[:100], code="category"))
        dates = {}
        for key, th, en in (("paid_date", "วันที่จ่าย", "the date paid"), ("event_date", "วันที่เกิดเหตุ", "the event date")):
            if cells.is_blank(raw.get(key)):
                if key == "paid_date":
                    found.append(required(key, th, en, row))
                continue
            try:
                dates[key] = cells.parse_date(raw[key])
            except cells.CellError as exc:
                found.append(cell_problem(key, exc, row, raw[key]))
        paid = dates.get("paid_date")
        event = dates.get("event_date") or paid
        amount = None
        try:
            amount = cells.parse_amount(raw.get("amount"))
            if amount <= 0:
                found.append(Problem("amount", "จำนวนเงินต้องมากกว่าศูนย์", "the amount must be more than zero",
                                     row=row, value=amount / 100, code="not_positive"))
        except cells.CellError as exc:
            found.append(cell_problem("amount", exc, row, raw.get("amount")))
        if paid and event:
            if event > paid:
                found.append(Problem("event_date", "วันที่เกิดเหตุอยู่หลังวันที่จ่าย", "the event is after the payout",
                                     row=row, value=event.isoformat(), code="order"))
            if paid > today:
                found.append(Problem("paid_date", "วันที่จ่ายอยู่ในอนาคต", "the date paid is in the future", row=row,
                                     value=paid.isoformat(), code="future"))
            found += at_row(check_month_open(closed, paid, "paid_date"), row)
            if member is not None:
                found += check_member_dates(member, event, key="event_date", row=row, what_th="วันที่เกิดเหตุ",
                                            what_en="the event")
                if paid < member.join_date:
                    found += check_member_dates(member, paid, key="paid_date", row=row, what_th="วันที่จ่าย",
                                                what_en="the date paid")
                if member.status == Member.Status.DECEASED and category == Category.DEATH and member.status_date \
                        and event != member.status_date:
                    found.append(Problem("event_date", "วันที่เสียชีวิตไม่ตรงกับทะเบียนสมาชิก",
                                         "the date of death differs from the member register", row=row,
                                         value=event.isoformat(), code="death_date"))
        if not found:
            found += _duplicate(member, category, event, paid, amount, row, seen, claimed, existing)
        if found:
            problems += found
            continue
        total += amount
        accepted.append((row, {"member_id": member.pk, "category": category, "event_date": event,
                               "paid_date": paid, "amount": amount,
                               "details": cells.text(raw.get("details"))[:200]}))
    return accepted, problems, {"claims": len(accepted), "total": total}


def commit_claims(job, organisation, actor, rows) -> int:
    """Each row a real claim, paid (``welfare.services.claim_record_paid``): its scheme (the
    group's of the category, else an "imported history" one), the entry that paid it — posted in
    the maker's name with the second person who approved the job (the ledger refuses cash out
    without one; the entry's audit event and memo name both) — so every report counts it."""
    members = Member.objects.in_bulk([d["member_id"] for _, d in rows])
    approver = job.approved_by.get_username() if job.approved_by_id else "-"
    for row, d in rows:
        member = members[d["member_id"]]
        label = f"{category_label(d['category'])} {member.number} {member.full_name} {d['details']}".strip()
        claim_record_paid(actor=actor, approver=job.approved_by, organisation=organisation, member=member,
                          category=d["category"], event_date=d["event_date"], paid_on=d["paid_date"],
                          amount=d["amount"], details=d["details"], idempotency_key=idem_key(job, row),
                          source=("imports.importjob", str(job.pk)),
                          memo=f"จ่ายสวัสดิการย้อนหลัง (นำเข้า แถว {row} อนุมัติ {approver}): {label}"[:255])
        if d["category"] == Category.DEATH:
            member.status = Member.Status.DECEASED
    return len(rows)


SPEC = KindSpec(
    "claims", "การจ่ายสวัสดิการย้อนหลัง", "Past benefit claims", CLAIM_FIELDS, check_claims, commit_claims,
    alternatives=(("member", "national_id"),), pays_out=True, coded=(CATEGORY,),
    instructions_th=(
        "หนึ่งแถวต่อการจ่ายสวัสดิการหนึ่งครั้งที่จ่ายไปแล้ว: สมาชิก ประเภท วันที่เกิดเหตุ วันที่จ่าย จำนวนเงิน",
        ("แต่ละแถวเป็นคำขอสวัสดิการที่จ่ายแล้ว (นับในรายงานทุกฉบับ) ลงบัญชี: เดบิต ค่าสวัสดิการ (51xx ตามประเภท) "
         "/ เครดิต เงินสด 1100"),
        "การจ่ายค่าจัดการศพเปลี่ยนสถานะสมาชิกเป็นเสียชีวิต ณ วันที่เกิดเหตุ",
        "เป็นเงินจ่ายออก: หลังตรวจไฟล์แล้ว ผู้มีสิทธิ์อนุมัติอีกคนหนึ่ง (ไม่ใช่ผู้นำเข้า) ต้องอนุมัติก่อนจึงลงบัญชี",
    ),
    instructions_en=(
        "One row per benefit already paid: member, category, event date, date paid, amount.",
        ("Each row becomes a paid claim (every report counts it), posted as Dr benefits paid (51xx by category) "
         "/ Cr cash 1100."),
        "A death benefit marks the member deceased on the event date.",
        ("Money paid out: once the file is checked, a second person who may approve (not the uploader) approves "
        "it before anything is posted."),
    ),
)
