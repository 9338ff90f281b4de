"""Import pages under /o/<org>/imports/: upload, map the columns, preview every error, confirm,
watch the progress (htmx polls while a background thread imports); templates to download;
the rejected rows as xlsx; the data-quality page; the members file with full IDs.

A file is parsed once, at upload (a file over the limits is refused there, and nothing is
stored); the job page, its errors file and its mapping read the parse and the check kept
beside the upload (``services.job_sheet`` / ``job_checked``). National IDs are masked in
everything shown. A claims import pays money out: once confirmed it waits for a second person
with ``approve`` (not the uploader) who approves the count and the total (``job_approve``).

Texts are Thai first with English by the language switch (``T`` below, picked per request).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from omboon.core import language
from omboon.core.errors import RuleViolation
from omboon.core.money import format_baht
from omboon.imports import exports, kinds, privacy, quality, rules, services, storage, values
from omboon.imports.models import ImportJob
from omboon.imports.readers import MAX_FILE_BYTES, ReadError, too_large
from omboon.imports.spec import Checked, mapping_to_json, missing_fields, summary_lines
from omboon.orgs import scoping
from omboon.orgs.decorators import org_view
from omboon.orgs.models import RoleAssignment

log = logging.getLogger(__name__)
PREVIEW_ROWS = 2000  # problems listed on the page; the xlsx holds them all

T = {
    "title": ("นำเข้าข้อมูล", "Import data"),
    "upload": ("อัปโหลดไฟล์", "Upload a file"),
    "kind": ("ชนิดข้อมูล", "What the file holds"),
    "file": ("ไฟล์ .xlsx หรือ .csv", "An .xlsx or .csv file"),
    "check": ("ตรวจไฟล์", "Check the file"),
    "templates": ("แบบฟอร์มสำหรับกรอก", "Templates to fill in"),
    "jobs": ("การนำเข้าล่าสุด", "Recent imports"),
    "status": ("สถานะ", "Status"),
    "rows": ("แถว", "Rows"),
    "imported": ("นำเข้าแล้ว", "Imported"),
    "rejected": ("ไม่ผ่าน", "Rejected"),
    "mapping": ("จับคู่หัวคอลัมน์", "Match the columns"),
    "mapping_help": ("เลือกว่าแต่ละคอลัมน์ของไฟล์คือข้อมูลอะไร ระบบจะจำไว้สำหรับไฟล์ครั้งต่อไปของกลุ่มนี้",
                     "Say what each column of the file holds; the group's next files will be read the same way"),
    "ignore": ("— ไม่ใช้ —", "— ignore —"),
    "save_mapping": ("บันทึกการจับคู่และตรวจอีกครั้ง", "Save the mapping and check again"),
    "mapping_json": ("ดาวน์โหลดการจับคู่ (JSON)", "Download the mapping (JSON)"),
    "values": ("จับคู่คำในไฟล์กับรหัสของระบบ", "Match the file's words to the app's codes"),
    "values_help": (("แต่ละค่าที่ต่างกันในไฟล์ จำนวนแถว และรหัสที่ระบบจับคู่ให้ ค่าที่ไม่แน่ใจหรือไม่รู้จักต้องเลือกก่อน "
                     "คำตอบจะถูกจำไว้สำหรับไฟล์ครั้งต่อไปของกลุ่มนี้"),
                    ("Each distinct value of the file, how many rows hold it and the code it was matched to; "
                     "uncertain or unknown ones must be answered. The answers are remembered for the group's "
                     "next files")),
    "word": ("คำในไฟล์", "The file's word"),
    "count": ("จำนวนแถว", "Rows"),
    "how": ("จับคู่โดย", "Matched by"),
    "code": ("รหัสของระบบ", "The app's code"),
    "choose": ("— เลือก —", "— choose —"),
    "save_values": ("บันทึกการจับคู่ค่าและตรวจอีกครั้ง", "Save the answers and check again"),
    "open_questions": ("ค่าที่ยังต้องตอบ", "Values still to answer"),
    "values_json": ("ดาวน์โหลดการจับคู่ค่า (JSON)", "Download the value mapping (JSON)"),
    "preview": ("ผลการตรวจ", "Preview"),
    "will_create": ("จะนำเข้า", "Will be imported"),
    "problems": ("ปัญหาที่พบ", "Problems found"),
    "none": ("ไม่พบปัญหา", "No problems"),
    "row": ("แถว", "Row"),
    "column": ("คอลัมน์", "Column"),
    "value": ("ค่า", "Value"),
    "message": ("ปัญหา", "Problem"),
    "errors_xlsx": ("ดาวน์โหลดแถวที่ไม่ผ่าน (xlsx) แก้แล้วนำเข้าใหม่", "Download the rejected rows (xlsx), fix, import again"),
    "confirm": ("ยืนยันนำเข้า", "Confirm the import"),
    "confirm_skip": ("ยืนยันนำเข้าเฉพาะแถวที่ผ่าน", "Import the good rows only"),
    "nothing_yet": ("ยังไม่ได้บันทึกอะไรจนกว่าจะกดยืนยัน", "Nothing is written until you confirm"),
    "progress": ("ความคืบหน้า", "Progress"),
    "batches": ("ชุด", "Batches"),
    "done": ("นำเข้าเสร็จแล้ว", "The import is finished"),
    "failed": ("นำเข้าไม่สำเร็จ", "The import failed"),
    "resume": ("นำเข้าต่อจากชุดที่ค้าง", "Resume from the unfinished batch"),
    "already": ("ไฟล์นี้นำเข้าแล้ว ไม่มีอะไรเพิ่ม", "This file was already imported; nothing to add"),
    "quality": ("คุณภาพข้อมูล", "Data quality"),
    "score": ("คะแนนคุณภาพข้อมูล", "Data-quality score"),
    "group": ("กลุ่ม", "Group"),
    "members": ("สมาชิก", "Members"),
    "completeness": ("ความครบถ้วน", "Completeness"),
    "broken": ("ข้อมูลที่ผิดกติกา", "Values that break rules"),
    "suspicious": ("ค่าที่น่าสงสัย", "Suspicious values"),
    "field": ("ข้อมูล", "Field"),
    "percent": ("ร้อยละ", "Percent"),
    "subject": ("สมาชิก/วันที่", "Member/day"),
    "back": ("กลับไปหน้านำเข้าข้อมูล", "Back to imports"),
    "whole_file": ("ทั้งไฟล์", "whole file"),
    "approval": ("รออนุมัติ", "Waiting for approval"),
    "approval_help": (("การนำเข้านี้เป็นการจ่ายเงินออกจากกองทุน จะลงบัญชีเมื่อกรรมการที่มีสิทธิ์อนุมัติอีกคนหนึ่ง "
                      "(ไม่ใช่ผู้นำเข้า) อนุมัติแล้ว"),
                      ("This import pays money out of the fund: it is posted once a second person who may "
                      "approve (not the uploader) approves it")),
    "payouts": ("รายการจ่าย", "Payouts"),
    "total": ("รวมเงิน", "Total"),
    "baht": ("บาท", "baht"),
    "submitted_by": ("ผู้ส่งอนุมัติ", "Submitted by"),
    "approve": ("อนุมัติและลงบัญชี", "Approve and post"),
    "approve_confirm": ("ข้าพเจ้าตรวจแล้ว อนุมัติการจ่าย", "I have checked it and approve paying"),
    "own_job": ("ท่านเป็นผู้นำเข้าไฟล์นี้ จึงอนุมัติเองไม่ได้ ต้องให้กรรมการอีกคนหนึ่งอนุมัติ",
                "You imported this file, so you cannot approve it; another committee member must"),
    "sent_for_approval": ("ส่งให้อนุมัติแล้ว ยังไม่ได้ลงบัญชีจนกว่าจะได้รับอนุมัติ",
                          "Sent for approval; nothing is posted until it is approved"),
    "approved_by": ("อนุมัติโดย", "Approved by"),
    "export_members": ("ดาวน์โหลดทะเบียนสมาชิก (csv พร้อมเลขประจำตัวประชาชนเต็ม บันทึกการดาวน์โหลดทุกครั้ง)",
                       "Download the members (csv with full national IDs; every download is recorded)"),
}


def texts() -> dict[str, str]:
    en = language.current() == "en"
    return {key: pair[1 if en else 0] for key, pair in T.items()}


upload_dir = storage.upload_dir


def _own_writer(user, organisation) -> bool:
    """A role of the group itself that writes (treasurer, secretary, chair, admin of the group):
    not a coordinator or admin of a network above, not the auditor or the committee."""
    if not organisation.is_group or not scoping.resolve(user, organisation).can(scoping.WRITE):
        return False
    roles = [r for r, caps in scoping.ROLE_CAPABILITIES.items() if scoping.WRITE in caps]
    return RoleAssignment.objects.filter(user=user, organisation=organisation, role__in=roles).exists()


def _kind_choices(lang: str):
    return [(k, spec.title_en if lang == "en" else spec.title_th) for k, spec in kinds.KINDS.items()]


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def import_home(request):
    org = request.access.organisation
    t = texts()
    if request.method == "POST":
        upload = request.FILES.get("file")
        kind = request.POST.get("kind", "")
        if kind not in kinds.KINDS or upload is None:
            messages.error(request, f"{t['kind']} / {t['file']}?")
            return redirect("imports-home", org=org.code)
        if upload.size > MAX_FILE_BYTES:  # refused unread: nothing is stored
            messages.error(request, _problem_text(too_large(upload.size).problem))
            return redirect("imports-home", org=org.code)
        data = upload.read()
        sha = services.file_sha256(data)
        done = services.job_for_file(org, kind, sha)
        if done is not None and done.status == ImportJob.Status.DONE:
            messages.info(request, t["already"])
            return redirect("imports-job", org=org.code, job_id=done.pk)
        try:  # parsed once, here; a file over the limits is refused and nothing is stored
            sheet = services.read(data, upload.name)
        except ReadError as exc:
            messages.error(request, _problem_text(privacy.mask_problem(exc.problem)))
            return redirect("imports-home", org=org.code)
        target = storage.store_upload(org, data, sha)
        storage.save_sheet(target, sha, sheet)
        del sheet, data
        job = services.import_job_create(actor=request.user, organisation=org, kind=kind,
                                         filename=Path(upload.name).name, sha=sha, file_path=str(target))
        return redirect("imports-job", org=org.code, job_id=job.pk)
    jobs = list(scoping.in_scope(ImportJob.objects.all(), org)[:20])
    for job in jobs:
        job.shown_name = privacy.mask_text(job.file_name)
    return render(request, "imports/home.html", {
        "t": t, "jobs": jobs, "kinds": _kind_choices(language.current()),
        "can_write": request.access.can(scoping.WRITE),
        "can_export_ids": _own_writer(request.user, org),
    })


def _problem_text(problem) -> str:
    return f"{problem.message_en}" if language.current() == "en" else f"{problem.message_th} / {problem.message_en}"


@org_view(scoping.VIEW)
def template_download(request, kind: str, fmt: str):
    if kind not in kinds.KINDS or fmt not in ("xlsx", "csv"):
        raise Http404("ไม่พบแบบฟอร์ม / no such template")
    content, name, content_type = exports.template(kind, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _job(request, job_id: int) -> ImportJob:
    return scoping.get_in_scope(ImportJob.objects.all(), request.access.organisation, job_id)


def _check(job: ImportJob) -> Checked:
    """The job's check, from what is kept beside the upload (parsed once, checked again only
    when the mapping or the group's data changed)."""
    try:
        return services.job_checked(job)
    except OSError:
        raise Http404("ไม่พบไฟล์ที่อัปโหลด / the uploaded file is gone") from None


