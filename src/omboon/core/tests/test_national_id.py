"""The Thai national ID: 13 digits, a check digit, masked on paper, hashed across groups."""

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from omboon.core import national_id

VALID = "1103700123458"  # 110370012345 + check digit 8


def test_check_digit_worked_example():
    # sum(d_i * (13 - i)) over the first 12 digits = 58; (11 - 58 % 11) % 10 = 8
    assert national_id.check_digit("110370012345") == "8"
    assert national_id.with_check_digit("110370012345") == VALID


@pytest.mark.parametrize("value", [VALID, "1-1037-00123-45-8", "1 1037 00123 45 8", " 1103700123458 "])
def test_valid_ids_in_any_common_spelling(value):
    assert national_id.is_valid(value)
    assert national_id.check(value) == []
    assert national_id.clean(value) == VALID


@pytest.mark.parametrize(
    ("value", "th", "en"),
    [
        ("1103700123451", "หลักตรวจสอบผิด", "check digit is wrong"),
        ("110370012345", "13 หลัก", "13 digits"),
        ("11037001234588", "13 หลัก", "13 digits"),
        ("11037001234x8", "13 หลัก", "13 digits"),
        ("0103700123450", "ขึ้นต้นด้วย 0 หรือ 9", "cannot start with 0 or 9"),
        ("9103700123453", "ขึ้นต้นด้วย 0 หรือ 9", "cannot start with 0 or 9"),
        ("", "ต้องระบุ", "required"),
        (None, "ต้องระบุ", "required"),
    ],
)
def test_invalid_ids_are_named_in_thai_and_english(value, th, en):
    assert not national_id.is_valid(value or "")
    [problem] = national_id.check(value, field="id_card", row=7)
    assert problem.field == "id_card" and problem.row == 7
    assert th in problem.message_th and en in problem.message_en


@given(st.text(alphabet="12345678", min_size=1, max_size=1),
       st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_every_generated_id_is_valid_and_one_wrong_digit_is_caught(kind, rest):
    # The first digit is the kind of person (1–8); 0 and 9 are never issued.
    value = national_id.with_check_digit(kind + rest)
    assert national_id.is_valid(value)
    wrong = value[:12] + str((int(value[12]) + 1) % 10)
    assert not national_id.is_valid(wrong)


def test_masked_shows_only_the_last_three_digits():
    assert national_id.masked(VALID) == "x-xxxx-xxxxx-45-8"
    assert national_id.masked("1-1037-00123-45-8") == "x-xxxx-xxxxx-45-8"
    assert national_id.masked("12345") == "•••••"
    assert "0123" not in national_id.masked(VALID)


def test_formatted_groups_like_the_card():
    assert national_id.formatted(VALID) == "1-1037-00123-45-8"
    assert national_id.formatted("123") == "123"


def test_keyed_hash_matches_the_same_person_without_revealing_the_id():
    h = national_id.keyed_hash(VALID)
    assert len(h) == 64 and VALID not in h
    assert national_id.keyed_hash("1-1037-00123-45-8") == h
    other = national_id.with_check_digit("310370012345")
    assert national_id.keyed_hash(other) != h


def test_keyed_hash_depends_on_the_key():
    with override_settings(OMBOON_ID_HASH_KEY="network-a"):
        a = national_id.keyed_hash(VALID)
    with override_settings(OMBOON_ID_HASH_KEY="network-b"):
        b = national_id.keyed_hash(VALID)
    assert a != b
