"""omboon recompute-facts [--org CODE] [--from YYYY-MM] [--through YYYY-MM] [--after CODE]"""

from __future__ import annotations

import re
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from omboon.core.progress import EXIT_INTERRUPTED, interrupted, stoppable
from omboon.network import services
from omboon.network.models import ym_of
from omboon.orgs import selectors
from omboon.orgs.models import Organisation


def parse_month(text: str | None, flag: str) -> int | None:
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise CommandError(f"{flag} ต้องเป็น YYYY-MM (ค.ศ.) เช่น 2025-01 / {flag} must be YYYY-MM, e.g. 2025-01")
    year = int(match.group(1))
    if year > 2400:
        year -= 543  # a พ.ศ. year typed by habit
    return ym_of(year, int(match.group(2)))


class Command(BaseCommand):
    help = ("คำนวณข้อเท็จจริงรายเดือนใหม่จากข้อมูลดิบ / recompute monthly facts from raw records\n"
            "--org CODE (a group, or every group below a network), --from YYYY-MM, --through YYYY-MM\n"
            f"Ctrl-C: หยุดหลังกลุ่มที่เสร็จแล้ว บอกวิธีทำต่อด้วย --after, ออกด้วยรหัส {EXIT_INTERRUPTED} / "
            f"stops after the finished groups, says how to continue with --after, exits {EXIT_INTERRUPTED}")

    def add_arguments(self, parser):
        parser.add_argument("--org", help="รหัสกลุ่มหรือเครือข่าย / group or network code (default: all)")
        parser.add_argument("--from", dest="first", help="เดือนแรก / first month, YYYY-MM")
        parser.add_argument("--through", help="รวมเดือนที่ยังไม่ปิดจนถึง / include unclosed months up to YYYY-MM")
        parser.add_argument("--after", metavar="CODE",
                            help="ทำต่อจากกลุ่มหลังรหัสนี้ (กลุ่มเรียงตามรหัส) / continue with the groups after "
                                 "this code (groups go in code order)")

    def handle(self, *args, **opts):
        first = parse_month(opts["first"], "--from")
        through = parse_month(opts["through"], "--through")
        if opts["org"]:
            org = Organisation.objects.filter(code=opts["org"], is_active=True).first()
            if org is None:
                raise CommandError(f"ไม่พบองค์กร {opts['org']} (ดูรายชื่อด้วย omboon orgs) / "
                                   f"no organisation {opts['org']} (list them with omboon orgs)")
            groups = list(selectors.groups_below(org)) if org.is_network else [org]
        else:
            groups = list(Organisation.objects.filter(kind=Organisation.Kind.GROUP, is_active=True))
        groups.sort(key=lambda g: g.code)
        if opts["after"]:
            groups = [g for g in groups if g.code > opts["after"]]
        t0 = time.perf_counter()
        finished = []

        def progress(i, n, group, count):
            finished.append(group.code)
            self.stdout.write(f"[{i}/{n}] {group.code}: {count:,} ข้อเท็จจริง/facts "
                              f"({time.perf_counter() - t0:.1f} s)")
            sys.stdout.flush()

        try:
            with stoppable():
                total = services.facts_recompute_many(actor=None, organisations=groups, first=first,
                                                      through=through, progress=progress)
        except KeyboardInterrupt:
            raise self._stopped(finished, groups, opts) from None
        self.stdout.write(f"เสร็จ / done: {len(groups)} กลุ่ม/groups, {total:,} ข้อเท็จจริง/facts, "
                          f"{time.perf_counter() - t0:.1f} s")

    def _stopped(self, finished: list[str], groups: list, opts: dict) -> Exception:
        """Each group is recomputed in its own transaction: the groups done are done, the one
        in progress is left as it was, so ``--after`` the last one done continues exactly."""
        done, n = len(finished), len(groups)
        if not finished:
            return interrupted(f"ยังไม่เสร็จสักกลุ่ม (จาก {n})", f"no group finished (of {n})",
                               "ข้อเท็จจริงเดิมยังอยู่ครบ: รันคำสั่งเดิมอีกครั้ง",
                               "the facts are as they were: run the same command again")
        rest = groups[done].code if done < n else "-"
        again = " ".join(["recompute-facts"] + [f"{flag} {opts[key]}" for flag, key in
                                                 (("--org", "org"), ("--from", "first"), ("--through", "through"))
                                                 if opts.get(key)] + ["--after", finished[-1]])
        return interrupted(f"คำนวณเสร็จ {done}/{n} กลุ่ม ถึง {finished[-1]}",
                           f"recomputed {done}/{n} groups, through {finished[-1]}",
                           f"ทำต่อจากกลุ่ม {rest}: omboon {again}",
                           f"to continue with group {rest}: omboon {again}")

