"""/o/<org>/users/: the organisation's people and their roles, for whoever has ``manage`` there
(the chair, a system admin, a network's admin over the groups below it).

The list (search, pages) and a form to add a user; one user's page with their roles, a role to
grant, a password reset; revoking a role and deactivating a user after a confirmation. Every
write is ``web.people`` / ``orgs.services`` (ranks, the last chair, a member login linked to its
record, audit); their Problems are shown in the page's language. A new password is either
typed twice or made here and shown once, on the answer that set it.

Every URL answers GET: a user's sub-pages look the user up first (another organisation's user
is a 404), then require ``manage`` — as ``tokens.token_revoke`` does.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from omboon.core import language
from omboon.core.errors import RuleViolation, raise_if
from omboon.orgs import rules, scoping, services
from omboon.orgs.decorators import org_view
from omboon.orgs.models import Role
from omboon.web import people

PAGE_SIZE = 25


def _problems(request, exc: RuleViolation) -> None:
    for p in exc.problems:
        messages.error(request, p.message(language.current()))


def _roles_offered(org, actor) -> list[tuple[str, str]]:
    """The roles this actor may give here: valid for the organisation, at most their own rank."""
    rank = services.actor_rank(actor, org)
    return [(value, label) for value, label in Role.choices
            if not rules.check_role(value, org) and not rules.check_rank(value, rank)]


def _password(post) -> tuple[str, bool, list]:
    """(password, made here, problems): typed twice, or a one-time password made here."""
    if post.get("password_choice", "generate") == "typed":
        password = post.get("password", "")
        return password, False, rules.check_password(password, post.get("password2", ""))
    return people.one_time_password(), True, []


def _list_page(request, *, asked=None, status=200):
    org = request.access.organisation
    q = request.GET.get("q", "").strip()
    page, total = people.people_page(org, q, request.GET.get("page"), PAGE_SIZE)
    for p in page.object_list:
        p.labels = [Role(r).label for r in p.roles]
    return render(request, "web/users.html", {
        "page": page, "q": q, "total": total, "roles": _roles_offered(org, request.user),
        "asked": asked or {"role": Role.TREASURER, "password_choice": "generate"},
    }, status=status)


@org_view(scoping.MANAGE)
def users_page(request):
    """GET: the list and the add form. POST: a new user with one role."""
    if request.method != "POST":
        return _list_page(request)
    org = request.access.organisation
    p = request.POST
    asked = {k: p.get(k, "").strip() for k in ("username", "first_name", "last_name", "email", "phone", "role",
                                               "member_number", "password_choice")}
    password, made, problems = _password(p)
    try:
        raise_if(problems)
        user = people.person_add(actor=request.user, organisation=org, username=asked["username"],
                                 password=password, role=asked["role"], first_name=asked["first_name"],
                                 last_name=asked["last_name"], email=asked["email"],
                                 member_number=asked["member_number"], phone=asked["phone"])
    except RuleViolation as exc:
        _problems(request, exc)
        return _list_page(request, asked=asked, status=422)
    return _person_page(request, user, shown_password=password if made else "")


def _user_in_scope(request, user_id: int):
    """The user if they hold a role in this organisation (else 404), then ``manage`` required."""
    org = request.access.organisation
    user = people.user_by_id(org, user_id)
    if user is None:
        raise Http404("ไม่พบผู้ใช้ / no such user")
    scoping.require(request.access, scoping.MANAGE)
    return user


def _person_page(request, user, *, shown_password: str = "", status=200):
    org = request.access.organisation
    person = people.person_of(org, user)
    held = person.roles if person else []
    rank = services.actor_rank(request.user, org)
    return render(request, "web/user_detail.html", {
        "person": person, "the_user": user, "shown_password": shown_password,
        "held": [(r, Role(r).label, not rules.check_rank(r, rank)) for r in held],
        "roles": [(v, label) for v, label in _roles_offered(org, request.user) if v not in held],
        "can_edit": not any(rules.check_rank(r, rank) for r in held),
    }, status=status)


@org_view(scoping.VIEW, write_need=scoping.MANAGE)
def user_detail(request, user_id: int):
    return _person_page(request, _user_in_scope(request, user_id))


@org_view(scoping.VIEW, write_need=scoping.MANAGE)
def user_edit(request, user_id: int):
    """POST: the user's name, e-mail and phone (GET: back to the user's page)."""
    user = _user_in_scope(request, user_id)
    org = request.access.organisation
    if request.method == "POST":
        p = request.POST
        try:
            services.user_update(actor=request.user, user=user, organisation=org,
                                 first_name=p.get("first_name", ""), last_name=p.get("last_name", ""),
                                 email=p.get("email", ""), phone=p.get("phone", ""))
        except RuleViolation as exc:
            _problems(request, exc)
            return _person_page(request, user, status=422)
        messages.success(request, _("บันทึกข้อมูลของ %(user)s แล้ว") % {"user": user.username})
    return redirect("user-detail", org=org.code, user_id=user.pk)


@org_view(scoping.VIEW, write_need=scoping.MANAGE)
def user_grant(request, user_id: int):
    """POST: a role more (GET: back to the user's page)."""
    user = _user_in_scope(request, user_id)
    org = request.access.organisation
    if request.method != "POST":
        return redirect("user-detail", org=org.code, user_id=user.pk)
    role = request.POST.get("role", "")
    try:
        people.person_grant(actor=request.user, organisation=org, user=user, role=role,
                            member_number=request.POST.get("member_number", "").strip())
    except RuleViolation as exc:
        _problems(request, exc)
    else:
        messages.success(request, _("ให้บทบาท %(role)s แก่ %(user)s แล้ว")
                         % {"role": Role(role).label, "user": user.username})
    return redirect("user-detail", org=org.code, user_id=user.pk)


@org_view(scoping.VIEW, write_need=scoping.MANAGE)
def user_revoke(request, user_id: int):
    """GET ?role=: confirm; POST: the role taken back (the last chair stays)."""
    user = _user_in_scope(request, user_id)
    org = request.access.organisation
    role = (request.POST if request.method == "POST" else request.GET).get("role", "")
    if role not in Role.values:
        return redirect("user-detail", org=org.code, user_id=user.pk)
    if request.method == "POST":
        try:
            services.role_revoke(actor=request.user, user=user, organisation=org, role=role)
        except RuleViolation as exc:
            _problems(request, exc)
        else:
            messages.success(request, _("ถอนบทบาท %(role)s ของ %(user)s แล้ว")
                             % {"role": Role(role).label, "user": user.username})
        return redirect("user-detail", org=org.code, user_id=user.pk)
    return render(request, "web/user_confirm.html", {
        "the_user": user, "action": "revoke", "role": role, "role_label": Role(role).label,
    })


@org_view(scoping.VIEW, write_need=scoping.MANAGE)
def user_password(request, user_id: int):
    """GET: the form; POST: a new password, typed twice or made here and shown once."""
    user = _user_in_scope(request, user_id)
    org = request.access.organisation
    if request.method != "POST":
        return render(request, "web/user_password.html", {"the_user": user})
    password, made, problems = _password(request.POST)
    try:
        raise_if(problems)
        services.user_password_reset(actor=request.user, user=user, organisation=org, password=password)
    except RuleViolation as exc:
        _problems(request, exc)
        return render(request, "web/user_password.html", {"the_user": user}, status=422)
    messages.success(request, _("ตั้งรหัสผ่านใหม่ของ %(user)s แล้ว") % {"user": user.username})
    if made:
        return _person_page(request, user, shown_password=password)
    return redirect("user-detail", org=org.code, user_id=user.pk)


@org_view(scoping.VIEW, write_need=scoping.MANAGE)
def user_deactivate(request, user_id: int):
    """GET: confirm; POST: the user can no longer sign in (their roles and history stay)."""
    user = _user_in_scope(request, user_id)
    org = request.access.organisation
    if request.method == "POST":
        try:
            services.user_deactivate(actor=request.user, user=user, organisation=org)
        except RuleViolation as exc:
            _problems(request, exc)
        else:
            messages.success(request, _("ปิดการใช้งาน %(user)s แล้ว") % {"user": user.username})
        return redirect("user-detail", org=org.code, user_id=user.pk)
    return render(request, "web/user_confirm.html", {"the_user": user, "action": "deactivate"})
