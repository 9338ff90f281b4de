"""The organisations API shows a user only what scoping allows."""

import pytest


@pytest.fixture
def api_client(client):
    def as_user(user):
        client.force_login(user)
        return client
    return as_user


def test_coordinator_lists_its_subtree_only(tree, coordinator, api_client):
    response = api_client(coordinator).get("/api/v1/orgs/")
    assert response.status_code == 200
    assert [o["code"] for o in response.json()] == ["LP-S", "BDC", "MPA"]
    assert response.json()[1]["parent"] == "LP-S"


def test_other_group_is_not_found(tree, treasurer, api_client):
    c = api_client(treasurer)
    assert c.get("/api/v1/orgs/BDC").json()["code"] == "BDC"
    assert c.get("/api/v1/orgs/MPA").status_code == 404


def test_anonymous_is_refused(tree, client):
    assert client.get("/api/v1/orgs/").status_code == 401


def test_openapi_schema_lists_the_endpoints_to_a_signed_in_user(client, treasurer):
    client.force_login(treasurer)
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/orgs/" in schema["paths"]


def test_api_docs_and_schema_need_a_sign_in(db, client):
    for path in ("/api/v1/docs", "/api/v1/openapi.json"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next=")