def _mapping_from_post(post, headers: list[str], spec) -> dict[str, str]:
    """The mapping form: ``colidx:<n>`` names the file's n-th header (so no header — which may
    read as an ID — is written into the page); ``col:<header>`` is read too."""
    columns = {}
    for key, value in post.items():
        if not (value in spec.keys or value == ""):
            continue
        if key.startswith("colidx:"):
            index = key[7:]
            if index.isdigit() and int(index) < len(headers) and headers[int(index)]:
                columns[headers[int(index)]] = value
        elif key.startswith("col:"):
            columns[key[4:]] = value
    return columns


def _values_from_post(post, checked: Checked) -> dict[str, dict[str, str]]:
    """The value step: ``val:<field>:<n>`` answers the field's n-th distinct word (so no word —
    which may read as an ID — is written into the page). Only the answers that say something new
    are kept: a word still uncertain or unknown, or one given another code than it matched."""
    answers: dict[str, dict[str, str]] = {}
    for fv in checked.values:
        for index, value in enumerate(fv.values):
            code = " ".join(post.get(f"val:{fv.field}:{index}", "").split())
            if code and (not value.match.certain or code != value.match.code):
                answers.setdefault(fv.field, {})[value.word] = code
    return answers


def _values_shown(checked: Checked, lang: str) -> list[dict]:
    """The value step as the page shows it: each coded field, its distinct words (masked), the
    count, how each matched (with the score of a close spelling) and the codes to choose from."""
    shown = []
    for fv in checked.values:
        choices = [(c.code, c.label(lang)) for c in fv.coded.choices]
        rows = []
        for index, v in enumerate(fv.values):
            how = values.HOW_TEXT[v.match.how][1 if lang == "en" else 0]
            if v.match.how == values.CLOSE:
                how = f"{how} {v.match.score:.0%}"
            rows.append({"name": f"val:{fv.field}:{index}", "word": privacy.mask_text(v.word), "count": v.count,
                         "how": how, "certain": v.match.certain, "code": v.match.code or ""})
        spec_field = next((f for f in kinds.get(checked.kind).fields if f.key == fv.field), None)
        label = (spec_field.en if lang == "en" else spec_field.th) if spec_field else fv.field
        shown.append({"field": fv.field, "label": label, "column": privacy.mask_text(fv.column),
                      "open": fv.coded.open, "choices": choices, "rows": rows, "questions": fv.open_questions})
    return shown


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def job_detail(request, job_id: int):
    org = request.access.organisation
    job = _job(request, job_id)
    t = texts()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "mapping" and job.status == ImportJob.Status.PREVIEW:
            spec = kinds.get(job.kind)
            columns = _mapping_from_post(request.POST, _check(job).headers, spec)
            ImportJob.objects.filter(pk=job.pk).update(mapping=columns)
            services.mapping_save(actor=request.user, organisation=org, kind=job.kind, columns=columns)
            return redirect("imports-job", org=org.code, job_id=job.pk)
        if action == "values" and job.status == ImportJob.Status.PREVIEW:
            answers = _values_from_post(request.POST, _check(job))
            problems = rules.check_values(kinds.get(job.kind), answers)
            if problems:
                messages.error(request, privacy.mask_text("; ".join(_problem_text(p) for p in problems[:5])))
                return redirect("imports-job", org=org.code, job_id=job.pk)
            merged = {f: dict(w) for f, w in (job.values or {}).items()}
            for name, words in answers.items():
                merged.setdefault(name, {}).update(words)
            ImportJob.objects.filter(pk=job.pk).update(values=merged)
            if answers:
                services.values_save(actor=request.user, organisation=org, kind=job.kind, answers=answers)
            return redirect("imports-job", org=org.code, job_id=job.pk)
        if action in ("confirm", "confirm_skip") and job.status not in (ImportJob.Status.PREVIEW,
                                                                         ImportJob.Status.APPROVAL):
            return redirect("imports-job", org=org.code, job_id=job.pk)
        if action in ("confirm", "confirm_skip", "resume"):
            checked = _check(job) if action != "resume" else None
            try:
                if action != "resume":
                    job = services.import_job_start(
                        actor=request.user, organisation=org, kind=job.kind, filename=job.file_name,
                        sha=job.file_sha256, checked=checked, skip_rejected=(action == "confirm_skip"), job=job,
                        file_path=job.file_path)
                elif job.status not in (ImportJob.Status.FAILED, ImportJob.Status.QUEUED):
                    return redirect("imports-job", org=org.code, job_id=job.pk)
            except RuleViolation as exc:
                messages.error(request, privacy.mask_text("; ".join(p.text() for p in exc.problems[:5])))
                return redirect("imports-job", org=org.code, job_id=job.pk)
            if job.status == ImportJob.Status.APPROVAL:
                messages.info(request, t["sent_for_approval"])
            elif job.status != ImportJob.Status.DONE:
                start_background(job.pk, request.user.pk, checked if action != "resume" else None)
            return redirect("imports-job", org=org.code, job_id=job.pk)
        return redirect("imports-job", org=org.code, job_id=job.pk)
    return _job_page(request, job)


