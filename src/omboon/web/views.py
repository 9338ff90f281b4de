"""Pages of the web shell: the root redirect, the organisation switch, each role's home page,
and the audit trail. Thin: they ask ``omboon.orgs.scoping`` and the selectors, then render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omboon.members.models import Member
from omboon.orgs import geography, scoping
from omboon.orgs.decorators import org_view
from omboon.orgs.models import RoleAssignment
from omboon.web import audit_labels, first_setup, selectors, signin

AUDIT_PAGE_SIZE = 50


def home(request):
    """The root: a logged-in user goes to their last organisation, else to their first one."""
    if not request.user.is_authenticated:
        return redirect("first-setup" if first_setup.is_empty_install() else "login")
    visible = scoping.visible_organisations(request.user)
    last = request.session.get("org")
    if last and visible.filter(code=last).exists():
        return redirect("org-home", org=last)
    own = (
        RoleAssignment.objects.filter(user=request.user, organisation__in=visible)
        .order_by("organisation__path")
        .values_list("organisation__code", flat=True)
        .first()
    )
    code = own or visible.order_by("path").values_list("code", flat=True).first()
    if code:
        return redirect("org-home", org=code)
    return render(request, "web/no_organisation.html", status=403)


@login_required
def org_switch(request):
    """The switcher's GET form: /switch/?org=CODE → /o/CODE/ (which checks access itself)."""
    code = (request.GET.get("org") or "").strip()
    if not code:
        return redirect("home")
    try:
        url = reverse("org-home", kwargs={"org": code})
    except NoReverseMatch:  # no organisation code holds a "/"
        raise Http404("ไม่พบองค์กร / organisation not found") from None
    return redirect(url)


def about(request):
    return render(request, "web/about.html", {"geography_credit": geography.CREDIT})


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("login")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "web/password_change.html"
    success_url = reverse_lazy("password-change-done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "web/password_change_done.html"


@org_view()
def org_home(request):
    access = request.access
    org = access.organisation
    if access.own_records_only:
        records = selectors.own_records(user=request.user, organisation=org, today=timezone.localdate())
        return render(request, "web/home_member.html", {"records": records})
    if org.is_network:
        rows, totals = selectors.network_groups(org)
        nested = any(g.parent_id != org.pk for g in rows)  # groups sit in sub-networks
        return render(request, "web/home_network.html", {"groups": rows, "totals": totals, "nested": nested})
    today = timezone.localdate()
    counts = selectors.group_figures(org, today=today)
    return render(request, "web/home_group.html", {
        "counts": counts,
        "year": today.year,
        "status_rows": [(label, counts.by_status.get(value, 0)) for value, label in Member.Status.choices],
        "sex_rows": [(label, counts.by_sex.get(value, 0)) for value, label in Member.Sex.choices],
        "balances": selectors.group_balances(org, as_of=today),
        "can_records": access.can(scoping.RECORDS),
    })


@org_view(scoping.AUDIT)
def audit_trail(request):
    org = request.access.organisation
    actions = selectors.audit_actions(org)
    action = request.GET.get("action", "")
    if action not in actions:
        action = ""
    events = selectors.audit_events(org, action=action)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/audit_trail.html", {
        "page": page,
        "people": audit_labels.people_of(page.object_list),
        "actions": actions,
        "action": action,
        "show_org": org.is_network,
        "title": _("บันทึกการตรวจสอบ"),
        "can_manage": request.access.can(scoping.MANAGE),
    })


@org_view(scoping.MANAGE)
def signin_locks(request):
    """The organisation's users whose sign-in is locked now, each with an unlock button."""
    org = request.access.organisation
    return render(request, "web/signin_locks.html", {
        "locked": signin.locked_users(org),
        "limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    })


@org_view(scoping.RECORDS, write_need=scoping.MANAGE)
def signin_unlock(request, user_id: int):
    """GET: confirm; POST: clear the user's failed sign-ins (audited). The user is looked up
    first (another group's user is a 404), then ``manage`` is required."""
    org = request.access.organisation
    user = signin.user_of(org, user_id)
    scoping.require(request.access, scoping.MANAGE)
    if request.method == "POST":
        signin.user_unlock(actor=request.user, organisation=org, user=user)
        messages.success(request, f"ปลดล็อก {user.get_username()} แล้ว / {user.get_username()} is unlocked")
        return redirect("signin-locks", org=org.code)
    return render(request, "web/signin_unlock.html", {
        "target": user,
    })
