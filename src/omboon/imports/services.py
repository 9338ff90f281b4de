"""Writes of imports: check a file (writes nothing), start a job, run it in atomic batches.

- ``import_check``     read + map + every rule → ``Checked`` (the preview); never writes
- ``import_job_start`` the confirmed import: an ``ImportJob`` (or the unfinished one of the
                       same file, to resume); a finished job of the same file makes it a no-op
- ``import_job_run``   commits batch after batch; each batch's rows, the job's progress and
                       one audit event share ONE transaction, so ``kill -9`` at any moment
                       leaves whole batches and running again carries on from the next one
- ``import_job_approve`` a job that pays money out (claims) stops at "waiting for approval"
                       after ``import_job_start``; a second person who may approve — not the
                       uploader, not the submitter — approves the count and total they were shown,
                       and only then does ``import_job_run`` commit it
- ``mapping_save``     remembers a group's column mapping for a kind
- ``values_save``      remembers a group's answers for the words of a kind's coded fields
                       (``imports.values``: the file's words mapped to the app's codes)
- ``members_export_ids`` the members file with full national IDs (a round-trip backup), audited

``job_sheet`` and ``job_checked`` give a job's parsed file and its check, kept beside the upload
(``storage``) so the job page, its errors file and its mapping do not parse the file again.
Every national ID in a ``Checked`` (problems, rejected rows) is masked (``privacy``); the
accepted rows keep them whole, for the commit.

A file is partitioned into batches by position (``batch_size`` rows of the file each), so a
resumed job cuts the file exactly as the first run did.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from omboon.core import audit
from omboon.core.errors import Problem, RuleViolation, problems_of, raise_if
from omboon.core.models import AuditEvent
from omboon.core.money import format_baht
from omboon.imports import exports, kinds, privacy, rules, storage, values
from omboon.imports.models import ColumnMapping, ImportJob
from omboon.imports.readers import ReadError, Sheet, read_table
from omboon.imports.spec import Checked, auto_mapping, mapping_problems, rows_as_dicts

# Rows of the file per committed batch: big enough that the per-batch reads (the group's members,
# what they had paid, the keys already in) stay small beside the rows, small enough that a batch
# commits in a second or two and kill -9 loses little.
DEFAULT_BATCH_SIZE = 20000
# Seconds to hold each batch's transaction open before it commits: only the crash test sets
# it, to be sure a kill -9 lands inside a batch.
BATCH_DELAY_ENV = "OMBOON_IMPORT_BATCH_DELAY"


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def saved_mapping(organisation, kind: str) -> dict[str, str]:
    found = ColumnMapping.objects.filter(organisation=organisation, kind=kind).first()
    return dict(found.columns) if found else {}


def saved_values(organisation, kind: str) -> dict[str, dict[str, str]]:
    """The group's remembered answers for the coded fields of ``kind``: {field: {word: code}}."""
    found = ColumnMapping.objects.filter(organisation=organisation, kind=kind).values_list("values", flat=True).first()
    return dict(found or {})


def read(data: bytes, filename: str = "") -> Sheet:
    return read_table(data, filename)


def read_failed(kind: str, exc: ReadError) -> Checked:
    """The check of a file that could not be read: its one problem (masked like the rest)."""
    return Checked(kind=kind, headers=[], mapping={}, problems=privacy.mask_problems(exc.problems))


