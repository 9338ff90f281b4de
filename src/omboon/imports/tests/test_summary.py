"""Every import kind's preview tells its figures as a person reads them: money in baht with
separators and "บาท" (never satang read as baht: 272,036,400 for 2,720,364.00), counts with
separators, and every label in the page's language — on the job page and on the command line."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from omboon.imports.spec import SUMMARY_LABELS, summary_lines
from omboon.imports.tests.helpers import (
    MEMBER_HEADERS,
    PAYMENT_HEADERS,
    csv_bytes,
    member_rows,
    national_id,
    run_import,
)
from omboon.testing.i18n import in_english

pytestmark = pytest.mark.django_db

# A small valid file of each kind, with money where the kind has it (satang in comments).
FILES = {
    "members": (MEMBER_HEADERS, member_rows(2, start=11)),
    "payments": (PAYMENT_HEADERS, [["0001", "05/01/2563", "ออมวันละบาท", "1,234.50"],    # 123450
                                   ["0002", "05/01/2563", "ค่าสมทบรายปี", "2,000"]]),  # 200000
    "opening-balances": (["รหัสบัญชี", "เดบิต", "เครดิต", "วันที่ยอดยกมา"],
                         [["1100", "12,345.67", "", "31/12/2562"], ["3100", "", "12,345.67", "31/12/2562"]]),
    "claims": (["เลขที่สมาชิก", "ประเภทสวัสดิการ", "วันที่เกิดเหตุ", "วันที่จ่าย", "จำนวนเงิน"],
               [["0001", "ค่าเยี่ยมไข้/นอนโรงพยาบาล", "3/2/2563", "10/2/2563", "1,500"]]),  # 150000
    "beneficiaries": (["เลขประจำตัวประชาชนสมาชิก", "ชื่อผู้รับผลประโยชน์", "นามสกุลผู้รับผลประโยชน์", "ส่วนแบ่งร้อยละ"],
                      [[national_id(1001), "สุดา", "ทองคำ", "100"]]),
}
RAW_SATANG = ["123450", "200000", "323450", "323,450", "1234567", "1,234,567", "150000", "150,000"]
ENGLISH_KEYS = re.compile(r"\b(total_\w+|payments|members|claims|beneficiaries|debit|credit|lines|total)\s*[:=]")


@pytest.fixture
def members(group, actor):
    run_import(group, "members", csv_bytes(MEMBER_HEADERS, member_rows(2)), actor=actor)


def _upload(client, group, kind: str) -> str:
    headers, rows = FILES[kind]
    upload = io.BytesIO(csv_bytes(headers, rows))
    upload.name = f"{kind}.csv"
    response = client.post(reverse("imports-home", kwargs={"org": group.code}), {"kind": kind, "file": upload})
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def _summary_block(page: str) -> str:
    found = re.search(r'<ul class="summary">(.*?)</ul>', page, re.S)
    assert found, "the preview shows no summary"
    return found.group(1)


@pytest.mark.parametrize("kind", list(FILES))
def test_every_kind_previews_its_figures_in_baht_with_thai_labels(client, group, actor, members, kind):
    client.force_login(actor)
    block = _summary_block(client.get(_upload(client, group, kind)).content.decode())
    assert not any(raw in block for raw in RAW_SATANG), block
    assert not ENGLISH_KEYS.search(block) and not re.search(r"[a-z]{3,}", block), block
    if kind in ("payments", "opening-balances", "claims"):
        assert "บาท" in block
    expected = {"payments": "3,234.50 บาท", "opening-balances": "12,345.67 บาท", "claims": "1,500.00 บาท"}
    if kind in expected:
        assert expected[kind] in block


@pytest.mark.parametrize("kind", ["payments", "opening-balances"])
def test_the_english_preview_has_english_labels_only(client, group, actor, members, kind):
    english = in_english(client, actor)
    url = _upload(english, group, kind)
    block = _summary_block(english.get(url).content.decode())
    assert not re.search(r"[\u0e00-\u0e7f]", block), block
    assert "baht" in block and not any(raw in block for raw in RAW_SATANG)


def test_the_command_line_summary_is_in_baht(group, actor, members, tmp_path):
    headers, rows = FILES["payments"]
    path = tmp_path / "payments.csv"
    path.write_bytes(csv_bytes(headers, rows))
    out = io.StringIO()
    with pytest.raises(SystemExit) as done:
        call_command("import", "payments", str(path), "--org", group.code, "--dry-run", "--quiet", stdout=out,
                     stderr=io.StringIO())
    assert done.value.code == 0
    text = out.getvalue()
    assert "3,234.50 บาท" in text and "ยอดเงินรวม/total" in text
    assert not any(raw in text for raw in RAW_SATANG) and "total=" not in text


def test_every_summary_key_of_every_kind_has_labels():
    """A kind that adds a figure to its summary must say what it is called."""
    from omboon.contributions.models import Kind

    keys = {"members", "payments", "total", "lines", "debit", "credit", "claims", "beneficiaries"}
    assert keys <= set(SUMMARY_LABELS)
    lines = summary_lines({f"total_{k}": 100 for k in Kind.values}, "en")
    assert all(figure == "1.00 baht" and label.startswith("total ") for label, figure in lines)
    assert all(not re.search(r"[\u0e00-\u0e7f]", label) for label, _ in lines)
