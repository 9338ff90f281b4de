"""The HTTP API, version 1 (django-ninja): ``/api/v1/…``, OpenAPI at ``/api/v1/openapi.json``,
docs at ``/api/v1/docs``; the schema is kept in ``docs/openapi.json`` (``omboon api-schema``).

Each domain owns its router in ``omboon/<app>/api.py`` as ``router``; this module mounts them,
documents the refusals of every operation (400, 401, 403, 404, 413, 422: the ``Problems`` body of
``omboon.core.contract``) and turns every refusal into that body. Every endpoint resolves the
organisation through ``omboon.orgs.scoping``. The docs and the schema need a signed-in user.

Two ways in: ``Authorization: Bearer omb_…`` (an API token, ``orgs.services.token_authenticate``:
its user narrowed to the token's organisations and capabilities; no CSRF token, since a script
has no cookie to be tricked with) and the browser session (writes need the CSRF token).

A breaking change (a field removed or renamed, a type narrowed, a new required field) is a new
version mounted beside this one, never an edit of v1; ``api/tests/test_schema_drift.py`` makes
every change of the schema a visible decision.
"""

from __future__ import annotations

import importlib

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from omboon.api import errors
from omboon.core.contract import Problems, problems_body
from omboon.core.errors import Problem, RuleViolation
from omboon.orgs import services as org_services

DESCRIPTION = """\
ระบบบริหารกองทุนชุมชน / community fund management.

**Contract.** Every request field states its constraints in this schema: money is integer
satang (1 baht = 100 satang, 12345 = 123.45 baht) within ±10¹², dates are ISO `YYYY-MM-DD`
(Gregorian; where a Thai date `31/12/2568` is accepted too the field says so), every coded
field is an enum, texts have a maximum length, lists a maximum count, unknown fields are
refused, and lists page with `limit` (1–500) and `offset` (≤ 10,000,000). Every refusal is a
4xx whose body is `{"detail": "...", "errors": [{"row", "field", "message_th", "message_en",
"code", "value"}]}`, the same problems the web pages and the imports show; nothing is written.

**Tokens.** `Authorization: Bearer omb_…`, made by someone with the manage right
(`/o/<code>/tokens/` or `omboon tokens create`). A token's `expires_on` is the last day it
works, inclusive: it is refused (401, `token_expired`) from the next day on.

**Version.** This is `/api/v1/`. A breaking change comes as `/api/v2/`, beside it.
"""


class _Session(SessionAuth):
    """The browser session (POST, PUT and DELETE need the CSRF token)."""


class TokenRefused(AuthenticationError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(401, problems[0].text())


class BearerToken(HttpBearer):
    """``Authorization: Bearer omb_…``: an API token made by someone with the manage right
    (``omboon tokens create`` or /o/<org>/tokens/). A token that is unknown, expired or
    revoked is a 401 with the reason; it never falls back to the session."""

    def authenticate(self, request, token: str):
        try:
            user = org_services.token_authenticate(token.strip())
        except RuleViolation as exc:
            raise TokenRefused(exc.problems) from None
        request.user = user
        return user


api = NinjaAPI(
    title="Omboon API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=[BearerToken(), _Session()],
    docs_decorator=login_required,  # /api/v1/docs and /api/v1/openapi.json: signed-in users only
)


def _respond(request, problems: list[Problem], status: int):
    return api.create_response(request, problems_body(problems), status=status)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    return _respond(request, errors.from_validation(exc.errors), 422)


@api.exception_handler(RuleViolation)
def _rule_violation(request, exc: RuleViolation):
    return _respond(request, exc.problems, 422)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _respond(request, [errors.http_problem(404, str(exc))], 404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _respond(request, [errors.http_problem(403, str(exc))], 403)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    problems = getattr(exc, "problems", None) or [errors.http_problem(401, str(exc))]
    return _respond(request, problems, 401)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if exc.status_code == 403 and "CSRF" in str(exc):
        problem = Problem("csrf", "ต้องส่งโทเคน CSRF ของเซสชัน หรือใช้ Authorization: Bearer <โทเคน>",
                          "send the session's CSRF token, or use Authorization: Bearer <token>", code="csrf")
    else:
        problem = errors.http_problem(exc.status_code, str(exc))
    return _respond(request, [problem], exc.status_code)


REFUSALS = (400, 401, 403, 404, 413, 422)  # 413: web.middleware.RequestSizeLimitMiddleware


def document_refusals(router: Router) -> None:
    """Every operation answers its refusals with ``Problems``; say so in its schema."""
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            for status in REFUSALS:
                operation.response_models.setdefault(status, operation._create_response_model(Problems))


DOMAINS = ["orgs", "members", "ledger", "contributions", "reports", "welfare", "savings", "loans", "network"]
for _name in DOMAINS:
    try:
        _module = importlib.import_module(f"omboon.{_name}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"omboon.{_name}.api":
            raise
        continue
    document_refusals(_module.router)
    api.add_router(f"/{_name}/", _module.router)