def import_check(*, organisation, kind: str, data: bytes | None = None, filename: str = "",
                 sheet: Sheet | None = None, mapping: dict[str, str] | None = None,
                 answers: dict[str, dict[str, str]] | None = None, today=None) -> Checked:
    """Every problem of a file for a group, and what would be created. Writes nothing.

    ``mapping`` (source header → field) adds to the group's remembered mapping for the kind,
    which adds to the headers recognised by name. ``answers`` ({field: {word: code}}) map the
    words of the coded fields, before the group's remembered answers and the known words
    (``imports.values``); a row whose word is uncertain or unknown is refused with its problem
    and checked no further. The problems and the rejected rows (``raw``) have their national
    IDs masked; the accepted rows keep them."""
    spec = kinds.get(kind)
    if sheet is None:
        try:
            sheet = read_table(data or b"", filename)
        except ReadError as exc:
            return read_failed(kind, exc)
    remembered = {**saved_mapping(organisation, kind), **(mapping or {})}
    columns = auto_mapping(spec, sheet.headers, remembered)
    checked = Checked(kind=kind, headers=sheet.headers, mapping=columns, total_rows=len(sheet.rows))
    if not organisation.is_group:
        checked.problems = rules.check_group(organisation)
        return checked
    missing = mapping_problems(spec, columns)
    if missing:
        checked.problems = missing
        return checked
    rows = rows_as_dicts(columns, sheet.headers, sheet.rows)
    huge = {p.row for p in sheet.problems}
    rows, word_problems, checked.values = values.translate(
        spec.coded, rows, columns=columns, answers=answers, remembered=saved_values(organisation, kind))
    if word_problems:  # a row whose word is not mapped yet is refused before the kind's rules
        unmapped = {p.row for p in word_problems}
        rows = [(row, data) for row, data in rows if row not in unmapped]
    accepted, problems, summary = spec.check(organisation, rows, today=today)
    problems = [*word_problems, *problems]
    del rows
    checked.accepted = [(row, data) for row, data in accepted if row not in huge]
    checked.problems = privacy.mask_problems(
        sorted([*sheet.problems, *problems], key=lambda p: (p.row or 0, p.field)))
    checked.summary = summary
    rejected = checked.rejected
    if rejected:  # the rejected rows as they were (for the errors file), IDs masked
        ids = privacy.id_columns(sheet.headers, columns)
        checked.raw = {row: privacy.mask_row(cells, ids) for row, cells in sheet.rows if row in rejected}
    return checked


# --- a job's file, parsed once --------------------------------------------------------------------

def job_sheet(job: ImportJob) -> Sheet:
    """The job's file parsed: from the parse kept beside the upload, else read (and kept).
    ReadError when the file cannot be read; OSError when it is gone."""
    sheet = storage.load_sheet(job.file_path, job.file_sha256)
    if sheet is not None:
        return sheet
    data = Path(job.file_path).read_bytes()
    sheet = read_table(data, job.file_name)
    storage.save_sheet(job.file_path, job.file_sha256, sheet)
    return sheet


def _latest_write(organisation) -> int:
    return (AuditEvent.objects.filter(organisation=organisation).order_by("-at", "-id")
            .values_list("id", flat=True).first() or 0)


def job_checked(job: ImportJob) -> Checked:
    """The job's file checked against the group as it now is, kept until the mapping — the
    job's or the group's remembered one — the day, or anything in the group changes."""
    key = storage.check_key(kind=job.kind, mapping=job.mapping or {}, values=job.values or {},
                            remembered=saved_mapping(job.organisation, job.kind),
                            remembered_values=saved_values(job.organisation, job.kind),
                            day=timezone.localdate().isoformat(), written=_latest_write(job.organisation))
    checked = storage.load_checked(job.file_path, job.file_sha256, key)
    if checked is not None:
        return checked
    try:
        sheet = job_sheet(job)
    except ReadError as exc:
        return read_failed(job.kind, exc)
    checked = import_check(organisation=job.organisation, kind=job.kind, sheet=sheet, mapping=job.mapping or None,
                           answers=job.values or None)
    storage.save_checked(job.file_path, job.file_sha256, key, checked)
    return checked


def batches(rows: list, size: int) -> list[list]:
    return [rows[i:i + size] for i in range(0, len(rows), size)] or [[]]


@transaction.atomic
def mapping_save(*, actor, organisation, kind: str, columns: dict[str, str]) -> ColumnMapping:
    """Remember how this group's files name the columns of ``kind``."""
    spec = kinds.get(kind)
    raise_if(rules.check_mapping([v for v in columns.values() if v and v not in spec.keys]))
    found, _ = ColumnMapping.objects.update_or_create(organisation=organisation, kind=kind,
                                                      defaults={"columns": columns})
    audit.record(actor=actor, action="imports.mapping_save", organisation=organisation, obj=found,
                 summary=f"{kind}: {len(columns)} คอลัมน์ / columns", after={"kind": kind, "columns": columns})
    return found


