"""The HTTP API (django-ninja; OpenAPI at /api/openapi.json, docs at /api/docs).

Each domain owns its router in ``omboon/<app>/api.py`` as ``router``; this module mounts
them. Authentication: the browser session, or ``Authorization: Bearer <token>`` of an API
token. The docs and the schema need a signed-in user. Every endpoint resolves the
organisation through ``omboon.orgs.scoping``.
"""

from __future__ import annotations

import importlib

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.security import SessionAuth

from omboon.core.errors import RuleViolation

api = NinjaAPI(
    title="Omboon API",
    version="1",
    description="ระบบบริหารกองทุนชุมชน / community fund management",
    auth=SessionAuth(),
    docs_decorator=login_required,  # /api/docs and /api/openapi.json: signed-in users only
)


@api.exception_handler(RuleViolation)
def _rule_violation(request, exc: RuleViolation):
    return api.create_response(request, {"errors": [p.as_dict() for p in exc.problems]}, status=422)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "ไม่พบ / not found"}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": "ไม่มีสิทธิ์ / forbidden"}, status=403)


DOMAINS = ["orgs", "members", "ledger", "contributions", "reports", "welfare", "network"]
for _name in DOMAINS:
    try:
        _module = importlib.import_module(f"omboon.{_name}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"omboon.{_name}.api":
            raise
        continue
    api.add_router(f"/{_name}/", _module.router)
