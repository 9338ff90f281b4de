"""Loans import benchmark (issue 17 item 8): a village fund's 3,000 running loans brought forward
at the cut-over date — read, checked by ``loans.rules.BRING_FORWARD`` (each schedule built), the
loans, guarantors and brought-forward repayments written in bulk and one opening entry of 3,001
lines posted (``loans.bulk.loans_bring_forward``). Measured once (the import posts; a second run
would be a no-op), no target.

The loans: 5,000–50,000 baht over 12–36 monthly instalments on the product's terms (12% a year,
declining balance, rounded to 5 baht) or, one in four, flat at 1% a month; disbursed in the two
years before the cut-over, each having paid its instalments due by then; those above 20,000 baht
with two guarantors.

Baseline, in the same run: a bare read of the same CSV bytes with the csv module and one
``executemany`` of the rows into a scratch SQLite table (no checks, no schedules, no ledger).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import sqlite3
import time
from decimal import Decimal

from bench.common import new_group

CUT_OVER = dt.date(2025, 12, 31)
HEADERS = ["เลขที่สมาชิก", "ประเภทเงินกู้", "เงินต้น", "วันที่รับเงินกู้", "วิธีคิดดอกเบี้ย", "อัตราดอกเบี้ย", "อัตราต่อ",
           "จำนวนงวด", "ชำระแล้ว", "เงินต้นคงเหลือ", "ผู้ค้ำประกัน", "วันที่ยอดยกมา"]


def _thai(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"


def _file(members: list[str], product_terms) -> tuple[bytes, int]:
    """The loans file and its total outstanding (satang)."""
    from omboon.loans.schedule import Terms, build

    rng = random.Random(1708)
    flat = Terms(method="flat", rate=Decimal(1), per="month", every="month", term=12)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(HEADERS)
    total = 0
    for i, number in enumerate(members):
        principal = rng.randint(10, 100) * 500_00
        disbursed = CUT_OVER - dt.timedelta(days=rng.randint(20, 700))
        term = rng.choice((12, 24, 36))
        own = rng.random() < 0.25
        terms = Terms(**{**(flat.as_dict() if own else product_terms.as_dict()), "term": term,
                         "rate": Decimal(1) if own else product_terms.rate})
        due = [i_ for i_ in build(terms, principal, disbursed) if i_.due <= CUT_OVER]
        paid = sum(x.total for x in due)
        balance = due[-1].balance if due else principal
        if balance == 0:
            balance, paid = due[-2].balance, sum(x.total for x in due[:-1])
        guarantors = (f"{members[(i + 1) % len(members)]}, {members[(i + 2) % len(members)]}"
                      if principal > 20_000_00 else "")
        w.writerow([number, "GEN", f"{principal / 100:.2f}", _thai(disbursed),
                    "คงที่" if own else "", "1" if own else "", "ต่อเดือน" if own else "", str(term),
                    f"{paid / 100:.2f}", f"{balance / 100:.2f}", guarantors, _thai(CUT_OVER)])
        total += balance
    return ("\ufeff" + out.getvalue()).encode("utf-8"), total


def _bare(ctx, data: bytes) -> float:
    db = sqlite3.connect(ctx.tmp / "baseline-loans.sqlite3")
    t0 = time.perf_counter()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    db.execute(f"CREATE TABLE t ({', '.join(f'c{i}' for i in range(len(rows[0])))})")
    db.executemany(f"INSERT INTO t VALUES ({', '.join('?' for _ in rows[0])})", rows[1:])
    db.commit()
    elapsed = time.perf_counter() - t0
    db.close()
    return elapsed


def run(ctx) -> list[dict]:
    from django.db import transaction

    from omboon.imports import services
    from omboon.ledger import services as ledger
    from omboon.ledger.models import JournalLine
    from omboon.loans import services as loans
    from omboon.loans.models import Loan
    from omboon.loans.schedule import Terms
    from omboon.orgs.models import Organisation

    count = 300 if ctx.quick else 3000
    ctx.step(f"build a village fund of {count:,} members")
    terms = Terms(method="declining", rate=Decimal(12), per="year", every="month", term=12, rounding=500)
    with transaction.atomic():
        group, treasurer, chair, people = new_group("VFB", "กองทุนหมู่บ้านทดสอบความเร็ว",
                                                    Organisation.GroupType.VILLAGE_FUND, since=dt.date(2015, 1, 1),
                                                    members=count, rng=random.Random(17), id_prefix="37")
        loans.product_create(actor=chair, organisation=group, code="GEN", name_th="เงินกู้สามัญ", terms=terms,
                             max_amount=50_000_00, effective_from=dt.date(2015, 1, 1), guarantors_above=20_000_00,
                             guarantors_required=2)
    data, total = _file([m.number for m in people], terms)
    ledger.entry_post(actor=None, organisation=group, date=CUT_OVER, doc_type="opening", memo="ยอดยกมา",
                      lines=[ledger.Line(account="1300", debit=total), ledger.Line(account="3100", credit=total)])
    ctx.step(f"import {count:,} running loans")
    t0 = time.perf_counter()
    sheet = services.read(data, "loans.csv")
    checked = services.import_check(organisation=group, kind="loans", sheet=sheet)
    if checked.problems:
        raise RuntimeError(f"loans: {[p.text() for p in checked.problems[:3]]}")
    job = services.import_job_start(actor=treasurer, organisation=group, kind="loans", filename="loans.csv",
                                    sha=services.file_sha256(data), checked=checked)
    t1 = time.perf_counter()
    job = services.import_job_run(actor=treasurer, job=job, sheet=sheet, checked=checked)
    elapsed = time.perf_counter() - t0
    on_books = sum(line.debit - line.credit for line in JournalLine.objects.filter(
        organisation=group, account__code="1300"))
    if job.committed_rows != count or Loan.objects.filter(organisation=group).count() != count or on_books != total:
        raise RuntimeError(f"imported {job.committed_rows} rows, 1300 {on_books} ≠ {total}")
    bare = _bare(ctx, data)
    ctx.note(f"imports.loans_{count}: read+check {t1 - t0:.2f} s, write+post {elapsed - (t1 - t0):.2f} s; "
             f"bare read+executemany {bare:.3f} s")
    return [ctx.row(f"imports.loans_{count}", elapsed, "s", baseline=bare,
                    scale=f"{count:,} running loans, guarantors above 20,000 baht, one opening entry")]
