"""API tokens in worked examples: a chair makes a read-only token for a service user of the
group; a script reads with it, without CSRF; it reaches only its organisations and capabilities,
never more than its user's roles; an expired or revoked token is a 401 with the reason; every
use is audited (once a day), as are creation and revocation."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from omboon.core.errors import RuleViolation
from omboon.core.models import AuditEvent
from omboon.core.national_id import with_check_digit
from omboon.members.models import Member
from omboon.orgs import scoping, services
from omboon.orgs.models import ApiToken, Role
from omboon.testing.factories import make_user

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
NEXT_MONTH = TODAY + dt.timedelta(days=30)


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def nightly(chair, tree):
    """A service user of BDC with the auditor's role (read-only), and a view+records token."""
    service = services.service_user_create(actor=chair, organisation=tree.group_a, name="nightly",
                                           role=Role.AUDITOR)
    token, raw = services.token_create(actor=chair, holder=service.user, organisations=[tree.group_a],
                                       name="nightly sheet", capabilities=["view", "records"],
                                       expires_on=NEXT_MONTH)
    return token, raw


def problems(response, status):
    assert response.status_code == status, response.content
    return response.json()["errors"]


def test_only_the_digest_is_kept_and_the_token_is_shown_once(nightly):
    token, raw = nightly
    assert raw.startswith("omb_") and len(raw) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw not in {stored.digest, stored.prefix, stored.name}
    assert stored.digest == services.token_digest(raw) and raw.startswith(stored.prefix)
    assert not AuditEvent.objects.filter(after__icontains=raw[PREFIX:]).exists()


PREFIX = services.PREFIX_SHOWN
MEMBER = {"first_name": "สมศรี", "last_name": "ใจดี", "sex": "F", "national_id": with_check_digit("110370012345"),
          "birth_date": "1970-01-02", "join_date": "2020-01-01"}


def test_a_script_reads_with_the_token_and_needs_no_csrf(nightly, tree):
    _, raw = nightly
    script = Client(enforce_csrf_checks=True)
    assert script.get("/api/v1/members/BDC", **bearer(raw)).status_code == 200
    # records but not write: the auditor's token cannot add a member, even without CSRF trouble
    (p,) = problems(script.post("/api/v1/members/BDC", MEMBER, content_type="application/json",
                                **bearer(raw)), 403)
    assert p["code"] == "forbidden" and not Member.objects.exists()


def test_a_token_with_write_posts_without_csrf_but_a_session_still_needs_it(chair, tree):
    _, raw = services.token_create(actor=chair, holder=chair, organisations=[tree.group_a], name="mine",
                                       capabilities=["view", "records", "write"], expires_on=NEXT_MONTH)
    script = Client(enforce_csrf_checks=True)
    body = MEMBER
    answer = script.post("/api/v1/members/BDC", body, content_type="application/json", **bearer(raw))
    assert answer.status_code in (200, 201), answer.content
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(chair)
    (p,) = problems(browser.post("/api/v1/members/BDC", body, content_type="application/json"), 403)
    assert p["field"] == "csrf"


def test_another_groups_code_is_a_404_as_for_a_session(nightly, tree, chair):
    _, raw = nightly
    script = Client()
    (p,) = problems(script.get("/api/v1/members/MPA", **bearer(raw)), 404)
    assert p["message_en"] == "organisation not found"
    assert [o["code"] for o in script.get("/api/v1/orgs/", **bearer(raw)).json()] == ["BDC"]


def test_the_scope_narrows_the_users_own_roles(chair, tree):
    # the chair holds everything in BDC; a token for BDC with view only reads figures, not records
    token, raw = services.token_create(actor=chair, holder=chair, organisations=[tree.group_a], name="figures",
                                       expires_on=NEXT_MONTH)
    assert token.capabilities == ["view"]
    user = services.token_authenticate(raw)
    assert scoping.resolve(user, tree.group_a).capabilities == {"view"}
    assert scoping.resolve(user, tree.group_b).capabilities == frozenset()
    (p,) = problems(Client().get("/api/v1/members/BDC", **bearer(raw)), 403)
    assert p["code"] == "forbidden"


def test_a_coordinators_network_token_reaches_the_groups_below_read_only(coordinator, tree):
    admin = make_user(tree.zone, Role.ADMIN, username="admin-s")
    _, raw = services.token_create(actor=admin, holder=admin, organisations=[tree.zone], name="zone",
                                   capabilities=["view", "records"], expires_on=NEXT_MONTH)
    user = services.token_authenticate(raw)
    assert scoping.resolve(user, tree.group_b).capabilities == {"view", "records"}
    assert scoping.resolve(user, tree.group_c).capabilities == frozenset()  # another zone
    codes = {o.code for o in scoping.visible_organisations(user)}
    assert codes == {"LP-S", "BDC", "MPA"}