def _job_page(request, job: ImportJob, *, status: int = 200):
    t = texts()
    context = {"t": t, "job": job, "can_write": request.access.can(scoping.WRITE),
               "shown_name": privacy.mask_text(job.file_name)}
    if job.status in (ImportJob.Status.PREVIEW, ImportJob.Status.APPROVAL):
        checked = _check(job)
        spec = kinds.get(job.kind)
        lang = language.current()
        context.update({
            "checked": checked,
            "problems": [{"row": p.row if p.row is not None else t["whole_file"], "column": checked.column_of(p.field),
                          "value": "" if p.value is None else str(p.value),
                          "message": p.message_en if lang == "en" else p.message_th}
                         for p in checked.problems[:PREVIEW_ROWS]],
            "more_problems": max(0, len(checked.problems) - PREVIEW_ROWS),
            "headers": [(i, shown, checked.mapping.get(header, "")) for i, (header, shown) in
                        enumerate(zip(checked.headers, checked.shown_headers)) if header],
            "fields": [(f.key, f"{f.en if lang == 'en' else f.th}{' *' if f.required else ''}") for f in spec.fields],
            "missing": missing_fields(spec, checked.mapping) if checked.headers else [],
            "rejected_count": len(checked.rejected),
            "summary": summary_lines(checked.summary, language.current()),
            "pays_out": spec.pays_out,
            "values": _values_shown(checked, lang),
            "open_questions": sum(fv.open_questions for fv in checked.values),
        })
    if job.status == ImportJob.Status.APPROVAL:
        maker = services.maker_of(job)
        context.update({
            "payout_total": format_baht(job.payout_total),
            "maker": maker.get_username() if maker else "-",
            "can_approve": request.access.can(scoping.APPROVE),
            "own_job": request.user.pk in (job.created_by_id, job.submitted_by_id),
        })
    if job.approved_by_id:
        context["approver"] = job.approved_by.get_username()
    return render(request, "imports/job.html", context, status=status)


