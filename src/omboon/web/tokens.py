"""/o/<org>/tokens/: the organisation's API tokens, for users with ``manage``: the list (never a
token itself), a new token (shown once on the page that made it), a service user for a script,
and revocation after a confirmation. The writes are ``orgs.services``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from omboon.core import language
from omboon.core.errors import RuleViolation
from omboon.orgs import rules, scoping, services
from omboon.orgs.decorators import org_view
from omboon.orgs.models import Role, ServiceUser

DEFAULT_DAYS = 90
CAPABILITIES = ["view", "records", "write", "approve", "manage", "audit"]


def _service_users(org):
    return list(ServiceUser.objects.filter(organisation=org).select_related("user").order_by("name"))


def _roles_offered(request):
    """The roles the manager may give a service user: at most their own rank."""
    org = request.access.organisation
    rank = services.actor_rank(request.user, org)
    return [(value, label) for value, label in Role.choices
            if rules.RANK.get(value, rules.SYSTEM_RANK) <= rank and value != Role.MEMBER
            and not rules.check_role(value, org)]


def _page(request, *, raw: str = "", created=None, asked=None, status=200):
    org = request.access.organisation
    today = timezone.localdate()
    asked = asked or {"expires_on": (today + dt.timedelta(days=DEFAULT_DAYS)).isoformat(),
                      "capabilities": ["view"], "holder": "me", "name": ""}
    tokens = list(services.tokens_of(org))
    for t in tokens:
        t.state = "revoked" if t.revoked_at else ("expired" if t.has_expired(today) else "active")
    return render(request, "web/tokens.html", {
        "tokens": tokens, "raw": raw, "created": created, "asked": asked,
        "service_users": _service_users(org), "capabilities": CAPABILITIES, "roles": _roles_offered(request),
        "max_expiry": (today + dt.timedelta(days=rules.TOKEN_MAX_DAYS)).isoformat(),
        "min_expiry": today.isoformat(),
    }, status=status)


def _problems(request, exc: RuleViolation) -> None:
    for p in exc.problems:
        messages.error(request, p.message(language.current()))


@org_view(scoping.MANAGE)
def tokens_page(request):
    """GET: the list and the forms. POST: a new token, shown once on the answer (never stored)."""
    if request.method != "POST":
        return _page(request)
    org = request.access.organisation
    asked = {"name": request.POST.get("name", "").strip(), "holder": request.POST.get("holder", "me"),
             "capabilities": request.POST.getlist("capabilities"),
             "expires_on": request.POST.get("expires_on", "")}
    holder = request.user
    if asked["holder"] != "me":
        service = ServiceUser.objects.filter(organisation=org, pk=asked["holder"] if asked["holder"].isdigit()
                                             else None).select_related("user").first()
        if service is None:
            raise Http404("ไม่พบผู้ใช้สำหรับสคริปต์ / no such service user")
        holder = service.user
    try:
        expires_on = dt.date.fromisoformat(asked["expires_on"])
    except ValueError:
        expires_on = None  # the rule names the field
    try:
        token, raw = services.token_create(actor=request.user, holder=holder, organisations=[org],
                                           name=asked["name"], capabilities=asked["capabilities"] or ["view"],
                                           expires_on=expires_on)
    except RuleViolation as exc:
        _problems(request, exc)
        return _page(request, asked=asked, status=422)
    return _page(request, raw=raw, created=token)


@org_view(scoping.MANAGE)
def service_user_add(request):
    if request.method != "POST":
        return redirect("api-tokens", org=request.access.organisation.code)
    try:
        service = services.service_user_create(actor=request.user, organisation=request.access.organisation,
                                               name=request.POST.get("name", "").strip(),
                                               role=request.POST.get("role", ""))
    except RuleViolation as exc:
        _problems(request, exc)
    else:
        messages.success(request, f"เพิ่ม {service.user.username} แล้ว / {service.user.username} added")
    return redirect("api-tokens", org=request.access.organisation.code)


@org_view(scoping.VIEW, write_need=scoping.MANAGE)
def token_revoke(request, token_id: int):
    """GET: confirm; POST: the token stops working at once (audited). The token is looked up
    first (another organisation's token is a 404), then ``manage`` is required."""
    org = request.access.organisation
    token = services.tokens_of(org).filter(pk=token_id).first()
    if token is None:
        raise Http404("ไม่พบโทเคน / no such token")
    scoping.require(request.access, scoping.MANAGE)
    if request.method == "POST":
        try:
            services.token_revoke(actor=request.user, token=token)
        except RuleViolation as exc:
            _problems(request, exc)
        else:
            messages.success(request, f"ยกเลิกโทเคน {token.name} แล้ว / token {token.name} revoked")
        return redirect("api-tokens", org=org.code)
    return render(request, "web/token_revoke.html", {"token": token})
