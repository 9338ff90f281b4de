"""Privacy and sign-in benchmarks (issue 12): what the guards cost a treasurer, and what an
upload at the limits costs the server.

1. ``privacy.search_whole_id_ms``: the member list searched by a whole national ID at 3,000
   members — the keyed-hash match, the audit event and the redirect to the hashed address, both
   requests. Baseline: the same list searched by a member number, in the same run.
2. ``privacy.signin_wrong_password_ms``: a wrong password at the sign-in form — the throttle's
   bookkeeping and the audit event. Baseline: the sign-in page itself (GET).
3. ``privacy.signin_locked_ms``: a refused try of a locked username (429), same baseline.
4. ``imports.read_peak_mb_csv`` / ``_xlsx``: the resident peak of a fresh process reading a
   file at the limits (500,000 rows and the byte limit), against 200 MB. Baseline: the same
   process with Django loaded and no file read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from bench.runner import median

ROUNDS = 20
LIMIT_MB = 200


def run(ctx) -> list[dict]:
    members = 300 if ctx.quick else 3000
    rounds = 5 if ctx.quick else ROUNDS
    rows = bench_search_and_signin(ctx, members, rounds)
    rows += bench_read_memory(ctx, quick=ctx.quick)
    return rows


def _timed(client, ctx, method: str, url: str, data=None, *, follow=False) -> float:
    started = ctx.timer()
    response = getattr(client, method)(url, data or {}, follow=follow)
    elapsed = ctx.timer() - started
    assert response.status_code < 500, (url, response.status_code)
    return elapsed * 1000


def bench_search_and_signin(ctx, members: int, rounds: int) -> list[dict]:
    import datetime as dt

    from django.test import Client

    from omboon.demo import generator
    from omboon.members.models import Member
    from omboon.orgs.models import Organisation

    ctx.step(f"สร้างกลุ่ม {members:,} คน / build a group of {members:,} members")
    generator.build(seed=1, groups=1, members=members, years=1, end=dt.date.today(), vary_sizes=False,
                    log=ctx.log, populate=False)
    group = Organisation.objects.filter(kind=Organisation.Kind.GROUP).order_by("pk").first()
    member = Member.objects.filter(organisation=group).order_by("-pk").first()
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="treasurer")
    client = Client()
    client.force_login(user)
    url = f"/o/{group.code}/members/"
    scale = f"{members:,} members"

    ctx.step("ค้นหาด้วยเลขประจำตัวประชาชน / search by national ID")
    by_id = median([_timed(client, ctx, "get", url, {"q": member.national_id}, follow=True) for _ in range(rounds)])
    by_number = median([_timed(client, ctx, "get", url, {"q": member.number}) for _ in range(rounds)])
    rows = [ctx.row("privacy.search_whole_id_ms", by_id, "ms", baseline=by_number, scale=scale)]

    ctx.step("ลงชื่อเข้าใช้ผิด / wrong passwords")
    anonymous = Client(REMOTE_ADDR="10.0.0.1")
    page = median([_timed(anonymous, ctx, "get", "/login/") for _ in range(rounds)])
    wrong = []
    for i in range(rounds):
        # a new username each time: each try is a counted failure, none a lockout
        other = Client(REMOTE_ADDR=f"10.1.{i // 250}.{i % 250 + 1}")
        wrong.append(_timed(other, ctx, "post", "/login/", {"username": f"nobody{i}", "password": "wrong-pass-1"}))
    rows.append(ctx.row("privacy.signin_wrong_password_ms", median(wrong), "ms", baseline=page, scale=scale))
    locker = Client(REMOTE_ADDR="10.2.0.1")
    for _ in range(6):
        locker.post("/login/", {"username": "chair", "password": "wrong-pass-1"})
    locked = median([_timed(locker, ctx, "post", "/login/", {"username": "chair", "password": "omboon-demo"})
                     for _ in range(rounds)])
    rows.append(ctx.row("privacy.signin_locked_ms", locked, "ms", baseline=page, scale=scale))
    return rows


PROBE = """
import json, sys
import django
django.setup()
from omboon.imports.readers import read_table
if len(sys.argv) > 1:
    sheet = read_table(open(sys.argv[1], "rb").read(), sys.argv[1])
with open("/proc/self/status") as status:
    hwm = next(line for line in status if line.startswith("VmHWM:"))
print(json.dumps({"mb": int(hwm.split()[1]) / 1024}))
"""


def _peak_mb(ctx, *args) -> float:
    env = {**ctx.env(), "DJANGO_SETTINGS_MODULE": "omboon.settings"}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env,
                          timeout=600, check=True, cwd=os.fspath(ctx.repo))
    return json.loads(done.stdout.strip().splitlines()[-1])["mb"]


def bench_read_memory(ctx, *, quick: bool) -> list[dict]:
    from omboon.imports import limits
    from omboon.imports.tests.test_reader_memory import _csv, _rows, _xlsx

    ctx.step("อ่านไฟล์ขนาดสูงสุด / read files at the limits")
    bare = _peak_mb(ctx)
    count = 50_000 if quick else limits.MAX_ROWS
    scale = f"{count:,} rows, {limits.MAX_FILE_BYTES // limits.MB} MB limit"
    csv_path = _csv(ctx.tmp / "limit.csv", count)
    rows = [ctx.row("imports.read_peak_mb_csv", _peak_mb(ctx, str(csv_path)), "MB", target=LIMIT_MB,
                    baseline=bare, scale=f"{scale}, {csv_path.stat().st_size / limits.MB:.1f} MB csv")]
    xlsx_path = _xlsx(ctx.tmp / "limit.xlsx", _rows(count), 4)
    rows.append(ctx.row("imports.read_peak_mb_xlsx", _peak_mb(ctx, str(xlsx_path)), "MB", target=LIMIT_MB,
                        baseline=bare, scale=f"{scale}, {xlsx_path.stat().st_size / limits.MB:.1f} MB xlsx"))
    return rows
