"""Import benchmarks: a 3,000-row members file and a 180,000-row payments file (3,000 members ×
60 months) imported end to end — read, validate, write, post — on SQLite.

Baseline, in the same run: a bare read of the same CSV bytes with the csv module and one
``executemany`` of the same rows into a scratch SQLite table (no validation, no ledger).
Each payment becomes a numbered receipt with its item (the period it covers), and the books get
one balanced receipt entry per day and up to 25 receipts (a Cr 4300 line per payment with the
member on it, one Dr 1100 line for the entry's cash), all in bulk
(``omboon.contributions.bulk.payments_post_bulk`` → ``omboon.ledger.bulk``). The run checks
that every payment has its receipt and item, and counts in a member's paid-through date.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
import time

TARGET_S = 10.0
CPU: dict[str, dict[str, float]] = {}  # this process's CPU seconds per phase (a loaded machine's wall clock lies)


def _files(members: int, months: int) -> tuple[bytes, bytes]:
    from omboon.core.national_id import with_check_digit

    first = ["สมศรี", "สมชาย", "บุญมี", "มาลี", "ประยุทธ", "สุดา", "วิชัย", "อำไพ"]
    last = ["ใจดี", "รักษ์ดี", "ศรีสุข", "ทองคำ", "บุญมา", "แก้วใส"]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["เลขที่สมาชิก", "คำนำหน้า", "ชื่อ", "นามสกุล", "เพศ", "เลขประจำตัวประชาชน", "วันเกิด",
                "วันที่เข้าเป็นสมาชิก", "โทรศัพท์", "หมู่"])
    for i in range(1, members + 1):
        w.writerow([f"{i:04d}", "นาง" if i % 2 else "นาย", first[i % 8], last[i % 6], "หญิง" if i % 2 else "ชาย",
                    with_check_digit(f"3{i + 100000:011d}"), f"{1 + i % 28:02d}/{1 + i % 12:02d}/25{10 + i % 30}",
                    "01/01/2560", f"08{i:08d}", str(1 + i % 9)])
    members_csv = ("\ufeff" + out.getvalue()).encode("utf-8")
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["เลขที่สมาชิก", "วันที่ชำระ", "ประเภทเงิน", "จำนวนเงิน"])
    for m in range(months):
        year, month = 2020 + m // 12, m % 12 + 1
        day = f"05/{month:02d}/{year + 543}"
        for i in range(1, members + 1):
            w.writerow([f"{i:04d}", day, "ออมวันละบาท", "30.00"])
    return members_csv, out.getvalue().encode("utf-8")


def _import(kind: str, data: bytes, org) -> tuple[float, int]:
    from omboon.imports import services

    t0, c0 = time.perf_counter(), time.process_time()
    sheet = services.read(data, f"{kind}.csv")
    checked = services.import_check(organisation=org, kind=kind, sheet=sheet)
    if checked.problems:
        raise RuntimeError(f"{kind}: {checked.problems[:3]}")
    job = services.import_job_start(actor=None, organisation=org, kind=kind, filename=f"{kind}.csv",
                                    sha=services.file_sha256(data), checked=checked)
    t1, c1 = time.perf_counter(), time.process_time()
    job = services.import_job_run(actor=None, job=job, sheet=sheet, checked=checked)
    CPU[kind] = {"read_check": c1 - c0, "write_post": time.process_time() - c1, "wall_read_check": t1 - t0}
    return time.perf_counter() - t0, job.committed_rows


def _bare(ctx, name: str, data: bytes) -> float:
    """Read the CSV bytes and executemany the rows into a scratch table."""
    db = sqlite3.connect(ctx.tmp / f"baseline-{name}.sqlite3")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    t0, c0 = time.perf_counter(), time.process_time()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    db.execute(f"CREATE TABLE t ({', '.join(f'c{i}' for i in range(len(header)))})")
    db.executemany(f"INSERT INTO t VALUES ({', '.join('?' for _ in header)})", body)
    db.commit()
    elapsed = time.perf_counter() - t0
    CPU.setdefault("bare", {})[name] = time.process_time() - c0
    db.close()
    return elapsed


def run(ctx) -> list[dict]:
    from omboon.contributions import selectors
    from omboon.contributions.models import Receipt, ReceiptItem
    from omboon.ledger.models import JournalLine
    from omboon.members.models import Member
    from omboon.orgs.models import Organisation
    from omboon.orgs.services import organisation_create

    members, months = (300, 12) if ctx.quick else (3000, 60)
    members_csv, payments_csv = _files(members, months)
    org = organisation_create(actor=None, code="IMPBENCH", kind=Organisation.Kind.GROUP, name_th="กลุ่มทดสอบนำเข้า",
                              group_type=Organisation.GroupType.WELFARE_FUND, province_code="52")
    ctx.log(f"members file: {members:,} rows, {len(members_csv):,} bytes")
    members_s, created = _import("members", members_csv, org)
    ctx.log(f"payments file: {members * months:,} rows, {len(payments_csv):,} bytes")
    payments_s, posted = _import("payments", payments_csv, org)
    lines = JournalLine.objects.filter(organisation=org).count()
    receipts = Receipt.objects.filter(organisation=org).count()
    items = ReceiptItem.objects.filter(organisation=org).count()
    if created != members or posted != members * months or lines < members * months or \
            receipts != members * months or items != members * months:
        raise RuntimeError(f"imported {created} members, {posted} payments, {lines} lines, {receipts} receipts, "
                           f"{items} receipt items")
    first = Member.objects.filter(organisation=org).order_by("number").first()
    if selectors.member_coverage(first, as_of=dt.date.today()).get("daily_saving").paid != 3000 * months:
        raise RuntimeError("the imported payments do not count in the member's coverage")
    bare_members = _bare(ctx, "members", members_csv)
    bare_payments = _bare(ctx, "payments", payments_csv)
    scale = f"{members:,} members + {members * months:,} payments ({months} months)"
    ctx.note(f"members {members_s:.2f} s, payments {payments_s:.2f} s ({lines:,} journal lines, {receipts:,} "
             f"receipts); bare "
             f"read+executemany {bare_members + bare_payments:.2f} s; CPU s: " + "; ".join(
                 f"{k} read+check {v['read_check']:.2f} write+post {v['write_post']:.2f}" for k, v in CPU.items()
                 if k != "bare"))
    cpu = sum(v["read_check"] + v["write_post"] for k, v in CPU.items() if k != "bare")
    return [
        ctx.row("imports.members_and_payments", members_s + payments_s, "s", target=TARGET_S,
                baseline=bare_members + bare_payments, scale=scale),
        # the process's CPU seconds (a shared machine's wall clock counts other people's work)
        ctx.row("imports.members_and_payments_cpu", cpu, "s", target=TARGET_S, baseline=sum(CPU["bare"].values()),
                scale=scale),
        ctx.row("imports.members", members_s, "s", baseline=bare_members, scale=f"{members:,} rows"),
        ctx.row("imports.payments", payments_s, "s", baseline=bare_payments, scale=f"{members * months:,} rows"),
    ]
