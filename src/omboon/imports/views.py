"""Import pages under /o/<org>/imports/: upload, map the columns, preview every error, confirm,
watch the progress (htmx polls while a background thread imports); templates to download;
the rejected rows as xlsx; the data-quality page.

Texts are Thai first with English by the language switch (``T`` below, picked per request).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language

from omboon.core.errors import RuleViolation
from omboon.imports import exports, kinds, quality, services
from omboon.imports.models import ImportJob
from omboon.imports.readers import MAX_FILE_BYTES, ReadError
from omboon.imports.spec import Checked, mapping_to_json, missing_fields
from omboon.orgs import scoping
from omboon.web.decorators import org_view

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
    "no_kinds_loans": ("เงินกู้: ยังไม่มีระบบเงินกู้ จึงยังนำเข้าไม่ได้", "Loans: there is no loans module yet"),
}


def texts() -> dict[str, str]:
    en = (get_language() or "th").startswith("en")
    return {key: pair[1 if en else 0] for key, pair in T.items()}


def _lang() -> str:
    return "en" if (get_language() or "th").startswith("en") else "th"


def upload_dir(organisation) -> Path:
    base = Path(getattr(settings, "OMBOON_IMPORTS_DIR", None) or Path(settings.DATA_DIR) / "imports")
    path = base / organisation.code
    path.mkdir(parents=True, exist_ok=True)
    return path


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
        if upload.size > MAX_FILE_BYTES:
            messages.error(request, ReadError("ไฟล์ใหญ่เกินไป", "the file is too large").problem.text())
            return redirect("imports-home", org=org.code)
        data = upload.read()
        sha = services.file_sha256(data)
        done = services.job_for_file(org, kind, sha)
        if done is not None and done.status == ImportJob.Status.DONE:
            messages.info(request, t["already"])
            return redirect("imports-job", org=org.code, job_id=done.pk)
        suffix = ".xlsx" if data[:4] == b"PK\x03\x04" else ".csv"
        target = upload_dir(org) / f"{sha}{suffix}"
        target.write_bytes(data)
        job = services.import_job_create(actor=request.user, organisation=org, kind=kind,
                                         filename=Path(upload.name).name, sha=sha, file_path=str(target))
        return redirect("imports-job", org=org.code, job_id=job.pk)
    jobs = scoping.in_scope(ImportJob.objects.all(), org)[:20]
    return render(request, "imports/home.html", {
        "t": t, "jobs": jobs, "kinds": _kind_choices(_lang()), "can_write": request.access.can(scoping.WRITE),
    })


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


def _file(job: ImportJob) -> bytes:
    try:
        return Path(job.file_path).read_bytes()
    except OSError:
        raise Http404("ไม่พบไฟล์ที่อัปโหลด / the uploaded file is gone") from None


def _check(job: ImportJob) -> tuple[object, Checked]:
    data = _file(job)
    try:
        sheet = services.read(data, job.file_name)
    except ReadError as exc:
        return None, Checked(kind=job.kind, headers=[], mapping={}, problems=exc.problems)
    return sheet, services.import_check(organisation=job.organisation, kind=job.kind, sheet=sheet,
                                        mapping=job.mapping or None)


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def job_detail(request, job_id: int):
    org = request.access.organisation
    job = _job(request, job_id)
    t = texts()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "mapping" and job.status == ImportJob.Status.PREVIEW:
            spec = kinds.get(job.kind)
            columns = {}
            for key, value in request.POST.items():
                if key.startswith("col:") and (value in spec.keys or value == ""):
                    columns[key[4:]] = value
            ImportJob.objects.filter(pk=job.pk).update(mapping=columns)
            services.mapping_save(actor=request.user, organisation=org, kind=job.kind, columns=columns)
            return redirect("imports-job", org=org.code, job_id=job.pk)
        if action in ("confirm", "confirm_skip", "resume"):
            sheet, checked = _check(job) if action != "resume" else (None, None)
            try:
                if action != "resume":
                    job = services.import_job_start(
                        actor=request.user, organisation=org, kind=job.kind, filename=job.file_name,
                        sha=job.file_sha256, checked=checked, skip_rejected=(action == "confirm_skip"), job=job,
                        file_path=job.file_path)
                elif job.status not in (ImportJob.Status.FAILED, ImportJob.Status.QUEUED):
                    return redirect("imports-job", org=org.code, job_id=job.pk)
            except RuleViolation as exc:
                messages.error(request, "; ".join(p.text() for p in exc.problems[:5]))
                return redirect("imports-job", org=org.code, job_id=job.pk)
            if job.status != ImportJob.Status.DONE:
                start_background(job.pk, request.user.pk, checked if action != "resume" else None)
            return redirect("imports-job", org=org.code, job_id=job.pk)
        return redirect("imports-job", org=org.code, job_id=job.pk)

    context = {"t": t, "job": job, "can_write": request.access.can(scoping.WRITE)}
    if job.status == ImportJob.Status.PREVIEW:
        sheet, checked = _check(job)
        spec = kinds.get(job.kind)
        lang = _lang()
        context.update({
            "checked": checked,
            "problems": [{"row": p.row if p.row is not None else t["whole_file"], "column": checked.column_of(p.field),
                          "value": "" if p.value is None else str(p.value),
                          "message": p.message_en if lang == "en" else p.message_th}
                         for p in checked.problems[:PREVIEW_ROWS]],
            "more_problems": max(0, len(checked.problems) - PREVIEW_ROWS),
            "headers": checked.headers,
            "fields": [(f.key, f"{f.en if lang == 'en' else f.th}{' *' if f.required else ''}") for f in spec.fields],
            "missing": missing_fields(spec, checked.mapping) if checked.headers else [],
            "rejected_count": len(checked.rejected),
            "summary": checked.summary,
        })
    return render(request, "imports/job.html", context)


@org_view(scoping.RECORDS)
def job_progress(request, job_id: int):
    job = _job(request, job_id)
    return render(request, "imports/_progress.html", {"t": texts(), "job": job})


@org_view(scoping.RECORDS)
def job_errors(request, job_id: int):
    job = _job(request, job_id)
    _, checked = _check(job)
    response = HttpResponse(exports.errors_xlsx(checked),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="errors-{job.pk}.xlsx"'
    return response


@org_view(scoping.RECORDS)
def job_mapping(request, job_id: int):
    job = _job(request, job_id)
    _, checked = _check(job)
    response = HttpResponse(mapping_to_json(job.kind, checked.mapping), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="mapping-{job.kind}.json"'
    return response


@org_view(scoping.VIEW)
def quality_page(request):
    org = request.access.organisation
    context = {"t": texts(), "lang": _lang()}
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
    from django.contrib.auth import get_user_model

    try:
        job = ImportJob.objects.select_related("organisation").get(pk=job_id)
        actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
        sheet = services.read(Path(job.file_path).read_bytes(), job.file_name)
        services.import_job_run(actor=actor, job=job, sheet=sheet, checked=checked)
    except Exception:  # the job records its failure; the page shows it
        log.exception("import job %s failed", job_id)
    finally:
        if close:
            connection.close()
