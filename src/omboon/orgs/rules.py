"""Checks on organisation data. Each returns a list of Problems; none raise."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from omboon.core.errors import Problem
from omboon.orgs import geography
from omboon.orgs.models import Organisation, Role

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$")


def check_code(code: str, *, exclude_pk: int | None = None) -> list[Problem]:
    if not CODE_RE.match(code or ""):
        return [Problem("code", "รหัสต้องเป็นตัวอักษรอังกฤษหรือตัวเลข 2–32 ตัว",
                        "code must be 2–32 letters, digits, - or _", value=code)]
    clash = Organisation.objects.filter(code=code)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        return [Problem("code", f"รหัส {code} มีอยู่แล้ว", f"code {code} is already used", value=code)]
    return []


def check_founded_on(founded_on: dt.date | None, today: dt.date | None = None) -> list[Problem]:
    today = today or dt.date.today()
    if founded_on and founded_on > today:
        return [Problem("founded_on", "วันก่อตั้งอยู่ในอนาคต", "founding date is in the future",
                        value=founded_on)]
    return []


def check_geography(province_code: str, district_code: str, subdistrict_code: str) -> list[Problem]:
    """Codes must exist and nest: subdistrict 520101 lies in district 5201, in province 52."""
    problems = []
    if province_code and geography.province(province_code) is None:
        problems.append(Problem("province_code", f"ไม่พบรหัสจังหวัด {province_code}",
                                f"unknown province code {province_code}", value=province_code))
    if district_code:
        d = geography.district(district_code)
        if d is None:
            problems.append(Problem("district_code", f"ไม่พบรหัสอำเภอ {district_code}",
                                    f"unknown district code {district_code}", value=district_code))
        elif province_code and d.province_code != province_code:
            problems.append(Problem("district_code", "อำเภอไม่อยู่ในจังหวัดที่เลือก",
                                    "district is not in the chosen province", value=district_code))
    if subdistrict_code:
        s = geography.subdistrict(subdistrict_code)
        if s is None:
            problems.append(Problem("subdistrict_code", f"ไม่พบรหัสตำบล {subdistrict_code}",
                                    f"unknown subdistrict code {subdistrict_code}",
                                    value=subdistrict_code))
        elif district_code and s.district_code != district_code:
            problems.append(Problem("subdistrict_code", "ตำบลไม่อยู่ในอำเภอที่เลือก",
                                    "subdistrict is not in the chosen district",
                                    value=subdistrict_code))
    return problems


def check_parent(kind: str, parent: Organisation | None) -> list[Problem]:
    if parent is not None and not parent.is_network:
        return [Problem("parent", "องค์กรแม่ต้องเป็นเครือข่าย", "the parent must be a network",
                        value=parent.code)]
    if kind not in Organisation.Kind.values:
        return [Problem("kind", "ประเภทองค์กรไม่ถูกต้อง", "unknown organisation kind", value=kind)]
    return []


def check_group_type(kind: str, group_type: str) -> list[Problem]:
    if kind == Organisation.Kind.GROUP and group_type not in Organisation.GroupType.values:
        return [Problem("group_type", "ต้องระบุประเภทกลุ่ม", "a group needs a group type",
                        value=group_type)]
    return []


def check_fiscal_month(month: int) -> list[Problem]:
    if not 1 <= int(month) <= 12:
        return [Problem("fiscal_year_start_month", "เดือนเริ่มปีบัญชีต้องอยู่ระหว่าง 1–12",
                        "fiscal year start month must be 1–12", value=month)]
    return []


MAX_RETENTION_YEARS = 100
MAX_DORMANT_MONTHS = 120
MAX_LOAN_QUORUM = 9
# The aging buckets (days overdue) of ``loans.arrears.BUCKETS``, as the bylaws' allowance for
# doubtful loans names them: ``loan_allowance`` is a percentage for each (loans' tests check
# the two agree; orgs does not import loans).
ALLOWANCE_BUCKETS = ("1–30", "31–60", "61–90", "91–180", "181–365", "> 365")
# What the bylaws say who approves (each a list of roles; absent: every role that may approve).
APPROVALS = {"claims": ("คำขอสวัสดิการ", "welfare claims"), "vouchers": ("ใบสำคัญจ่าย", "payment vouchers"),
             "withdrawals": ("การถอนเงินออม", "savings withdrawals"), "loans": ("เงินกู้", "loans")}
APPROVER_ROLES = (Role.CHAIR, Role.TREASURER, Role.SECRETARY, Role.COMMITTEE)


def _whole(value, lo: int, hi: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi


def check_bylaws(bylaws: dict) -> list[Problem]:
    """The bylaw settings: ``retention_years`` a whole number 0–100 (the years a member's
    personal fields are kept after they left); ``admin_cap_percent`` 0–100 or none (the most of a
    year's contributions spent on administration); ``approvers``: for claims, vouchers,
    withdrawals and loans, the roles that approve — at least one, of chair, treasurer,
    secretary, committee; ``savings_dormant_months`` 1–120 or none (a savings account with no
    movement for that many months becomes dormant; none: 12); ``loan_quorum`` 1–9 or none (the
    committee approvals a loan needs; none: 1); ``loan_spouse_not_guarantor`` yes or no (a
    borrower's spouse may not guarantee the loan); ``loan_allowance`` none (no allowance for
    doubtful loans) or a whole percentage 0–100 for each aging bucket (``ALLOWANCE_BUCKETS``)."""
    bylaws = bylaws or {}
    problems = []
    value = bylaws.get("retention_years")
    if not (value is None or _whole(value, 0, MAX_RETENTION_YEARS)):
        problems.append(Problem("retention_years", f"จำนวนปีที่เก็บข้อมูลต้องเป็น 0–{MAX_RETENTION_YEARS} ปี",
                                f"retention years must be 0–{MAX_RETENTION_YEARS}", value=str(value)))
    cap = bylaws.get("admin_cap_percent")
    if not (cap is None or _whole(cap, 0, 100)):
        problems.append(Problem("admin_cap_percent", "เพดานค่าบริหารต้องเป็นร้อยละ 0–100",
                                "the administration cap must be 0–100 %", value=str(cap)))
    dormant = bylaws.get("savings_dormant_months")
    if not (dormant is None or _whole(dormant, 1, MAX_DORMANT_MONTHS)):
        problems.append(Problem("savings_dormant_months",
                                f"จำนวนเดือนที่ไม่เคลื่อนไหวก่อนเป็นบัญชีพักต้องเป็น 1–{MAX_DORMANT_MONTHS} เดือน",
                                f"the months without movement before an account is dormant must be "
                                f"1–{MAX_DORMANT_MONTHS}", value=str(dormant)))
    quorum = bylaws.get("loan_quorum")
    if not (quorum is None or _whole(quorum, 1, MAX_LOAN_QUORUM)):
        problems.append(Problem("loan_quorum", f"จำนวนกรรมการที่ต้องอนุมัติเงินกู้ต้องเป็น 1–{MAX_LOAN_QUORUM} คน",
                                f"the committee approvals a loan needs must be 1–{MAX_LOAN_QUORUM}",
                                value=str(quorum)))
    spouse = bylaws.get("loan_spouse_not_guarantor")
    if not (spouse is None or isinstance(spouse, bool)):
        problems.append(Problem("loan_spouse_not_guarantor", "ข้อห้ามคู่สมรสค้ำประกันต้องเป็น ใช่ หรือ ไม่ใช่",
                                "the spouse-as-guarantor setting must be yes or no", value=str(spouse)))
    problems += check_allowance(bylaws.get("loan_allowance"))
    approvers = bylaws.get("approvers") or {}
    for what, roles in approvers.items():
        th, en = APPROVALS.get(what, (what, what))
        if what not in APPROVALS or not isinstance(roles, list):
            problems.append(Problem("approvers", f"ไม่รู้จักการอนุมัติ {what}", f"unknown approval {what}",
                                    value=str(what)))
        elif not roles:
            problems.append(Problem(f"approvers_{what}", f"{th}: ต้องมีอย่างน้อยหนึ่งบทบาทที่อนุมัติได้",
                                    f"{en}: at least one role must approve", value=what))
        elif any(r not in APPROVER_ROLES for r in roles):
            problems.append(Problem(f"approvers_{what}", f"{th}: บทบาทนี้อนุมัติไม่ได้",
                                    f"{en}: this role cannot approve", value=",".join(map(str, roles))))
    return problems


def check_allowance(percentages) -> list[Problem]:
    """The allowance for doubtful loans: none, or a whole percentage 0–100 for each aging bucket
    (a problem for each bucket wrong, named by its field ``loan_allowance_<n>``, n from 1)."""
    if percentages is None:
        return []
    if not isinstance(percentages, list) or len(percentages) != len(ALLOWANCE_BUCKETS):
        return [Problem("loan_allowance", f"ค่าเผื่อหนี้สงสัยจะสูญต้องระบุร้อยละครบ {len(ALLOWANCE_BUCKETS)} ช่วงอายุหนี้",
                        f"the allowance for doubtful loans needs a percentage for each of the "
                        f"{len(ALLOWANCE_BUCKETS)} aging buckets", value=str(percentages))]
    return [Problem(f"loan_allowance_{n}", f"ค่าเผื่อหนี้สงสัยจะสูญ ค้าง {days} วัน: ต้องเป็นร้อยละ 0–100 (จำนวนเต็ม)",
                    f"allowance for loans {days} days overdue: must be a whole percentage 0–100", value=str(pct))
            for n, (days, pct) in enumerate(zip(ALLOWANCE_BUCKETS, percentages), start=1) if not _whole(pct, 0, 100)]


def approver_roles(bylaws: dict, what: str) -> frozenset[str] | None:
    """The roles the bylaws let approve ``what``; None: every role that may approve."""
    roles = ((bylaws or {}).get("approvers") or {}).get(what)
    return frozenset(roles) if roles else None


def check_bylaw_date(effective_from, taken: bool) -> list[Problem]:
    if effective_from is None:
        return [Problem("effective_from", "ต้องระบุวันที่เริ่มใช้", "the date it takes effect is required")]
    if taken:
        return [Problem("effective_from", "มีข้อบังคับที่เริ่มใช้วันนี้อยู่แล้ว",
                        "bylaws already take effect on this date", value=effective_from.isoformat())]
    return []


def check_name_th(name_th: str) -> list[Problem]:
    return [] if (name_th or "").strip() else [Problem("name_th", "ต้องระบุชื่อภาษาไทย", "a Thai name is required")]


def check_username(username: str, taken: bool) -> list[Problem]:
    if username and not taken:
        return []
    return [Problem("username", f"ชื่อผู้ใช้ {username!r} ว่างหรือมีอยู่แล้ว", f"username {username!r} is empty or taken",
                    value=username)]


def phone_digits(phone: str) -> str:
    """A phone number as typed ("081-234 5678", "+66 81 234 5678") in its digits, 0-led."""
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    if (phone or "").strip().startswith("+66") and digits.startswith("66"):
        digits = "0" + digits[2:]
    return digits


def check_phone(phone: str) -> list[Problem]:
    """Blank, or a Thai number: 9 digits (a landline, 02…) or 10 (a mobile, 06/08/09…), 0 first."""
    digits = phone_digits(phone)
    if not (phone or "").strip() or (digits.startswith("0") and len(digits) in (9, 10)
                                     and all(ch.isdigit() or ch in " -+()" for ch in phone.strip())):
        return []
    return [Problem("phone", f"เบอร์โทรศัพท์ {phone!r} ไม่ถูกต้อง (9–10 หลัก ขึ้นต้นด้วย 0)",
                    f"phone number {phone!r} is not valid (9–10 digits starting with 0)", value=phone)]


def check_role_given(role: str) -> list[Problem]:
    return [] if role else [Problem("role", "ผู้ใช้ต้องมีบทบาทอย่างน้อยหนึ่งบทบาท", "a user needs at least one role")]


def check_editable(unknown: set[str]) -> list[Problem]:
    """Only the fields a page may change (``unknown``: those it may not)."""
    if not unknown:
        return []
    return [Problem(", ".join(sorted(unknown)), "แก้ไขช่องนี้ไม่ได้", "this field cannot be changed here")]


def check_role(role: str, organisation: Organisation) -> list[Problem]:
    if role not in Role.values:
        return [Problem("role", f"ไม่รู้จักบทบาท {role}", f"unknown role {role}")]
    if role == Role.COORDINATOR and not organisation.is_network:
        return [Problem("role", "ผู้ประสานงานต้องอยู่ในเครือข่าย", "a coordinator belongs to a network")]
    return []


MIN_PASSWORD = 8


def check_password(password: str, confirm: str | None = None) -> list[Problem]:
    """A first password: at least 8 characters, and typed the same twice where it was typed."""
    if len(password or "") < MIN_PASSWORD:
        return [Problem("password", f"รหัสผ่านต้องยาวอย่างน้อย {MIN_PASSWORD} ตัวอักษร",
                        f"the password must be at least {MIN_PASSWORD} characters")]
    if confirm is not None and confirm != password:
        return [Problem("password2", "รหัสผ่านสองช่องไม่ตรงกัน", "the two passwords differ")]
    return []


def check_under(network_code: str, parent: Organisation | None) -> list[Problem]:
    """``--under CODE`` names an existing network."""
    if network_code and parent is None:
        return [Problem("under", f"ไม่พบเครือข่าย {network_code}", f"no network {network_code}",
                        value=network_code)]
    return []


# --- people and roles ----------------------------------------------------------------------
# How far a role reaches: nobody grants (or revokes) a role above their own.
RANK = {Role.MEMBER: 1, Role.AUDITOR: 2, Role.COMMITTEE: 3, Role.SECRETARY: 4, Role.TREASURER: 4,
        Role.COORDINATOR: 5, Role.CHAIR: 5, Role.ADMIN: 6}
SYSTEM_RANK = 99  # the command line (no actor) and a superuser


def check_rank(role: str, actor_rank: int) -> list[Problem]:
    if RANK.get(role, SYSTEM_RANK) > actor_rank:
        return [Problem("role", f"ให้บทบาท {role} ที่สูงกว่าบทบาทของตนเองไม่ได้",
                        f"nobody grants a role ({role}) above their own", value=role)]
    return []


def check_keeps_a_chair(role: str, organisation: Organisation, chairs_left: int) -> list[Problem]:
    """A group keeps at least one active chair (``chairs_left``: after the change)."""
    if role == Role.CHAIR and organisation.is_group and chairs_left < 1:
        return [Problem("role", "กลุ่มต้องมีประธานอย่างน้อยหนึ่งคน",
                        "a group keeps at least one chair", value=role)]
    return []


def check_member_linked(role: str, member_number: str | None, found: bool) -> list[Problem]:
    """A member's login reads only their own record: it is linked to it when made."""
    if role != Role.MEMBER:
        return []
    if not member_number:
        return [Problem("member", "ผู้ใช้บทบาทสมาชิกต้องผูกกับทะเบียนสมาชิก (เลขสมาชิก)",
                        "a member login is linked to its member record (member number)")]
    if not found:
        return [Problem("member", f"ไม่พบสมาชิกเลขที่ {member_number}",
                        f"no member number {member_number}", value=member_number)]
    return []


def check_user_of(user, organisation: Organisation, holds: bool) -> list[Problem]:
    if holds:
        return []
    return [Problem("username", f"{user.username} ไม่ได้เป็นผู้ใช้ของ {organisation.code}",
                    f"{user.username} is not a user of {organisation.code}", value=user.username)]


# --- API tokens -----------------------------------------------------------------------------
TOKEN_MAX_DAYS = 366
TOKEN_NAME_MAX = 100
SERVICE_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,31}$")


