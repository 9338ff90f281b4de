"""``omboon setup``: a real group (or network) from zero — no demo, no shell."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from omboon.core.errors import RuleViolation
from omboon.core.thaidate import format_date, parse_date
from omboon.orgs import rules, services
from omboon.orgs.models import Organisation

# The words for the group types (``community_finance``) beside the model's codes.
KINDS = {
    "welfare_fund": Organisation.GroupType.WELFARE_FUND,
    "savings_group": Organisation.GroupType.SAVINGS_GROUP,
    "village_fund": Organisation.GroupType.VILLAGE_FUND,
    "community_finance": Organisation.GroupType.CFI,
    "cfi": Organisation.GroupType.CFI,
}


class Command(BaseCommand):
    help = (
        "ตั้งกลุ่ม (หรือเครือข่าย) ใหม่: ผังบัญชี กองทุน และผู้ใช้คนแรก (ประธาน) แล้วบอกวิธีเข้าระบบ\n"
        "set up a new group (or network): its chart of accounts, funds and first user (the chair), "
        "then print how to log in. Without --password-file a one-time password is made and "
        "printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="รหัสกลุ่ม / the group's code, e.g. DKM")
        parser.add_argument("--name-th", required=True, help="ชื่อภาษาไทย / Thai name")
        parser.add_argument("--name-en", default="", help="ชื่อภาษาอังกฤษ / English name")
        parser.add_argument("--network", action="store_true",
                            help="ตั้งเครือข่าย ไม่ใช่กลุ่ม / a network, not a group (its first user is its admin)")
        parser.add_argument("--kind", choices=sorted(KINDS), default="welfare_fund",
                            help="ประเภทกลุ่ม / group type (default welfare_fund)")
        parser.add_argument("--province", default="", help="รหัสจังหวัด / province code, e.g. 52")
        parser.add_argument("--district", default="", help="รหัสอำเภอ / district code, e.g. 5204")
        parser.add_argument("--subdistrict", default="", help="รหัสตำบล / subdistrict code, e.g. 520401")
        parser.add_argument("--founded", default="", help="วันก่อตั้ง / founding date, e.g. 15/08/2545")
        parser.add_argument("--fiscal-start", type=int, default=1,
                            help="เดือนเริ่มปีบัญชี 1–12 / fiscal year's first month (default 1)")
        parser.add_argument("--chair", required=True, help="ชื่อผู้ใช้ของประธาน / the chair's username")
        parser.add_argument("--password-file", default="",
                            help="ไฟล์รหัสผ่าน (บรรทัดแรก) / a file whose first line is the password")
        parser.add_argument("--under", default="", help="รหัสเครือข่ายแม่ / the parent network's code")

    def handle(self, *args, **o):
        try:
            founded = parse_date(o["founded"]) if o["founded"] else None
        except ValueError as exc:
            raise CommandError(f"--founded: {exc}") from None
        if o["password_file"]:
            try:
                password = Path(o["password_file"]).read_text(encoding="utf-8").splitlines()[0].strip()
            except (OSError, IndexError) as exc:
                raise CommandError(f"--password-file: อ่านไม่ได้ / cannot read ({exc})") from None
            shown = None
        else:
            password = shown = secrets.token_urlsafe(9)
        parent = Organisation.objects.filter(code=o["under"], kind=Organisation.Kind.NETWORK).first() \
            if o["under"] else None
        try:
            problems = rules.check_under(o["under"], parent)
            if problems:
                raise RuleViolation(problems)
            kind = Organisation.Kind.NETWORK if o["network"] else Organisation.Kind.GROUP
            org, user = services.organisation_setup(
                actor=None, username=o["chair"], password=password,
                code=o["code"], kind=kind, name_th=o["name_th"], name_en=o["name_en"], parent=parent,
                group_type="" if o["network"] else KINDS[o["kind"]], founded_on=founded,
                province_code=o["province"], district_code=o["district"],
                subdistrict_code=o["subdistrict"], fiscal_year_start_month=o["fiscal_start"],
            )
        except RuleViolation as exc:
            raise CommandError("\n".join(p.text() for p in exc.problems)) from None
        what = "เครือข่าย / network" if org.is_network else "กลุ่ม / group"
        self.stdout.write(f"ตั้ง{what} {org.code} {org.name_th} แล้ว / set up"
                          + (f" (ก่อตั้ง / founded {format_date(founded)})" if founded else ""))
        self.stdout.write(f"ผู้ใช้ / user: {user.username} ({services.first_role(org)})")
        if shown:
            self.stdout.write(f"รหัสผ่านครั้งเดียว / one-time password: {shown}  "
                              "(เปลี่ยนหลังเข้าระบบ / change it after signing in: /password/)")
        self.stdout.write("เข้าระบบ / log in: make run (หรือ / or uv run omboon runserver) → "
                          f"http://127.0.0.1:8000/login/ → /o/{org.code}/")
