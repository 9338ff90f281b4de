"""``omboon tokens``: a network's nightly script gets a read-only token, lists it, revokes it."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from omboon.core.models import AuditEvent
from omboon.orgs.models import ApiToken

pytestmark = pytest.mark.django_db


def tokens(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("tokens", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_prints_the_token_once_then_list_and_revoke(tree):
    raw, said = tokens("create", "--org", "LP-S", "--service-user", "nightly", "--role", "coordinator",
                       "--name", "monthly figures", "--days", "30")
    raw = raw.strip()
    assert raw.startswith("omb_") and "shown once" in said and "svc.nightly@lp-s" in said
    token = ApiToken.objects.get()
    assert token.capabilities == ["view"] and token.digest != raw
    figures = Client().get("/api/v1/network/LP-S/figures", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert figures.status_code == 200, figures.content

    listed, _ = tokens("list", "--org", "LP-S")
    header, row = listed.splitlines()[:2]
    assert header.split()[:3] == ["token", "name", "user"]
    assert row.startswith(token.prefix) and "svc.nightly@lp-s" in row and row.endswith("active")
    assert raw not in listed

    done, _ = tokens("revoke", "--org", "LP-S", "--token", token.prefix)
    assert "revoked" in done
    assert Client().get("/api/v1/network/LP-S/figures", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert tokens("list", "--org", "LP-S")[0].splitlines()[1].endswith("revoked")
    assert AuditEvent.objects.filter(action__startswith="orgs.token_").count() == 3  # create, use, revoke


def test_refusals_name_the_problem_and_make_nothing(tree):
    with pytest.raises(CommandError, match="does not hold write"):
        tokens("create", "--org", "BDC", "--service-user", "job", "--name", "x", "--capabilities", "view,write")
    with pytest.raises(CommandError, match="366 days"):
        tokens("create", "--org", "BDC", "--service-user", "job", "--name", "x", "--days", "400")
    with pytest.raises(CommandError, match="no organisation"):
        tokens("list", "--org", "NOPE")
    assert not ApiToken.objects.exists()
