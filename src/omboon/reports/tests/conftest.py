"""A test-only sample report, registered for one test and removed after it."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.core import charts, reporting
from omboon.core.reporting import DATE, INT, MONEY, PCT, Column, Report, Table
from omboon.orgs import scoping

SAMPLE_CODE = "zz-test-sample"
TITLE_TH = "รายงานสถานะกองทุนทดสอบ"
TITLE_EN = "Sample fund status"

# Ban Don Chai's figures (DESIGN.md), in satang.
INCOME = [
    ("ค่าธรรมเนียมแรกเข้า", 2681, 133_782_00),
    ("ค่าสมทบรายปี", 2681, 432_850_00),
    ("ออมวันละบาท", 2681, 2_153_732_00),
]
BENEFITS = [
    ("ค่าทำขวัญบุตร", 14, 7_000_00),
    ("ค่าเยี่ยมไข้/นอนโรงพยาบาล", 432, 152_000_00),
    ("ค่าจัดการศพ", 129, 1_064_778_00),
    ("=HYPERLINK(\"http://evil\")", 1, 12_34),  # a hostile name: must stay text
    ("-คืนเงิน", 1, -50),
]


class SampleReport(Report):
    code = SAMPLE_CODE
    title_th = TITLE_TH
    title_en = TITLE_EN
    need = scoping.RECORDS

    def build(self, *, organisation, start, end, lang="th", params=None):
        income = Table("รายรับ", "Income", [
            Column("item", "รายการ", "Item"),
            Column("members", "สมาชิก", "Members", INT),
            Column("amount", "จำนวนเงิน (บาท)", "Amount (baht)", MONEY, total=True),
        ], [{"item": i, "members": n, "amount": a} for i, n, a in INCOME])
        benefits = Table("สวัสดิการที่จ่าย", "Benefits paid", [
            Column("category", "ประเภท", "Category"),
            Column("cases", "ราย", "Cases", INT, total=True),
            Column("amount", "จำนวนเงิน (บาท)", "Amount (baht)", MONEY, total=True),
            Column("share", "ร้อยละ", "Share", PCT),
            Column("last", "จ่ายล่าสุด", "Last paid", DATE),
        ], [
            {"category": c, "cases": n, "amount": a, "share": 12.5, "last": dt.date(2025, 3, 15)}
            for c, n, a in BENEFITS
        ])
        chart = charts.hbar_chart([(c, a) for c, _, a in BENEFITS[:3]], title="สวัสดิการตามประเภท",
                                  money=True)
        line = charts.line_chart(charts.month_labels([(2025, 1), (2025, 2), (2025, 3)]),
                                 {"ยอดกองทุน": [2_000_000_00, 2_100_000_00, 2_200_000_00]},
                                 title="ยอดเงินกองทุน", money=True)
        return self.result(organisation, start, end, [income, benefits],
                           notes=[f"ตัวเลือก {params}" if params else "ข้อมูลทดสอบ"], charts=[line, chart])


@pytest.fixture
def sample_report():
    reporting.autodiscover()
    assert SAMPLE_CODE not in reporting.REGISTRY
    reporting.register(SampleReport)
    try:
        yield reporting.REGISTRY[SAMPLE_CODE]
    finally:
        reporting.REGISTRY.pop(SAMPLE_CODE, None)


@pytest.fixture
def sample_result(tree, sample_report):
    return sample_report.build(organisation=tree.group_a, start=dt.date(2025, 1, 1),
                               end=dt.date(2025, 3, 31))