@dataclass(frozen=True)
class NewToken:
    """A token as its checks read it. ``creator_caps`` and ``holder_caps``: each organisation's
    code → what the creator and the holder may do there (``scoping.resolve``, no token);
    ``holder_service_of``: the code of the organisation whose service user the holder is."""

    name: str
    creator: Any
    holder: Any
    organisations: tuple[Organisation, ...]
    capabilities: tuple[str, ...]
    expires_on: dt.date | None
    today: dt.date
    creator_caps: dict[str, frozenset[str]] = field(default_factory=dict)
    holder_caps: dict[str, frozenset[str]] = field(default_factory=dict)
    holder_service_of: str | None = None
    by_token: bool = False


def token_name(t: NewToken) -> list[Problem]:
    if (t.name or "").strip() and len(t.name) <= TOKEN_NAME_MAX:
        return []
    return [Problem("name", f"ต้องตั้งชื่อโทเคน (ไม่เกิน {TOKEN_NAME_MAX} ตัวอักษร)",
                    f"a token needs a name (at most {TOKEN_NAME_MAX} characters)", value=t.name)]


def token_capabilities(t: NewToken) -> list[Problem]:
    known = {"view", "records", "write", "approve", "manage", "audit"}
    unknown = sorted(set(t.capabilities) - known)
    if unknown:
        return [Problem("capabilities", f"ไม่รู้จักสิทธิ์ {', '.join(unknown)}",
                        f"unknown capabilities: {', '.join(unknown)}", value=",".join(unknown))]
    if "view" not in t.capabilities:
        return [Problem("capabilities", "โทเคนต้องมีสิทธิ์ view (ดู) เสมอ", "a token always includes view")]
    return []


