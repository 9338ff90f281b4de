"""A reschedule over HTTP (/api/v1/loans/{org}/{loan}/reschedules): the loan of test_reschedule
(20,000 baht from 15 January 2026, February paid, March and April not) asked to be spread over 12
new instalments from 1 June; the one who asked cannot approve, the chair does; the loan's
schedules list the old one and the current one; a rejection needs a reason; the reversal undoes
it; refusals are the Problem list and write nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from omboon.loans import services
from omboon.loans.models import Reschedule
from omboon.loans.tests.conftest import D, disbursed
from omboon.orgs.models import Role
from omboon.testing.factories import make_user

pytestmark = pytest.mark.django_db
ASK = {"term": 12, "first_due": "2026-06-01", "reason": "น้ำท่วมนา", "date": "2026-05-01"}


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def api(org, tail=""):
    return f"/api/v1/loans/{org.code}{tail}"


def flooded(fund):
    loan = disbursed(fund)
    services.loan_repay(actor=fund.treasurer, loan=loan, amount=1_775_00, date=D(2026, 2, 15))
    return loan


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_asked_approved_by_a_second_person_and_the_schedules_kept(fund):
    loan = flooded(fund)
    treasurer, chair = client_for(fund.treasurer), client_for(fund.chair)
    asked = post(treasurer, api(fund.group, f"/{loan.pk}/reschedules"), ASK)
    assert asked.status_code == 201, asked.content
    r = asked.json()
    assert (r["status"], r["principal"], r["loan_number"], r["terms"]["term"]) == ("pending", 18_425_00,
                                                                                   loan.number, 12)
    tail = f"/{loan.pk}/reschedules/{r['id']}"
    own = post(treasurer, api(fund.group, f"{tail}/approve"))
    assert own.status_code == 422 and own.json()["errors"][0]["field"] == "approved_by"
    queue = chair.get(api(fund.group, "/reschedules/pending")).json()
    assert queue["count"] == 1 and queue["items"][0]["id"] == r["id"]
    done = post(chair, api(fund.group, f"{tail}/approve"))
    assert done.status_code == 200 and done.json()["status"] == "approved"
    assert done.json()["kept_interest"] == 184_25 + 168_34
    schedules = chair.get(api(fund.group, f"/{loan.pk}/schedules")).json()
    assert [(s["reschedule"], s["current"]) for s in schedules] == [(None, False), (r["id"], True)]
    old, new = schedules[0]["instalments"], schedules[1]["instalments"]
    assert old[1]["due"] == "2026-03-15" and new[1]["due"] == "2026-06-01" and len(new) == 13
    assert sum(i["principal"] for i in new) == 20_000_00
    assert [x["status"] for x in chair.get(api(fund.group, f"/{loan.pk}/reschedules")).json()] == ["approved"]
    assert chair.get(api(fund.group, "/reschedules/pending")).json()["count"] == 0


def test_new_terms_each_checked_and_nothing_written(fund):
    loan = flooded(fund)
    treasurer = client_for(fund.treasurer)
    bad = post(treasurer, api(fund.group, f"/{loan.pk}/reschedules"), {**ASK, "term": 0, "method": "balloon"})
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} >= {"term", "method"}
    bad = post(treasurer, api(fund.group, f"/{loan.pk}/reschedules"), {**ASK, "first_due": "2026-04-01"})
    assert bad.status_code == 422 and [e["field"] for e in bad.json()["errors"]] == ["first_due"]
    bad = post(treasurer, api(fund.group, f"/{loan.pk}/reschedules"), {**ASK, "grace_principal": 12})
    assert bad.status_code == 422 and [e["field"] for e in bad.json()["errors"]] == ["grace_principal"]
    assert not Reschedule.objects.exists()
    made = post(treasurer, api(fund.group, f"/{loan.pk}/reschedules"), {
        **ASK, "rate": "1", "per": "month", "method": "flat", "grace_principal": 2, "rounding": "100"})
    assert made.status_code == 201
    assert {k: made.json()["terms"][k] for k in ("rate", "per", "method", "grace_principal", "rounding")} == {
        "rate": "1", "per": "month", "method": "flat", "grace_principal": 2, "rounding": 100}


def test_rejected_with_a_reason_and_reversed_while_nothing_is_paid(fund):
    loan = flooded(fund)
    treasurer, chair = client_for(fund.treasurer), client_for(fund.chair)
    first = post(treasurer, api(fund.group, f"/{loan.pk}/reschedules"), ASK).json()
    tail = f"/{loan.pk}/reschedules/{first['id']}"
    assert post(chair, api(fund.group, f"{tail}/reject"), {"reason": ""}).status_code == 422
    rejected = post(chair, api(fund.group, f"{tail}/reject"), {"reason": "ขาดเอกสาร"}).json()
    assert (rejected["status"], rejected["decision_reason"]) == ("rejected", "ขาดเอกสาร")
    second = post(treasurer, api(fund.group, f"/{loan.pk}/reschedules"), ASK).json()
    tail = f"/{loan.pk}/reschedules/{second['id']}"
    post(chair, api(fund.group, f"{tail}/approve"))
    reversed_ = post(chair, api(fund.group, f"{tail}/reverse"), {"reason": "ตกลงกันใหม่"})
    assert reversed_.status_code == 200 and reversed_.json()["reversed_on"] is not None
    schedules = chair.get(api(fund.group, f"/{loan.pk}/schedules")).json()
    assert [(s["reschedule"], s["current"]) for s in schedules] == [(None, True)]


def test_who_may_do_what_and_another_groups_reschedule(fund):
    loan = flooded(fund)
    auditor = client_for(make_user(fund.group, Role.AUDITOR))
    assert post(auditor, api(fund.group, f"/{loan.pk}/reschedules"), ASK).status_code == 403
    r = services.reschedule_request(actor=fund.treasurer, loan=loan, term=12, first_due=D(2026, 6, 1),
                                    reason="น้ำท่วม", date=D(2026, 5, 1))
    assert auditor.get(api(fund.group, f"/{loan.pk}/reschedules")).status_code == 200  # reading: records
    assert post(auditor, api(fund.group, f"/{loan.pk}/reschedules/{r.pk}/approve")).status_code == 403
    other = disbursed(fund, member=fund.members[1])
    chair = client_for(fund.chair)
    wrong = post(chair, api(fund.group, f"/{other.pk}/reschedules/{r.pk}/approve"))
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "reschedule"
    r.refresh_from_db()
    assert r.status == "pending"
