"""Data quality of a group (in the spirit of DHIS2's validation rules), and its score.

``assess(organisation)`` measures a group's member register and payments:

- completeness: how many members have each field filled in;
- values that break the members' own rules (``omboon.members.rules.check_member``);
- suspicious values: a living member over 110 years old, one phone number on 30 or more
  members, two members with the same name and birth date, and days with many payments of
  round thousands of baht (amounts typed in as estimates);

and a score from 0 to 100 that the group and its network see:
50 % completeness (required fields count double), 30 % members breaking no rule, 20 % members
with nothing suspicious, minus 2 points per suspicious payment day (at most 10).

``score(organisation)`` is the selector other apps call: a group's score, or for a network the
average of its groups' scores weighted by their members.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from omboon.core.errors import Problem
from omboon.imports import privacy
from omboon.ledger import chart
from omboon.ledger.models import JournalLine
from omboon.members import rules as member_rules
from omboon.members.models import ANONYMISED_ID_PREFIX, Member
from omboon.orgs import scoping
from omboon.orgs.models import Organisation

OLD_AGE = 110
SHARED_PHONE = 30
ROUND_UNIT = 100_000  # 1,000 baht in satang
ROUND_PER_DAY = 10
MAX_LISTED = 500

# (field, Thai, English, required)
COMPLETENESS_FIELDS = (
    ("number", "เลขที่สมาชิก", "member number", True),
    ("first_name", "ชื่อ", "first name", True),
    ("last_name", "นามสกุล", "last name", True),
    ("sex", "เพศ", "sex", True),
    ("national_id", "เลขประจำตัวประชาชน", "national ID", True),
    ("birth_date", "วันเกิด", "birth date", True),
    ("join_date", "วันที่เข้าเป็นสมาชิก", "join date", True),
    ("title", "คำนำหน้า", "title", False),
    ("phone", "โทรศัพท์", "phone", False),
    ("house_no", "บ้านเลขที่", "house number", False),
    ("moo", "หมู่", "moo", False),
    ("subdistrict_code", "ตำบล", "subdistrict", False),
    ("district_code", "อำเภอ", "district", False),
    ("province_code", "จังหวัด", "province", False),
    ("postcode", "รหัสไปรษณีย์", "postcode", False),
)
NULLABLE = {"moo", "birth_date", "join_date"}
FIELD_LABELS = {name: (th, en) for name, th, en, _ in COMPLETENESS_FIELDS} | {
    "status_date": ("วันที่เปลี่ยนสถานะ", "status date"), "status": ("สถานะ", "status"),
    "date": ("วันที่", "date"), "amount": ("จำนวนเงิน", "amount")}


@dataclass
class Completeness:
    field: str
    title_th: str
    title_en: str
    required: bool
    filled: int
    total: int

    @property
    def percent(self) -> float:
        return round(100 * self.filled / self.total, 1) if self.total else 0.0


@dataclass
class Finding:
    """A value that breaks a rule or looks wrong: which member (or day), what, in both languages."""

    kind: str  # "rule" | "old_age" | "shared_phone" | "same_person" | "round_payments"
    subject: str
    field: str
    message_th: str
    message_en: str
    value: str = ""

    @property
    def field_label_th(self) -> str:
        return self.field_label("th")

    @property
    def field_label_en(self) -> str:
        return self.field_label("en")

    def field_label(self, lang: str = "th") -> str:
        """The field as a person calls it (เลขประจำตัวประชาชน, not national_id)."""
        th, en = FIELD_LABELS.get(self.field, (self.field, self.field))
        return en if lang == "en" else th


@dataclass
class Quality:
    organisation: Organisation
    members: int = 0
    completeness: list[Completeness] = field(default_factory=list)
    broken: list[Finding] = field(default_factory=list)
    broken_members: int = 0
    suspicious: list[Finding] = field(default_factory=list)
    suspicious_members: int = 0
    round_days: int = 0
    score: int = 0
    parts: dict[str, float] = field(default_factory=dict)


def _completeness(rows: list[dict]) -> list[Completeness]:
    """Each field's filled values among the members' rows (the rules read the same rows)."""
    def filled(name: str) -> int:
        if name in NULLABLE:
            return sum(1 for data in rows if data[name] is not None)
        return sum(1 for data in rows if data[name] != "")

    return [Completeness(name, th, en, req, filled(name), len(rows)) for name, th, en, req in COMPLETENESS_FIELDS]


def _rule_findings(rows: list[dict], today: dt.date) -> tuple[list[Finding], int]:
    """Members' values that break the members' rules; national IDs masked (the page and the
    report reach the auditor, the committee and the network's coordinators)."""
    findings, bad = [], set()
    for data in rows:
        problems: list[Problem] = member_rules.check_member(data, today=today)
        for p in problems:
            bad.add(data["number"])
            p = privacy.mask_problem(p)
            findings.append(Finding("rule", privacy.mask_text(data["number"]), p.field, p.message_th, p.message_en,
                                    "" if p.value is None else str(p.value)))
    return findings, len(bad)


def _suspicious(rows: list[dict], today: dt.date) -> tuple[list[Finding], set[str]]:
    findings: list[Finding] = []
    flagged: set[str] = set()
    for data in rows:
        born = data.get("birth_date")
        if born and data["status"] != Member.Status.DECEASED:
            age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
            if age > OLD_AGE:
                flagged.add(data["number"])
                findings.append(Finding("old_age", privacy.mask_text(data["number"]), "birth_date",
                                        f"อายุ {age} ปี เกิน {OLD_AGE} ปี ตรวจวันเกิด (พ.ศ./ค.ศ.?)",
                                        f"aged {age}, over {OLD_AGE}: check the birth date (BE/CE?)",
                                        born.isoformat()))
    phones: dict[str, list[str]] = defaultdict(list)
    for data in rows:
        if data.get("phone"):
            phones[data["phone"]].append(data["number"])
    for phone, numbers in phones.items():
        if len(numbers) >= SHARED_PHONE:
            flagged.update(numbers)
            findings.append(Finding("shared_phone", f"{len(numbers)} คน/members", "phone",
                                    f"เบอร์โทรศัพท์เดียวกัน {len(numbers)} คน (ตั้งแต่ {SHARED_PHONE} คนขึ้นไปน่าสงสัย)",
                                    f"one phone number on {len(numbers)} members "
                                    f"({SHARED_PHONE} or more is suspicious)",
                                    phone))
    people = Counter((d["first_name"], d["last_name"], d["birth_date"]) for d in rows)
    for data in rows:
        if people[(data["first_name"], data["last_name"], data["birth_date"])] > 1:
            flagged.add(data["number"])
            findings.append(Finding("same_person", privacy.mask_text(data["number"]), "national_id",
                                    "ชื่อ นามสกุล และวันเกิดซ้ำกับสมาชิกอีกคน อาจเป็นคนเดียวกัน",
                                    "same name and birth date as another member: perhaps the same person",
                                    f"{data['first_name']} {data['last_name']}"))
    return findings, flagged


def _round_days(organisation) -> list[Finding]:
    codes = [chart.ENTRY_FEES, chart.YEARLY_CONTRIBUTIONS, chart.DAILY_SAVINGS]
    days = Counter()
    for day, amount in JournalLine.objects.filter(organisation=organisation, account__code__in=codes,
                                                  credit__gte=ROUND_UNIT).values_list("date", "credit"):
        if amount % ROUND_UNIT == 0:
            days[day] += 1
    return [Finding("round_payments", day.isoformat(), "amount",
                    f"รับเงินจำนวนเต็มพันบาท {count} รายการในวันเดียว ตรวจว่าเป็นยอดจริงหรือยอดประมาณ",
                    f"{count} payments of round thousands of baht on one day: real amounts or estimates?",
                    str(count))
            for day, count in sorted(days.items()) if count >= ROUND_PER_DAY]


def assess(organisation: Organisation, *, today: dt.date | None = None) -> Quality:
    """The data quality of one group (its own members and payments)."""
    today = today or timezone.localdate()
    # erased members (and a synced group's withdrawn ones) have no personal data left to judge
    members = scoping.in_scope(Member.objects.all(), organisation).exclude(
        national_id__startswith=ANONYMISED_ID_PREFIX)
    q = Quality(organisation=organisation)
    # one read of the members for the completeness, the rules and the suspicious values
    rows = list(members.values(*(name for name, *_ in COMPLETENESS_FIELDS), "status", "status_date"))
    q.completeness = _completeness(rows)
    q.members = len(rows)
    q.broken, q.broken_members = _rule_findings(rows, today)
    suspicious, flagged = _suspicious(rows, today)
    days = _round_days(organisation) if organisation.is_group else []
    q.suspicious = suspicious + days
    q.suspicious_members = len(flagged)
    q.round_days = len(days)
    if not q.members:
        q.parts = {"completeness": 0.0, "valid": 0.0, "plausible": 0.0}
        q.score = 0
        return q
    weights = sum(2 if c.required else 1 for c in q.completeness)
    completeness = sum((2 if c.required else 1) * c.filled / c.total for c in q.completeness) / weights
    valid = 1 - q.broken_members / q.members
    plausible = 1 - q.suspicious_members / q.members
    q.parts = {"completeness": round(100 * completeness, 1), "valid": round(100 * valid, 1),
               "plausible": round(100 * plausible, 1)}
    raw = 100 * (0.5 * completeness + 0.3 * valid + 0.2 * plausible) - min(10, 2 * q.round_days)
    q.score = max(0, min(100, round(raw)))
    return q


def groups_below(organisation: Organisation):
    if organisation.is_group:
        return Organisation.objects.filter(pk=organisation.pk)
    return Organisation.objects.filter(path__startswith=organisation.path, kind=Organisation.Kind.GROUP,
                                       is_active=True)


def group_scores(organisation: Organisation, *, today: dt.date | None = None) -> list[tuple[Organisation, int, int]]:
    """(group, score, members) for a group, or for every group below a network."""
    out = []
    for group in groups_below(organisation):
        q = assess(group, today=today)
        out.append((group, q.score, q.members))
    return out


def score(organisation: Organisation, *, today: dt.date | None = None) -> int:
    """0–100: a group's data-quality score; a network's is its groups' average weighted by members."""
    if organisation.is_group:
        return assess(organisation, today=today).score
    scores = group_scores(organisation, today=today)
    members = sum(m for _, _, m in scores)
    if not members:
        return 0
    return round(sum(s * m for _, s, m in scores) / members)