def token_expiry(t: NewToken) -> list[Problem]:
    last = t.today + dt.timedelta(days=TOKEN_MAX_DAYS)
    if t.expires_on is None or not t.today <= t.expires_on <= last:
        return [Problem("expires_on",
                        f"วันหมดอายุ (วันสุดท้ายที่ใช้ได้) ต้องไม่ก่อนวันนี้ และไม่เกิน {TOKEN_MAX_DAYS} วัน ({last})",
                        f"the expiry (the last day it works) must be today or later, at most {TOKEN_MAX_DAYS} days "
                        f"away ({last})",
                        value=t.expires_on)]
    return []


def token_organisations(t: NewToken) -> list[Problem]:
    if t.organisations:
        return []
    return [Problem("organisations", "ต้องเลือกองค์กรอย่างน้อยหนึ่งแห่ง", "name at least one organisation")]


def token_not_by_token(t: NewToken) -> list[Problem]:
    if not t.by_token:
        return []
    return [Problem("authorization", "สร้างโทเคนด้วยโทเคนไม่ได้ (เข้าสู่ระบบก่อน)",
                    "a token cannot make tokens (sign in)", code="forbidden")]


def token_creator_manages(t: NewToken) -> list[Problem]:
    if t.creator is None:  # the command line
        return []
    return [Problem("organisations", f"ต้องมีสิทธิ์จัดการ {o.code} จึงสร้างโทเคนได้",
                    f"making a token for {o.code} needs the manage right there", value=o.code)
            for o in t.organisations if "manage" not in t.creator_caps.get(o.code, frozenset())]


