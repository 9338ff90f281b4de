"""Foundation benchmarks: the demo build, and page latency under 20 concurrent clients.

1. ``omboon demo`` at 5 groups × 3,000 members, through the services. Baseline: a bare
   ``executemany`` of the same member rows into a scratch SQLite table, in the same run.
2. The group home page and the member list of Ban Don Chai (3,000 members), each fetched by
   20 logged-in clients at once from gunicorn on 127.0.0.1 (2 workers × 8 threads, as
   ``make run`` serves). Baseline: a static file under the same load in the same run.
"""

from __future__ import annotations

import http.client
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.runner import median, percentile

GROUPS = 5
CLIENTS = 20
GROUP = "BDC"
USERNAME, PASSWORD = "treasurer", "omboon-demo"
MEMBERS_TARGET_S = 10.0  # 15,000 members in seconds
PAGE_P50_TARGET_MS = 200.0
PAGE_P95_TARGET_MS = 400.0  # issue 13: home and member list p95 under 20 clients


def run(ctx) -> list[dict]:
    members = 300 if ctx.quick else 3000
    rows = bench_demo_build(ctx, members)
    rows += bench_pages(ctx, members, requests_per_client=10 if ctx.quick else 50)
    return rows


# --- 1. demo build -----------------------------------------------------------------------------

def bench_demo_build(ctx, members: int) -> list[dict]:
    import datetime as dt

    from omboon.demo import generator

    ctx.log(f"demo build: {GROUPS} groups × {members:,} members")
    end = dt.date.today()
    # The registry only: each domain's history has its own benchmark (bench_<app>.py), and
    # five years of it for 15,000 members would make this one take the better part of an hour.
    result = generator.build(seed=1, groups=GROUPS, members=members, years=5, end=end,
                             vary_sizes=False, log=ctx.log, populate=False)
    baseline = bare_insert_seconds(ctx, generator, members, end)
    scale = f"{GROUPS} groups × {members:,} members"
    rows = [
        ctx.row("foundation.demo_members", result.timings["members"], "s",
                target=MEMBERS_TARGET_S, baseline=baseline, scale=scale),
        ctx.row("foundation.demo_build_total", result.timings["total"], "s", scale=(
            f"{scale}, users, {', '.join(result.populated) or 'no other apps'}")),
    ]
    return rows


def bare_insert_seconds(ctx, generator, members: int, end) -> float:
    """The same member rows, inserted with one executemany into a scratch table."""
    specs = generator.group_specs(GROUPS, 1)
    taken: set[str] = set()
    rows = []
    for spec in specs:
        founded = generator._founded_on(1, spec.code, end, 5)
        for n, r in enumerate(generator.member_rows(seed=1, spec=spec, size=members,
                                                    founded=founded, end=end, taken_ids=taken), 1):
            rows.append({"organisation": spec.code, "number": f"{n:04d}", **r})
    columns = list(rows[0])
    db = sqlite3.connect(ctx.tmp / "baseline.sqlite3")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(f"CREATE TABLE member ({', '.join(columns)})")
    values = [tuple(str(v) if v is not None else None for v in r.values()) for r in rows]
    t0 = time.perf_counter()
    db.executemany(f"INSERT INTO member VALUES ({', '.join('?' for _ in columns)})", values)
    db.commit()
    elapsed = time.perf_counter() - t0
    db.close()
    return elapsed


# --- 2. page latency ---------------------------------------------------------------------------

