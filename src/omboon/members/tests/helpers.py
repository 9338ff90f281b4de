"""Rows of plausible members for the members tests."""

from __future__ import annotations

import datetime as dt

from omboon.core import national_id


def pid(n: int) -> str:
    """A valid national ID: 1 + eleven digits of ``n`` + the check digit."""
    return national_id.with_check_digit(f"1{n:011d}")


def row(n: int = 1, **overrides) -> dict:
    """Member ``n`` of Ban Don Chai (Lampang, Mueang Lampang district, Wiang Nuea)."""
    data = {
        "title": "นาง" if n % 2 else "นาย",
        "first_name": "สมศรี" if n % 2 else "สมชาย",
        "last_name": f"ใจดี{'ก' * (n % 5)}",
        "sex": "F" if n % 2 else "M",
        "national_id": pid(n),
        "birth_date": dt.date(1960, 1, 1) + dt.timedelta(days=n % 9000),
        "join_date": dt.date(2015, 1, 1) + dt.timedelta(days=n % 3000),
        "phone": f"081{n:07d}",
        "house_no": str(n % 200 + 1),
        "moo": n % 9 + 1,
        "province_code": "52",
        "district_code": "5201",
        "subdistrict_code": "520101",
        "postcode": "52000",
    }
    data.update(overrides)
    return data
