"""Worked examples of the engine: one per rule kind, condition and limit (pure, no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.core.errors import RuleViolation
from omboon.welfare import engine, schema
from omboon.welfare.engine import Event, MemberFacts, PriorClaim

D = dt.date
SOMSRI = MemberFacts(birth_date=D(1960, 5, 17), sex="F", join_date=D(2019, 3, 1), status="active",
                     paid_through=D(2025, 5, 31))


def rule(amount, eligibility=None, limits=None, documents=None):
    return schema.rule_from_json({"amount": amount, "eligibility": eligibility or {}, "limits": limits or {},
                                  "documents": documents or []})


def codes(decision, passed):
    return [c.code for c in decision.conditions if c.passed is passed]


# --- amounts ------------------------------------------------------------------------------

def test_fixed_childbirth_benefit_of_500_baht():
    d = engine.evaluate(rule({"kind": "fixed", "amount": 500_00}), SOMSRI, Event(D(2025, 6, 10), "child-1"))
    assert d.eligible and d.amount == 500_00
    assert d.steps[0].text_th == "จ่ายอัตราคงที่ 500.00 บาท"
    assert d.steps[-1].text_th == "จำนวนเงินที่จ่าย 500.00 บาท"
    assert codes(d, False) == []


def test_per_night_sickness_300_a_night_up_to_5_nights():
    r = rule({"kind": "per_night", "per_night": 300_00, "max_nights": 5})
    assert engine.evaluate(r, SOMSRI, Event(D(2025, 6, 10), nights=3)).amount == 900_00
    d = engine.evaluate(r, SOMSRI, Event(D(2025, 6, 10), nights=8))
    assert d.amount == 1500_00 and d.nights_paid == 5
    assert any("ไม่เกิน 5 คืนต่อครั้ง" in s.text_th for s in d.steps)
    zero = engine.evaluate(r, SOMSRI, Event(D(2025, 6, 10), nights=0))
    assert not zero.eligible and zero.amount == 0 and "nights" in codes(zero, False)


def test_death_benefit_tiered_by_years_of_membership():
    r = rule({"kind": "tiered", "tiers": [{"min_years": 0, "amount": 2000_00}, {"min_years": 3, "amount": 5000_00},
                                          {"min_years": 5, "amount": 10000_00}]})
    m = SOMSRI  # joined 1 March 2019
    assert engine.evaluate(r, m, Event(D(2020, 3, 1))).amount == 2000_00   # 1 year
    assert engine.evaluate(r, m, Event(D(2022, 2, 28))).amount == 2000_00  # 2 years, 11 months
    assert engine.evaluate(r, m, Event(D(2022, 3, 1))).amount == 5000_00   # 3 years
    d = engine.evaluate(r, m, Event(D(2025, 6, 1)))
    assert d.amount == 10000_00 and "6 ปี" in d.steps[0].text_th


def test_tiers_that_start_later_than_joining_leave_new_members_out():
    r = rule({"kind": "tiered", "tiers": [{"min_years": 1, "amount": 3000_00}]})
    d = engine.evaluate(r, SOMSRI, Event(D(2019, 12, 1)))
    assert not d.eligible and "tier" in codes(d, False)


def test_percent_of_cost_capped():
    r = rule({"kind": "percent", "percent": 50, "cap": 5000_00})
    assert engine.evaluate(r, SOMSRI, Event(D(2025, 6, 1), cost=3000_00)).amount == 1500_00
    d = engine.evaluate(r, SOMSRI, Event(D(2025, 6, 1), cost=40000_00))
    assert d.amount == 5000_00 and "ไม่เกิน 5,000.00 บาทต่อครั้ง" in d.steps[-2].text_th
    odd = rule({"kind": "percent", "percent": 12.5})
    assert engine.evaluate(odd, SOMSRI, Event(D(2025, 6, 1), cost=1001)).amount == 125  # rounds down
    assert not engine.evaluate(r, SOMSRI, Event(D(2025, 6, 1), cost=0)).eligible


# --- eligibility --------------------------------------------------------------------------

FIXED = {"kind": "fixed", "amount": 100_00}


def test_minimum_months_of_membership():
    r = rule(FIXED, {"min_membership_months": 6})
    assert engine.evaluate(r, SOMSRI, Event(D(2019, 9, 1))).eligible
    d = engine.evaluate(r, SOMSRI, Event(D(2019, 8, 31)))
    assert not d.eligible and d.amount == 0
    membership = next(c for c in d.conditions if c.code == "membership")
    assert membership.text_th == "เป็นสมาชิกมาแล้ว 5 เดือน (ต้องไม่น้อยกว่า 6 เดือน)"


def test_waiting_period_after_joining():
    r = rule(FIXED, {"waiting_days": 180})
    assert not engine.evaluate(r, SOMSRI, Event(D(2019, 8, 27))).eligible  # day 179
    assert engine.evaluate(r, SOMSRI, Event(D(2019, 8, 28))).eligible      # day 180


def test_age_range():
    r = rule(FIXED, {"min_age": 60, "max_age": 80})
    assert not engine.evaluate(r, SOMSRI, Event(D(2020, 5, 16))).eligible  # 59
    assert engine.evaluate(r, SOMSRI, Event(D(2020, 5, 17))).eligible      # 60
    d = engine.evaluate(r, SOMSRI, Event(D(2041, 5, 17)))                  # 81
    assert not d.eligible and "อายุ ณ วันที่เกิดเหตุ 81 ปี (ต้องอายุ 60–80 ปี)" in [c.text_th for c in d.conditions]


def test_sex():
    r = rule(FIXED, {"sexes": ["M"]})
    d = engine.evaluate(r, SOMSRI, Event(D(2025, 6, 1)))
    assert not d.eligible and "sex" in codes(d, False)
    assert engine.evaluate(rule(FIXED, {"sexes": ["F"]}), SOMSRI, Event(D(2025, 6, 1))).eligible


def test_member_status_on_the_event_date():
    r = rule(FIXED, {"statuses": ["active"]})
    resigned = MemberFacts(D(1960, 1, 1), "M", D(2019, 1, 1), "resigned", status_date=D(2024, 1, 1))
    assert not engine.evaluate(r, resigned, Event(D(2024, 6, 1))).eligible
    # an event before the member left was a member's event
    assert engine.evaluate(r, resigned, Event(D(2023, 12, 1))).eligible
    died = MemberFacts(D(1940, 1, 1), "M", D(2019, 1, 1), "deceased", status_date=D(2025, 2, 2))
    assert engine.evaluate(r, died, Event(D(2025, 2, 2))).eligible
    applied = MemberFacts(D(1960, 1, 1), "M", D(2019, 1, 1), "applied")
    assert not engine.evaluate(r, applied, Event(D(2024, 6, 1))).eligible
    assert engine.evaluate(rule(FIXED, {"statuses": ["applied", "active"]}), applied, Event(D(2024, 6, 1))).eligible


def test_event_before_joining_is_never_eligible():
    d = engine.evaluate(rule(FIXED), SOMSRI, Event(D(2019, 2, 28)))
    assert not d.eligible and "joined" in codes(d, False)


def test_contributions_paid_up_with_grace_months():
    r = rule(FIXED, {"paid_up": True, "grace_months": 2})
    # event in June 2025: paid through the end of March 2025 is enough with two months' grace
    behind = MemberFacts(D(1960, 5, 17), "F", D(2019, 3, 1), "active", paid_through=D(2025, 3, 31))
    assert engine.evaluate(r, behind, Event(D(2025, 6, 15))).eligible
    further = MemberFacts(D(1960, 5, 17), "F", D(2019, 3, 1), "active", paid_through=D(2025, 3, 30))
    d = engine.evaluate(r, further, Event(D(2025, 6, 15)))
    assert not d.eligible
    assert "ต้องถึง 31 มี.ค. 2568 ผ่อนผันได้ 2 เดือน" in next(c.text_th for c in d.conditions if c.code == "paid_up")
    never = MemberFacts(D(1960, 5, 17), "F", D(2019, 3, 1), "active", paid_through=None)
    assert not engine.evaluate(r, never, Event(D(2025, 6, 15))).eligible
    strict = rule(FIXED, {"paid_up": True})
    assert not engine.evaluate(strict, behind, Event(D(2025, 6, 15))).eligible
    assert engine.evaluate(strict, SOMSRI, Event(D(2025, 6, 15))).eligible  # through 31 May


def test_required_documents():
    docs = [{"code": "birth_certificate", "label_th": "สูติบัตร", "label_en": "Birth certificate"},
            {"code": "id_card", "label_th": "สำเนาบัตรประชาชน", "label_en": "ID card copy"}]
    r = rule(FIXED, documents=docs)
    d = engine.evaluate(r, SOMSRI, Event(D(2025, 6, 1), documents=frozenset({"id_card"})))
    assert not d.eligible
    assert next(c for c in d.conditions if c.code == "documents").text_th == "ขาดเอกสาร: สูติบัตร"
    ok = engine.evaluate(r, SOMSRI, Event(D(2025, 6, 1), documents=frozenset({"id_card", "birth_certificate"})))
    assert ok.eligible


# --- limits -------------------------------------------------------------------------------

def test_same_event_twice_is_refused():
    r = rule(FIXED)
    prior = [PriorClaim(D(2025, 6, 1), "hospital-2025-06-01", 100_00)]
    d = engine.evaluate(r, SOMSRI, Event(D(2025, 6, 1), "hospital-2025-06-01"), prior)
    assert not d.eligible and "same_event" in codes(d, False)
    assert engine.evaluate(r, SOMSRI, Event(D(2025, 6, 2), "hospital-2025-06-02"), prior).eligible


def test_limit_per_event():
    r = rule({"kind": "percent", "percent": 100}, limits={"per_event": 2000_00})
    d = engine.evaluate(r, SOMSRI, Event(D(2025, 6, 1), cost=3500_00))
    assert d.amount == 2000_00 and "ไม่เกิน 2,000.00 บาทต่อเหตุการณ์" in d.steps[-2].text_th


def test_limit_per_year_reduces_then_refuses():
    r = rule({"kind": "fixed", "amount": 1000_00}, limits={"per_year": 2500_00})
    prior = [PriorClaim(D(2025, 1, 5), "a", 1000_00), PriorClaim(D(2025, 3, 5), "b", 1000_00),
             PriorClaim(D(2024, 12, 31), "old", 1000_00)]
    d = engine.evaluate(r, SOMSRI, Event(D(2025, 6, 1), "c"), prior)
    assert d.eligible and d.amount == 500_00
    d = engine.evaluate(r, SOMSRI, Event(D(2025, 7, 1), "d"), [*prior, PriorClaim(D(2025, 6, 1), "c", 500_00)])
    assert not d.eligible and "per_year" in codes(d, False)
    # a new year starts afresh
    assert engine.evaluate(r, SOMSRI, Event(D(2026, 1, 1), "e"), prior).amount == 1000_00


def test_year_follows_the_fiscal_year():
    r = rule({"kind": "fixed", "amount": 1000_00}, limits={"claims_per_year": 1})
    prior = [PriorClaim(D(2024, 11, 5), "a", 1000_00)]
    # fiscal year from October: November 2024 and June 2025 are the same year
    assert not engine.evaluate(r, SOMSRI, Event(D(2025, 6, 1), "b"), prior, year_start_month=10).eligible
    assert engine.evaluate(r, SOMSRI, Event(D(2025, 6, 1), "b"), prior, year_start_month=1).eligible


def test_limit_per_lifetime():
    r = rule({"kind": "fixed", "amount": 3000_00}, limits={"per_lifetime": 5000_00})
    prior = [PriorClaim(D(2020, 1, 5), "a", 3000_00)]
    assert engine.evaluate(r, SOMSRI, Event(D(2025, 6, 1), "b"), prior).amount == 2000_00
    d = engine.evaluate(r, SOMSRI, Event(D(2025, 6, 1), "b"), [*prior, PriorClaim(D(2022, 1, 1), "c", 2000_00)])
    assert not d.eligible and "per_lifetime" in codes(d, False)


def test_limit_claims_per_year():
    r = rule(FIXED, limits={"claims_per_year": 2})
    prior = [PriorClaim(D(2025, 1, 5), "a", 100_00), PriorClaim(D(2025, 2, 5), "b", 100_00)]
    d = engine.evaluate(r, SOMSRI, Event(D(2025, 6, 1), "c"), prior)
    assert not d.eligible
    assert next(c for c in d.conditions if c.code == "claims_per_year").text_th.startswith("ขอไปแล้ว 2 ครั้ง")


def test_nights_per_year():
    r = rule({"kind": "per_night", "per_night": 300_00, "max_nights": 5}, limits={"nights_per_year": 5})
    prior = [PriorClaim(D(2025, 2, 1), "a", 900_00, nights=3)]
    d = engine.evaluate(r, SOMSRI, Event(D(2025, 6, 1), "b", nights=4), prior)
    assert d.amount == 600_00 and d.nights_paid == 2
    d = engine.evaluate(r, SOMSRI, Event(D(2025, 7, 1), "c", nights=1),
                        [*prior, PriorClaim(D(2025, 6, 1), "b", 600_00, nights=2)])
    assert not d.eligible and "nights_per_year" in codes(d, False)


def test_a_money_limit_on_nights_counts_the_nights_it_pays():
    r = rule({"kind": "per_night", "per_night": 300_00}, limits={"per_year": 1000_00})
    d = engine.evaluate(r, SOMSRI, Event(D(2025, 6, 1), "a", nights=5))
    assert d.amount == 1000_00 and d.nights_paid == 4  # 3 nights and a part of the fourth


def test_decision_as_json_round_trip_is_plain():
    d = engine.evaluate(rule(FIXED), SOMSRI, Event(D(2025, 6, 1)))
    data = d.to_json()
    assert data["eligible"] is True and data["amount"] == 100_00
    assert {"code", "passed", "text_th", "text_en"} == set(data["conditions"][0])
    assert MemberFacts.from_json(SOMSRI.to_json()) == SOMSRI


# --- the rule's JSON ----------------------------------------------------------------------

def test_rule_json_round_trips():
    data = {"eligibility": {"min_membership_months": 6, "waiting_days": 0, "min_age": None, "max_age": None,
                            "sexes": [], "statuses": ["active"], "paid_up": True, "grace_months": 3},
            "amount": {"kind": "percent", "percent": 12.5, "cap": 500000},
            "limits": {"per_event": None, "per_year": 1000000, "per_lifetime": None, "claims_per_year": 2,
                       "nights_per_year": None},
            "documents": [{"code": "receipt", "label_th": "ใบเสร็จ", "label_en": "Receipt"}]}
    r = schema.rule_from_json(data)
    assert r.amount.percent_bp == 1250 and r.eligibility.paid_up
    assert r.to_json() == data
    assert schema.rule_from_json(r.to_json()) == r


def test_rule_json_reports_every_problem_at_once():
    problems = schema.rule_problems({
        "eligibility": {"min_age": 70, "max_age": 60, "sexes": ["X"], "statuses": [], "colour": "red"},
        "amount": {"kind": "percent", "percent": 150},
        "limits": {"per_year": -5},
        "documents": [{"code": "Bad Code", "label_th": ""}],
    })
    fields = {p.field for p in problems}
    assert {"eligibility.max_age", "eligibility.sexes", "eligibility.statuses", "eligibility.colour",
            "amount.percent", "limits.per_year", "documents[1].code", "documents[1].label_th"} <= fields
    assert all(p.message_th and p.message_en for p in problems)
    with pytest.raises(RuleViolation):
        schema.rule_from_json({"amount": {"kind": "tiered", "tiers": []}})
    assert schema.rule_problems("not json")[0].field == "rule"
    assert schema.rule_problems({})[0].field == "amount"


def test_without_explanations_the_verdict_and_amount_are_the_same():
    r = rule({"kind": "per_night", "per_night": 300_00, "max_nights": 5},
             {"min_membership_months": 6, "min_age": 18, "paid_up": True, "grace_months": 1},
             {"nights_per_year": 6, "per_year": 1500_00, "claims_per_year": 3},
             [{"code": "id_card", "label_th": "บัตร"}])
    prior = [PriorClaim(D(2025, 2, 1), "a", 900_00, nights=3)]
    for nights in range(8):
        for docs in (frozenset(), frozenset({"id_card"})):
            ev = Event(D(2025, 6, 1), "b", nights=nights, documents=docs)
            full = engine.evaluate(r, SOMSRI, ev, prior)
            bare = engine.evaluate(r, SOMSRI, ev, prior, explain=False)
            assert (bare.eligible, bare.amount, bare.nights_paid) == (full.eligible, full.amount, full.nights_paid)
            assert [(c.code, c.passed) for c in bare.conditions] == [(c.code, c.passed) for c in full.conditions]
            assert bare.steps == [] and all(c.text_th == "" for c in bare.conditions)
