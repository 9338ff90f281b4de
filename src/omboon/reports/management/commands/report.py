from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from omboon.core import reporting
from omboon.core.period import read_period
from omboon.orgs.models import Organisation
from omboon.reports import render as renderers


class Command(BaseCommand):
    help = (
        "รายงานใดก็ได้ในทะเบียนรายงาน เป็น html/xlsx/pdf/csv/json / any report of the registry\n"
        "omboon report CODE --org CODE [--from D] [--to D] --format FMT [-o FILE]; "
        "omboon report --list (Thai / English)"
    )

    def add_arguments(self, parser):
        parser.add_argument("code", nargs="?", help="รหัสรายงาน / report code (omboon report --list)")
        parser.add_argument("--list", action="store_true", help="แสดงรายงานทั้งหมด / list report codes and titles")
        parser.add_argument("--org", help="รหัสองค์กร / organisation code")
        parser.add_argument("--from", dest="start", help="ตั้งแต่วันที่ (พ.ศ. วว/ดด/ปปปป หรือ ISO) / from date")
        parser.add_argument("--to", dest="end", help="ถึงวันที่ (พ.ศ. วว/ดด/ปปปป หรือ ISO) / to date")
        parser.add_argument("--format", dest="fmt", choices=renderers.FORMATS, default=None,
                            help="html | xlsx | pdf | csv | json")
        parser.add_argument("-o", "--output", help="ไฟล์ผลลัพธ์ (ไม่ระบุหรือ -: พิมพ์ออกหน้าจอ) / output file "
                                                   "(default or -: stdout)")
        parser.add_argument("--lang", choices=("th", "en"), default="th", help="ภาษา / language: th | en")
        parser.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                            help="ตัวเลือกของรายงาน เช่น account=1100 / a report parameter")

    def handle(self, *args, **opts):
        reporting.autodiscover()
        if opts["list"]:
            for code, report in sorted(reporting.REGISTRY.items()):
                title = report.title_en if opts["lang"] == "en" else report.title_th
                self.stdout.write(f"{code:<22} {title}")
            return
        code = opts["code"]
        if not code:
            raise CommandError("ต้องระบุรหัสรายงาน / a report code is needed (omboon report --list)")
        report = reporting.REGISTRY.get(code)
        if report is None:
            raise CommandError(
                f"ไม่รู้จักรายงาน {code!r} ดูรายการด้วย omboon report --list / "
                f"unknown report {code!r}; see omboon report --list"
            )
        if not opts["org"]:
            raise CommandError("ต้องระบุ --org รหัสองค์กร / --org CODE is needed")
        org = Organisation.objects.filter(code=opts["org"], is_active=True).first()
        if org is None:
            raise CommandError(
                f"ไม่พบองค์กร {opts['org']!r} ดูรายการด้วย omboon orgs / "
                f"organisation {opts['org']!r} not found; see omboon orgs"
            )
        if report.groups_only and org.is_network:
            raise CommandError(
                f"รายงาน {code} ใช้กับกลุ่มเท่านั้น ไม่ใช่เครือข่าย / report {code} is for a group, not a network"
            )
        fmt = opts["fmt"]
        if not fmt:
            raise CommandError("ต้องระบุ --format html|xlsx|pdf|csv|json / --format is needed")
        period = read_period(opts["start"], opts["end"])
        if not period.ok:
            raise CommandError("\n".join(period.errors.values()))
        params = {}
        for item in opts["param"]:
            key, sep, value = item.partition("=")
            if not sep or not key:
                raise CommandError(f"--param ต้องเป็น KEY=VALUE / --param must be KEY=VALUE: {item!r}")
            params[key] = value
        if opts["output"] == "-":
            opts["output"] = None  # "-" is the screen, as for loan-schedule, not a file named "-"
        if fmt not in renderers.TEXT_FORMATS and not opts["output"]:
            raise CommandError(f"{fmt} เป็นไฟล์ไบนารี ต้องระบุ -o FILE / {fmt} is binary: give -o FILE")

        try:
            result = report.build(organisation=org, start=period.start, end=period.end,
                                  lang=opts["lang"], params=params)
        except Http404 as exc:  # a report of one member or loan without it (--param member=… / loan=…)
            raise CommandError(str(exc)) from exc
        data = renderers.render(result, fmt, lang=opts["lang"])
        if opts["output"]:
            try:
                with open(opts["output"], "wb") as fh:
                    fh.write(data)
            except OSError as exc:
                raise CommandError(f"เขียนไฟล์ไม่ได้ / cannot write {opts['output']}: {exc}") from exc
            self.stderr.write(f"{opts['output']} ({len(data):,} bytes)")
            return
        text = data.decode("utf-8")
        if fmt == "csv" and text.startswith("\ufeff") and getattr(self.stdout, "_out", None) is sys.stdout \
                and sys.stdout.isatty():
            text = text[1:]  # the BOM is for spreadsheets, not for a terminal
        self.stdout.write(text, ending="" if text.endswith("\n") else "\n")
