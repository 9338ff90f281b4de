"""The year-end split as a pure function (issue 17, item 6): worked examples of both models,
the refusals in Thai and English, and the property — for random members, balances, interest
paid and percentages the parts add up to net income to the satang and no share is negative."""

from decimal import Decimal as D

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from omboon.core.errors import RuleViolation
from omboon.loans.year_end.compute import (
    BASIS,
    MONTHS,
    PARTS,
    POOL,
    RATE,
    MemberInput,
    Model,
    allocate,
)
from omboon.testing.properties import examples


def months(*balances):
    """Twelve month-end balances in baht (missing months are zero) as the sum in satang."""
    return sum(balances) * 100


POOL_BYLAWS = Model(POOL, reserve=D(20), dividend=D(40), refund=D(20), welfare=D(10), committee=D(5), public=D(5))


def test_pool_model_worked_example():
    # Net income 10,000 baht: reserve 20 %, dividend 40 %, refund 20 %, welfare 10 %,
    # committee 5 %, public benefit 5 %. Two members saved all year (1,000 and 2,000 baht at
    # every month-end); a third joined half-way with 3,000 baht. A paid 300 baht interest, C 100.
    members = [MemberInput(1, months(*[1000] * 12), 300_00),
               MemberInput(2, months(*[2000] * 12), 0),
               MemberInput(3, months(*[3000] * 6), 100_00)]
    a = allocate(10_000_00, POOL_BYLAWS, members)
    # Dividend pool 4,000 baht over weights 12,000 : 24,000 : 18,000 (54,000).
    assert [m.dividend for m in a.members] == [888_88, 1777_77, 1333_33]
    # Refund pool 2,000 baht over interest 300 : 0 : 100.
    assert [m.refund for m in a.members] == [1500_00, 0, 500_00]
    assert a.parts == {"reserve": 2000_02, "dividend": 3999_98, "refund": 2000_00,
                       "welfare": 1000_00, "committee": 500_00, "public": 500_00}
    assert sum(a.parts.values()) == 10_000_00
    assert [m.balance for m in a.members] == [1000_00, 2000_00, 1500_00]  # time-weighted


def test_rate_model_worked_example():
    # Dividend 6 % a year on the time-weighted balance, refund 10 % of interest paid; welfare
    # 10 %, committee 5 %; the reserve at least 10 %, and it takes the rest.
    bylaws = Model(RATE, reserve=D(10), dividend=D(6), refund=D(10), welfare=D(10), committee=D(5))
    members = [MemberInput(1, months(*[1000] * 12), 300_00), MemberInput(2, months(*[1500] * 6), 0)]
    a = allocate(5_000_00, bylaws, members)
    assert [(m.dividend, m.refund) for m in a.members] == [(60_00, 30_00), (45_00, 0)]
    assert a.parts == {"reserve": 4115_00, "dividend": 105_00, "refund": 30_00,
                       "welfare": 500_00, "committee": 250_00, "public": 0}


def test_rounding_down_and_the_remainder_to_reserve():
    # 100 satang of dividend over three equal balances: 33 each, the satang left to the reserve.
    bylaws = Model(POOL, reserve=D(90), dividend=D(10))
    a = allocate(10_00, bylaws, [MemberInput(i, 1200, 0) for i in (1, 2, 3)])
    assert [m.dividend for m in a.members] == [33, 33, 33]
    assert a.parts["reserve"] == 9_01 and a.parts["dividend"] == 99


def test_a_pool_with_nobody_to_share_it_goes_to_reserve():
    a = allocate(1000_00, POOL_BYLAWS, [MemberInput(1, 0, 0)])
    assert a.parts["dividend"] == a.parts["refund"] == 0
    assert a.parts["reserve"] == 800_00
    assert a.paid_members == ()


