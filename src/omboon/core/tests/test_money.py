"""Money in integer satang: parse what people type, format it back, allocate without losing a satang."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omboon.core.money import Money, allocate, format_baht, parse_baht

amounts = st.integers(min_value=-10**15, max_value=10**15)


@pytest.mark.parametrize(
    ("text", "satang"),
    [
        ("1,234.50", 123450),
        ("1234", 123400),
        ("1234.5", 123450),
        ("฿1,234.5", 123450),
        ("1,234.50 บาท", 123450),
        ("1,234,567.89", 123456789),
        ("0.01", 1),
        ("0", 0),
        ("๑,๒๓๔.๕๐", 123450),
        ("-50", -5000),
        ("(1,234.50)", -123450),
        ("−20.25", -2025),
        ("฿-5", -500),
        ("  365  ", 36500),
        ("+10", 1000),
    ],
)
def test_parse_baht_accepts_what_a_treasurer_types(text, satang):
    assert parse_baht(text) == satang


@pytest.mark.parametrize(
    ("text", "th", "en"),
    [
        ("1.234,50", "จุด (.) คั่นทศนิยม", "use a point for decimals"),
        ("1.234", "ไม่เกิน 2 ตำแหน่ง", "at most 2 decimals"),
        ("12.345", "ไม่เกิน 2 ตำแหน่ง", "at most 2 decimals"),
        ("", "ต้องระบุจำนวนเงิน", "empty"),
        ("   ", "ต้องระบุจำนวนเงิน", "empty"),
        ("฿", "ต้องระบุจำนวนเงิน", "empty"),
        ("12,34", "จุลภาค", "thousands separators"),
        ("1,2345.00", "จุลภาค", "thousands separators"),
        ("abc", "จำนวนเงินไม่ถูกต้อง", "not a valid amount"),
        ("1e3", "จำนวนเงินไม่ถูกต้อง", "not a valid amount"),
        (".50", "จำนวนเงินไม่ถูกต้อง", "not a valid amount"),
        ("--5", "จำนวนเงินไม่ถูกต้อง", "not a valid amount"),
        ("(-5)", "เครื่องหมายลบซ้ำ", "double negative"),
        (12.5, "float", "floats are not accepted"),
        (None, "ต้องเป็นข้อความ", "must be text"),
    ],
)
def test_parse_baht_refuses_with_a_thai_and_english_message(text, th, en):
    with pytest.raises(ValueError) as caught:
        parse_baht(text)
    assert th in str(caught.value)
    assert en in str(caught.value)


def test_format_baht():
    assert format_baht(123450) == "1,234.50"
    assert format_baht(5) == "0.05"
    assert format_baht(0) == "0.00"
    assert format_baht(-123450) == "-1,234.50"
    assert format_baht(123450, sign=True) == "+1,234.50"
    assert format_baht(0, sign=True) == "0.00"
    assert format_baht(123450, symbol=True) == "฿1,234.50"
    assert format_baht(-123450, symbol=True) == "-฿1,234.50"
    assert format_baht(Money(272036400)) == "2,720,364.00"


@pytest.mark.parametrize("bad", [12.5, "123", True, None])
def test_format_baht_refuses_anything_but_integer_satang(bad):
    with pytest.raises(TypeError):
        format_baht(bad)


@given(amounts)
def test_format_then_parse_round_trips(satang):
    assert parse_baht(format_baht(satang)) == satang
    assert parse_baht(format_baht(satang, symbol=True, sign=True)) == satang


def test_money_arithmetic_and_comparison():
    fee = Money.baht(50)
    yearly = Money.baht(365)
    assert fee + yearly == Money(41500)
    assert yearly - fee == Money.baht(315)
    assert -fee == Money(-5000)
    assert fee * 3 == 3 * fee == Money.baht(150)
    assert fee < yearly and yearly >= fee and fee != yearly
    assert Money.baht(1, 50) == Money(150)
    assert sum([fee, yearly, Money(1)]) == Money(41501)
    assert Money.sum([fee, 100]) == Money(5100)
    assert Money.sum([]) == Money.zero()
    assert not Money(0) and Money(1)
    assert str(Money(123450)) == "1,234.50"
    assert Money.parse("฿1,234.50").format(symbol=True) == "฿1,234.50"
    assert Money(-150).whole_baht == -1 and Money(150).whole_baht == 1
    assert {Money(1), Money(1)} == {Money(1)}


def test_money_is_immutable_and_refuses_floats():
    fee = Money(5000)
    with pytest.raises(AttributeError):
        fee.satang = 1
    with pytest.raises(TypeError):
        Money(50.0)
    with pytest.raises(TypeError):
        Money("50")
    with pytest.raises(TypeError):
        fee * 1.5
    with pytest.raises(TypeError):
        fee + 5  # add Money to Money, never a bare number
    with pytest.raises(TypeError):
        fee < 10  # noqa: B015 — the comparison itself must raise


def test_allocate_largest_remainder():
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert allocate(1000, [50, 30, 20]) == [500, 300, 200]
    # A death benefit of 10,000.01 baht split among three beneficiaries 50/25/25.
    assert allocate(1000001, [50, 25, 25]) == [500001, 250000, 250000]
    # The largest fractional remainder gets the spare satang, not the first share.
    assert allocate(10, [1, 2, 2, 2]) == [1, 3, 3, 3]
    assert allocate(-100, [1, 1, 1]) == [-34, -33, -33]
    assert allocate(5, [0, 1]) == [0, 5]
    assert Money(1000).allocate([1, 1, 1]) == [Money(334), Money(333), Money(333)]


@pytest.mark.parametrize("weights", [[], [0, 0], [1, -1], [1.5, 1]])
def test_allocate_refuses_bad_weights(weights):
    with pytest.raises((ValueError, TypeError)):
        allocate(100, weights)


@given(amounts, st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=20))
def test_allocate_never_loses_a_satang_and_stays_fair(total, weights):
    if sum(weights) == 0:
        weights = [*weights[:-1], 1]
    shares = allocate(total, weights)
    assert sum(shares) == total
    assert len(shares) == len(weights)
    weight_sum = sum(weights)
    for share, weight in zip(shares, weights):
        # Each share is within one satang of its exact value total * weight / weight_sum.
        assert abs(share * weight_sum - total * weight) < weight_sum
