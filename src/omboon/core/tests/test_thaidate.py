"""พ.ศ. dates: shown in the Buddhist Era, typed in BE or CE, stored Gregorian."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omboon.core.thaidate import (
    arabic_digits,
    format_date,
    format_month,
    parse_date,
    thai_digits,
    to_be,
    to_ce,
)

D = dt.date(2026, 11, 22)


def test_buddhist_era_is_gregorian_plus_543():
    assert to_be(2026) == 2569
    assert to_ce(2569) == 2026


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({}, "22 พ.ย. 2569"),
        ({"style": "long"}, "22 พฤศจิกายน 2569"),
        ({"style": "numeric"}, "22/11/2569"),
        ({"digits": "thai"}, "๒๒ พ.ย. ๒๕๖๙"),
        ({"style": "numeric", "digits": "thai"}, "๒๒/๑๑/๒๕๖๙"),
        ({"lang": "en"}, "22 Nov 2026"),
        ({"style": "long", "lang": "en"}, "22 November 2026"),
        ({"style": "numeric", "lang": "en"}, "22/11/2026"),
    ],
)
def test_format_date(kwargs, text):
    assert format_date(D, **kwargs) == text


def test_format_date_edges():
    assert format_date(None) == ""
    assert format_date(dt.date(2027, 1, 1)) == "1 ม.ค. 2570"
    assert format_date(dt.datetime(2026, 2, 3, 10, 0), style="numeric") == "03/02/2569"
    with pytest.raises(ValueError, match="unknown date style"):
        format_date(D, style="fancy")
    with pytest.raises(ValueError, match="unknown digits"):
        format_date(D, digits="roman")


def test_format_month():
    assert format_month(2026, 11) == "พฤศจิกายน 2569"
    assert format_month(2026, 1, lang="en") == "January 2026"
    assert format_month(2026, 2, digits="thai") == "กุมภาพันธ์ ๒๕๖๙"
    with pytest.raises(ValueError, match="month must be 1–12"):
        format_month(2026, 13)


def test_digits():
    assert thai_digits("22/11/2569") == "๒๒/๑๑/๒๕๖๙"
    assert arabic_digits("๒๒/๑๑/๒๕๖๙") == "22/11/2569"
    assert thai_digits(1234) == "๑๒๓๔"
    assert arabic_digits("หมู่ ๕") == "หมู่ 5"


@pytest.mark.parametrize(
    "text",
    [
        "22/11/2569",      # BE, the usual way
        "22/11/2026",      # CE
        "22-11-2569",
        "22.11.2569",
        "22/11/69",        # two-digit BE year
        "2026-11-22",      # ISO
        "2569-11-22",      # ISO with a BE year, as some spreadsheets export
        "22 พ.ย. 2569",
        "22 พย 2569",
        "22 พฤศจิกายน 2569",
        "22พ.ย.69",
        "๒๒/๑๑/๒๕๖๙",
        "๒๒ พ.ย. ๒๕๖๙",
        "22 พ.ย. พ.ศ. 2569",
        "วันที่ 22 พฤศจิกายน พ.ศ. 2569",
        "22 Nov 2026",
        "22 November 2026",
        "22 Nov 2026 AD",
        "22/11/2569 BE",
        "  22 / 11 / 2569 ",
    ],
)
def test_parse_date_accepts_what_people_type(text):
    assert parse_date(text) == D


def test_parse_date_single_digits_and_passthrough():
    assert parse_date("1-2-2569") == dt.date(2026, 2, 1)
    assert parse_date("1/1/2400") == dt.date(1857, 1, 1)  # 2400 and above is BE
    assert parse_date("1/1/2399") == dt.date(2399, 1, 1)  # below is CE
    assert parse_date("29 ก.พ. 2567") == dt.date(2024, 2, 29)
    assert parse_date("5 ธ.ค. 2568") == dt.date(2025, 12, 5)  # ธ.ค. is not read as ค.ศ.
    assert parse_date(D) == D
    assert parse_date(dt.datetime(2026, 11, 22, 8, 30)) == D


@pytest.mark.parametrize(
    ("text", "th", "en"),
    [
        ("", "ต้องระบุวันที่", "the date is empty"),
        ("31/02/2569", "ไม่มีวันที่นี้ในปฏิทิน", "no such date"),
        ("29 ก.พ. 2568", "ไม่มีวันที่นี้ในปฏิทิน", "no such date"),
        ("22/13/2569", "ไม่มีวันที่นี้ในปฏิทิน", "no such date"),
        ("22 พฤศจิ 2569", "ไม่รู้จักชื่อเดือน", "unknown month name"),
        ("tomorrow", "อ่านวันที่ไม่ได้", "cannot read the date"),
        ("2569", "อ่านวันที่ไม่ได้", "cannot read the date"),
        ("22/11/569", "อ่านวันที่ไม่ได้", "cannot read the date"),
        (20261122, "วันที่ต้องเป็นข้อความ", "a date must be text"),
    ],
)
def test_parse_date_refuses_with_thai_and_english(text, th, en):
    with pytest.raises(ValueError) as caught:
        parse_date(text)
    assert th in str(caught.value) and en in str(caught.value)


dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))


@given(dates, st.sampled_from(["short", "long", "numeric"]), st.sampled_from(["arabic", "thai"]),
       st.sampled_from(["th", "en"]))
def test_format_then_parse_round_trips(d, style, digits, lang):
    assert parse_date(format_date(d, style=style, digits=digits, lang=lang)) == d


@given(st.dates(min_value=dt.date(1957, 1, 1), max_value=dt.date(2056, 12, 31)))
def test_two_digit_be_years_round_trip_within_the_century(d):
    text = f"{d.day}/{d.month}/{to_be(d.year) % 100:02d}"
    assert parse_date(text) == d


@given(dates)
def test_iso_round_trips(d):
    assert parse_date(d.isoformat()) == d