def token_holder(t: NewToken) -> list[Problem]:
    """A token is for oneself, or for a service user of each organisation it names."""
    if not getattr(t.holder, "is_active", False):
        return [Problem("user", "ผู้ใช้นี้ถูกปิดใช้งาน", "this user is deactivated", value=getattr(t.holder, "username", ""))]
    if t.creator is not None and t.holder.pk == t.creator.pk:
        return []
    if t.holder_service_of is None:
        if t.creator is None:  # the command line makes a person's token too
            return []
        return [Problem("user", "สร้างโทเคนได้เฉพาะของตนเองหรือของผู้ใช้สำหรับสคริปต์ขององค์กร",
                        "a token is for yourself or for a service user of the organisation",
                        value=t.holder.username)]
    return [Problem("organisations", f"{t.holder.username} เป็นผู้ใช้สำหรับสคริปต์ของ {t.holder_service_of} เท่านั้น",
                    f"{t.holder.username} is a service user of {t.holder_service_of} only", value=o.code)
            for o in t.organisations if o.code != t.holder_service_of]


def token_within_roles(t: NewToken) -> list[Problem]:
    """A token never grants what its holder's roles do not."""
    problems = []
    for o in t.organisations:
        missing = sorted(set(t.capabilities) - t.holder_caps.get(o.code, frozenset()))
        if missing:
            problems.append(Problem("capabilities", f"{t.holder.username} ไม่มีสิทธิ์ {', '.join(missing)} ใน {o.code}",
                                    f"{t.holder.username} does not hold {', '.join(missing)} in {o.code}",
                                    value=o.code))
    return problems


