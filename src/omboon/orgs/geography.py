"""Thai administrative geography (DOPA codes) from the geothai package.

Data: GeoThai/data by Pongsakorn Thipayanate, CC BY 4.0, from the Department of Provincial
Administration (กรมการปกครอง) and Thailand Post. Credited on the About page and in README.
"""

from __future__ import annotations

import geothai

CREDIT = (
    "ข้อมูลจังหวัด อำเภอ ตำบล: GeoThai/data (Pongsakorn Thipayanate) ภายใต้สัญญาอนุญาต CC BY 4.0 "
    "จากกรมการปกครองและไปรษณีย์ไทย / Geography: GeoThai/data by Pongsakorn Thipayanate, "
    "CC BY 4.0, from DOPA and Thailand Post"
)


def province(code: str):
    return geothai.province(code or "")


def district(code: str):
    return geothai.district(code or "")


def subdistrict(code: str):
    return geothai.subdistrict(code or "")


def provinces():
    return geothai.provinces()


def districts(province_code: str):
    return geothai.districts(province_code)


def subdistricts(district_code: str):
    return geothai.subdistricts(district_code)


def place_name(code: str, lang: str = "th") -> str:
    """The name of a province (2 digits), district (4) or subdistrict (6) code."""
    finder = {2: province, 4: district, 6: subdistrict}.get(len(code or ""))
    area = finder(code) if finder else None
    if area is None:
        return ""
    return area.name_th if lang == "th" else area.name_en
