"""The ledger API: post, idempotency, reverse, close and reopen, trial balance, and scoping."""

import datetime as dt

import pytest


@pytest.fixture
def api(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def _post(c, path, body):
    return c.post(f"/api/ledger/{path}", body, content_type="application/json")


ENTRY = {"date": "2024-03-05", "doc_type": "receipt", "memo": "บริจาค", "idempotency_key": "k-1",
         "lines": [{"account": "1100", "debit": 50000}, {"account": "4600", "credit": 50000}]}


def test_post_twice_reverse_and_read_back(api, treasurer):
    c = api(treasurer)
    first = _post(c, "BDC/entries", ENTRY)
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["document_number"] == "RV2567/00001" and body["total"] == 50000
    assert _post(c, "BDC/entries", ENTRY).json()["id"] == body["id"]
    reversal = _post(c, f"BDC/entries/{body['id']}/reverse", {"date": "2024-03-06", "reason": "ผิด"})
    assert reversal.status_code == 201 and reversal.json()["reverses_id"] == body["id"]
    again = c.get(f"/api/ledger/BDC/entries/{body['id']}").json()
    assert again["reversed_by_id"] == reversal.json()["id"]
    listed = c.get("/api/ledger/BDC/entries").json()
    assert listed["count"] == 2
    assert len(c.get("/api/ledger/BDC/accounts").json()) >= 30


def test_unbalanced_entry_is_422_with_thai_and_english(api, treasurer):
    bad = {**ENTRY, "idempotency_key": None, "lines": [{"account": "1100", "debit": 100},
                                                      {"account": "4600", "credit": 90}]}
    response = _post(api(treasurer), "BDC/entries", bad)
    assert response.status_code == 422
    problem = response.json()["errors"][0]
    assert problem["message_th"] and problem["message_en"]


def test_close_reopen_and_trial_balance(api, treasurer, chair):
    c = api(treasurer)
    _post(c, "BDC/entries", ENTRY)
    assert c.get("/api/ledger/BDC/periods").json()[-1] == {"year": 2024, "month": 3, "closed": False,
                                                           "is_next": True}
    assert _post(c, "BDC/periods/close", {"year": 2024, "month": 3}).status_code == 200
    assert _post(c, "BDC/periods/reopen", {"year": 2024, "month": 3, "reason": "x"}).status_code == 403
    reopened = _post(api(chair), "BDC/periods/reopen", {"year": 2024, "month": 3, "reason": "ตกหล่น"})
    assert reopened.status_code == 200 and reopened.json()[0]["month"] == 3
    tb = c.get("/api/ledger/BDC/trial-balance?as_of=2024-03-31").json()
    assert tb["total_debit"] == tb["total_credit"] == 50000


def test_other_groups_books_are_unseen_and_auditors_cannot_post(api, treasurer, auditor):
    assert api(treasurer).get("/api/ledger/MPA/accounts").status_code == 404
    c = api(auditor)
    assert c.get("/api/ledger/BDC/accounts").status_code == 200
    assert _post(c, "BDC/entries", ENTRY).status_code == 403