TOKEN_CREATE = [token_not_by_token, token_name, token_capabilities, token_expiry, token_organisations,
                token_creator_manages, token_holder, token_within_roles]


def check_service_name(name: str, taken: bool) -> list[Problem]:
    if not SERVICE_NAME_RE.match(name or ""):
        return [Problem("name", "ชื่อผู้ใช้สำหรับสคริปต์: a-z 0-9 _ - 2–32 ตัว",
                        "a service user's name: 2–32 of a-z 0-9 _ -", value=name)]
    if taken:
        return [Problem("name", f"มีผู้ใช้สำหรับสคริปต์ชื่อ {name} แล้ว", f"a service user {name} exists already",
                        value=name)]
    return []


def check_token_revocable(token, actor_caps: frozenset[str] | None, already: bool) -> list[Problem]:
    """The holder revokes their own token; someone with manage in one of its organisations any."""
    if already:
        return [Problem("token", "โทเคนนี้ถูกยกเลิกแล้ว", "this token is revoked already", value=token.prefix)]
    if actor_caps is not None and "manage" not in actor_caps:
        return [Problem("token", "ต้องมีสิทธิ์จัดการจึงยกเลิกโทเคนได้", "revoking a token needs the manage right",
                        value=token.prefix, code="forbidden")]
    return []