@transaction.atomic
def values_save(*, actor, organisation, kind: str, answers: dict[str, dict[str, str]]) -> ColumnMapping:
    """Remember how this group's files write the values of ``kind``'s coded fields: the
    ``answers`` ({field: {word: code}}) are added to those remembered (a word answered again
    takes its new code). Every word must map to one of the field's codes."""
    spec = kinds.get(kind)
    raise_if(rules.check_values(spec, answers))
    found, _ = ColumnMapping.objects.select_for_update().get_or_create(organisation=organisation, kind=kind)
    merged = {name: dict(words) for name, words in (found.values or {}).items()}
    for name, words in answers.items():
        merged.setdefault(name, {}).update({values.norm(w): c for w, c in words.items()})
    found.values = merged
    found.save(update_fields=["values", "updated_at"])
    audit.record(actor=actor, action="imports.values_save", organisation=organisation, obj=found,
                 summary=f"{kind}: {sum(len(w) for w in answers.values())} คำ / words"[:255],
                 after={"kind": kind, "values": answers})
    return found


def job_for_file(organisation, kind: str, sha: str) -> ImportJob | None:
    """The finished job of this file, else its latest unfinished one."""
    jobs = ImportJob.objects.filter(organisation=organisation, kind=kind, file_sha256=sha)
    return jobs.filter(status=ImportJob.Status.DONE).first() or jobs.exclude(
        status=ImportJob.Status.DONE).order_by("-committed_batches", "-id").first()


@transaction.atomic
def import_job_create(*, actor, organisation, kind: str, filename: str, sha: str, file_path: str = "",
                      mapping: dict | None = None, status: str = ImportJob.Status.PREVIEW) -> ImportJob:
    """A job for an uploaded file, before anything is imported (the web's preview)."""
    kinds.get(kind)
    job = ImportJob.objects.create(organisation=organisation, kind=kind, file_name=filename[:255], file_sha256=sha,
                                   file_path=file_path, mapping=mapping or {}, status=status,
                                   created_by=audit.person(actor))
    audit.record(actor=actor, action="imports.import_job_create", organisation=organisation, obj=job,
                 summary=f"{kind} {privacy.mask_text(filename)}"[:255],
                 after={"kind": kind, "file": privacy.mask_text(filename), "sha256": sha})
    return job


@transaction.atomic
def import_job_start(*, actor, organisation, kind: str, filename: str, sha: str, checked: Checked,
                     batch_size: int = DEFAULT_BATCH_SIZE, skip_rejected: bool = False,
                     job: ImportJob | None = None, file_path: str = "") -> ImportJob:
    """Confirm an import: the job is queued with its batches counted. A job already begun for
    the same file is returned as it stands (to be resumed); nothing is re-planned."""
    spec = kinds.get(kind)
    existing = job_for_file(organisation, kind, sha)
    if existing is not None and (existing.status == ImportJob.Status.DONE or existing.committed_batches):
        return existing
    if checked.file_problems or (checked.problems and not skip_rejected):
        raise RuleViolation(checked.problems)
    job = job or existing
    if job is None:
        job = ImportJob(organisation=organisation, kind=kind, file_name=filename[:255], file_sha256=sha,
                        file_path=file_path, created_by=audit.person(actor))
    raise_if(rules.check_submitter(spec.pays_out, audit.person(actor)))
    size = max(1, checked.total_rows) if spec.one_batch else max(1, batch_size)
    job.mapping = checked.mapping
    job.values = values.answers_used(checked.values)  # a resumed job reads the words as this check did
    job.batch_size = size
    job.total_rows = checked.total_rows
    job.total_batches = len(batches(list(range(checked.total_rows)), size))
    job.skip_rejected = skip_rejected
    job.message = ""
    if spec.pays_out:  # money out: nothing posts until a second person approves what was submitted
        job.status = ImportJob.Status.APPROVAL
        job.submitted_by = actor
        job.payout_count = len(checked.accepted)
        job.payout_total = int(checked.summary.get("total", 0))
        job.approved_by = None
        job.approved_at = None
    else:
        job.status = ImportJob.Status.QUEUED
    job.save()
    audit.record(actor=actor, action="imports.import_job_start", organisation=organisation, obj=job,
                 summary=f"{kind} {privacy.mask_text(filename)}: {checked.total_rows:,} แถว / rows"[:255],
                 after={"kind": kind, "file": privacy.mask_text(filename), "sha256": sha, "rows": checked.total_rows,
                        "accepted": len(checked.accepted), "rejected": len(checked.rejected),
                        "batches": job.total_batches, "status": job.status,
                        **({"payouts": job.payout_count, "total": job.payout_total} if spec.pays_out else {})})
    return job