@org_view(scoping.RECORDS, write_need=scoping.APPROVE)
def job_approve(request, job_id: int):
    """A second person approves a job that pays money out (POST: the count and total shown)."""
    org = request.access.organisation
    job = _job(request, job_id)
    if request.method != "POST":
        return redirect("imports-job", org=org.code, job_id=job.pk)
    t = texts()
    if request.user.pk in (job.created_by_id, job.submitted_by_id):
        messages.error(request, t["own_job"])
        return _job_page(request, job, status=403)
    try:
        count, total = int(request.POST.get("count", "-1")), int(request.POST.get("total", "-1"))
    except ValueError:
        count = total = -1
    checked = _check(job)
    try:
        job = services.import_job_approve(actor=request.user, job=job, checked=checked, count=count, total=total)
    except RuleViolation as exc:
        messages.error(request, privacy.mask_text("; ".join(_problem_text(p) for p in exc.problems[:5])))
        return redirect("imports-job", org=org.code, job_id=job.pk)
    maker = services.maker_of(job)
    start_background(job.pk, maker.pk if maker else None, checked)
    return redirect("imports-job", org=org.code, job_id=job.pk)


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def members_export(request):
    """The members file with full national IDs: only for a role of the group itself that writes
    (403 for everyone else — the auditor, the committee, a coordinator or admin of a network
    above); asked for with a POST (an audited act, never a link a crawler or a prefetch follows),
    and every download is audited."""
    org = request.access.organisation
    if request.method != "POST":
        return redirect("imports-home", org=org.code)
    if not _own_writer(request.user, org):
        raise PermissionDenied("ดาวน์โหลดทะเบียนพร้อมเลขประจำตัวประชาชนได้เฉพาะผู้บันทึกข้อมูลของกลุ่มนี้ / "
                               "only a member of this group who records its data may download the national IDs")
    content = services.members_export_ids(actor=request.user, organisation=org)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="members-{org.code}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@org_view(scoping.RECORDS)
