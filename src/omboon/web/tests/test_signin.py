"""Sign-in resists guessing (omboon.web.signin, django-axes underneath).

A worked example: somebody tries password after password for the treasurer of Ban Don Chai.
After the 5th wrong one the account is locked for 15 minutes: the 6th to 30th tries get the
login page with status 429 saying when to try again, and even the right password is refused.
Every try is in the group's audit trail. The group's chair opens the lock from the app.
Guessing across many usernames from one address is stopped too, after 20 failures.
"""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from omboon.core.models import AuditEvent
from omboon.demo.accounts import DEMO_PASSWORD, DEMO_USERS
from omboon.orgs.models import Role
from omboon.testing.factories import make_superuser, make_user

pytestmark = pytest.mark.django_db

RIGHT = "pass-1234"


def _try(client, username, password, address="127.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def _text(response) -> str:
    return response.content.decode()


def _actions(org) -> list[str]:
    return list(AuditEvent.objects.filter(organisation=org, action__startswith="auth.")
                .order_by("id").values_list("action", flat=True))


def test_thirty_wrong_passwords_lock_the_user_after_five(client, tree, treasurer):
    statuses = [_try(client, "treasurer-a", f"guess-{n}").status_code for n in range(30)]
    assert statuses[:4] == [200] * 4  # "wrong username or password", the form again
    assert statuses[4:] == [429] * 26  # the 5th locks; every later try is refused

    page = _text(_try(client, "treasurer-a", "guess-31"))
    assert "บัญชีนี้ถูกล็อกชั่วคราว ลองใหม่ได้เวลา" in page and "Try again at" in page
    assert 'name="username"' in page and 'value="treasurer-a"' in page  # the login page, not a bare text

    # The right password does not open the lock.
    locked = _try(client, "treasurer-a", RIGHT)
    assert locked.status_code == 429 and "_auth_user_id" not in client.session
    assert locked["Retry-After"] == "900"

    # The group's audit trail has every try: 4 failures, the lockout, then refusals.
    actions = _actions(tree.group_a)
    assert actions[:5] == ["auth.login_failed"] * 4 + ["auth.locked_out"]
    assert set(actions[5:]) == {"auth.login_refused"} and len(actions) == 32
    lockout = AuditEvent.objects.get(organisation=tree.group_a, action="auth.locked_out")
    assert lockout.after["username"] == "treasurer-a" and lockout.after["address"] == "127.0.0.1"
    assert lockout.after["locked"] == "username" and lockout.after["failures"] == 5
    assert lockout.object_id == str(treasurer.pk)


def test_the_lock_ends_after_the_cool_off(client, tree, treasurer):
    for n in range(5):
        _try(client, "treasurer-a", f"guess-{n}")
    assert _try(client, "treasurer-a", RIGHT).status_code == 429
    # 16 minutes later (the last refused try counted as a failure too, and restarted the wait)
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    assert _try(client, "treasurer-a", RIGHT).status_code == 302


def test_a_right_password_clears_the_users_own_failures(client, tree, treasurer):
    for n in range(4):
        _try(client, "treasurer-a", f"guess-{n}")
    assert _try(client, "treasurer-a", RIGHT).status_code == 302
    client.logout()
    for n in range(4):  # four more do not lock: the count started again
        assert _try(client, "treasurer-a", f"again-{n}").status_code == 200


def test_one_address_guessing_many_usernames_is_stopped(client, tree, treasurer, chair):
    statuses = [_try(client, f"nobody-{n}", "guess", address="10.0.0.66").status_code for n in range(25)]
    assert statuses[:19] == [200] * 19 and statuses[19:] == [429] * 6  # 20 from one address

    page = _text(_try(client, "treasurer-a", RIGHT, address="10.0.0.66"))
    assert "จากเครื่องนี้หลายครั้งเกินไป" in page and "from this address" in page
    assert "_auth_user_id" not in client.session
    # The same user from another address is not locked: no username reached 5.
    assert _try(client, "treasurer-a", RIGHT, address="10.0.0.7").status_code == 302
    # Unknown usernames belong to no organisation; their events have none.
    assert AuditEvent.objects.filter(organisation=None, action="auth.login_failed").count() == 19
    assert AuditEvent.objects.filter(organisation=None, action="auth.locked_out").count() == 1


def test_the_address_header_cannot_be_forged_to_escape_the_count(client, tree, treasurer):
    for n in range(5):
        client.post("/login/", {"username": "treasurer-a", "password": f"guess-{n}"},
                    HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_the_chair_sees_and_opens_a_lock_and_it_is_audited(client, tree, treasurer, chair):
    for n in range(5):
        _try(client, "treasurer-a", f"guess-{n}")

    client.force_login(chair)
    audit = _text(client.get("/o/BDC/audit/"))
    assert reverse("signin-locks", kwargs={"org": "BDC"}) in audit  # the chair's way in
    locks = _text(client.get("/o/BDC/sign-ins/"))
    assert "treasurer-a" in locks and "ปลดล็อก" in locks
    unlock_url = reverse("signin-unlock", kwargs={"org": "BDC", "user_id": treasurer.pk})
    assert unlock_url in locks

    confirm = client.get(unlock_url)  # a GET only asks
    assert confirm.status_code == 200 and "ยืนยันปลดล็อก" in _text(confirm)
    assert AccessAttempt.objects.filter(username="treasurer-a").exists()

    done = client.post(unlock_url)
    assert done.status_code == 302 and done["Location"] == "/o/BDC/sign-ins/"
    assert not AccessAttempt.objects.filter(username="treasurer-a").exists()
    assert "ไม่มีผู้ใช้ที่ถูกล็อก" in _text(client.get("/o/BDC/sign-ins/"))
    event = AuditEvent.objects.get(action="auth.unlock")
    assert event.organisation == tree.group_a and event.actor == chair
    assert event.object_id == str(treasurer.pk) and event.before["failures"] == 5

    client.logout()
    assert _try(client, "treasurer-a", RIGHT).status_code == 302


def test_a_system_admin_may_unlock_too(client, tree, treasurer):
    for n in range(5):
        _try(client, "treasurer-a", f"guess-{n}")
    client.force_login(make_superuser())
    client.post(reverse("signin-unlock", kwargs={"org": "BDC", "user_id": treasurer.pk}))
    assert not AccessAttempt.objects.filter(username="treasurer-a").exists()
    assert AuditEvent.objects.filter(action="auth.unlock", organisation=tree.group_a).count() == 1


def test_only_manage_may_unlock(client, tree, treasurer):
    for n in range(5):
        _try(client, "treasurer-a", f"guess-{n}")
    url = reverse("signin-unlock", kwargs={"org": "BDC", "user_id": treasurer.pk})
    client.force_login(make_user(tree.group_a, Role.AUDITOR))
    assert client.get("/o/BDC/sign-ins/").status_code == 403
    assert client.post(url).status_code == 403
    # another group's chair cannot even see the user
    client.force_login(make_user(tree.group_b, Role.CHAIR))
    assert client.post(reverse("signin-unlock", kwargs={"org": "MPA", "user_id": treasurer.pk})).status_code == 404
    assert AccessAttempt.objects.filter(username="treasurer-a").exists()
    assert not AuditEvent.objects.filter(action="auth.unlock").exists()


def test_the_admin_sign_in_is_throttled_too(client, tree):
    make_superuser()
    statuses = [client.post("/admin/login/", {"username": "root", "password": f"g{n}"}).status_code
                for n in range(6)]
    assert statuses[-2:] == [429, 429]


# --- passwords -----------------------------------------------------------------------------


@pytest.mark.parametrize("password, why", [
    ("kaeng-som", "too short"),  # 9 characters
    ("1234567890123", "all digits"),
    ("password1234", "common"),
    ("somsri1234", "like the username"),
])
def test_weak_passwords_are_refused(password, why):
    user = get_user_model()(username="somsri", first_name="somsri", last_name="kaewma")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_the_demo_password_passes_for_every_demo_user():
    for demo in DEMO_USERS:
        user = get_user_model()(username=demo.username, first_name=demo.first_name, last_name=demo.last_name)
        validate_password(DEMO_PASSWORD, user)


def test_changing_to_a_short_password_is_refused(client, treasurer):
    client.force_login(treasurer)
    response = client.post("/password/", {
        "old_password": RIGHT, "new_password1": "short-pw", "new_password2": "short-pw"})
    assert response.status_code == 200 and "errorlist" in _text(response)
