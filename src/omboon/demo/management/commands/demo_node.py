"""omboon demo-node [--org MYO] [--seed 1] ... (on the offline node's laptop, an empty database)"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from omboon.demo import generator


class Command(BaseCommand):
    help = ("สร้างบัญชีของกลุ่มตัวอย่างที่ทำงานออฟไลน์ (MYO) ลงฐานข้อมูลว่างบนเครื่องของกลุ่ม / "
            "build the demo's offline group (MYO) with its full books into this laptop's empty database\n"
            "ใช้ --seed --groups --members --years --end ชุดเดียวกับ omboon demo บนเซิร์ฟเวอร์ / "
            "give the same --seed, --groups, --members, --years, --end as the server's omboon demo")

    def add_arguments(self, parser):
        parser.add_argument("--org", default=generator.OFFLINE_NODE)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--groups", type=int, default=8)
        parser.add_argument("--members", type=int, default=600)
        parser.add_argument("--same-size", action="store_true")
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--end", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD (default today)")

    def handle(self, *args, org, seed, groups, members, same_size, years, end, **options):
        if not generator.database_is_empty():
            raise CommandError("ฐานข้อมูลนี้มีข้อมูลอยู่แล้ว: ใช้ไฟล์ใหม่ (OMBOON_SQLITE) / "
                               "this database is not empty: point OMBOON_SQLITE at a new file")
        try:
            result = generator.build(seed=seed, groups=groups, members=members, years=years, end=end,
                                     vary_sizes=not same_size, node_only=org, log=self.stdout.write)
        except ValueError as exc:
            raise CommandError(f"ไม่มีกลุ่ม {org} ในเครือข่ายตัวอย่าง / {exc}") from exc
        self.stdout.write(f"เสร็จ / done: {org} {result.member_counts.get(org, 0):,} สมาชิก / members, "
                          f"ผู้ใช้ / logins: {', '.join(result.users)} ({result.timings['total']:.1f} s)")
