"""omboon import-approve JOB --by USERNAME: a second person approves an import that pays money
out (past benefit claims), and it is posted.

The approver must hold ``approve`` in the group and be neither the job's uploader nor its
submitter. The file is checked again first: the count and total must still be what was
submitted (``--count`` / ``--total`` confirm what the approver was told, when given)."""

from __future__ import annotations

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from omboon.core.errors import RuleViolation
from omboon.core.money import format_baht, parse_baht
from omboon.imports import privacy, services
from omboon.imports.models import ImportJob
from omboon.imports.readers import ReadError


class Command(BaseCommand):
    help = ("อนุมัติงานนำเข้าที่จ่ายเงินออก (สวัสดิการย้อนหลัง) แล้วลงบัญชี ผู้อนุมัติต้องไม่ใช่ผู้นำเข้า\n"
            "approve an import that pays money out (past claims) and post it; the approver is not its maker")

    def add_arguments(self, parser):
        parser.add_argument("job", type=int, help="เลขที่งานนำเข้า / the import job's number")
        parser.add_argument("--by", required=True, help="ชื่อผู้ใช้ของผู้อนุมัติ / the approver's username")
        parser.add_argument("--count", type=int, help="จำนวนรายการที่อนุมัติ (ตรวจซ้ำ) / the number of payouts approved")
        parser.add_argument("--total", help="ยอดเงินที่อนุมัติ เป็นบาท (ตรวจซ้ำ) / the total approved, in baht")
        parser.add_argument("--quiet", action="store_true", help="ไม่แสดงความคืบหน้า / no progress")

    def handle(self, *args, **opts):
        job = ImportJob.objects.select_related("organisation").filter(pk=opts["job"]).first()
        if job is None:
            raise CommandError(f"ไม่พบงานนำเข้า #{opts['job']} / no import job #{opts['job']}")
        approver = get_user_model().objects.filter(username=opts["by"], is_active=True).first()
        if approver is None:
            raise CommandError(f"ไม่พบผู้ใช้ {opts['by']} / no user {opts['by']}")
        problems = services.approval_problems(actor=approver, job=job)
        if problems:
            raise CommandError("; ".join(f"{p.message_th} / {p.message_en}" for p in problems))
        count = opts["count"] if opts["count"] is not None else job.payout_count
        try:
            total = parse_baht(opts["total"]) if opts["total"] else job.payout_total
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        try:
            sheet = services.job_sheet(job)
        except (OSError, ReadError):
            raise CommandError(f"อ่านไฟล์ของงาน #{job.pk} ไม่ได้ ให้นำเข้าใหม่ / the file of job #{job.pk} cannot be "
                               "read; import it again") from None
        checked = services.job_checked(job)
        self.stdout.write(f"งาน #{job.pk} {privacy.mask_text(job.file_name)}: จ่าย {job.payout_count:,} รายการ รวม "
                          f"{format_baht(job.payout_total)} บาท / {job.payout_count:,} payouts, "
                          f"{format_baht(job.payout_total)} baht")
        try:
            job = services.import_job_approve(actor=approver, job=job, checked=checked, count=count, total=total)
            job = services.import_job_run(actor=services.maker_of(job), job=job, sheet=sheet, checked=checked,
                                          progress=None if opts["quiet"] else self._progress)
        except RuleViolation as exc:
            raise CommandError(privacy.mask_text("; ".join(f"{p.message_th} / {p.message_en}"
                                                           for p in exc.problems[:10]))) from None
        if not opts["quiet"]:
            sys.stderr.write("\n")
        self.stdout.write(f"อนุมัติโดย {approver.get_username()} และลงบัญชีแล้ว {job.committed_rows:,} รายการ "
                          f"(งาน #{job.pk}) / approved by {approver.get_username()} and posted "
                          f"{job.committed_rows:,} payouts (job #{job.pk})")

    def _progress(self, job):
        sys.stderr.write(f"\r{job.percent:3d}% ชุด/batch {job.committed_batches}/{job.total_batches}")
        sys.stderr.flush()