def approval_problems(*, actor, job: ImportJob) -> list[Problem]:
    """Why ``actor`` may not approve ``job`` (empty: they may): ``rules.MAY_APPROVE``."""
    return problems_of(rules.MAY_APPROVE, rules.Approving(job, actor))


@transaction.atomic
def import_job_approve(*, actor, job: ImportJob, checked: Checked, count: int, total: int) -> ImportJob:
    """A second person approves a job that pays money out: the ``count`` payouts and ``total``
    satang they were shown. ``checked`` is the file checked again now; if it no longer gives
    exactly what was submitted (a claim already in the books, a month closed since), nothing is
    approved. Then the job is queued; ``import_job_run`` posts it."""
    locked = ImportJob.objects.select_for_update().select_related("organisation").get(pk=job.pk)
    raise_if(problems_of(rules.JOB_APPROVE, rules.Approving(
        locked, actor, count, total, now=(len(checked.accepted), int(checked.summary.get("total", 0))),
        changed=bool(checked.file_problems or (checked.problems and not locked.skip_rejected)))))
    locked.approved_by = actor
    locked.approved_at = timezone.now()
    locked.status = ImportJob.Status.QUEUED
    locked.save(update_fields=["approved_by", "approved_at", "status", "updated_at"])
    audit.record(actor=actor, action="imports.import_job_approve", organisation=locked.organisation, obj=locked,
                 summary=f"{locked.kind} {privacy.mask_text(locked.file_name)}: อนุมัติ {locked.payout_count:,} รายการ "
                         f"{format_baht(locked.payout_total)} บาท / approved"[:255],
                 after={"payouts": locked.payout_count, "total": locked.payout_total,
                        "maker": locked.submitted_by_id or locked.created_by_id, "approver": actor.pk,
                        "at": locked.approved_at})
    return locked


def maker_of(job: ImportJob):
    """Who posts a job's rows: for money out, the maker (the approver is on the job and in the
    entries' memos); otherwise whoever runs it."""
    return job.submitted_by or job.created_by


