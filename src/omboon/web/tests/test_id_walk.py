"""Walks every page, download and API response as each role and fails on any national ID the
role may not see in full.

Only the member themself sees their own ID in full on a page they GET; everyone else — even a
treasurer, who may ask for it through the audited "show full ID" (a POST, not walked here) —
sees it masked. The walk covers:

- every GET page under /o/<org>/ (the URL walker's routes, with the same object factories),
  for the group and for the networks above it;
- every registered report of the group in every format (html, csv, json, xlsx, pdf);
- every GET operation of the HTTP API that takes an organisation.

A response is searched for 13 digits in a row and for the card's grouping (1-1037-00123-45-1)
— inside xlsx files (their XML) and PDFs (their text, by pdftotext) too — and any valid ID of
a member found is a leak (an import template's made-up example ID is nobody's).
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

import pytest

from omboon.api.main import api
from omboon.core import national_id, reporting
from omboon.members.models import Member
from omboon.orgs.models import Role
from omboon.testing.factories import make_user
from omboon.web.tests.conftest import make_member
from omboon.web.tests.test_url_walker import ROUTES, _registered_values, url_for

pytestmark = pytest.mark.django_db

FULL_ID = re.compile(rb"(?<!\d)\d{13}(?!\d)|(?<!\d)\d-\d{4}-\d{5}-\d{2}-\d(?!\d)")
ROLES_IN_GROUP = [Role.TREASURER, Role.CHAIR, Role.SECRETARY, Role.COMMITTEE, Role.AUDITOR, Role.MEMBER]
# The member's personal-data download holds their full ID on purpose (the member's own, or the
# chair's audited PDPA export): test_personal_data.py walks who may have it.
AUDITED_DOWNLOADS = {"member-personal-data"}
GET_ROUTES = [r for r in ROUTES if r.need is not None and r.name not in AUDITED_DOWNLOADS]


def text_of(response) -> bytes:
    """The bytes a person could read in a response: xlsx unzipped, PDF as text."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return b"\n".join(z.read(n) for n in z.namelist() if n.endswith(".xml"))
    if body[:5] == b"%PDF-":
        return subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True).stdout
    return body


def full_ids(body: bytes) -> set[str]:
    found = {national_id.clean(m.decode()) for m in FULL_ID.findall(body)}
    return {d for d in found if national_id.is_valid(d)}


@pytest.fixture
def people(tree):
    """Each role's user; the member-role user is linked to a member of group A."""
    users = {role: make_user(tree.group_a, role) for role in ROLES_IN_GROUP}
    users["coordinator-zone"] = make_user(tree.zone, Role.COORDINATOR)
    users["coordinator-province"] = make_user(tree.province, Role.COORDINATOR)
    own = make_member(tree.group_a, user=users[Role.MEMBER])
    for org in (tree.group_a, tree.group_b):
        for _ in range(3):
            make_member(org)
    return users, own


def _allowed(role, own: Member) -> set[str]:
    return {own.national_id} if role == Role.MEMBER else set()


def _walk(client, users, own, urls: list[str]) -> list[str]:
    every_id = set(Member.objects.values_list("national_id", flat=True))
    leaks, seen = [], 0
    for role, user in users.items():
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                continue
            seen += 1
            shown = (full_ids(text_of(response)) & every_id) - _allowed(role, own)
            if shown:
                leaks.append(f"{role} GET {url}: {len(shown)} member's full ID(s)")
    assert seen >= len(users), "the walk read almost nothing: check the URLs it builds"
    return leaks


def _builder(org):
    """Values for routes' URL keywords, each object made once for the whole walk (a factory
    that makes, say, an import job of a fixed file cannot run twice)."""
    registered, made = _registered_values(), {}

    def build(route) -> dict:
        built = {}
        for kwarg in route.kwargs:
            key = f"{route.name}.{kwarg}" if f"{route.name}.{kwarg}" in registered else kwarg
            assert key in registered, f"{route}: no URL factory for {kwarg}"
            if key not in made:
                made[key] = registered[key](org, built)
            built[kwarg] = made[key]
        return built

    return build


def test_no_page_shows_an_id_the_role_may_not_see(client, tree, people):
    users, own = people
    urls = []
    build = _builder(tree.group_a)
    for route in GET_ROUTES:
        values = build(route)
        urls.append(url_for(route, tree.group_a, values))
        if not route.id_kwargs:  # network pages of the same route: the zone and the province
            urls += [url_for(route, tree.zone, values), url_for(route, tree.province, values)]
    assert _walk(client, users, own, urls) == []


def test_no_report_in_any_format_shows_an_id(client, tree, people):
    users, own = people
    formats = ("html", "csv", "json", "xlsx", "pdf")
    urls = [f"/o/BDC/reports/{code}/" for code in reporting.REGISTRY]
    urls += [f"/o/BDC/reports/{code}/{fmt}/" for code in reporting.REGISTRY for fmt in formats[1:]]
    readers = {k: users[k] for k in (Role.TREASURER, Role.AUDITOR, "coordinator-zone")}
    assert _walk(client, readers, own, urls) == []


def _api_urls(tree) -> list[str]:
    values, made = _registered_values(), {}
    urls = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        if "get" not in operations or "{org}" not in path:
            continue
        params = re.findall(r"{([^}]+)}", path)
        built = {}
        for name in params:
            if name == "org":
                continue
            assert name in values, (f"API {path}: no URL factory for {{{name}}} "
                                    "(register one in <app>/tests/url_objects.py)")
            if name not in made:
                made[name] = values[name](tree.group_a, built)
            built[name] = made[name]
        urls.append(re.sub(r"{([^}]+)}",
                           lambda m, built=built: "BDC" if m.group(1) == "org" else str(built[m.group(1)]), path))
    return urls


def test_no_api_response_shows_an_id(client, tree, people):
    users, own = people
    urls = _api_urls(tree)
    assert any("/members/BDC" in u for u in urls)
    assert _walk(client, users, own, urls) == []


def test_the_walk_catches_a_full_id(client, tree, people, monkeypatch):
    """The walk's own control: a page that shows a full ID is reported."""
    users, own = people
    victim = Member.objects.exclude(pk=own.pk).filter(organisation=tree.group_a).first()
    monkeypatch.setattr(national_id, "masked", national_id.formatted)
    leaks = _walk(client, {Role.AUDITOR: users[Role.AUDITOR]}, own, [f"/o/BDC/members/{victim.pk}/"])
    assert len(leaks) == 1 and "auditor" in leaks[0]
