"""``omboon demo``: build the demo network (deterministic for a seed)."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from omboon.core.progress import EXIT_INTERRUPTED, interrupted, stoppable
from omboon.demo import generator, scale
from omboon.demo.accounts import DEMO_PASSWORD
from omboon.network import services as network_services
from omboon.network.models import ym_of


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


class Command(BaseCommand):
    help = (
        "สร้างเครือข่ายตัวอย่าง (ข้อมูลเหมือนเดิมทุกครั้งสำหรับ seed เดียวกัน)\n"
        "build the demo network (deterministic for a seed)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1,
                            help="ค่าเริ่มสุ่ม / random seed (default 1)")
        parser.add_argument("--groups", type=int, default=8,
                            help="จำนวนกลุ่ม: 5 กลุ่มของลำปางใต้ กลุ่มที่ 6 อยู่ลำปางเหนือ กลุ่มที่ 7 เป็นกลุ่มสัจจะสะสมทรัพย์ "
                                 "กลุ่มที่ 8 เป็นกองทุนหมู่บ้าน (ทั้งสองกลุ่มปล่อยกู้) "
                                 "ที่เกินสร้างจากตำบลอื่น / number of groups: 5 in the southern zone, the 6th in the "
                                 "northern, the 7th a savings group, the 8th a village fund (both lend), more "
                                 "from other subdistricts (default 8)")
        parser.add_argument("--members", type=int, default=600,
                            help="สมาชิกต่อกลุ่มโดยเฉลี่ย (0.5–1.5 เท่า) / average members per group "
                                 "(each 0.5–1.5 times it; default 600)")
        parser.add_argument("--same-size", action="store_true",
                            help="ทุกกลุ่มมีสมาชิกเท่ากับ --members / every group exactly --members")
        parser.add_argument("--years", type=int, default=5,
                            help="อายุของกลุ่ม (ปี) / years of history (default 5)")
        parser.add_argument("--end", type=_date, default=None,
                            help="วันสุดท้ายของข้อมูล YYYY-MM-DD / last day of the data (default today)")
        parser.add_argument("--fresh", action="store_true",
                            help="ล้างฐานข้อมูลก่อน (ลบข้อมูลทั้งหมด!) / flush the database first (deletes everything!)")
        parser.add_argument("--bulk", action="store_true",
                            help="ขนาดจังหวัด: เขียนข้อมูลแบบกลุ่มใหญ่ (สมาชิก ใบเสร็จรายเดือน สวัสดิการ) ไม่ผ่านบริการทีละรายการ "
                                 "เพิ่มกลุ่มต่อจากที่มีได้ แล้วคำนวณข้อเท็จจริงรายเดือนใหม่ทั้งหมด / "
                                 "province scale: members, monthly receipts and benefits written set-based, not "
                                 "through the per-entry services; adds the groups not yet in the database (e.g. "
                                 "--groups 50 on a database of 20), then recomputes every group's monthly facts "
                                 "(e.g. --groups 200 --members 3000 --same-size); Ctrl-C keeps the groups "
                                 "finished, and the same command again continues with the others "
                                 f"(exit {EXIT_INTERRUPTED})")
        parser.add_argument("--workers", type=int, default=1,
                            help="กับ --bulk บน PostgreSQL: จำนวนกลุ่มที่เขียนพร้อมกัน / with --bulk on PostgreSQL: "
                                 "groups written at once, each in its own process (default 1)")

    def handle(self, *args, seed, groups, members, same_size, years, end, fresh, bulk=False, workers=1,
               **options):
        if groups < 1 or members < 1 or years < 1:
            raise CommandError("--groups, --members และ --years ต้องมากกว่า 0 / "
                               "--groups, --members and --years must be positive")
        if fresh:
            self.stdout.write("ล้างฐานข้อมูล / flushing the database")
            call_command("flush", interactive=False, verbosity=0)
        if bulk:
            self._bulk(seed=seed, groups=groups, members=members, same_size=same_size, years=years, end=end,
                       workers=workers)
            return
        if not fresh and not generator.database_is_empty():
            raise CommandError(
                "ฐานข้อมูลมีข้อมูลอยู่แล้ว: ใช้ --fresh เพื่อล้างแล้วสร้างใหม่ / "
                "the database is not empty: use --fresh to flush it and build again"
            )
        self.stdout.write(f"สร้างข้อมูลตัวอย่าง / building the demo (seed {seed}, {groups} groups, "
                          f"~{members} members each, {years} years)")
        result = generator.build(
            seed=seed, groups=groups, members=members, years=years, end=end,
            vary_sizes=not same_size, log=self.stdout.write, offline_node=generator.OFFLINE_NODE,
        )
        self.stdout.write(self.style.SUCCESS(
            f"เสร็จ / done: {len(result.organisations)} องค์กร / organisations, "
            f"{result.total_members:,} สมาชิก / members, {len(result.users)} ผู้ใช้ / users "
            f"in {result.timings['total']:.1f} s"
        ))
        self.stdout.write(f"รหัสผ่านของผู้ใช้ตัวอย่างทุกคน / every demo user's password: {DEMO_PASSWORD}")
        self.stdout.write("ดูรายชื่อผู้ใช้ / the logins: omboon demo-logins")

    def _bulk(self, *, seed, groups, members, same_size, years, end, workers):
        self.stdout.write(f"สร้างข้อมูลตัวอย่างขนาดจังหวัด / building the province-scale demo (seed {seed}, "
                          f"{groups} groups, ~{members} members each, {years} years)")
        step = {"groups": 0, "facts": None}

        def log(line: str) -> None:
            if line.startswith(scale.GROUP_DONE):  # scale.build's line for each group it filled
                step["groups"] += 1
            self.stdout.write(line)

        def facts_progress(i, n, group, count):
            step["facts"] = (i, n)
            if i % 10 == 0 or i == n:
                self.stdout.write(f"ข้อเท็จจริงรายเดือน / monthly facts {i}/{n} {group.code}: {count:,}")

        try:
            with stoppable():
                result = scale.build(seed=seed, groups=groups, members=members, years=years, end=end,
                                     vary_sizes=not same_size, workers=max(1, workers), log=log)
                last = ym_of(result.end.year, result.end.month)
                group_list = scale.scale_groups(seed, groups)
                step["facts"] = (0, len(group_list))
                facts = network_services.facts_recompute_many(actor=None, organisations=group_list, through=last,
                                                              progress=facts_progress)
        except KeyboardInterrupt:
            # Each group is filled in its own transaction and a group with members is kept as
            # it is, so the same command again fills only the groups not yet done; the monthly
            # facts of every group are recomputed again at its end (each group whole, or not).
            if step["facts"] is None:
                added = step["groups"]
                raise interrupted(f"เพิ่มกลุ่มเสร็จแล้ว {added} กลุ่ม (สมาชิกและเงินของกลุ่มที่ทำค้างไม่ถูกบันทึก)",
                                  f"{added} groups added (nothing of a group in progress was kept)",
                                  "รันคำสั่งเดิมอีกครั้ง: ทำต่อจากกลุ่มที่ยังไม่มีสมาชิก",
                                  "run the same command again: it continues with the groups not yet filled"
                                  ) from None
            i, n = step["facts"]
            raise interrupted(f"เพิ่มกลุ่มครบแล้ว คำนวณข้อเท็จจริงรายเดือนเสร็จ {i}/{n} กลุ่ม",
                              f"every group added; monthly facts recomputed for {i}/{n} groups",
                              "รันคำสั่งเดิมอีกครั้ง: ไม่สร้างกลุ่มซ้ำ และคำนวณข้อเท็จจริงใหม่ทุกกลุ่ม",
                              "run the same command again: it adds no group twice and recomputes every "
                              "group's facts") from None
        self.stdout.write(self.style.SUCCESS(
            f"เสร็จ / done: {len(result.added)} กลุ่มใหม่ / new groups ({len(result.kept)} มีอยู่แล้ว / already there), "
            f"{result.members:,} สมาชิก / members, {result.payments:,} ใบเสร็จ / receipts, "
            f"{result.benefits:,} สวัสดิการ / benefits, {facts:,} ข้อเท็จจริง / facts "
            f"in {result.timings['total']:.1f} s"))
