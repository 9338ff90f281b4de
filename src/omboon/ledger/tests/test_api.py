"""The ledger API: post, idempotency, reverse, close and reopen, trial balance, and scoping."""


import pytest


@pytest.fixture
def api(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def _post(c, path, body):
    return c.post(f"/api/v1/ledger/{path}", body, content_type="application/json")


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
    again = c.get(f"/api/v1/ledger/BDC/entries/{body['id']}").json()
    assert again["reversed_by_id"] == reversal.json()["id"]
    listed = c.get("/api/v1/ledger/BDC/entries").json()
    assert listed["count"] == 2
    assert len(c.get("/api/v1/ledger/BDC/accounts").json()) >= 30


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
    assert c.get("/api/v1/ledger/BDC/periods").json()[-1] == {"year": 2024, "month": 3, "closed": False,
                                                           "is_next": True}
    assert _post(c, "BDC/periods/close", {"year": 2024, "month": 3}).status_code == 200
    assert _post(c, "BDC/periods/reopen", {"year": 2024, "month": 3, "reason": "x"}).status_code == 403
    reopened = _post(api(chair), "BDC/periods/reopen", {"year": 2024, "month": 3, "reason": "ตกหล่น"})
    assert reopened.status_code == 200 and reopened.json()[0]["month"] == 3
    tb = c.get("/api/v1/ledger/BDC/trial-balance?as_of=2024-03-31").json()
    assert tb["total_debit"] == tb["total_credit"] == 50000


def test_other_groups_books_are_unseen_and_auditors_cannot_post(api, treasurer, auditor):
    assert api(treasurer).get("/api/v1/ledger/MPA/accounts").status_code == 404
    c = api(auditor)
    assert c.get("/api/v1/ledger/BDC/accounts").status_code == 200
    assert _post(c, "BDC/entries", ENTRY).status_code == 403


PAYMENT = {"date": "2024-03-10", "doc_type": "payment", "memo": "ค่าเครื่องเขียน",
           "lines": [{"account": "5200", "debit": 12000}, {"account": "1100", "credit": 12000}]}


def test_money_out_is_refused_straight_to_the_books_and_goes_through_an_approved_voucher(
        api, treasurer, chair, committee):
    """A payment through the API takes two people: the treasurer makes a voucher, a committee
    member approves it, then it is posted. Posted straight as an entry it is refused (422, Thai
    and English) and nothing is written but the refusal."""
    from omboon.ledger.models import JournalEntry

    c = api(treasurer)
    _post(c, "BDC/entries", ENTRY)  # money in: one person is enough
    refused = _post(c, "BDC/entries", PAYMENT)
    assert refused.status_code == 422
    problem = refused.json()["errors"][0]
    assert problem["field"] == "approval" and "ผู้อนุมัติคนที่สอง" in problem["message_th"]
    assert "second person" in problem["message_en"]
    assert JournalEntry.objects.filter(doc_type="payment").count() == 0

    voucher = _post(c, "BDC/vouchers", {k: v for k, v in PAYMENT.items() if k != "doc_type"} | {"kind": "payment"})
    assert voucher.status_code == 201, voucher.content
    vid = voucher.json()["id"]
    assert _post(c, f"BDC/vouchers/{vid}/post", {}).status_code == 422  # not approved yet
    assert _post(c, f"BDC/vouchers/{vid}/approve", {}).status_code == 422  # the maker cannot approve
    approved = _post(api(committee), f"BDC/vouchers/{vid}/approve", {})
    assert approved.status_code == 200 and approved.json()["approved_by"] == committee.username
    posted = _post(api(treasurer), f"BDC/vouchers/{vid}/post", {})
    assert posted.status_code == 200 and posted.json()["status"] == "posted"
    entry = JournalEntry.objects.get(doc_type="payment")
    assert entry.total == 12000 and entry.created_by == treasurer


def test_a_journal_that_moves_no_cash_is_one_persons_only_where_the_bylaws_say_so(api, treasurer, group):
    transfer = {"date": "2024-03-11", "doc_type": "journal", "memo": "โอนเข้ากองทุนสำรอง",
                "lines": [{"account": "3100", "debit": 1000}, {"account": "3200", "credit": 1000}]}
    c = api(treasurer)
    refused = _post(c, "BDC/entries", transfer)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "approval"
    group.bylaws = {"journal_single_person": True}
    group.save(update_fields=["bylaws"])
    assert _post(c, "BDC/entries", transfer).status_code == 201
    # a voucher of the same journal is posted from its draft by its maker alone
    voucher = _post(c, "BDC/vouchers", {**{k: v for k, v in transfer.items() if k != "doc_type"}, "kind": "journal"})
    assert _post(c, f"BDC/vouchers/{voucher.json()['id']}/post", {}).json()["status"] == "posted"
    # money out still needs the second person, whatever the bylaws
    assert _post(c, "BDC/entries", PAYMENT).status_code == 422
