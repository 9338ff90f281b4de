"""Walks every URL pattern under /o/<org>/ and checks the scoping promises on each.

- every page of an organisation passes the ``org_view`` door;
- a user of group A never reaches group B's objects: not via /o/B/... and not by putting B's
  object id under /o/A/... — both answer 404, for GET and POST alike;
- a read-only role (auditor, network coordinator, member) gets 403 on every POST that needs a
  write capability.

The walker is data-driven. It builds a value for every URL keyword from ``URL_VALUES`` below,
merged with ``URL_VALUES`` of any ``omboon.<app>.tests.url_objects`` module, so an app that
adds ``/o/<org>/ledger/entries/<int:entry_id>/`` registers a factory for ``entry_id`` there:

    URL_VALUES = {"entry_id": lambda org, built: make_entry(org).pk}

A factory gets the group to build in and the values built so far for the same URL (so a
nested object can hang under its parent), and returns the value to put in the URL. A key may
also name one URL, ``"reports:detail.code"``, for a keyword that means different things in
different apps; it wins over the bare keyword. A keyword with no factory fails the walk with
a message naming the pattern.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern

from omboon.orgs import scoping
from omboon.orgs.models import Organisation, Role
from omboon.testing.factories import make_user
from omboon.web.tests.conftest import make_member

ORG_PREFIX = "o/<str:org>/"
WRITE_CAPABILITIES = {scoping.WRITE, scoping.APPROVE, scoping.MANAGE}

Factory = Callable[[Organisation, dict[str, Any]], Any]

URL_VALUES: dict[str, Factory] = {
    "member_id": lambda org, built: make_member(org).pk,
    "member-personal-data.fmt": lambda org, built: "json",
}


def _registered_values() -> dict[str, Factory]:
    values = dict(URL_VALUES)
    for config in apps.get_app_configs():
        if not config.name.startswith("omboon."):
            continue
        module_name = f"{config.name}.tests.url_objects"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        values.update(getattr(module, "URL_VALUES", {}))
    return values


@dataclass(frozen=True)
class OrgRoute:
    route: str  # "o/<str:org>/members/<int:member_id>/"
    name: str | None  # with its namespace: "reports:detail"
    callback: Callable
    kwargs: tuple[str, ...]  # URL keywords other than "org", in order
    id_kwargs: tuple[str, ...]  # those with an int converter: object ids

    @property
    def need(self):
        return getattr(self.callback, "omboon_need", None)

    @property
    def writes(self) -> bool:
        return bool(getattr(self.callback, "omboon_write_need", None)) or self.need in WRITE_CAPABILITIES

    def __str__(self) -> str:
        return self.route


def _walk(patterns, prefix: str = "", converters: dict | None = None, namespace: str = ""):
    converters = converters or {}
    for p in patterns:
        if isinstance(p.pattern, RoutePattern):
            route, convs = str(p.pattern), {**converters, **p.pattern.converters}
        else:
            route, convs = f"<regex {p.pattern.regex.pattern}>", converters
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + route, convs, ns)
        elif isinstance(p, URLPattern):
            yield prefix + route, p, convs, f"{namespace}{p.name}" if p.name else None


def org_routes(patterns=None) -> list[OrgRoute]:
    found = []
    for route, pattern, convs, name in _walk(get_resolver().url_patterns if patterns is None else patterns):
        if not route.startswith(ORG_PREFIX):
            continue
        names = tuple(re.findall(r"<(?:[^>:]+:)?([^>]+)>", route))
        kwargs = tuple(n for n in names if n != "org")
        ids = tuple(n for n in kwargs if isinstance(convs.get(n), IntConverter))
        found.append(OrgRoute(route, name, pattern.callback, kwargs, ids))
    return found


ROUTES = org_routes()


def url_for(route: OrgRoute, org: Organisation, values: dict[str, Any]) -> str:
    def sub(match):
        name = match.group(1)
        return org.code if name == "org" else str(values[name])

    return "/" + re.sub(r"<(?:[^>:]+:)?([^>]+)>", sub, route.route)


def build(route: OrgRoute, group: Organisation) -> dict[str, Any]:
    registered = _registered_values()
    factories = {k: registered.get(f"{route.name}.{k}") or registered.get(k) for k in route.kwargs}
    missing = [k for k, factory in factories.items() if factory is None]
    assert not missing, (
        f"{route} ({route.name}): no factory for URL keyword(s) {missing}. Register one in "
        f"omboon/<app>/tests/url_objects.py as URL_VALUES = {{{missing[0]!r}: lambda org, built: ...}} "
        f"(or {f'{route.name}.{missing[0]}'!r} for this URL only) returning the value to put in "
        f"the URL: an object id made in group `org`, or a valid code."
    )
    built: dict[str, Any] = {}
    for kwarg in route.kwargs:
        built[kwarg] = factories[kwarg](group, built)
    return built


def test_the_walker_finds_the_organisation_pages():
    routes = {r.name for r in ROUTES}
    assert {"org-home", "member-list", "member-detail", "audit-trail"} <= routes
    detail = next(r for r in ROUTES if r.name == "member-detail")
    assert detail.id_kwargs == ("member_id",)


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_organisation_page_keeps_groups_apart(route: OrgRoute, tree, client):
    assert route.need is not None, f"{route} does not pass through orgs.decorators.org_view"

    chair_a = make_user(tree.group_a, Role.CHAIR)
    in_a = build(route, tree.group_a)
    in_b = build(route, tree.group_b)
    in_c = build(route, tree.group_c)
    client.force_login(chair_a)

    if route.kwargs:
        # The control: A's own objects, under A, are found — else the 404s below prove nothing.
        own = client.get(url_for(route, tree.group_a, in_a))
        assert own.status_code != 404, f"{route}: A's own object answered 404 — check its URL_VALUES factory"

    def expect(method: str, url: str, allowed: set[int], who: str) -> None:
        status = getattr(client, method)(url).status_code
        assert status in allowed, (
            f"{who} {method.upper()} {url} ({route.name}) answered {status}, not {sorted(allowed)}: "
            f"another group's object must be a 404 (look the object up with scoping.get_in_scope "
            f"before anything else, also before redirecting a GET)"
        )

    for method in ("get", "post"):
        # B's page, B's objects: the organisation itself is unseen.
        expect(method, url_for(route, tree.group_b, in_b), {404}, "group A's chair")
        if route.id_kwargs:
            # B's object ids under A's own address.
            expect(method, url_for(route, tree.group_a, in_b), {404}, "group A's chair")

    # A coordinator of the southern zone sees groups below it, never the northern zone's group.
    # A write it may not make is refused (403) before any object is looked up, whatever the id,
    # so a POST under its own zone reveals nothing either.
    client.force_login(make_user(tree.zone, Role.COORDINATOR))
    refused_post = {404, 403} if route.writes else {404}
    for method, allowed in (("get", {404}), ("post", refused_post)):
        expect(method, url_for(route, tree.group_c, in_c), {404}, "the southern zone's coordinator")
        if route.id_kwargs:
            expect(method, url_for(route, tree.zone, in_c), allowed, "the southern zone's coordinator")
            expect(method, url_for(route, tree.group_a, in_c), allowed, "the southern zone's coordinator")


WRITE_ROUTES = [r for r in ROUTES if r.writes]


def test_read_only_roles_get_403_on_every_write(tree, client):
    """Every POST that needs a write capability answers 403 to an auditor, a coordinator of the
    network above and a member — with the group's own objects, so only the role is wrong."""
    readers = {
        "auditor": make_user(tree.group_a, Role.AUDITOR),
        "coordinator": make_user(tree.zone, Role.COORDINATOR),
        "member": make_user(tree.group_a, Role.MEMBER),
    }
    checked = []
    for route in WRITE_ROUTES:
        url = url_for(route, tree.group_a, build(route, tree.group_a))
        for role, user in readers.items():
            client.force_login(user)
            status = client.post(url, {}).status_code
            assert status == 403, f"{role} POST {url} ({route}) answered {status}, not 403"
        checked.append(route.route)
    assert checked == [r.route for r in WRITE_ROUTES]


def test_the_write_check_catches_a_view_without_it(tree, client, settings):
    """The walker's own control: a write view that forgot its capability is caught."""
    from django.http import HttpResponse
    from django.urls import include, path

    from omboon.orgs.decorators import org_view

    @org_view(scoping.VIEW, write_need=scoping.WRITE)
    def guarded(request):
        return HttpResponse("ok")

    @org_view(scoping.VIEW)
    def careless(request):
        return HttpResponse("ok")

    from omboon import urls as project_urls

    urlconf = type("urlconf", (), {"urlpatterns": [path("o/<str:org>/", include([
        path("guarded/", guarded, name="guarded"),
        path("careless/", careless, name="careless"),
    ])), *project_urls.urlpatterns]})
    settings.ROOT_URLCONF = urlconf
    routes = {r.name: r for r in org_routes(urlconf.urlpatterns)}
    assert routes["guarded"].writes and not routes["careless"].writes
    client.force_login(make_user(tree.group_a, Role.AUDITOR))
    assert client.post("/o/BDC/guarded/").status_code == 403
    assert client.post("/o/BDC/careless/").status_code == 200