def import_job_run(*, actor, job: ImportJob, sheet: Sheet, checked: Checked | None = None,
                   progress: Callable[[ImportJob], None] | None = None) -> ImportJob:
    """Commit the job's remaining batches. ``checked`` (the preview of the whole file) is used
    for a job that has not committed anything yet; a resumed job checks each remaining batch
    again against the database as it now is."""
    spec = kinds.get(job.kind)
    organisation = job.organisation
    if spec.pays_out:
        status, approver_id = (ImportJob.objects.filter(pk=job.pk).values_list("status", "approved_by_id")
                               .first() or (None, None))
        raise_if(rules.check_approved(True, status, approver_id))
        actor = maker_of(job) or actor
    fresh = checked is not None and job.committed_batches == 0
    # a fresh job takes the preview's cleaned rows; a resumed one checks each batch's cells again
    rows = sheet.rows if fresh else rows_as_dicts(job.mapping, sheet.headers, sheet.rows)
    unmapped: dict[int, list[Problem]] = {}
    if not fresh:  # the words of the coded fields read as the job's check read them
        rows, word_problems, _ = values.translate(spec.coded, rows, columns=job.mapping, answers=job.values,
                                                  remembered=saved_values(organisation, job.kind))
        for p in word_problems:
            unmapped.setdefault(p.row, []).append(p)
    huge: dict[int, list[Problem]] = {}
    for p in sheet.problems:
        huge.setdefault(p.row, []).append(p)
    parts = batches(rows, job.batch_size)
    delay = float(os.environ.get(BATCH_DELAY_ENV) or 0)
    accepted_by_row = dict(checked.accepted) if fresh else {}
    rejected_by_row = checked.rejected if fresh else set()
    if job.status != ImportJob.Status.RUNNING:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
        job.status = ImportJob.Status.RUNNING
    try:
        for index in range(job.committed_batches, len(parts)):
            part = parts[index]
            with transaction.atomic():
                locked = ImportJob.objects.select_for_update().get(pk=job.pk)
                if locked.committed_batches != index:  # another runner took this batch
                    job = locked
                    break
                if fresh:
                    accepted = [(row, accepted_by_row[row]) for row, _ in part if row in accepted_by_row]
                    rejected = sum(1 for row, _ in part if row in rejected_by_row)
                else:
                    accepted, problems, _ = spec.check(
                        organisation, [(r, d) for r, d in part if r not in huge and r not in unmapped])
                    problems += [p for r, _ in part for p in unmapped.get(r, ())]
                    bad = {p.row for p in problems} | set(huge)
                    rejected = sum(1 for row, _ in part if row in bad)
                    if problems and not locked.skip_rejected:
                        raise RuleViolation(problems)
                    accepted = [(r, d) for r, d in accepted if r not in bad]
                created = spec.commit_batch(locked, organisation, actor, accepted) if accepted else 0
                locked.committed_batches = index + 1
                locked.committed_rows += created
                locked.rejected_rows += rejected
                if locked.committed_batches == len(parts):
                    locked.status = ImportJob.Status.DONE
                if delay:
                    time.sleep(delay)
                locked.save()
                audit.record(actor=actor, action="imports.import_job_run", organisation=organisation, obj=locked,
                             summary=f"{locked.kind} {privacy.mask_text(locked.file_name)}: "
                                     f"ชุด/batch {index + 1}/{len(parts)}, "
                                     f"{created:,} แถว/rows"[:255],
                             after={"batch": index + 1, "of": len(parts), "rows": created, "rejected": rejected,
                                    "first_row": part[0][0] if part else None,
                                    "last_row": part[-1][0] if part else None})
            job = locked
            if progress:
                progress(job)
    except RuleViolation as exc:
        _fail(job, "; ".join(p.text() for p in exc.problems[:20]))
        raise
    except Exception as exc:
        _fail(job, f"{type(exc).__name__}: {exc}"[:2000])
        raise
    if job.committed_batches >= len(parts) and job.status != ImportJob.Status.DONE:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE)
        job.status = ImportJob.Status.DONE
    return job


def _fail(job: ImportJob, message: str) -> None:
    message = privacy.mask_text(message)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, message=message[:2000])
    job.status = ImportJob.Status.FAILED
    job.message = message


def with_columns(checked: Checked) -> list[Problem]:
    """The problems with their field named as the file's column."""
    return [replace(p, field=checked.column_of(p.field)) for p in checked.problems]


def members_export_ids(*, actor, organisation) -> bytes:
    """Every member of the group in the members template with their full national IDs — a
    round-trip backup for the group itself. The caller has checked that ``actor`` writes in this
    group (a role of the group, not one from a network above); every download is audited."""

    content = exports.export_members(organisation)
    audit.record(actor=actor, action="imports.members_export_ids", organisation=organisation,
                 summary="ส่งออกทะเบียนสมาชิกพร้อมเลขประจำตัวประชาชน / members exported with national IDs",
                 after={"bytes": len(content), "rows": max(0, content.count(b"\n") - 1)})
    return content