def job_progress(request, job_id: int):
    job = _job(request, job_id)
    return render(request, "imports/_progress.html", {"t": texts(), "job": job})


@org_view(scoping.RECORDS)
def job_errors(request, job_id: int):
    job = _job(request, job_id)
    checked = _check(job)
    response = HttpResponse(exports.errors_xlsx(checked),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="errors-{job.pk}.xlsx"'
    return response


@org_view(scoping.RECORDS)
def job_mapping(request, job_id: int):
    job = _job(request, job_id)
    checked = _check(job)
    shown = {privacy.mask_text(header): key for header, key in checked.mapping.items()}
    response = HttpResponse(mapping_to_json(job.kind, shown), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="mapping-{job.kind}.json"'
    return response


@org_view(scoping.RECORDS)
def job_values(request, job_id: int):
    """The value mapping the job's check used ({field: {word: code}}), for ``--values FILE``."""
    job = _job(request, job_id)
    checked = _check(job)
    used = {name: {privacy.mask_text(w): c for w, c in words.items()}
            for name, words in values.answers_used(checked.values).items()}
    response = HttpResponse(values.values_to_json(job.kind, used), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="values-{job.kind}.json"'
    return response


@org_view(scoping.VIEW)
def quality_page(request):
    org = request.access.organisation
    context = {"t": texts(), "lang": language.current()}
    if org.is_network:
        scores = quality.group_scores(org)
        context.update({"network": True, "scores": scores, "score": quality.score(org)})
    else:
        q = quality.assess(org)
        context.update({"q": q, "score": q.score, "records": request.access.can(scoping.RECORDS),
                        "broken": q.broken[:quality.MAX_LISTED], "suspicious": q.suspicious[:quality.MAX_LISTED]})
    return render(request, "imports/quality.html", context)


# --- background runs ------------------------------------------------------------------------------

def start_background(job_id: int, actor_id: int | None, checked: Checked | None) -> None:
    """Import in a thread so the browser stays free; the page polls the job's progress.
    ``OMBOON_IMPORTS_INLINE`` (tests) runs it in the request instead."""
    if getattr(settings, "OMBOON_IMPORTS_INLINE", False):
        _run(job_id, actor_id, checked, close=False)
        return
    threading.Thread(target=_run, args=(job_id, actor_id, checked), daemon=True,
                     name=f"omboon-import-{job_id}").start()


def _run(job_id: int, actor_id: int | None, checked: Checked | None, close: bool = True) -> None:
    try:
        job = ImportJob.objects.select_related("organisation").get(pk=job_id)
        actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
        sheet = services.job_sheet(job)
        services.import_job_run(actor=actor, job=job, sheet=sheet, checked=checked)
    except Exception:  # the job records its failure; the page shows it
        log.exception("import job %s failed", job_id)
    finally:
        if close:
            connection.close()
