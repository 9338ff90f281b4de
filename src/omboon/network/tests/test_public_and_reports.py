"""The public page (no login, no personal data, cached, printable) and the registry reports."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command

from omboon.network import services
from omboon.network.models import ym_of
from omboon.network.tests.conftest import make_member

FEB = ym_of(2025, 2)


@pytest.fixture
def books(tree, post):
    cache.clear()
    # three groups report (the public page shows nothing of fewer): 6 members, one funeral case each
    for org, n in ((tree.group_a, 3), (tree.group_b, 2), (tree.group_c, 1)):
        for _ in range(n):
            make_member(org, first_name="ส่วนตัว", phone="0899999999")
        post(org, dt.date(2025, 1, 5), f"Dr 1100 {100 * n}\nCr 4300 {100 * n}")
        post(org, dt.date(2025, 2, 5), f"Dr 5130 {10 * n}\nCr 1100 {10 * n}", doc_type="payment")
        services.facts_recompute(actor=None, organisation=org, through=FEB)
    return tree


def test_public_network_page_has_figures_and_no_personal_data(client, books):
    response = client.get("/public/LP/")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-figure="members">6<' in text and 'data-figure="cases">&lt; 5<' in text  # 3 cases
    assert 'data-figure="fund">540.00<' in text and 'data-figure="benefits">60.00<' in text
    assert "ค่าจัดการศพ" in text and "<svg" in text and "@media print" in text
    assert "ส่วนตัว" not in text and "0899999999" not in text
    assert "max-age=300" in response["Cache-Control"]
    assert client.get("/public/LP-S/").status_code == 200
    assert client.get("/public/NOPE/").status_code == 404
    assert client.get("/public/BDC/").status_code == 404  # a group has no public page of its own


def test_public_province_page(client, books):
    response = client.get("/public/province/52/?lang=en")
    assert response.status_code == 200 and "Lampang" in response.content.decode()
    assert client.get("/public/province/99/").status_code == 404


def test_groups_that_have_not_reported_are_counted_in_the_singular_and_the_plural(client, books, tree):
    """One group without monthly facts reads "1 group" on the English page, two "2 groups";
    the Thai page "1 กลุ่ม"."""
    from omboon.testing.factories import make_group

    make_group("NEW1", "กลุ่มใหม่หนึ่ง", parent=tree.zone)

    def not_reported(url):
        cache.clear()
        text = client.get(url).content.decode()
        return text.split('data-figure="not-reported">', 1)[1].split("<", 1)[0]

    assert not_reported("/public/LP/?lang=en") == "1 group"
    assert not_reported("/public/LP/?lang=th") == "1 กลุ่ม"
    make_group("NEW2", "กลุ่มใหม่สอง", parent=tree.zone)
    assert not_reported("/public/LP/?lang=en") == "2 groups"


def test_public_page_is_cached(client, books, post, tree):
    first = client.get("/public/LP/").content
    make_member(tree.group_a)
    services.facts_recompute(actor=None, organisation=tree.group_a, through=FEB)
    assert client.get("/public/LP/").content == first
    cache.clear()
    assert client.get("/public/LP/").content != first


def test_network_status_and_reporting_rate_reports(books, tmp_path):
    out = tmp_path / "status.json"
    call_command("report", "network-status", "--org", "LP", "--from", "2025-01-01", "--to", "2025-02-28",
                 "--format", "json", "-o", str(out))
    data = json.loads(out.read_text())
    text = json.dumps(data, ensure_ascii=False)
    assert "LP-S" in text and "LP-N" in text
    rate = tmp_path / "rate.csv"
    call_command("report", "reporting-rate", "--org", "LP-S", "--to", "2025-01-31", "--format", "csv",
                 "-o", str(rate))
    assert "BDC" in rate.read_text(encoding="utf-8-sig") and "NGA" not in rate.read_text(encoding="utf-8-sig")
