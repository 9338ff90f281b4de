"""Checks of the imports' own writes (a job started, a job that pays out approved): each
returns a list of Problems; the lists name the checks of each write (``core.errors.problems_of``).
The rows of a file are checked by their domain's rules, through ``imports.kinds``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omboon.core.errors import Problem
from omboon.core.money import format_baht
from omboon.imports.models import ImportJob
from omboon.orgs import scoping


def check_group(organisation) -> list[Problem]:
    if organisation.is_group:
        return []
    return [Problem("organisation", "นำเข้าข้อมูลได้เฉพาะกลุ่ม ไม่ใช่เครือข่าย", "imports are for a group, not a network",
                    value=organisation.code)]


@dataclass(frozen=True)
class Approving:
    """A second person approving a job that pays out: the count and total they were shown, and
    the file as it checks now (``count``/``now`` None: only whether they may approve at all)."""

    job: Any
    actor: Any
    count: int | None = None
    total: int | None = None
    now: tuple[int, int] | None = None  # the payouts and total the file gives now
    changed: bool = False  # the file's own problems, or rejected rows the job did not agree to skip


def approve_waiting(a: Approving) -> list[Problem]:
    if a.job.status == ImportJob.Status.APPROVAL:
        return []
    return [Problem("status", "อนุมัติได้เฉพาะงานนำเข้าที่รออนุมัติ", "only an import waiting for approval can be approved",
                    value=a.job.status, code="status")]


def approver_second_person(a: Approving) -> list[Problem]:
    """Someone who may approve in the group — past claims as the bylaws say who approves claims,
    other money out as who approves vouchers — neither the uploader nor the one who submitted it."""
    what = "claims" if a.job.kind == "claims" else "vouchers"
    if a.actor is None or not getattr(a.actor, "pk", None) or \
            not scoping.may_approve(a.actor, a.job.organisation, what):
        return [Problem("approver", "ผู้อนุมัติต้องเป็นกรรมการที่มีสิทธิ์อนุมัติในกลุ่มนี้",
                        "the approver must be someone who may approve in this group", code="approver")]
    if a.actor.pk in (a.job.created_by_id, a.job.submitted_by_id):
        return [Problem("approver", "ผู้อนุมัติต้องไม่ใช่ผู้นำเข้าไฟล์นี้ ให้กรรมการอีกคนหนึ่งอนุมัติ",
                        "the approver cannot be the person who imported this file; another committee "
                        "member approves it", code="own_job")]
    return []


def approved_as_shown(a: Approving) -> list[Problem]:
    if a.count is None or (a.count, a.total) == (a.job.payout_count, a.job.payout_total):
        return []
    return [Problem("total", "จำนวนหรือยอดเงินที่ยืนยันไม่ตรงกับที่ส่งมาให้อนุมัติ",
                    "the count or total confirmed is not what was submitted for approval",
                    value=f"{a.count} / {format_baht(a.total)}", code="mismatch")]


def file_unchanged(a: Approving) -> list[Problem]:
    if a.now is None or (not a.changed and a.now == (a.job.payout_count, a.job.payout_total)):
        return []
    n, total = a.now
    return [Problem(
        "file", f"ผลการตรวจไฟล์เปลี่ยนไปหลังส่งอนุมัติ (ตอนนี้ {n:,} รายการ {format_baht(total)} บาท) "
                "ให้ผู้นำเข้าตรวจและส่งใหม่",
        f"the file checks differently since it was submitted (now {n:,} payouts, {format_baht(total)} "
        "baht); the uploader checks it and submits it again", code="changed")]


MAY_APPROVE = [approve_waiting, approver_second_person]
JOB_APPROVE = [*MAY_APPROVE, approved_as_shown, file_unchanged]


def check_mapping(bad: list[str]) -> list[Problem]:
    """A remembered mapping names only the kind's fields (``bad``: those it does not know)."""
    return [Problem("columns", f"ไม่รู้จักช่อง {bad}", f"unknown fields {bad}", value=str(bad))] if bad else []


def check_submitter(pays_out: bool, submitter) -> list[Problem]:
    if not pays_out or submitter is not None:
        return []
    return [Problem("actor", "การนำเข้าที่จ่ายเงินออกต้องระบุผู้นำเข้า (ผู้อนุมัติต้องเป็นคนอื่น)",
                    "an import that pays money out needs the person who submits it (a second person approves it)")]


def check_approved(pays_out: bool, status: str | None, approver_id) -> list[Problem]:
    """A job that pays money out runs only once a second person approved it."""
    if not pays_out or (approver_id is not None and status not in (ImportJob.Status.APPROVAL,
                                                                     ImportJob.Status.PREVIEW)):
        return []
    return [Problem("status", "งานนำเข้านี้จ่ายเงินออก ต้องได้รับอนุมัติจากอีกคนหนึ่งก่อน",
                    "this import pays money out: a second person must approve it first", code="not_approved")]


def check_values(spec, answers: dict[str, dict[str, str]]) -> list[Problem]:
    """A value mapping ({field: {their word: code}}) names only the kind's coded fields, and
    maps each word to one of the field's codes (an open field, a title: any text that fits)."""
    problems = []
    for name, words in answers.items():
        coded = spec.coded_field(name)
        if coded is None:
            known = ", ".join(c.field for c in spec.coded) or "-"
            problems.append(Problem("values", f"{spec.key} ไม่มีช่องรหัส {name} (มี: {known})",
                                    f"{spec.key} has no coded field {name} (it has: {known})",
                                    value=name, code="unknown_field"))
            continue
        for word, code in words.items():
            if not str(word).strip():
                problems.append(Problem(name, "คำที่จับคู่ต้องไม่ว่าง", "a word to map cannot be blank",
                                        value=code, code="blank_word"))
            elif coded.open and (not str(code).strip() or len(code) > coded.max_length):
                problems.append(Problem(name, f"\"{word}\" ต้องจับคู่กับข้อความไม่เกิน {coded.max_length} ตัวอักษร",
                                        f"\"{word}\" must map to a text of at most {coded.max_length} characters",
                                        value=code, code="bad_code"))
            elif not coded.open and code not in coded.codes:
                choices = ", ".join(sorted(coded.codes))
                problems.append(Problem(name, f"\"{word}\" จับคู่กับรหัส {code} ที่ไม่มีในช่อง {name} (มี: {choices})",
                                        f"\"{word}\" maps to {code}, which is not a code of {name} "
                                        f"(codes: {choices})", value=code, code="unknown_code"))
    return problems
