"""omboon sync-check --org CODE: the group's figures from its monthly facts, on either side"""

from __future__ import annotations

import hashlib
import json

from django.core.management.base import BaseCommand

from omboon.core.money import format_baht
from omboon.network import selectors
from omboon.network.management.commands._common import group
from omboon.network.models import FactMonth, MonthlyFact, year_month


class Command(BaseCommand):
    help = ("ตัวเลขของกลุ่มจากข้อเท็จจริงรายเดือน และลายนิ้วมือของข้อเท็จจริงทั้งหมด: "
            "สั่งบนเครื่องของกลุ่มและบนเซิร์ฟเวอร์แล้วเทียบกัน / "
            "the group's figures from its monthly facts and a fingerprint of every fact: "
            "run it on the laptop and on the server and compare")

    def add_arguments(self, parser):
        parser.add_argument("--org")

    def handle(self, *args, **opts):
        org = group(opts["org"])
        facts = list(MonthlyFact.objects.filter(organisation=org).order_by("ym", "kind", "key")
                     .values_list("ym", "kind", "key", "count", "amount"))
        months = list(FactMonth.objects.filter(organisation=org).order_by("ym").values_list("ym", flat=True))
        fingerprint = hashlib.sha256(json.dumps(facts).encode()).hexdigest()[:16]
        if not months:
            self.stdout.write(f"{org.code}: ยังไม่มีข้อเท็จจริงรายเดือน / no monthly facts yet")
            self.stdout.write(f"ลายนิ้วมือ / fingerprint: {fingerprint}")
            return
        total = selectors.consolidated(org, first=months[0], last=months[-1]).total
        y1, m1 = year_month(months[0])
        y2, m2 = year_month(months[-1])
        self.stdout.write(f"{org.code} {org.name_th}: {len(months)} เดือน / months {y1}-{m1:02d}..{y2}-{m2:02d}")
        self.stdout.write(f"สมาชิกปกติ / active members: {total.members_active:,}")
        self.stdout.write(f"เงินกองทุน / fund size: {format_baht(total.fund_size)} บาท / baht")
        self.stdout.write(f"รับ / receipts: {format_baht(total.receipts_total)} บาท / baht")
        self.stdout.write(f"สวัสดิการ / benefits: {format_baht(total.benefits_total)} บาท / baht "
                          f"({sum(total.benefit_cases.values()):,} ราย / cases)")
        self.stdout.write(f"ลายนิ้วมือ / fingerprint: {fingerprint}")
