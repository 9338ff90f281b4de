"""Properties over random claim histories (Hypothesis): no paid claim exceeds its rule's
limits; paid claims per category equal the books' benefit expense per category; reversing a
payout restores every balance. Each example runs in a savepoint that is rolled back."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omboon.core.errors import RuleViolation
from omboon.ledger import selectors as ledger_selectors
from omboon.testing.properties import examples
from omboon.welfare import schema, selectors, services
from omboon.welfare.models import Claim
from omboon.welfare.tests.conftest import make_member

D = dt.date
pytestmark = pytest.mark.django_db

LIMITED = {
    "eligibility": {"statuses": ["active"]},
    "amount": {"kind": "percent", "percent": 60, "cap": 4000_00},
    "limits": {"per_event": 3000_00, "per_year": 5000_00, "per_lifetime": 9000_00, "claims_per_year": 3},
}
NIGHTLY = {
    "amount": {"kind": "per_night", "per_night": 300_00, "max_nights": 5},
    "limits": {"nights_per_year": 7, "per_year": 1800_00},
}

claim_st = st.tuples(
    st.sampled_from(["limited", "nightly", "sickness", "childbirth"]),  # scheme
    st.integers(0, 2),  # member
    st.dates(D(2023, 1, 1), D(2025, 12, 31)),  # event
    st.integers(0, 9),  # nights
    st.integers(0, 12000_00),  # cost
    st.sampled_from(["pay", "pay", "pay", "reject", "leave", "reverse"]),
)
# Each example submits, approves, pays and reverses up to 14 claims through the services and the
# ledger (tens of milliseconds each): 25 histories per property draw every scheme, member and
# outcome many times over, and the yearly limits (3 claims, 7 nights) are within reach since up
# to 14 events fall in three years among three members.
SETTINGS = settings(max_examples=examples(25), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _setup(fund):
    schemes = dict(fund.schemes)
    schemes["limited"] = services.scheme_create(actor=None, organisation=fund.group, category="disaster",
                                                name_th="ภัยพิบัติ (จำกัด)", rule=LIMITED,
                                                effective_from=D(2020, 1, 1))
    schemes["nightly"] = services.scheme_create(actor=None, organisation=fund.group, category="sickness",
                                                name_th="นอนโรงพยาบาล (จำกัด)", rule=NIGHTLY,
                                                effective_from=D(2020, 1, 1))
    members = [fund.member, make_member(fund.group), make_member(fund.group, join_date=D(2024, 6, 1))]
    return schemes, members


def _run(fund, schemes, members, history):
    for i, (name, who, day, nights, cost, then) in enumerate(history):
        scheme = schemes[name]
        try:
            claim = services.claim_submit(
                actor=fund.treasurer, organisation=fund.group, member=members[who], scheme=scheme, event_date=day,
                event_key=f"e{i}", nights=nights, cost=cost,
                documents=selectors.document_codes(scheme, day), today=D(2026, 1, 1))
        except RuleViolation:
            continue
        if then == "leave":
            continue
        if then == "reject":
            services.claim_reject(actor=fund.chair, claim=claim, reason="ทดสอบ")
            continue
        claim = services.claim_pay(actor=fund.treasurer, claim=services.claim_approve(actor=fund.chair, claim=claim),
                                   date=max(day, D(2025, 12, 31)))
        if then == "reverse":
            services.claim_reverse(actor=fund.chair, claim=claim, reason="ทดสอบ", date=D(2026, 1, 1))


@SETTINGS
@given(history=st.lists(claim_st, min_size=1, max_size=14))
def test_no_paid_claim_exceeds_its_rule(fund, history):
    with transaction.atomic():
        schemes, members = _setup(fund)
        _run(fund, schemes, members, history)
        by_year: dict = defaultdict(lambda: [0, 0, 0])
        lifetime: dict = defaultdict(int)
        for c in Claim.objects.filter(organisation=fund.group, status__in=Claim.LIVE).select_related("rule_version"):
            rule = schema.rule_from_json(c.rule_version.rule)
            lim, amount = rule.limits, rule.amount
            assert c.amount > 0
            if lim.per_event is not None:
                assert c.amount <= lim.per_event
            if amount.kind == "per_night":
                nights_paid = c.eligibility["nights_paid"]
                assert nights_paid <= c.nights and nights_paid <= (amount.max_nights or nights_paid)
                assert (nights_paid - 1) * amount.per_night < c.amount <= nights_paid * amount.per_night
            if amount.kind == "percent" and amount.cap is not None:
                assert c.amount <= amount.cap
            year = by_year[(c.member_id, c.scheme_id, c.event_date.year)]
            year[0] += c.amount
            year[1] += 1
            year[2] += c.eligibility.get("nights_paid", 0)
            lifetime[(c.member_id, c.scheme_id)] += c.amount
            for total, count, nights in [year]:
                if lim.per_year is not None:
                    assert total <= lim.per_year
                if lim.claims_per_year is not None:
                    assert count <= lim.claims_per_year
                if lim.nights_per_year is not None:
                    assert nights <= lim.nights_per_year
            if lim.per_lifetime is not None:
                assert lifetime[(c.member_id, c.scheme_id)] <= lim.per_lifetime
        transaction.set_rollback(True)


@SETTINGS
@given(history=st.lists(claim_st, min_size=1, max_size=14))
def test_paid_per_category_equals_the_books(fund, history):
    with transaction.atomic():
        schemes, members = _setup(fund)
        _run(fund, schemes, members, history)
        paid = {t.category: t.amount for t in selectors.benefits_by_category(fund.group, None, None)}
        assert paid == selectors.ledger_benefits_by_category(fund.group)
        cash_out = sum(paid.values())
        assert selectors.welfare_cash(fund.group) == 100_000_00 - cash_out
        transaction.set_rollback(True)


@SETTINGS
@given(history=st.lists(claim_st, min_size=1, max_size=10), nights=st.integers(1, 5))
def test_reversing_a_payout_restores_every_balance(fund, history, nights):
    with transaction.atomic():
        schemes, members = _setup(fund)
        _run(fund, schemes, members, history)
        before = ledger_selectors.balances(fund.group, D(2030, 1, 1))
        try:
            claim = services.claim_submit(actor=fund.treasurer, organisation=fund.group, member=members[0],
                                          scheme=schemes["sickness"], event_date=D(2025, 12, 30),
                                          event_key="final", nights=nights,
                                          documents=selectors.document_codes(schemes["sickness"], D(2025, 12, 30)),
                                          today=D(2026, 1, 1))
        except RuleViolation:  # the year's nights are used up
            transaction.set_rollback(True)
            return
        claim = services.claim_pay(actor=fund.treasurer, claim=services.claim_approve(actor=fund.chair, claim=claim),
                                   date=D(2025, 12, 31))
        assert ledger_selectors.balances(fund.group, D(2030, 1, 1)) != before
        services.claim_reverse(actor=fund.chair, claim=claim, reason="ทดสอบ", date=D(2026, 1, 2))
        assert ledger_selectors.balances(fund.group, D(2030, 1, 1)) == before
        transaction.set_rollback(True)
