"""The sync protocol on the server: enrolment, tokens, signatures, order. Refused requests
change nothing."""

from __future__ import annotations

import json

import pytest

from omboon.network.models import FactMonth, MonthlyFact, NodeToken
from omboon.network.sync import laptop, protocol, server
from omboon.orgs.models import Organisation


def _body(group: str, seq: int, ym: int = 24300, amount: int = 100) -> bytes:
    payload = [{"ym": ym, "closed_at": None, "facts": [["members", "active|F|40-59", amount, 0]]}]
    return json.dumps({"group": group, "seq": seq, "kind": "facts", "payload": payload}).encode()


def _push(client, token: str, body: bytes, seq: int, *, signature: str | None = None, group: str = "BDC"):
    return client.post("/api/v1/network/sync/push", body, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_X_OMBOON_GROUP=group, HTTP_X_OMBOON_SEQ=str(seq),
                       HTTP_X_OMBOON_SIGNATURE=signature if signature is not None else protocol.sign(token, body, seq))


@pytest.fixture
def token(client, tree):
    code = server.enrolment_create(actor=None, organisation=tree.group_a)
    response = client.post("/api/v1/network/sync/enrol", {"code": code, "group": "BDC"},
                           content_type="application/json")
    assert response.status_code == 200
    assert client.post("/api/v1/network/sync/enrol", {"code": code, "group": "BDC"},
                       content_type="application/json").status_code == 403  # one time only
    return response.json()["token"]


def _state(org):
    return (list(MonthlyFact.objects.filter(organisation=org).values_list("ym", "kind", "key", "count")),
            NodeToken.objects.get(organisation=org, revoked_at__isnull=True).last_applied_seq
            if NodeToken.objects.filter(organisation=org, revoked_at__isnull=True).exists() else None)


def test_enrolment_stores_only_a_hash_and_marks_the_group_remote(token, tree):
    node = NodeToken.objects.get(organisation=tree.group_a)
    assert node.token_hash == protocol.sha256(token) and token not in node.token_hash
    assert Organisation.objects.get(pk=tree.group_a.pk).is_remote_node


def test_a_wrong_code_or_group_is_refused(client, tree):
    code = server.enrolment_create(actor=None, organisation=tree.group_a)
    assert client.post("/api/v1/network/sync/enrol", {"code": "AAAA-BBBB-CCCC", "group": "BDC"},
                       content_type="application/json").status_code == 403
    assert client.post("/api/v1/network/sync/enrol", {"code": code, "group": "MPA"},
                       content_type="application/json").status_code == 403
    assert not NodeToken.objects.exists()


def test_in_order_items_apply_and_replays_change_nothing(client, token, tree):
    r1 = _push(client, token, _body("BDC", 1), 1)
    assert r1.status_code == 200 and r1.json() == {"last_applied": 1, "applied": True}
    assert FactMonth.objects.get(organisation=tree.group_a).source == "sync"
    before = _state(tree.group_a)
    replay = _push(client, token, _body("BDC", 1, amount=999), 1)
    assert replay.status_code == 200 and replay.json() == {"last_applied": 1, "applied": False}
    assert _state(tree.group_a) == before
    assert client.get("/api/v1/network/sync/status", HTTP_AUTHORIZATION=f"Bearer {token}",
                      HTTP_X_OMBOON_GROUP="BDC").json()["last_applied"] == 1


def test_gaps_tampering_and_bad_tokens_are_refused_and_change_nothing(client, token, tree):
    _push(client, token, _body("BDC", 1), 1)
    before = _state(tree.group_a)
    assert _push(client, token, _body("BDC", 3), 3).status_code == 409  # reordered: 2 has not arrived
    body = _body("BDC", 2)
    signature = protocol.sign(token, body, 2)
    tampered = body.replace(b"100", b"900")
    assert _push(client, token, tampered, 2, signature=signature).status_code == 403
    assert _push(client, token, body, 2, signature=protocol.sign(token, body, 3)).status_code == 403  # seq swapped
    assert _push(client, "not-the-token", body, 2).status_code == 401
    assert _push(client, token, body, 2, group="MPA").status_code == 401
    assert _push(client, token, _body("BDC", 5), 2).status_code == 400  # header and body disagree
    assert _state(tree.group_a) == before
    server.token_revoke(actor=None, organisation=tree.group_a)
    assert _push(client, token, body, 2).status_code == 401
    assert client.get("/api/v1/network/sync/status", HTTP_AUTHORIZATION=f"Bearer {token}",
                      HTTP_X_OMBOON_GROUP="BDC").status_code == 401
    assert list(MonthlyFact.objects.filter(organisation=tree.group_a).values_list("ym", "kind", "key", "count")) \
        == before[0]


def test_consolidated_figures_api_is_scoped(client, tree, coordinator):
    from omboon.network import services

    services.facts_recompute(actor=None, organisation=tree.group_a, through=24300)
    client.force_login(coordinator)
    data = client.get("/api/v1/network/LP-S/figures?to_month=2025-01").json()
    assert data["organisation"] == "LP-S" and [r["code"] for r in data["rows"]] == ["BDC", "MPA"]
    assert client.get("/api/v1/network/LP-N/figures").status_code == 404
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/network/sync/push" in schema["paths"] and "/api/v1/network/{code}/figures" in schema["paths"]


def test_an_empty_laptop_gets_its_group_and_networks_from_the_enrolment_answer(client, tree):
    code = server.enrolment_create(actor=None, organisation=tree.group_a)
    details = client.post("/api/v1/network/sync/enrol", {"code": code, "group": "BDC"},
                          content_type="application/json").json()["organisations"]
    assert [d["code"] for d in details] == ["LP", "LP-S", "BDC"]
    renamed = [{**d, "code": f"N-{d['code']}"} for d in details]
    group = laptop._ensure_orgs(renamed)
    assert group.code == "N-BDC" and group.is_group and group.parent.code == "N-LP-S"
    assert group.name_th == tree.group_a.name_th and group.accounts.filter(code="4300").exists()