class Client:
    """One browser: a keep-alive connection and its cookies."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                   "Accept-Language": "th", "Referer": f"http://127.0.0.1:{self.port}{path}"}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                resp = self.conn.getresponse()
                text = resp.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        for header, value in resp.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return resp.status, text

    def login(self, login_path: str, username: str, password: str) -> None:
        status, html = self.request("GET", login_path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if status != 200 or not match:
            raise RuntimeError(f"login page {login_path} answered {status} without a CSRF token")
        status, _ = self.request("POST", login_path, {
            "csrfmiddlewaretoken": match.group(1), "username": username, "password": password})
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username} failed (HTTP {status})")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(ctx, port: int) -> subprocess.Popen:
    log = open(ctx.tmp / "gunicorn.log", "w")  # noqa: SIM115 — the server's log, open while it runs
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "omboon.wsgi", "-b", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "8", "--pythonpath", "src"],
        cwd=ctx.repo, env=ctx.env(), stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({proc.returncode}): "
                               + (ctx.tmp / "gunicorn.log").read_text()[-2000:])
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not start within 60 s")


def _load(clients: list[Client], path: str, per_client: int, budget_s: float) -> list[float]:
    """Every client fetches ``path`` ``per_client`` times, all at once; latencies in ms."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(len(clients))
    deadline = time.perf_counter() + budget_s

    def work(client: Client) -> None:
        mine = []
        start.wait()
        for _ in range(per_client):
            if time.perf_counter() > deadline:
                break
            t0 = time.perf_counter()
            status, _ = client.request("GET", path)
            mine.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                errors.append(f"{path}: HTTP {status}")
                break
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=work, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(errors[0])
    return latencies


def _pages(ctx) -> tuple[str | None, list[tuple[str, str]]]:
    """The login path and the pages to measure, from the URLconf (those that exist)."""
    from django.urls import NoReverseMatch, reverse

    def path(name, **kw):
        try:
            return reverse(name, kwargs=kw or None)
        except NoReverseMatch:
            ctx.note(f"page {name} does not exist yet: not measured")
            return None

    login = path("login")
    pages = [("home", path("org-home", org=GROUP)), ("member_list", path("member-list", org=GROUP))]
    return login, [(label, p) for label, p in pages if p]


def _static_path() -> str:
    from django.contrib.staticfiles import finders
    from django.templatetags.static import static

    for candidate in ("omboon/omboon.css", "admin/css/base.css"):
        if finders.find(candidate):
            return static(candidate)
    raise RuntimeError("no static file to use as a baseline")


def bench_pages(ctx, members: int, requests_per_client: int, suffix: str = "", history: str = "") -> list[dict]:
    """The static baseline, then home and the member list, under ``CLIENTS`` clients at once.
    ``suffix`` names the rows of a database with history (``bench_pages``: ``_history``)."""
    login, pages = _pages(ctx)
    static = _static_path()
    port = _free_port()
    ctx.log(f"gunicorn on 127.0.0.1:{port}, {CLIENTS} clients × {requests_per_client} requests")
    server = _start_server(ctx, port)
    try:
        clients = [Client(port) for _ in range(CLIENTS)]
        if login and pages:
            for client in clients:
                client.login(login, USERNAME, PASSWORD)
        budget = 30 if ctx.quick else 120
        base = _load(clients, static, requests_per_client, budget)
        base_p50, base_p95 = median(base), percentile(base, 95)
        scale = f"{CLIENTS} clients × {requests_per_client} requests"
        rows = [
            ctx.row(f"foundation.static_file_p50{suffix}", base_p50, "ms", scale=f"{scale}, {static}"),
            ctx.row(f"foundation.static_file_p95{suffix}", base_p95, "ms", scale=f"{scale}, {static}"),
        ]
        if not login:
            pages = []
        for label, path in pages:
            ctx.log(f"{label}: {path}")
            lat = _load(clients, path, requests_per_client, budget)
            where = f"{scale}, {GROUP} {members:,} members{history}, {len(lat)} requests"
            rows += [
                ctx.row(f"foundation.{label}_p50{suffix}", median(lat), "ms", target=PAGE_P50_TARGET_MS,
                        baseline=base_p50, scale=where),
                ctx.row(f"foundation.{label}_p95{suffix}", percentile(lat, 95), "ms",
                        target=PAGE_P95_TARGET_MS, baseline=base_p95, scale=where),
            ]
        return rows
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log = Path(ctx.tmp / "gunicorn.log")
        if log.exists() and "Traceback" in log.read_text():
            ctx.note("gunicorn logged a traceback; see its log in a kept run")
