"""The whole collection day over HTTP at a real group's size (issue 13): 3,000 active members.

On one group of 3,000 members who may pay, with two years of monthly payments as receipts,
through Django's test Client, every request through the whole middleware stack, as a treasurer:
open the collection page, record all 3,000 members page by page (pages of 100, each page's rows
saved as one piece into the draft day), open the confirmation, post the day (3,000 receipts in
the group's gapless series, one journal entry) and open the day's page. Two rows:

- ``contributions.collection_day_http_3000``: as the page runs with JavaScript — the next
  pages are htmx requests for the list alone, each piece is the ticked rows only, answered in
  JSON (``collect.js``);
- ``contributions.collection_day_http_3000_plain``: without JavaScript — each page's form
  posted whole, then redirected to the next page.

Forms are sent url-encoded, as a browser sends them; no request comes near Django's 1,000-field
limit (asserted). The value is the server time: the sum of the requests' times (the client
parses the pages it gets outside the clock). Target 5 s. Baseline: the same number of trivial
requests (``/about/``, a page with no query) in the same run, so the ratio says what the flow
costs beyond the bare request path. The pages are read once, untimed, before the flow, as a
running server has its templates and catalogues loaded.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid
from urllib.parse import urlencode

from bench.common import demo_group

TARGET_S = 5.0
MEMBERS = 3000
FORM = "application/x-www-form-urlencoded"  # as a browser sends a form


def run(ctx) -> list[dict]:
    from django.test import Client

    from omboon.contributions import selectors
    from omboon.contributions.models import CollectionDay, Receipt
    from omboon.orgs.models import Role
    from omboon.testing.factories import make_user

    wanted = 600 if ctx.quick else MEMBERS
    today = dt.date.today()
    group = demo_group(ctx, wanted, today=today, drawn=1.25)
    paying = selectors.collect_members(group, as_of=today).count()
    assert paying >= wanted, f"only {paying} members may pay"
    ctx.step("ประวัติการจ่าย 2 ปี / two years of monthly payments")
    history = _history(group, today, years=2)
    user = make_user(group, Role.TREASURER, username="bench-collector")
    base = f"/o/{group.code}/contributions/"
    rows = []
    warm = Client()  # a running server has its templates, URLs and catalogues loaded: load them once here
    warm.force_login(user)
    for url in (base + "collect/", base + "collect/?page=2", base + "collect/confirm/", "/about/"):
        warm.get(url)
    for variant in ("htmx", "plain"):
        client = Client()
        client.force_login(user)
        ctx.step(f"วันเก็บเงิน {wanted:,} คน ({variant}) / collection day of {wanted:,} members ({variant})")
        clock = Clock()
        if variant == "htmx":
            pieces, post_s = _with_javascript(client, clock, base, wanted)
        else:
            pieces, post_s = _plain_forms(client, clock, base, wanted)
        day = CollectionDay.objects.order_by("-id").first()
        assert day.count == wanted and Receipt.objects.filter(collection_day=day).count() == wanted
        bare = Clock()
        for _ in range(clock.requests):
            bare.get(client, "/about/")
        name = "contributions.collection_day_http_3000" + ("" if variant == "htmx" else "_plain")
        how = ("pages by htmx, each page's ticked rows saved as one piece (JSON)" if variant == "htmx" else
               "no JavaScript: each page POSTed, then redirected to the next")
        ctx.note(f"{name}: {clock.requests} requests ({pieces} pieces), final post of {wanted:,} receipts "
                 f"{post_s:.2f} s, other requests median {clock.median_ms():.0f} ms; {how}; "
                 f"slowest: {clock.slowest(4)}")
        rows.append(ctx.row(name, clock.total, "s", target=TARGET_S, baseline=bare.total,
                            scale=f"{wanted:,} members, {pieces} pieces of ≤ {selectors.COLLECT_PAGE_SIZE}, "
                                  f"confirm, one entry ({variant}); {history:,} past receipts"))
    return rows


def _history(group, today, *, years: int) -> int:
    """Monthly payments of every member for ``years`` before today, as real receipts (the bulk
    path imports use), so coverage and paid totals have a real group's history to read."""
    from omboon.contributions import bulk, selectors
    from omboon.contributions.models import Kind

    members = list(selectors.collect_members(group, as_of=today))
    payments = []
    for back in range(12 * years, 0, -1):
        year, month = today.year, today.month - back
        while month <= 0:
            month += 12
            year -= 1
        day = dt.date(year, month, 5)
        payments += [bulk.Payment(f"history-{m.pk}-{back}", m.pk, day, [(Kind.DAILY_SAVING, 3100)])
                     for m in members if m.join_date <= day]
    return bulk.payments_post_bulk(actor=None, organisation=group, payments=payments, source=("bench", "history"))


