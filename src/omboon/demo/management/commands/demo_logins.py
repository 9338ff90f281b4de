"""``omboon demo-logins``: the demo users, one per role, and what each sees."""

from __future__ import annotations

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from omboon.core.console import pad, table
from omboon.demo.accounts import DEMO_PASSWORD, DEMO_USERS
from omboon.orgs.models import Organisation, Role


class Command(BaseCommand):
    help = "แสดงผู้ใช้ตัวอย่างทุกบทบาท\nlist the demo logins, one per role"

    def handle(self, *args, **options):
        existing = set(get_user_model().objects.filter(
            username__in=[u.username for u in DEMO_USERS]).values_list("username", flat=True))
        if not existing:
            self.stderr.write(
                "ยังไม่ได้สร้างข้อมูลตัวอย่าง: รัน `omboon demo --seed 1` (หรือ `make run`)\n"
                "the demo has not been built: run `omboon demo --seed 1` (or `make run`)"
            )
            sys.exit(1)
        orgs = {o.code: o for o in Organisation.objects.filter(
            code__in={u.organisation for u in DEMO_USERS})}
        labels = dict(Role.choices)
        rows = [["ผู้ใช้ / user", "รหัสผ่าน / password", "บทบาท / role", "องค์กร / organisation"]]
        sees = []
        for u in DEMO_USERS:
            if u.username not in existing or u.organisation not in orgs:
                continue
            org = orgs[u.organisation]
            rows.append([u.username, DEMO_PASSWORD, f"{labels[u.role]} / {u.role}",
                         f"{org.code} {org.name_th}"])
            sees.append(f"  {pad(u.username, 15)} {u.sees_th}\n  {'':<15} {u.sees_en}")
        self.stdout.write("ผู้ใช้ตัวอย่าง / demo logins")
        self.stdout.write("\n".join(table(rows)))
        self.stdout.write("\nสิ่งที่แต่ละคนเห็น / what each one sees")
        self.stdout.write("\n".join(sees))
        for node in Organisation.objects.filter(kind=Organisation.Kind.GROUP, is_remote_node=True).order_by("code"):
            self.stdout.write(
                f"\nกลุ่มที่ทำงานบนเครื่องของตัวเอง / the offline group: {node.code} {node.name_th}\n"
                f"  บัญชีของกลุ่มอยู่บนเครื่องของกลุ่ม ส่งขึ้นมาด้วย omboon sync (README: Running a group offline)\n"
                f"  its books live on its own laptop and arrive with omboon sync (README: Running a group offline)\n"
                f"  รหัสลงทะเบียน / enrolment code (here, on the server): omboon enrolment-code --org {node.code}\n"
                f"  บัญชีบนเครื่องของกลุ่ม / its laptop's books: omboon demo-node --org {node.code} "
                f"(ใช้ --seed --end เดียวกับ omboon demo / the same --seed, --end as omboon demo)")
