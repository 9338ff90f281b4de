"""The Thai national ID (เลขประจำตัวประชาชน): 13 digits, the last a check digit.

The check itself is python-stdnum's ``th.pin``; this module adds the Thai/English messages
and the helpers the demo and the tests use.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings
from stdnum.exceptions import InvalidComponent
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.th import pin

from omboon.core.errors import Problem

_SEPARATORS = re.compile(r"[\s.\-]+")


def clean(value: str) -> str:
    """Digits only: '1-1037-00123-45-1' and '1 1037 00123 45 1' become '1103700123451'."""
    return _SEPARATORS.sub("", str(value or ""))


def check_digit(first12: str) -> str:
    return pin.calc_check_digit(first12)


def with_check_digit(first12: str) -> str:
    return first12 + check_digit(first12)


def is_valid(value: str) -> bool:
    return pin.is_valid(clean(value))


def check(value: str, *, field: str = "national_id", row: int | None = None) -> list[Problem]:
    """Problems with a national ID, empty when it is valid."""
    digits = clean(value)
    if not digits:
        return [Problem(field, "ต้องระบุเลขประจำตัวประชาชน", "national ID is required", row=row)]
    if len(digits) != 13 or not digits.isdigit():
        return [Problem(field, "เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก",
                        "national ID must be 13 digits", row=row, value=value)]
    try:
        pin.validate(digits)
    except InvalidComponent:
        return [Problem(field, "เลขประจำตัวประชาชนขึ้นต้นด้วย 0 หรือ 9 ไม่ได้",
                        "a national ID cannot start with 0 or 9", row=row, value=value)]
    except StdnumError:
        return [Problem(field, "เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบผิด)",
                        "national ID check digit is wrong", row=row, value=value)]
    return []


def masked(value: str) -> str:
    """'1103700123451' → 'x-xxxx-xxxxx-45-1': enough to tell two members apart on paper."""
    d = clean(value)
    if len(d) != 13:
        return "•" * len(d)
    return f"x-xxxx-xxxxx-{d[10:12]}-{d[12]}"


def formatted(value: str) -> str:
    d = clean(value)
    return f"{d[0]}-{d[1:5]}-{d[5:10]}-{d[10:12]}-{d[12]}" if len(d) == 13 else d


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of the ID: the same person in two groups matches, the ID is not revealed."""
    key = settings.OMBOON_ID_HASH_KEY.encode()
    return hmac.new(key, clean(value).encode(), hashlib.sha256).hexdigest()
