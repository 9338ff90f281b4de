"""The contract in worked examples: bad input of every kind is a 4xx with the Problem list
(row, field, Thai and English) and writes nothing; the API lives at /api/v1/ and the old
/api/… paths still lead there (the sync's calls answered in place)."""

import pytest
from django.test import Client

from omboon.core.models import AuditEvent
from omboon.members.models import Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(treasurer):
    c = Client()
    c.force_login(treasurer)
    return c


def problems(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["detail"] and body["errors"]
    for p in body["errors"]:
        assert p["field"] and p["message_th"] and p["message_en"]
    return body["errors"]


def test_pagination_is_bounded(api, tree):
    (p,) = problems(api.get("/api/v1/members/BDC?limit=10000000000000000000000000"), 422)
    assert p["field"] == "limit" and p["message_en"] == "must be at most 500"
    (p,) = problems(api.get("/api/v1/members/BDC?offset=-1"), 422)
    assert p["field"] == "offset" and p["message_th"] == "ต้องไม่น้อยกว่า 0"
    (p,) = problems(api.get("/api/v1/members/BDC?limit=0"), 422)
    assert p["field"] == "limit"
    assert api.get("/api/v1/members/BDC?limit=500&offset=0").json() == {"items": [], "count": 0}


def test_an_unknown_path_or_organisation_is_a_problem_not_a_page(api, tree):
    (p,) = problems(api.get("/api/v1/no/such/thing"), 404)
    assert p["code"] == "not_found"
    (p,) = problems(api.get("/api/v1/members/NOPE"), 404)
    assert p["message_en"] == "organisation not found"
    (p,) = problems(api.get("/api/v1/members/LP-N"), 404)  # another network's: as if it did not exist


def test_a_body_that_is_not_json_or_not_an_object(api, tree):
    (p,) = problems(api.post("/api/v1/members/BDC", "{not json", content_type="application/json"), 400)
    assert p["field"] == "body"
    errors = problems(api.post("/api/v1/members/BDC", [1, 2], content_type="application/json"), 422)
    assert {e["field"] for e in errors} >= {"first_name", "national_id"} and errors[0]["message_en"] == "is required"


def test_a_session_write_needs_the_csrf_token(treasurer, tree):
    c = Client(enforce_csrf_checks=True)
    c.force_login(treasurer)
    before = AuditEvent.objects.count()
    (p,) = problems(c.post("/api/v1/members/BDC", {}, content_type="application/json"), 403)
    assert p["field"] == "csrf"
    assert AuditEvent.objects.count() == before and not Member.objects.exists()


def test_unauthenticated_is_401_with_the_problem_list(client, tree):
    (p,) = problems(client.get("/api/v1/orgs/"), 401)
    assert "Bearer" in p["message_en"]


def test_the_unversioned_paths_lead_to_v1(api, tree):
    moved = api.get("/api/orgs/?x=1")
    assert moved.status_code == 308 and moved["Location"] == "/api/v1/orgs/?x=1"
    assert api.get("/api/docs").status_code == 308
    assert api.get("/api/v1/orgs/").status_code == 200


def test_deployed_laptops_still_reach_the_sync_calls_unversioned(client, tree):
    response = client.post("/api/network/sync/enrol", {"code": "AAAA-BBBB-CCCC", "group": "BDC"},
                           content_type="application/json")  # no CSRF token: a laptop has none
    (_p,) = problems(response, 403)  # one problem
    assert problems(client.get("/api/network/sync/status"), 401)
    assert client.get("/api/network/sync/enrol").status_code == 405


# --- the bad input, each a 4xx with the Problem list and nothing written ---------------

@pytest.fixture
def member(tree):
    from omboon.web.tests.conftest import make_member

    return make_member(tree.group_a)


def nothing_written(before):
    assert AuditEvent.objects.count() == before


def test_a_limit_of_ten_to_the_25_on_receipts_is_a_422_not_a_500(api, tree):
    (p,) = problems(api.get("/api/v1/contributions/BDC/receipts?limit=" + "1" + "0" * 25 + "&offset=21804"), 422)
    assert p["field"] == "limit"
    (p,) = problems(api.get("/api/v1/contributions/BDC/receipts?offset=-5"), 422)
    assert p["field"] == "offset"


def test_an_amount_in_baht_with_a_comma_is_refused_naming_satang(api, tree, member):
    before = AuditEvent.objects.count()
    body = {"member_id": member.pk, "date": "2025-03-01", "items": [{"kind": "contribution", "amount": "1,234.50"}]}
    errors = problems(api.post("/api/v1/contributions/BDC/receipts", body, content_type="application/json"), 422)
    (p,) = [e for e in errors if e["field"] == "items.amount"]
    assert p["row"] == 1 and "satang" in p["message_en"] and "สตางค์" in p["message_th"]
    nothing_written(before)


def test_the_31st_of_february_is_no_date_in_either_calendar(api, tree, member):
    before = AuditEvent.objects.count()
    for date in ("2025-02-31", "31/02/2568"):
        body = {"member_id": member.pk, "date": date, "items": [{"kind": "annual_fee", "amount": 3100}]}
        errors = problems(api.post("/api/v1/contributions/BDC/receipts", body, content_type="application/json"), 422)
        assert [e["field"] for e in errors] == ["date"], date
    nothing_written(before)


def test_an_unknown_benefit_category_is_refused_by_the_schema(chair, tree):
    c = Client()
    c.force_login(chair)
    body = {"category": "lottery", "name_th": "ถูกหวย", "effective_from": "2025-01-01",
            "rule": {"amount": {"kind": "fixed", "amount": 100}}}
    (p,) = problems(c.post("/api/v1/welfare/BDC/schemes", body, content_type="application/json"), 422)
    assert p["field"] == "category" and "birth" in p["message_en"] and p["code"] == "literal_error"


def test_a_member_id_beyond_64_bits_is_a_422_not_a_database_error(api, tree):
    huge = 2**64
    (p,) = problems(api.get(f"/api/v1/contributions/BDC/members/{huge}/coverage"), 422)
    assert p["field"] == "member_id"
    body = {"key": "k1", "rows": [{"member_id": huge, "amount": 100}]}
    (p,) = problems(api.post("/api/v1/contributions/BDC/collection-drafts/2025-06-30/pieces", body,
                             content_type="application/json"), 422)
    assert p["field"] == "rows.member_id" and p["row"] == 1


def test_a_nul_character_is_refused_before_the_database_sees_it(api, tree):
    body = {"date": "2025-06-30", "rows": [{"number": "00\x001", "amount": 100}]}
    (p,) = problems(api.post("/api/v1/contributions/BDC/collection-days", body, content_type="application/json"), 422)
    assert p["field"] == "rows.number" and p["row"] == 1


def test_a_body_over_the_limit_is_a_413_problem_list(api, tree, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    before = AuditEvent.objects.count()
    (p,) = problems(api.post("/api/v1/members/BDC", {"first_name": "x" * 2000}, content_type="application/json"), 413)
    assert p["code"] == "too_large" and "MB" in p["message_en"]
    nothing_written(before)
