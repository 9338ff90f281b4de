"""Sign-in that resists guessing: django-axes counts failures, this module sets Omboon's rules.

- 5 wrong passwords for one username (``AXES_FAILURE_LIMIT``) lock that username; 20 from one
  address (``OMBOON_ADDRESS_FAILURE_LIMIT``), whatever the usernames, lock that address. A lock
  lasts ``AXES_COOLOFF_TIME`` (15 minutes) after the last failed try; a right password does
  not open it.
- Every failed sign-in, the lockout and each refused try while locked are audit events
  (``auth.login_failed``, ``auth.locked_out``, ``auth.login_refused``) of every organisation
  where the user holds a role (no organisation for an unknown username).
- A locked sign-in is answered 429 with the login page and when to try again.
- A chair (``manage``) or a system admin unlocks a user from /o/<org>/sign-ins/
  (``user_unlock``, audited as ``auth.unlock``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.db.models import Max, Sum
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from omboon.core import audit
from omboon.orgs.models import Organisation, RoleAssignment


class ThrottledBackend(AxesStandaloneBackend):
    """Axes's check before Django's ModelBackend. Every sign-in form passes its request; a call
    without one (the test client's ``login``) has no address to count and is not throttled."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


@dataclass(frozen=True)
class Failures:
    username: str | None
    by_user: int  # recent failures of this username, from any address
    by_address: int  # recent failures from this address, for any username
    last_at: dt.datetime | None

    @property
    def user_locked(self) -> bool:
        return bool(self.username) and self.by_user >= settings.AXES_FAILURE_LIMIT

    @property
    def address_locked(self) -> bool:
        return self.by_address >= settings.OMBOON_ADDRESS_FAILURE_LIMIT

    @property
    def locked(self) -> bool:
        return self.user_locked or self.address_locked

    @property
    def until(self) -> dt.datetime:
        return (self.last_at or timezone.now()) + settings.AXES_COOLOFF_TIME


def _sum(qs) -> tuple[int, dt.datetime | None]:
    row = qs.aggregate(n=Sum("failures_since_start"), last=Max("attempt_time"))
    return row["n"] or 0, row["last"]


def failures(request, credentials=None) -> Failures:
    """Recent failures of the request's username and of its address (within the cool-off)."""
    recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
    username = get_client_username(request, credentials)
    by_user, user_last = _sum(recent.filter(username=username)) if username else (0, None)
    by_address, address_last = _sum(recent.filter(ip_address=request.axes_ip_address))
    last = max((t for t in (user_last, address_last) if t), default=None)
    return Failures(username, by_user, by_address, last)


class SignInHandler(AxesDatabaseHandler):
    """Axes's database handler with two limits (a username's and an address's) instead of one,
    and Omboon's audit events for failures and lockouts."""

    def get_failures(self, request, credentials=None) -> int:
        # Axes compares this with AXES_FAILURE_LIMIT: an address's count is scaled so that it
        # reaches that number at OMBOON_ADDRESS_FAILURE_LIMIT.
        f = failures(request, credentials)
        request.omboon_failures = f
        user_limit, address_limit = settings.AXES_FAILURE_LIMIT, settings.OMBOON_ADDRESS_FAILURE_LIMIT
        return max(f.by_user, f.by_address * user_limit // address_limit)

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A right password clears the user's own failures, not the address's (else an attacker
        # with one account could clear the count of their guesses at others).
        username = get_client_username(request, credentials)
        return AccessAttempt.objects.filter(username=username).delete()[0] if username else 0

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is None:
            return super().user_login_failed(sender, credentials, request, **kwargs)
        was_locked = failures(request, credentials).locked
        super().user_login_failed(sender, credentials, request, **kwargs)
        login_failed_record(request=request, failures=getattr(request, "omboon_failures", None)
                            or failures(request, credentials), was_locked=was_locked)


def _organisations_of(username: str | None) -> list[Organisation | None]:
    if not username:
        return [None]
    orgs = list(Organisation.objects.filter(
        pk__in=RoleAssignment.objects.filter(user__username=username).values("organisation")
    ).order_by("path"))
    return orgs or [None]


def login_failed_record(*, request, failures: Failures, was_locked: bool) -> str:
    """One audit event per organisation of the username: a failed sign-in, the lockout it
    caused, or a try refused while locked. Returns the action recorded."""
    if not failures.locked:
        action = "auth.login_failed"
    elif was_locked:
        action = "auth.login_refused"
    else:
        action = "auth.locked_out"
    address = request.axes_ip_address or ""
    username = failures.username or ""
    after = {"username": username, "address": address, "failures": failures.by_user,
             "address_failures": failures.by_address}
    if failures.locked:
        after["locked"] = "address" if failures.address_locked and not failures.user_locked else "username"
        after["until"] = timezone.localtime(failures.until).isoformat(timespec="minutes")
    user = get_user_model().objects.filter(username=username).first() if username else None
    with transaction.atomic():
        for org in _organisations_of(username):
            audit.record(actor=None, action=action, organisation=org, obj=user,
                         summary=f"{username} · {address}", after=after)
    return action


def lockout_message(f: Failures) -> str:
    until = timezone.localtime(f.until)
    minutes = max(1, round((f.until - timezone.now()).total_seconds() / 60))
    at = until.strftime("%H:%M")
    if f.user_locked:
        return (f"ใส่รหัสผ่านผิดหลายครั้งเกินไป บัญชีนี้ถูกล็อกชั่วคราว ลองใหม่ได้เวลา {at} น. "
                f"(อีกประมาณ {minutes} นาที) หรือขอให้ประธานกลุ่มปลดล็อก / "
                f"Too many wrong passwords: this account is locked for now. Try again at {at} "
                f"(in about {minutes} minutes), or ask your group's chair to unlock it.")
    return (f"มีการเข้าสู่ระบบผิดจากเครื่องนี้หลายครั้งเกินไป ลองใหม่ได้เวลา {at} น. "
            f"(อีกประมาณ {minutes} นาที) / Too many failed sign-ins from this address. "
            f"Try again at {at} (in about {minutes} minutes).")


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the login page, 429, saying when to try again."""
    f = getattr(request, "omboon_failures", None) or failures(request, credentials)
    form = AuthenticationForm(request, initial={"username": f.username or ""})
    response = render(request, "web/login.html", {
        "form": form,
        "lockout": lockout_message(f),
        "next": request.POST.get("next", "") or request.GET.get("next", ""),
    }, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


# --- seeing and opening locks --------------------------------------------------------------

@dataclass(frozen=True)
class LockedUser:
    user: object
    failures: int
    until: dt.datetime


def locked_users(organisation: Organisation) -> list[LockedUser]:
    """Users holding a role in this organisation whose sign-in is locked now."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    users = {u.username: u for u in get_user_model().objects.filter(
        pk__in=RoleAssignment.objects.filter(organisation=organisation).values("user"))}
    rows = (AccessAttempt.objects.filter(attempt_time__gte=since, username__in=list(users))
            .values("username").annotate(n=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(n__gte=settings.AXES_FAILURE_LIMIT).order_by("username"))
    return [LockedUser(users[r["username"]], r["n"], r["last"] + settings.AXES_COOLOFF_TIME) for r in rows]


def user_of(organisation: Organisation, user_id: int):
    """A user holding a role in this organisation, or 404 (also for another group's user)."""
    user = get_user_model().objects.filter(
        pk=user_id, pk__in=RoleAssignment.objects.filter(organisation=organisation).values("user")).first()
    if user is None:
        raise Http404("ไม่พบผู้ใช้ / user not found")
    return user


@transaction.atomic
def user_unlock(*, actor, organisation: Organisation, user) -> int:
    """Clear the user's failed sign-ins, so they may sign in again now. Returns how many
    failure records were cleared."""
    cleared = list(AccessAttempt.objects.filter(username=user.get_username())
                   .values_list("ip_address", "failures_since_start"))
    AccessAttempt.objects.filter(username=user.get_username()).delete()
    audit.record(actor=actor, action="auth.unlock", organisation=organisation, obj=user,
                 summary=user.get_username(),
                 before={"failures": sum(n for _, n in cleared),
                         "addresses": sorted({ip or "" for ip, _ in cleared})},
                 after={"failures": 0})
    return len(cleared)
