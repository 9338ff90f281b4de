"""omboon import KIND FILE --org CODE: bring a hand-kept spreadsheet into a group.

Past benefit claims pay money out: ``omboon import claims FILE --org CODE --as MAKER`` checks
the file and leaves a job waiting for approval (it prints the job's number, the count and the
total); a second person who may approve runs ``omboon import-approve JOB --by USERNAME`` and
only then is anything posted. The words of the coded fields (sex, status, type, category,
title) are mapped to the app's codes: ``--show-values`` lists them, ``--values FILE`` answers
them, ``--save-values FILE`` writes the mapping used, ``--remember-mapping`` keeps the answers
for the group's next files. National IDs are masked in everything printed and in the errors
file."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from omboon.core import progress as stopping
from omboon.core.errors import RuleViolation
from omboon.core.money import format_baht
from omboon.imports import exports, kinds, privacy, rules, services, storage, values
from omboon.imports.models import ImportJob
from omboon.imports.readers import ReadError
from omboon.imports.spec import mapping_from_json, mapping_to_json, summary_lines
from omboon.orgs.models import Organisation


class Command(BaseCommand):
    help = ("นำเข้าข้อมูลจากไฟล์ xlsx/csv: สมาชิก ผู้รับผลประโยชน์ การชำระเงินย้อนหลัง ยอดยกมา สวัสดิการย้อนหลัง "
            "บัญชีเงินฝากและยอดยกมา รายการเงินฝากย้อนหลัง เงินกู้คงค้างยกมา รับชำระเงินกู้ย้อนหลัง\n"
            "import members, beneficiaries, payments, opening-balances, claims, savings-accounts, "
            "savings-transactions, loans or loan-repayments from an xlsx/csv file")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(kinds.KINDS),
                            help="ชนิดข้อมูล / what the file holds")
        parser.add_argument("file", help="ไฟล์ .xlsx หรือ .csv / the .xlsx or .csv file")
        parser.add_argument("--org", required=True, help="รหัสกลุ่ม / the group's code")
        parser.add_argument("--dry-run", action="store_true",
                            help="ตรวจอย่างเดียว ไม่บันทึก / check only, write nothing")
        parser.add_argument("--mapping", metavar="FILE",
                            help="ไฟล์ JSON จับคู่หัวคอลัมน์ / JSON mapping of the file's headers to fields")
        parser.add_argument("--save-mapping", metavar="FILE",
                            help="บันทึกการจับคู่คอลัมน์ที่ใช้เป็น JSON / write the mapping used to a JSON file")
        parser.add_argument("--remember-mapping", action="store_true",
                            help="จำการจับคู่คอลัมน์ไว้ให้กลุ่มนี้ / remember the mapping for this group")
        parser.add_argument("--values", metavar="FILE",
                            help='ไฟล์ JSON จับคู่ค่าของกลุ่มกับรหัส {"ช่อง": {"คำของกลุ่ม": "รหัส"}} / '
                                 'JSON mapping of the file\'s words to codes {"field": {"their word": "code"}}')
        parser.add_argument("--save-values", metavar="FILE",
                            help="บันทึกการจับคู่ค่าที่ใช้เป็น JSON / write the value mapping used to a JSON file")
        parser.add_argument("--show-values", action="store_true",
                            help="แสดงค่าที่ไม่ซ้ำของช่องรหัสแต่ละช่อง จำนวน และรหัสที่จับคู่ / print the distinct "
                                 "values of each coded field, their counts and the codes they matched")
        parser.add_argument("--errors", metavar="FILE",
                            help="ไฟล์แถวที่ไม่ผ่าน (.xlsx หรือ .csv) ค่าเริ่มต้น FILE.errors.xlsx / "
                                 "where to write rejected rows (default FILE.errors.xlsx)")
        parser.add_argument("--skip-rejected", action="store_true",
                            help="นำเข้าแถวที่ผ่าน ข้ามแถวที่ไม่ผ่าน / import the good rows, leave the rejected out")
        parser.add_argument("--batch-size", type=int, default=services.DEFAULT_BATCH_SIZE,
                            help="แถวต่อชุด / rows per committed batch")
        parser.add_argument("--user", "--as", dest="user",
                            help="ชื่อผู้ใช้ที่บันทึก (สำหรับประวัติ; ต้องระบุสำหรับ claims) / username recorded as the "
                                 "actor (required for claims: the maker, whom the approver must differ from)")
        parser.add_argument("--quiet", action="store_true", help="ไม่แสดงแถบความคืบหน้า / no progress bar")

    def handle(self, *args, **opts):
        kind = opts["kind"]
        spec = kinds.get(kind)
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {path} / no such file: {path}")
        org = Organisation.objects.filter(code=opts["org"], is_active=True).first()
        if org is None:
            raise CommandError(f"ไม่พบกลุ่ม {opts['org']} (ดู omboon orgs) / no organisation {opts['org']} "
                               "(see omboon orgs)")
        actor = None
        if opts["user"]:
            actor = get_user_model().objects.filter(username=opts["user"]).first()
            if actor is None:
                raise CommandError(f"ไม่พบผู้ใช้ {opts['user']} / no user {opts['user']}")
        if spec.pays_out and actor is None and not opts["dry_run"]:
            raise CommandError("การนำเข้านี้จ่ายเงินออก ต้องระบุผู้นำเข้า --as USERNAME (ผู้อนุมัติต้องเป็นคนอื่น) / "
                               "this import pays money out: name its maker with --as USERNAME (a second person "
                               "approves it)")
        mapping = {}
        if opts["mapping"]:
            try:
                mapping = mapping_from_json(Path(opts["mapping"]).read_text(encoding="utf-8-sig"), spec)
            except (OSError, ValueError) as exc:
                raise CommandError(str(exc)) from None
        answers = {}
        if opts["values"]:
            try:
                answers = values.values_from_json(Path(opts["values"]).read_text(encoding="utf-8-sig"), kind)
            except (OSError, ValueError) as exc:
                raise CommandError(str(exc)) from None
            bad = rules.check_values(spec, answers)
            if bad:
                raise CommandError("\n".join(p.text() for p in bad))
        data = path.read_bytes()
        sha = services.file_sha256(data)
        self.quiet = opts["quiet"]

        existing = services.job_for_file(org, kind, sha)
        if existing is not None and existing.status == ImportJob.Status.DONE:
            self.stdout.write(f"ไฟล์นี้นำเข้าแล้ว (งาน #{existing.pk}, {existing.committed_rows:,} แถว) ไม่มีอะไรเพิ่ม / "
                              f"this file was already imported (job #{existing.pk}); nothing to do")
            return
        try:
            sheet = services.read(data, path.name)
        except ReadError as exc:
            failed = services.read_failed(kind, exc)
            self._errors(opts, path, failed)
            self.stderr.write(failed.problems[0].text())
            sys.exit(1)

        if existing is not None and existing.committed_batches and not opts["dry_run"]:
            self.stderr.write(f"ทำต่อจากชุดที่ {existing.committed_batches + 1}/{existing.total_batches} / "
                              f"resuming at batch {existing.committed_batches + 1} of {existing.total_batches}")
            job = self._run(actor, existing, sheet, None)
            self._done(job)
            sys.exit(1 if job.rejected_rows else 0)

        started = time.monotonic()
        checked = services.import_check(organisation=org, kind=kind, sheet=sheet, mapping=mapping,
                                        answers=answers or None)
        if opts["save_mapping"]:
            Path(opts["save_mapping"]).write_text(mapping_to_json(kind, checked.mapping), encoding="utf-8")
        if opts["save_values"]:
            Path(opts["save_values"]).write_text(values.values_to_json(kind, values.answers_used(checked.values)),
                                                 encoding="utf-8")
        if opts["show_values"]:
            self._show_values(checked)
        if opts["remember_mapping"] and not opts["dry_run"]:
            services.mapping_save(actor=actor, organisation=org, kind=kind, columns=checked.mapping)
            if answers:
                services.values_save(actor=actor, organisation=org, kind=kind, answers=answers)
        self.stdout.write(self._summary(checked, time.monotonic() - started))
        if checked.problems:
            for p in checked.problems[:30]:
                self.stderr.write("  " + services.with_columns(checked)[checked.problems.index(p)].text())
            if len(checked.problems) > 30:
                self.stderr.write(f"  … อีก {len(checked.problems) - 30:,} รายการ / {len(checked.problems) - 30:,} more")
            where = self._errors(opts, path, checked)
            self.stderr.write(f"แถวที่ไม่ผ่านอยู่ในไฟล์ {where} / rejected rows are in {where}")
        if opts["dry_run"]:
            self.stdout.write("ตรวจอย่างเดียว ไม่ได้บันทึก / dry run: nothing was written")
            sys.exit(1 if checked.problems else 0)
        if checked.file_problems or (checked.problems and not opts["skip_rejected"]):
            self.stderr.write("ไม่ได้บันทึกอะไร: แก้ไฟล์แล้วนำเข้าใหม่ หรือใช้ --skip-rejected เพื่อนำเข้าเฉพาะแถวที่ผ่าน / "
                              "nothing was written: fix the file and run again, or use --skip-rejected "
                              "to import the good rows only")
            sys.exit(1)
        file_path = ""
        if spec.pays_out:  # kept for the approver, who checks the file again before it posts
            file_path = str(storage.store_upload(org, data, sha))
            storage.save_sheet(file_path, sha, sheet)
        try:
            job = services.import_job_start(actor=actor, organisation=org, kind=kind, filename=path.name, sha=sha,
                                            checked=checked, batch_size=opts["batch_size"],
                                            skip_rejected=opts["skip_rejected"], file_path=file_path)
            if job.status == ImportJob.Status.APPROVAL:
                if job.file_path != file_path:
                    ImportJob.objects.filter(pk=job.pk).update(file_path=file_path)
                self.stdout.write(
                    f"งาน #{job.pk} รออนุมัติ: จ่าย {job.payout_count:,} รายการ รวม {format_baht(job.payout_total)} บาท "
                    "ยังไม่ได้ลงบัญชี ผู้มีสิทธิ์อนุมัติอีกคนหนึ่ง (ไม่ใช่ผู้นำเข้า) สั่ง / "
                    f"job #{job.pk} is waiting for approval: {job.payout_count:,} payouts, "
                    f"{format_baht(job.payout_total)} baht; nothing is posted yet. A second person who may approve "
                    f"(not the maker) runs:\n  omboon import-approve {job.pk} --by USERNAME")
                sys.exit(0)
            job = self._run(actor, job, sheet, checked)
        except RuleViolation as exc:
            raise CommandError(privacy.mask_text(str(exc))) from None
        self._done(job)
        sys.exit(1 if checked.problems else 0)

    # ------------------------------------------------------------------------------------------
    def _run(self, actor, job, sheet, checked):
        def progress(j):
            if self.quiet:
                return
            width = 30
            filled = round(width * j.committed_batches / max(1, j.total_batches))
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {j.percent:3d}% "
                             f"ชุด/batch {j.committed_batches}/{j.total_batches} · {j.committed_rows:,} แถว/rows")
            sys.stderr.flush()

        try:
            with stopping.stoppable():
                job = services.import_job_run(actor=actor, job=job, sheet=sheet, checked=checked,
                                              progress=progress)
        except RuleViolation as exc:
            raise CommandError(f"หยุดที่ชุดที่ {job.committed_batches + 1} / stopped at batch "
                               f"{job.committed_batches + 1}: {privacy.mask_text(str(exc))}") from None
        except KeyboardInterrupt:  # Ctrl-C or a timeout: whole batches are in, the rest resumes
            job.refresh_from_db()
            n, of = job.committed_batches, job.total_batches
            raise stopping.interrupted(
                f"บันทึกแล้ว {n}/{of} ชุด ({job.committed_rows:,} แถว)", f"saved {n} of {of} batches "
                f"({job.committed_rows:,} rows)", f"รันคำสั่งเดิมอีกครั้ง: ทำต่อจากชุดที่ {n + 1}",
                f"run the same command again: it continues from batch {n + 1}") from None
        if not self.quiet:
            sys.stderr.write("\n")
        return job

    def _show_values(self, checked):
        """Each coded field: its distinct words, how many rows, the code and how it matched."""
        for fv in checked.values:
            self.stdout.write(f"{privacy.mask_text(fv.column)} → {fv.field}:")
            for v in fv.values:
                how_th, how_en = values.HOW_TEXT[v.match.how]
                score = f" {v.match.score:.0%}" if v.match.how in (values.CLOSE, values.UNKNOWN) else ""
                code = v.match.code if v.match.code is not None else "?"
                near = (" · ใกล้เคียง/closest: " + ", ".join(f"{c} {s:.0%}" for c, s in v.closest)) if v.closest else ""
                self.stdout.write(f"  {privacy.mask_text(v.word)!s:<24} {v.count:>8,}  → {code:<14} "
                                  f"{how_th}/{how_en}{score}{near}")

    def _done(self, job):
        self.stdout.write(f"นำเข้าแล้ว {job.committed_rows:,} แถว (งาน #{job.pk}) / imported {job.committed_rows:,} rows "
                          f"(job #{job.pk})" + (f"; ข้าม/skipped {job.rejected_rows:,}" if job.rejected_rows else ""))

    def _summary(self, checked, seconds: float) -> str:
        facts = ", ".join(f"{th}/{en} {figure}" for (th, figure), (en, _) in
                          zip(summary_lines(checked.summary, "th"), summary_lines(checked.summary, "en")))
        return (f"{checked.total_rows:,} แถว/rows: ผ่าน/accepted {len(checked.accepted):,}, "
                f"ไม่ผ่าน/rejected {len(checked.rejected):,}, ปัญหา/problems {len(checked.problems):,}"
                f"{' · ' + facts if facts else ''} ({seconds:.1f} s)")

    def _errors(self, opts, path: Path, checked) -> Path:
        target = Path(opts["errors"]) if opts["errors"] else path.with_name(path.name + ".errors.xlsx")
        content = exports.errors_csv(checked) if target.suffix.lower() == ".csv" else exports.errors_xlsx(checked)
        target.write_bytes(content)
        return target
