"""Every page of every role on a 360-px phone, in Chromium: no sideways scroll, every tap target
at least 44 px, and axe-core finds no serious or critical accessibility violation.

The pages are the URL walker's (every GET page under /o/<org>/, each report of the registry)
plus the shell's own and the public ones, on the demo network (two groups of about 20 members
over a year) as each of the demo's logins sees them: treasurer, chair, secretary, committee,
auditor and member of Ban Don Chai, the coordinators of the southern zone and of the province,
and the system admin — and nobody signed in. A page a role may not open (403, 404, a
redirect) or a download (PDF, csv, xlsx, json) is not a page to look at for that role.

What counts as a problem:

- ``document.documentElement.scrollWidth > 360``: the page scrolls sideways (a wide table
  scrolls inside its own box instead; that is allowed);
- a visible link, button, field, select or ``<summary>`` whose box is under 44 px wide or
  high, except a link inside a sentence (WCAG 2.5.5's inline exception); a checkbox or radio
  is measured by its label, which a finger taps;
- an axe-core violation of impact "serious" or "critical". axe-core comes from npm, pinned and
  kept in ``omboon/testing/vendor/axe-core`` with its licence (MPL-2.0); it is put into each
  page by the test, never fetched.

Speed: one browser, one page per role; each URL is looked at once for each set of rights on
its organisation (roles with the same rights there see the same page; a report's page, once),
and axe runs once per URL (for the first role that sees it).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client

from omboon.core import reporting
from omboon.demo import generator
from omboon.demo.accounts import DEMO_PASSWORD, DEMO_USERS
from omboon.ledger import services as ledger
from omboon.members.models import Member
from omboon.orgs import scoping
from omboon.orgs.models import Organisation
from omboon.testing.factories import member_numbers
from omboon.web.tests.test_id_walk import _builder
from omboon.web.tests.test_url_walker import ROUTES, url_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 360
TAP = 44
AXE = Path(__file__).resolve().parents[2] / "testing" / "vendor" / "axe-core" / "axe.min.js"
END = dt.date(2025, 6, 30)

# The measures, run in the page. A scroll box (overflow-x auto) may hold something wider.
MEASURE = """([width, tap]) => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > width) {
    const wide = [...document.querySelectorAll('body *')].filter(el => {
      const r = el.getBoundingClientRect();
      if (r.right <= width + 1) return false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') return p === document.body || p === doc;
      }
      return true;
    });
    const top = wide.filter(el => !wide.includes(el.parentElement)).slice(0, 3);
    problems.push(`scrolls sideways: ${doc.scrollWidth} px (` +
      top.map(el => describe(el) + ' ' + Math.round(el.getBoundingClientRect().right) + 'px').join(', ') + ')');
  }
  function describe(el) {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (el.classList.length) s += '.' + [...el.classList].join('.');
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '').trim();
    if (text) s += ` "${text.slice(0, 30)}"`;
    return s;
  }
  function shown(el) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) return false;
    const st = getComputedStyle(el);
    return st.visibility !== 'hidden' && !el.closest('.visually-hidden');
  }
  function inSentence(el) {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    const block = el.parentElement.closest('p, li, dd, td, th, div, span, small');
    if (!block) return false;
    const own = block.innerText.replace(el.innerText, '').replace(/[\\s·|,()\\/]/g, '');
    return own.length > 0;
  }
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]';
  for (const el of document.querySelectorAll(sel)) {
    if (!shown(el) || inSentence(el)) continue;
    let box = el.getBoundingClientRect();
    if (el.type === 'checkbox' || el.type === 'radio') {  // a finger may tap the box or its label
      for (const label of el.labels || []) {
        const r = label.getBoundingClientRect();
        if (Math.min(r.width, r.height) > Math.min(box.width, box.height)) box = r;
      }
    }
    if (box.width < tap - 0.5 || box.height < tap - 0.5) {
      problems.push(`tap target ${Math.round(box.width)}×${Math.round(box.height)} px: ${describe(el)}`);
    }
  }
  return problems;
}"""

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `axe ${v.impact} ${v.id}: ` + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""


def _org_urls(build) -> dict[str, list[str]]:
    """Every GET page under /o/<org>/, for the group and for the networks above it."""
    urls: dict[str, list[str]] = {}
    group = Organisation.objects.get(code="BDC")
    networks = [group.parent, group.parent.parent]
    reports = [c for c in reporting.REGISTRY if not c.startswith("zz-")]
    for route in ROUTES:
        if route.name == "reports:download":
            continue
        values = build(route)
        if route.name == "reports:detail":
            found = [f"/o/BDC/reports/{code}/" for code in reports]
            found += [f"/o/{net.code}/reports/{code}/" for net in networks for code in reports]
        else:
            found = [url_for(route, group, values)]
            if not route.id_kwargs:
                found += [url_for(route, net, values) for net in networks]
        urls[route.name or route.route] = found
    return urls


SHELL_URLS = ["/", "/about/", "/password/", "/login/"]
PUBLIC_URLS = ["/public/LP/", "/public/LP-S/", "/public/province/52/"]


def _sight(user, url: str) -> tuple:
    """What decides how a page looks to a user: the rights they hold on its organisation (the
    secretary holds the treasurer's; the zone's and the province's coordinators read a group
    alike), or who they are on a page of no organisation."""
    code = url.split("/")[2] if url.startswith("/o/") else None
    if user is None or code is None:
        return (url, user and user.username)
    try:
        access = scoping.access_org(user, code, scoping.VIEW)
    except (Http404, PermissionDenied):
        return (url, "refused")
    return (url, access.capabilities, access.own_records_only)


def _pages_of(client: Client, user, urls: list[str]) -> list[str]:
    """The URLs that answer this user with an HTML page (not a refusal, redirect or download)."""
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    pages = []
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # the refusals are expected
    for url in urls:
        response = client.get(url)
        if (response.status_code == 200 and response["Content-Type"].startswith("text/html")
                and response.content.lstrip()[:15].lower() == b"<!doctype html>"):  # not an htmx piece
            pages.append(url)
    return pages


def test_every_page_of_every_role_fits_a_phone(browser, live_server):
    started = time.perf_counter()
    generator.build(seed=1, groups=2, members=20, years=1, end=END)

    group = Organisation.objects.get(code="BDC")
    # the URL walker's objects are dated 2024: open the demo's closed months to make them
    ledger.periods_reopen_from(actor=None, organisation=group, year=2024, month=1, reason="test")
    # ... and number their members after the demo's (the factories count from one)
    last = max(int(n) for n in Member.objects.values_list("number", flat=True))
    while next(member_numbers) <= last:
        pass
    users = {u.username: get_user_model().objects.get(username=u.username) for u in DEMO_USERS}
    by_route = _org_urls(_builder(group))
    every = [u for urls in by_route.values() for u in urls] + SHELL_URLS
    once = set(by_route["reports:detail"])  # a report reads the same to every role that may open it
    seen: set[str] = set()
    client = Client()
    problems: list[str] = []
    axed: set[str] = set()
    visits = 0
    axe_source = AXE.read_text(encoding="utf-8")
    plan = [(None, [*PUBLIC_URLS, "/login/", "/about/"])]
    plan += [(name, every) for name in users]
    filtered = 0.0
    for username, urls in plan:
        t0 = time.perf_counter()
        user = users.get(username)
        fresh = []
        for url in urls:  # a page reads the same to two roles with the same rights there: look once
            key = _sight(user, url)
            if key not in seen and not (url in once and url in seen):
                seen.add(key)
                fresh.append(url)
        pages = _pages_of(client, user, fresh)
        seen.update(pages)
        filtered += time.perf_counter() - t0
        context = browser.new_context(viewport={"width": WIDTH, "height": 760}, locale="th-TH")
        context.add_init_script(script=axe_source)
        page = context.new_page()
        if username:
            page.goto(f"{live_server.url}/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", DEMO_PASSWORD)
            page.click("form[action='/login/'] button[type=submit]")
            page.wait_for_load_state("domcontentloaded")
            landing = page.url.removeprefix(live_server.url)
            page.click(".menu-button")  # the menu folded away on a phone, open
            problems += [f"{username} {landing} (menu open): {p}" for p in page.evaluate(MEASURE, [WIDTH, TAP])]
            pages = [landing, *pages]
        for url in pages:
            page.goto(f"{live_server.url}{url}")
            visits += 1
            who = username or "anonymous"
            problems += [f"{who} {url}: {p}" for p in page.evaluate(MEASURE, [WIDTH, TAP])]
            if url not in axed:
                axed.add(url)
                problems += [f"{who} {url}: {p}" for p in page.evaluate(AXE_RUN)]
        context.close()
    took = time.perf_counter() - started
    print(f"\n{visits} page visits of {len(plan)} roles, {len(axed)} run through axe, {took:.0f} s "
          f"({filtered:.0f} s finding pages)")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_the_measures_catch_what_they_look_for(page):
    """The walk's own control: a page too wide, with a small button and an image without words,
    is caught by each measure — and a link inside a sentence is not a tap target."""
    page.set_content("""<!doctype html><html lang="th"><head><title>t</title></head><body><main>
      <div style="width: 500px">กว้าง</div>
      <button style="font-size: 10px; padding: 0">x</button>
      <p>อ่าน<a href="/about/">เกี่ยวกับ</a>ก่อน</p>
      <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
    </main></body></html>""")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    problems = page.evaluate(MEASURE, [WIDTH, TAP])
    assert problems[0].startswith("scrolls sideways: 5")
    assert [p for p in problems[1:] if "tap target" in p] == [problems[1]] and 'button "x"' in problems[1]
    assert any(v.startswith("axe critical image-alt") for v in page.evaluate(AXE_RUN))
