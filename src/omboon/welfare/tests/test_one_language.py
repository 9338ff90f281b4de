"""A claim is read in one language at a time: the eligibility checks and the amount's steps in
Thai on a Thai page (no English line under each), in English on an English page; an event key
the system made from the date ("sickness-2025-06-10") is not shown, one a person typed is."""

from __future__ import annotations

import pytest

from omboon.core.errors import Problem
from omboon.web.tests.crawl import foreign_words, read
from omboon.welfare.engine import typed_key

pytestmark = pytest.mark.django_db


def _claim_page(fund, client, lang: str, **extra):
    fund.treasurer.first_name, fund.treasurer.last_name = "สมใจ", "รักษ์ดี"  # people are named, not logins
    fund.treasurer.save(update_fields=["first_name", "last_name"])
    client.force_login(fund.treasurer)
    client.cookies["django_language"] = lang
    scheme = fund.schemes["sickness"]
    data = {"scheme": scheme.pk, "member": fund.member.number, "event_date": "10/06/2568", "nights": "2",
            "documents": ["id_card", "hospital_certificate"], "action": "submit", **extra}
    response = client.post(f"/o/{fund.group.code}/welfare/claims/new/", data)
    assert response.status_code == 302, response.content.decode()[:500]
    page = client.get(response["Location"])
    html = page.content.decode()
    return html, read(response["Location"], html)


def _section(html: str, start: str, end: str) -> str:
    return html[html.index(start):html.index(end, html.index(start))]


def test_a_claim_reads_in_thai_alone(fund, client):
    html, (_doors, text, titles) = _claim_page(fund, client, "th")
    assert "✓ ผ่าน: สถานะสมาชิก ณ วันที่เกิดเหตุ: ปกติ" in html
    assert not foreign_words(text + titles, "th")
    assert "2025-06-10" not in html and "sickness-" not in html  # the system's own event key


def test_a_claim_reads_in_english_alone(fund, client):
    html, _ = _claim_page(fund, client, "en")
    checks = _section(html, '<ul class="conditions">', "</ol>")
    assert "member status on the event date" in checks
    assert not foreign_words([checks], "en")


def test_an_event_key_a_person_typed_is_shown(fund, client):
    html, _ = _claim_page(fund, client, "th", event_key="ครั้งที่สอง")
    assert "ครั้งที่สอง" in html


def test_which_event_keys_were_typed():
    assert typed_key("ลูกคนที่สอง") and typed_key("second stay")
    assert not typed_key("sickness-2026-11-12") and not typed_key("2026-11-12")
    assert not typed_key("death") and not typed_key("")


def test_a_problem_reads_in_the_pages_language():
    p = Problem("amount", "จำนวนเงินต้องมากกว่าศูนย์", "the amount must be more than zero")
    assert p.message("th") == "จำนวนเงินต้องมากกว่าศูนย์"
    assert p.message("en") == "the amount must be more than zero"


def test_the_check_catches_english_on_a_thai_page():
    assert foreign_words(["สถานะ / status", "PV2569/00003 BDC Omboon"], "th") == ["status"]
    assert foreign_words(["status", "สถานะ"], "en") == ["สถานะ"]
