"""Every page's server time at a real group's size (issue 13): the slowest page and the member list.

One demo group of 3,000 members with a year of history (payments, claims, books; ``omboon
demo``'s generator with ``populate=True``). As the treasurer, every page reachable from the
group's home is found by walking its links (``web.tests.crawl.walk``: one page per URL pattern,
downloads and PDF documents not opened), then each page is fetched 20 times in this process through Django's
test Client — the whole middleware stack, templates and queries, without a network — and its
median kept. Rows:

- ``foundation.page_server_time_max``: the slowest page's median (target 150 ms); the notes
  name the five slowest pages;
- ``foundation.member_list_server_time``: the member list's median (target 50 ms).

On PostgreSQL the database is analysed after it is filled, as autovacuum does on a server.
Baseline: ``/about/`` (a page with no query) fetched the same way in the same run. The pages
are each read once, untimed, before the timing, as a running server has its templates loaded.
Then the same database is served by gunicorn as ``make run`` serves it and home and the member
list are fetched by 20 clients at once (``bench_foundation.bench_pages``: rows
``foundation.home_p95_history`` and ``foundation.member_list_p95_history``, target 400 ms; the
static-file baseline in the same run) — ``bench_foundation``'s own concurrency rows are over a
group with members only.
"""

from __future__ import annotations

import datetime as dt

from bench import bench_foundation
from bench.runner import median

MEMBERS = 3000
REPEAT = 20
PAGE_TARGET_MS = 150.0
MEMBER_LIST_TARGET_MS = 50.0


def run(ctx) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from omboon.demo import generator
    from omboon.orgs.models import Organisation
    from omboon.web.tests.crawl import walk

    members = 600 if ctx.quick else MEMBERS
    repeat = 5 if ctx.quick else REPEAT
    ctx.step(f"กลุ่มสมาชิก {members:,} คน ประวัติ 1 ปี / one group of {members:,} members, a year of history")
    generator.build(seed=1, groups=1, members=members, years=1, end=dt.date.today(), vary_sizes=False,
                    populate=True, log=ctx.log)
    if connection.vendor == "postgresql":
        # A server's autovacuum has analysed tables long before anyone opens a page; a database
        # filled a second ago has no statistics, and PostgreSQL's plans for the receipt sums
        # without them take seconds (the arrears page: 11 s instead of 0.1 s).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    group = Organisation.objects.get(kind=Organisation.Kind.GROUP)
    client = Client()
    client.force_login(get_user_model().objects.get(username="treasurer"))
    client.cookies["django_language"] = "th"
    ctx.step("เดินทุกหน้า / walking the pages")
    home = client.get("/").url
    pages, _doors = walk(client, [home], limit=120, per_route=1)
    urls = sorted(u for u, p in pages.items() if p.status == 200 and "/pdf/" not in u)  # documents: not pages
    member_list = f"/o/{group.code}/members/"
    if member_list not in urls:
        urls.append(member_list)
    ctx.log(f"{len(urls)} pages")

    def timed(url: str) -> float:
        times = []
        for _ in range(repeat):
            t0 = ctx.timer()
            response = client.get(url)
            times.append((ctx.timer() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        return median(times)

    ctx.step(f"{len(urls)} หน้า × {repeat} / {len(urls)} pages × {repeat}")
    base = timed("/about/")
    result = {url: timed(url) for url in urls}
    slowest = sorted(result.items(), key=lambda kv: -kv[1])
    ctx.note("slowest pages (median ms): " + ", ".join(f"{u} {ms:.0f}" for u, ms in slowest[:8]))
    ctx.log("every page (median ms): " + ", ".join(f"{u} {ms:.0f}" for u, ms in slowest))
    over = [u for u, ms in slowest if ms > PAGE_TARGET_MS]
    if over:
        ctx.note(f"{len(over)} pages over {PAGE_TARGET_MS:.0f} ms: " + ", ".join(over))
    scale = f"{group.code} {members:,} members, 1 year; {len(urls)} pages × {repeat}, median each, one client"
    rows = [
        ctx.row("foundation.page_server_time_max", slowest[0][1], "ms", target=PAGE_TARGET_MS, baseline=base,
                scale=f"{scale}; slowest {slowest[0][0]}"),
        ctx.row("foundation.member_list_server_time", result[member_list], "ms", target=MEMBER_LIST_TARGET_MS,
                baseline=base, scale=scale),
    ]
    if group.code != bench_foundation.GROUP:
        raise RuntimeError(f"the concurrency rows fetch {bench_foundation.GROUP}'s pages; the demo built {group.code}")
    ctx.step("20 ไคลเอนต์พร้อมกัน / 20 clients at once")
    return rows + bench_foundation.bench_pages(ctx, members, 10 if ctx.quick else 50, suffix="_history",
                                               history=", 1 year of history")
