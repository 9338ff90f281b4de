"""The welfare API: schemes, versions, the claim lifecycle, what-if and projection."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.welfare.models import Claim

D = dt.date
pytestmark = pytest.mark.django_db


def api(org, tail):
    return f"/api/v1/welfare/{org.code}/{tail}"


def test_schemes_and_versions(fund, client):
    client.force_login(fund.chair)
    schemes = client.get(api(fund.group, "schemes")).json()
    assert {s["category"] for s in schemes} >= {"childbirth", "sickness", "death"}
    death = next(s for s in schemes if s["category"] == "death")
    assert death["expense_account"] == "5130"
    response = client.post(api(fund.group, f"schemes/{death['id']}/versions"), {
        "effective_from": "2026-01-01", "note": "ใหม่",
        "rule": {"amount": {"kind": "fixed", "amount": 1500000}}}, content_type="application/json")
    assert response.status_code == 201 and response.json()["rule"]["amount"]["amount"] == 1500000
    versions = client.get(api(fund.group, f"schemes/{death['id']}/versions")).json()
    assert [v["effective_from"] for v in versions] == ["2010-01-01", "2026-01-01"]
    bad = client.post(api(fund.group, "schemes"), {"category": "x", "name_th": "", "effective_from": "2025-01-01",
                                                   "rule": {"amount": {"kind": "nope"}}},
                      content_type="application/json")
    assert bad.status_code == 422  # the schema refuses an unknown category and an empty name first
    assert {e["field"] for e in bad.json()["errors"]} >= {"category", "name_th"}
    wrong_rule = {"category": "death", "name_th": "ศพ", "effective_from": "2025-01-01",
                  "rule": {"amount": {"kind": "nope"}}}
    bad_rule = client.post(api(fund.group, "schemes"), wrong_rule, content_type="application/json")
    assert bad_rule.status_code == 422 and "rule.amount" in {e["field"] for e in bad_rule.json()["errors"]}
    wrong_rule["rule"] = {"amount": {"kind": "fixed", "amount": 100}, "eligibility": {"min_age": 70, "max_age": 60}}
    bad_rule = client.post(api(fund.group, "schemes"), wrong_rule, content_type="application/json")
    assert bad_rule.status_code == 422  # what the schema cannot say, the rule parser names
    assert "eligibility.max_age" in {e["field"] for e in bad_rule.json()["errors"]}
    client.force_login(fund.treasurer)  # no MANAGE
    assert client.post(api(fund.group, "schemes"), {}, content_type="application/json").status_code in (403, 422)


def test_claim_lifecycle_over_the_api(fund, client):
    client.force_login(fund.treasurer)
    body = {"member": fund.member.number, "scheme": fund.schemes["sickness"].pk, "event_date": "2025-06-10",
            "nights": 3, "documents": ["id_card", "hospital_certificate"]}
    created = client.post(api(fund.group, "claims"), body, content_type="application/json")
    assert created.status_code == 201, created.content
    claim = created.json()
    assert claim["amount"] == 900_00 and claim["status"] == "submitted"
    assert claim["eligibility"]["conditions"][0]["text_th"].startswith("สถานะสมาชิก")
    again = client.post(api(fund.group, "claims"), body, content_type="application/json")
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "same_event"
    own = client.post(api(fund.group, f"claims/{claim['id']}/approve"))
    assert own.status_code == 422
    client.force_login(fund.chair)
    assert client.post(api(fund.group, f"claims/{claim['id']}/approve")).json()["status"] == "approved"
    client.force_login(fund.treasurer)
    paid = client.post(api(fund.group, f"claims/{claim['id']}/pay"), {"date": "2025-07-01"},
                       content_type="application/json").json()
    assert paid["status"] == "paid" and paid["document_number"].startswith("PV")
    twice = client.post(api(fund.group, f"claims/{claim['id']}/pay"), {"date": "2025-07-02"},
                        content_type="application/json").json()
    assert twice["document_number"] == paid["document_number"]
    client.force_login(fund.chair)
    unknown = client.post(api(fund.group, f"claims/{claim['id']}/reverse"),
                          {"reason": "ผิดคน", "date": "2025-07-03", "amount": 1}, content_type="application/json")
    assert unknown.status_code == 422  # a field the body does not have is refused, as everywhere in the API
    reversed_ = client.post(api(fund.group, f"claims/{claim['id']}/reverse"),
                            {"reason": "ผิดคน", "date": "2025-07-03"}, content_type="application/json").json()
    assert reversed_["status"] == "reversed"
    assert [c["id"] for c in client.get(api(fund.group, "claims?status=reversed")).json()] == [claim["id"]]


def test_reject_and_pending_filter(fund, client):
    claim = fund.submit("childbirth")
    client.force_login(fund.chair)
    assert [c["id"] for c in client.get(api(fund.group, "claims?status=pending")).json()] == [claim.pk]
    response = client.post(api(fund.group, f"claims/{claim.pk}/reject"), {"reason": "ไม่ครบ"},
                           content_type="application/json")
    assert response.json()["status"] == "rejected"


def test_other_groups_claims_are_not_found(fund, client, tree, user_with_role):
    from omboon.orgs.models import Role

    claim = fund.submit("childbirth")
    other = user_with_role(tree.group_b, Role.CHAIR)
    client.force_login(other)
    assert client.get(api(fund.group, f"claims/{claim.pk}")).status_code == 404
    assert client.get(api(tree.group_b, f"claims/{claim.pk}")).status_code == 404
    assert client.post(api(tree.group_b, f"claims/{claim.pk}/approve")).status_code == 404
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.SUBMITTED


def test_what_if_and_projection(fund, client):
    fund.paid("sickness", nights=2, event_date=D(2025, 2, 1))
    fund.paid("death", event_date=D(2025, 3, 1))
    client.force_login(fund.treasurer)
    death = fund.schemes["death"].pk
    result = client.post(api(fund.group, "what-if"), {
        "start": "2025-01-01", "end": "2025-12-31",
        "proposals": {str(death): {"amount": {"kind": "fixed", "amount": 1000000},
                                   "eligibility": {"min_age": 70}}}}, content_type="application/json").json()
    rows = {r["category"]: r for r in result["categories"]}
    assert rows["death"]["actual_amount"] == 12000_00 and rows["death"]["proposed_amount"] == 0
    assert rows["sickness"]["difference"] == 0
    assert [c["member"] for c in result["claims_lose"]] == [fund.member.number]
    projection = client.post(api(fund.group, "projection"), {
        "years": 5, "assumptions": {"joiners_per_year": 10, "contribution_per_member": 36500},
        "proposals": {str(death): {"amount": {"kind": "fixed", "amount": 2400000}}}},
        content_type="application/json").json()
    assert len(projection["years"]) == 5
    assert projection["assumptions"]["contribution_per_member"] == 36500
    assert projection["assumptions"]["cost_factors"] == {"death": 2.0}
    assert any("เงินสมทบเฉลี่ย 365.00 บาทต่อคนต่อปี" in line for line in projection["assumptions_th"])
    bad = client.post(api(fund.group, "projection"), {"years": 50}, content_type="application/json")
    assert bad.status_code == 422


# --- the rule's schema says what welfare.schema.parse reads ------------------------------------

RULES_THE_SCHEMA_ALLOWS = [
    {"amount": {"kind": "fixed", "amount": 1}},
    {"amount": {"kind": "per_night", "per_night": 30000, "max_nights": 5},
     "eligibility": {"min_membership_months": 6, "waiting_days": 180, "min_age": 0, "max_age": 150,
                     "sexes": ["F", "M"], "statuses": ["active", "deceased"], "paid_up": True, "grace_months": 3},
     "limits": {"per_event": None, "per_year": 100000, "claims_per_year": 2, "nights_per_year": 30}},
    {"amount": {"kind": "tiered", "tiers": [{"min_years": 5, "amount": 300000}, {"min_years": 0, "amount": 200000}]}},
    {"amount": {"kind": "percent", "percent": 12.5, "cap": None},
     "documents": [{"code": "receipt_1", "label_th": " ใบเสร็จ "}]},
    {"amount": {"kind": "percent", "percent": 100}, "eligibility": {}, "limits": {}, "documents": []},
]

RULES_THE_SCHEMA_REFUSES = [  # each one parse refuses too
    {"amount": {"kind": "fixed", "amount": 0}},
    {"amount": {"kind": "fixed", "amount": 100, "per_night": 5}},  # a field of another kind
    {"amount": {"kind": "weekly", "amount": 100}},
    {"amount": {"kind": "percent", "percent": 12.345}},
    {"amount": {"kind": "percent", "percent": 0}},
    {"amount": {"kind": "tiered", "tiers": []}},
    {"amount": {"kind": "fixed", "amount": 100}, "eligibility": {"statuses": []}},
    {"amount": {"kind": "fixed", "amount": 100}, "eligibility": {"sexes": ["X"]}},
    {"amount": {"kind": "fixed", "amount": 100}, "limits": {"per_year": 0}},
    {"amount": {"kind": "fixed", "amount": 100}, "documents": [{"code": "ID", "label_th": "บัตร"}]},
    {"amount": {"kind": "fixed", "amount": 100}, "documents": [{"code": "id", "label_th": "  "}]},
    {"amount": {"kind": "fixed", "amount": 100}, "note": "unknown"},
    {"eligibility": {}},
]


@pytest.mark.parametrize("rule", RULES_THE_SCHEMA_ALLOWS)
def test_a_rule_the_schema_allows_parses(rule):
    from omboon.welfare.api import RuleIn, _rule_json
    from omboon.welfare.schema import parse

    parsed, problems = parse(_rule_json(RuleIn.model_validate(rule)))
    assert problems == []
    assert RuleIn.model_validate(parsed.to_json())  # what is stored reads back through the schema


@pytest.mark.parametrize("rule", RULES_THE_SCHEMA_REFUSES)
def test_a_rule_the_schema_refuses_parse_refuses_too(rule):
    from pydantic import ValidationError

    from omboon.welfare.api import RuleIn
    from omboon.welfare.schema import parse

    with pytest.raises(ValidationError):
        RuleIn.model_validate(rule)
    assert parse(rule)[1]


def test_the_presets_read_through_the_schema():
    from omboon.welfare.api import RuleIn
    from omboon.welfare.presets import presets

    for preset in presets(paid_up=True):
        RuleIn.model_validate(preset.rule)


def test_a_version_refused_by_the_schema_names_the_field(fund, client):
    client.force_login(fund.treasurer)
    scheme = fund.schemes["death"].pk
    before = fund.schemes["death"].versions.count()
    bad = client.post(api(fund.group, f"schemes/{scheme}/versions"), {
        "effective_from": "2026-01-01", "rule": {"amount": {"kind": "percent", "percent": 12.345}}},
        content_type="application/json")
    assert bad.status_code == 422
    assert any("percent" in e["field"] for e in bad.json()["errors"])
    assert fund.schemes["death"].versions.count() == before