def test_capabilities_the_holder_does_not_hold_are_refused(chair, tree):
    service = services.service_user_create(actor=chair, organisation=tree.group_a, name="backup",
                                           role=Role.AUDITOR)
    with pytest.raises(RuleViolation) as caught:
        services.token_create(actor=chair, holder=service.user, organisations=[tree.group_a], name="x",
                              capabilities=["view", "write"], expires_on=NEXT_MONTH)
    (p,) = caught.value.problems
    assert p.field == "capabilities" and "write" in p.message_en and p.message_th
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(("change", "field"), [
    ({"capabilities": ["records"]}, "capabilities"),
    ({"capabilities": ["view", "fly"]}, "capabilities"),
    ({"expires_on": TODAY - dt.timedelta(days=1)}, "expires_on"),
    ({"expires_on": TODAY + dt.timedelta(days=367)}, "expires_on"),
    ({"name": " "}, "name"),
    ({"organisations": []}, "organisations"),
])
def test_bad_tokens_are_refused_with_the_field(chair, tree, change, field):
    asked = {"holder": chair, "organisations": [tree.group_a], "name": "ok", "capabilities": ["view"],
             "expires_on": NEXT_MONTH, **change}
    with pytest.raises(RuleViolation) as caught:
        services.token_create(actor=chair, **asked)
    assert field in {p.field for p in caught.value.problems}
    assert not ApiToken.objects.exists() and not AuditEvent.objects.filter(action="orgs.token_create").exists()


def test_the_creator_needs_manage_and_the_holder_is_self_or_a_service_user_of_that_org(chair, treasurer, tree):
    with pytest.raises(RuleViolation) as caught:  # the treasurer has no manage
        services.token_create(actor=treasurer, holder=treasurer, organisations=[tree.group_a], name="t",
                              expires_on=NEXT_MONTH)
    assert caught.value.problems[0].field == "organisations"
    with pytest.raises(RuleViolation) as caught:  # another person's token
        services.token_create(actor=chair, holder=treasurer, organisations=[tree.group_a], name="t",
                              expires_on=NEXT_MONTH)
    assert caught.value.problems[0].field == "user"
    with pytest.raises(RuleViolation):  # a group the chair does not manage
        services.token_create(actor=chair, holder=chair, organisations=[tree.group_b], name="t",
                              expires_on=NEXT_MONTH)
    other_chair = make_user(tree.group_b, Role.CHAIR, username="chair-b")
    service = services.service_user_create(actor=other_chair, organisation=tree.group_b, name="mpa-job",
                                           role=Role.AUDITOR)
    with pytest.raises(RuleViolation):  # MPA's service user is not BDC's
        services.token_create(actor=chair, holder=service.user, organisations=[tree.group_a], name="t",
                              expires_on=NEXT_MONTH)


def test_a_token_cannot_make_tokens(chair, tree):
    _, raw = services.token_create(actor=chair, holder=chair, organisations=[tree.group_a], name="all",
                                   capabilities=sorted(scoping.ALL), expires_on=NEXT_MONTH)
    narrowed = services.token_authenticate(raw)
    with pytest.raises(RuleViolation) as caught:
        services.token_create(actor=narrowed, holder=narrowed, organisations=[tree.group_a], name="again",
                              expires_on=NEXT_MONTH)
    assert caught.value.problems[0].code == "forbidden"


def test_a_token_works_through_its_expiry_day_and_is_refused_the_day_after(nightly):
    token, raw = nightly
    ApiToken.objects.filter(pk=token.pk).update(expires_on=TODAY)  # expires_on is its last day
    assert Client().get("/api/v1/members/BDC", **bearer(raw)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_on=TODAY - dt.timedelta(days=1))
    (p,) = problems(Client().get("/api/v1/members/BDC", **bearer(raw)), 401)
    assert p["code"] == "token_expired" and p["message_th"]


def test_a_revoked_token_stops_at_once_and_an_unknown_one_never_worked(nightly, chair):
    token, raw = nightly
    services.token_revoke(actor=chair, token=token)
    (p,) = problems(Client().get("/api/v1/members/BDC", **bearer(raw)), 401)
    assert p["code"] == "token_revoked"
    (p,) = problems(Client().get("/api/v1/members/BDC", **bearer("omb_" + "x" * 43)), 401)
    assert p["code"] == "token_unknown"
    with pytest.raises(RuleViolation):
        services.token_revoke(actor=chair, token=token)  # revoked already


def test_only_the_holder_or_a_manager_revokes(nightly, treasurer):
    token, _ = nightly
    with pytest.raises(RuleViolation) as caught:
        services.token_revoke(actor=treasurer, token=token)
    assert caught.value.problems[0].code == "forbidden"
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_every_use_is_audited_once_a_day_and_creation_and_revocation_too(nightly, chair, tree):
    token, raw = nightly
    assert AuditEvent.objects.filter(action="orgs.token_create", organisation=tree.group_a).count() == 1
    for _ in range(3):
        assert Client().get("/api/v1/members/BDC", **bearer(raw)).status_code == 200
    used = AuditEvent.objects.filter(action="orgs.token_authenticate", organisation=tree.group_a)
    assert used.count() == 1 and used.get().actor == token.user
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    tomorrow = timezone.now() + dt.timedelta(days=1)
    services.token_authenticate(raw, now=tomorrow)
    assert used.count() == 2
    services.token_revoke(actor=chair, token=token)
    assert AuditEvent.objects.filter(action="orgs.token_revoke", organisation=tree.group_a).count() == 1


def test_a_service_user_never_signs_in(nightly):
    token, _ = nightly
    assert not token.user.has_usable_password()
    assert not Client().login(username=token.user.username, password="")
