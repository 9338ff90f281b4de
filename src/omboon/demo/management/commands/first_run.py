"""``omboon first-run``: what ``make run`` does on an empty database — the demo or a real group."""

from __future__ import annotations

import os
import sys

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from omboon.demo.accounts import DEMO_USERS
from omboon.orgs.models import Organisation

REAL_GROUP = (
    "ตั้งกลุ่มจริง: เปิดหน้าแรกของเว็บ (มีแบบฟอร์มตั้งกลุ่ม) หรือใช้ omboon setup --help\n"
    "a real group: open the web app's first page (it offers the set-up form) or use omboon setup --help"
)


def ask() -> str:
    """'1' (demo) or '0' (a real group), asked in the terminal."""
    print("ฐานข้อมูลยังว่าง / the database is empty:\n"
          "  1  สร้างข้อมูลตัวอย่าง (เครือข่ายลำปาง) / build the demo (a Lampang network)\n"
          "  2  ตั้งกลุ่มจริงของเรา / set up a real group")
    while True:
        answer = input("เลือก / choose [1/2]: ").strip()
        if answer in ("1", "2"):
            return "1" if answer == "1" else "0"


class Command(BaseCommand):
    help = (
        "ครั้งแรกที่ฐานข้อมูลว่าง: ถามว่าจะสร้างข้อมูลตัวอย่างหรือตั้งกลุ่มจริง "
        "(OMBOON_DEMO=1 หรือ 0 ตัดสินโดยไม่ถาม; ไม่มีเทอร์มินัล = ข้อมูลตัวอย่าง)\n"
        "on an empty database: build the demo or set up a real group, asked in the terminal; "
        "OMBOON_DEMO=1 or 0 decides without asking; with no terminal attached, the demo. "
        "On a database that has organisations it only prints how to log in."
    )

    def handle(self, *args, **options):
        if Organisation.objects.exists():
            self._logins()
            return
        choice = os.environ.get("OMBOON_DEMO", "").strip()
        if choice not in ("0", "1"):
            choice = ask() if sys.stdin.isatty() else "1"
        if choice == "1":
            call_command("demo", seed=1)
            self._logins()
        else:
            self.stdout.write(REAL_GROUP)

    def _logins(self):
        demo = get_user_model().objects.filter(username__in=[u.username for u in DEMO_USERS]).exists()
        if demo:
            call_command("demo-logins", stdout=self.stdout)
        else:
            codes = ", ".join(Organisation.objects.order_by("path").values_list("code", flat=True)[:10])
            self.stdout.write(f"องค์กร / organisations: {codes} — เข้าระบบด้วยผู้ใช้ของกลุ่ม / "
                              "log in with your group's users")
