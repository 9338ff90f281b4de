"""Welfare reports through the registry and ``omboon report``: the Ban Don Chai report of
benefits by category, a member's history, claims pending."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from omboon.core import reporting
from omboon.welfare import services

D = dt.date
pytestmark = pytest.mark.django_db


def _report(*args) -> dict:
    out = io.StringIO()
    call_command("report", *args, "--format", "json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def test_benefits_by_category_for_a_period(fund, tree):
    fund.paid("childbirth", event_key="a", event_date=D(2025, 1, 5))
    fund.paid("childbirth", event_key="b", event_date=D(2025, 2, 5))
    fund.paid("sickness", nights=3, event_date=D(2025, 3, 1))
    reversed_ = fund.paid("sickness", nights=1, event_key="x", event_date=D(2025, 4, 1))
    services.claim_reverse(actor=fund.chair, claim=reversed_, reason="ผิด")
    fund.paid("death", event_date=D(2025, 5, 1))
    fund.submit("childbirth", event_key="pending", event_date=D(2025, 4, 15))
    data = _report("benefits-by-category", "--org", "BDC", "--from", "01/01/2568", "--to", "31/12/2568")
    rows = {r["category"]: (r["cases"], r["amount"]) for r in data["tables"][0]["rows"]}
    assert rows == {"ค่าทำขวัญบุตร": (2, 1000_00), "ค่าเยี่ยมไข้/นอนโรงพยาบาล": (1, 900_00),
                    "ค่าจัดการศพ": (1, 12000_00)}
    # an earlier period has nothing; the network above adds its groups up
    assert _report("benefits-by-category", "--org", "BDC", "--to", "2024-12-31")["tables"][0]["rows"] == []
    zone = reporting.get("benefits-by-category").build(organisation=tree.zone, start=None, end=None, lang="en")
    assert {r["category"] for r in zone.tables[0].rows} == {"Childbirth", "Sickness / hospital visit", "Death"}
    assert zone.charts and "<svg" in zone.charts[0]


def test_member_history_and_pending(fund):
    fund.paid("sickness", nights=2, event_date=D(2025, 3, 1))
    pending = fund.submit("childbirth", event_date=D(2025, 6, 1))
    data = _report("member-benefits", "--org", "BDC", "--param", f"member={fund.member.number}")
    rows = data["tables"][0]["rows"]
    assert [r["amount"] for r in rows] == [600_00, 0]
    assert rows[0]["document"].startswith("PV")
    empty = _report("member-benefits", "--org", "BDC")
    assert empty["tables"][0]["rows"] == []
    data = _report("claims-pending", "--org", "BDC")
    assert [r["amount"] for r in data["tables"][0]["rows"]] == [pending.amount]


def test_report_page_renders_in_thai(fund, client):
    fund.paid("sickness", nights=2, event_date=D(2025, 3, 1))
    client.force_login(fund.treasurer)
    page = client.get("/o/BDC/reports/benefits-by-category/?from=01/01/2568&to=31/12/2568").content.decode()
    assert "สรุปการจ่ายสวัสดิการตามประเภท" in page and "600.00" in page