@pytest.mark.parametrize(("model", "field", "code", "th", "en"), [
    (Model(POOL, reserve=D(10), dividend=D(50)), "total", "total", "รวมกันต้องเท่ากับ 100", "add up to 100"),
    (Model(POOL, reserve=D(5), dividend=D(95)), "reserve", "reserve_low", "ไม่น้อยกว่าร้อยละ 10", "at least 10%"),
    (Model(POOL, reserve=D("10.005"), dividend=D("89.995")), "reserve", "percent", "ทศนิยมไม่เกิน 2", "two decimals"),
    (Model("share", reserve=D(100)), "kind", "kind", "pool", "pool or rate"),
    (Model(RATE, reserve=D(60), welfare=D(50)), "total", "total", "เกิน 100", "more than 100"),
])
def test_bad_models_are_refused_in_thai_and_english(model, field, code, th, en):
    with pytest.raises(RuleViolation) as e:
        allocate(1000_00, model, [MemberInput(1, 1200_00, 0)])
    [p] = [p for p in e.value.problems if p.code == code and p.field == field]
    assert p.field == field and th in p.message_th and en in p.message_en


def test_no_net_income_and_bad_members_are_refused():
    with pytest.raises(RuleViolation) as e:
        allocate(-5_00, POOL_BYLAWS, [MemberInput(1, -1, 0), MemberInput(1, 0, 0)])
    assert {p.code for p in e.value.problems} == {"no_net_income", "negative", "member_twice"}
    assert [p.row for p in e.value.problems if p.code != "no_net_income"] == [1, 2]


def test_rates_that_leave_the_reserve_under_its_share_are_refused():
    bylaws = Model(RATE, reserve=D(10), dividend=D(50))
    with pytest.raises(RuleViolation) as e:
        allocate(100_00, bylaws, [MemberInput(1, months(*[1000] * 12), 0)])
    [p] = e.value.problems
    assert p.code == "reserve_low" and "ลดอัตราลง" in p.message_th and "lower the rates" in p.message_en


@st.composite
def pool_models(draw):
    # Six basis-point shares adding up to 10,000 with the reserve at least 1,000.
    cuts = sorted(draw(st.lists(st.integers(0, BASIS - 1000), min_size=5, max_size=5)))
    shares = [b - a for a, b in zip([0, *cuts], [*cuts, BASIS - 1000], strict=True)]
    shares[0] += 1000
    return Model(POOL, *(D(s) / 100 for s in shares))


@st.composite
def rate_models(draw):
    reserve = draw(st.integers(1000, BASIS))
    rest = [draw(st.integers(0, BASIS - reserve)) for _ in range(3)]
    while sum(rest) > BASIS - reserve:
        rest[rest.index(max(rest))] //= 2
    return Model(RATE, D(reserve) / 100, D(draw(st.integers(0, 3000))) / 100, D(draw(st.integers(0, 5000))) / 100,
                 *(D(r) / 100 for r in rest))


members = st.lists(st.tuples(st.integers(0, 500_000_00 * MONTHS), st.integers(0, 200_000_00)),
                   max_size=40).map(lambda rows: [MemberInput(i, b, r) for i, (b, r) in enumerate(rows, start=1)])


@given(net=st.integers(1, 100_000_000_00), model=st.one_of(pool_models(), rate_models()), members=members)
@settings(max_examples=examples(300))  # microseconds each; 300 reach both models and empty pools
def test_parts_add_up_to_net_income_and_nothing_is_negative(net, model, members):
    try:
        a = allocate(net, model, members)
    except RuleViolation as e:
        # Only the rate model refuses valid bylaws: when its rates would eat into the reserve.
        assert model.kind == RATE and [p.code for p in e.problems] == ["reserve_low"]
        taken = sum(m.balance_months * model.points("dividend") // (BASIS * MONTHS)
                    + m.interest_paid * model.points("refund") // BASIS for m in members)
        taken += sum(net * model.points(p) // BASIS for p in ("welfare", "committee", "public"))
        assert (net - taken) * BASIS < net * model.points("reserve")
        event("rate model refused: the reserve would fall short")
        return
    event(f"{model.kind} model allocated")
    assert set(a.parts) == set(PARTS)
    assert sum(a.parts.values()) == net
    assert all(v >= 0 for v in a.parts.values())
    assert all(m.dividend >= 0 and m.refund >= 0 for m in a.members)
    assert sum(m.dividend for m in a.members) == a.parts["dividend"]
    assert sum(m.refund for m in a.members) == a.parts["refund"]
    assert a.parts["reserve"] * BASIS >= net * model.points("reserve")
    if model.kind == POOL:  # no member gets more than their exact share of the pool
        total = sum(m.balance_months for m in members)
        for m in a.members:
            assert m.dividend * total <= net * model.points("dividend") // BASIS * m.balance_months