def _confirm_and_post(client, clock, base, wanted, html) -> float:
    assert f"บันทึก {wanted:,} คน" in html or f"บันทึก {wanted} คน" in html, "the confirmation"
    fields = {k: re.search(rf'name="{k}" value="(\d+)"', html).group(1) for k in ("draft", "count", "total")}
    t0 = time.perf_counter()
    location = clock.post(client, base + "collect/confirm/", {**fields, "action": "post"})
    post_s = time.perf_counter() - t0
    clock.get(client, location)
    return post_s


def _with_javascript(client, clock, base, wanted) -> tuple[int, float]:
    """What collect.js does: the first page whole, the next ones as htmx fragments, each page's
    ticked rows posted as one piece (only those rows) answered in JSON; then the confirmation."""
    html = clock.get(client, base + "collect/")
    ticked = pieces = 0
    page = 1
    while ticked < wanted:
        form = _form(html)
        ids = form["m"][: wanted - ticked]
        data = {"csrfmiddlewaretoken": form["csrfmiddlewaretoken"], "date": form["date"],
                "token": [uuid.uuid4().hex], "m": ids}
        for member_id in ids:
            data[f"paid-{member_id}"] = ["1"]
            data[f"amt-{member_id}"] = ["31"]
        assert sum(len(v) for v in data.values()) < 1000
        answer = clock.post_json(client, base + "collect/", data)
        ticked += len(ids)
        pieces += 1
        assert answer["count"] == ticked, answer
        if ticked < wanted:
            page += 1
            html = clock.get(client, base + f"collect/?page={page}", htmx=True)
    html = clock.get(client, base + "collect/confirm/")
    return pieces, _confirm_and_post(client, clock, base, wanted, html)


def _plain_forms(client, clock, base, wanted) -> tuple[int, float]:
    """Without JavaScript: every page's form posted whole (POST, then redirect to the next page)."""
    html = clock.get(client, base + "collect/")
    ticked = pieces = 0
    while ticked < wanted:
        data = _form(html)
        for member_id in data["m"][: wanted - ticked]:
            data[f"paid-{member_id}"] = ["1"]
            data[f"amt-{member_id}"] = ["31"]
            ticked += 1
        data["go"] = ["next" if ticked < wanted else "confirm"]
        assert sum(len(v) for v in data.values()) < 1000
        location = clock.post(client, base + "collect/", data)
        pieces += 1
        html = clock.get(client, location)
    return pieces, _confirm_and_post(client, clock, base, wanted, html)


class Clock:
    """Times each request of the test Client (the server's work: the client runs in-process)."""

    def __init__(self):
        self.times: list[float] = []
        self.urls: list[str] = []

    def slowest(self, n: int = 3) -> str:
        pairs = sorted(zip(self.times, self.urls), reverse=True)[:n]
        return ", ".join(f"{url.split('/contributions/')[-1] or '/'} {t * 1000:.0f} ms" for t, url in pairs)

    @property
    def total(self) -> float:
        return sum(self.times)

    @property
    def requests(self) -> int:
        return len(self.times)

    def median_ms(self) -> float:
        ordered = sorted(self.times)
        return ordered[len(ordered) // 2] * 1000 if ordered else 0.0

    def post_json(self, client, url: str, data) -> dict:
        t0 = time.perf_counter()
        response = client.post(url, urlencode(data, doseq=True), content_type=FORM,
                               headers={"Accept": "application/json"})
        self.times.append(time.perf_counter() - t0)
        self.urls.append(url)
        if response.status_code != 200:
            raise RuntimeError(f"POST {url}: HTTP {response.status_code} {response.content[:500]!r}")
        return response.json()

    def get(self, client, url: str, htmx: bool = False) -> str:
        t0 = time.perf_counter()
        response = client.get(url, headers={"HX-Request": "true"} if htmx else {})
        self.times.append(time.perf_counter() - t0)
        self.urls.append(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url}: HTTP {response.status_code}")
        return response.content.decode()

    def post(self, client, url: str, data) -> str:
        t0 = time.perf_counter()
        response = client.post(url, urlencode(data, doseq=True), content_type=FORM)
        self.times.append(time.perf_counter() - t0)
        self.urls.append(url)
        if response.status_code != 302:
            raise RuntimeError(f"POST {url}: HTTP {response.status_code} {response.content[:500]!r}")
        return response["Location"]


def _form(html: str) -> dict[str, list[str]]:
    """The fields the collection form sends as the page stands (unticked boxes send nothing)."""
    start = html.index('id="collect-form"')
    form = html[start:html.index("</form>", start)]
    data: dict[str, list[str]] = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or ('type="checkbox"' in tag and " checked" not in tag):
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data.setdefault(name.group(1), []).append(value.group(1) if value else "")
    return data
