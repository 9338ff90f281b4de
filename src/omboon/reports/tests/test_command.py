"""``omboon report``: every format, ISO and พ.ศ. dates, clear errors."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from omboon.reports.tests.conftest import SAMPLE_CODE, TITLE_EN, TITLE_TH

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_list_shows_codes_and_titles(sample_report):
    assert f"{SAMPLE_CODE}" in _run("--list")
    assert TITLE_TH in _run("--list")
    assert TITLE_EN in _run("--list", "--lang", "en")


def test_json_to_stdout_with_buddhist_era_dates(tree, sample_report):
    data = json.loads(_run(SAMPLE_CODE, "--org", "BDC", "--from", "01/01/2568", "--to", "2025-03-31",
                           "--format", "json"))
    assert data["start"] == "2025-01-01" and data["end"] == "2025-03-31"
    assert data["tables"][0]["rows"][0]["amount"] == 133_782_00


def test_csv_to_stdout_and_params(tree, sample_report):
    text = _run(SAMPLE_CODE, "--org", "BDC", "--format", "csv", "--param", "fund=welfare")
    assert text.startswith("\ufeff") and "133782.00" in text and "fund" in text


def test_english_html_to_stdout(tree, sample_report):
    text = _run(SAMPLE_CODE, "--org", "BDC", "--format", "html", "--lang", "en")
    assert TITLE_EN in text and "<!DOCTYPE html>" in text


def test_binary_formats_to_files(tree, sample_report, tmp_path):
    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    call_command("report", SAMPLE_CODE, "--org", "BDC", "--format", "pdf", "-o", str(pdf),
                 stdout=io.StringIO(), stderr=io.StringIO())
    call_command("report", SAMPLE_CODE, "--org", "BDC", "--format", "xlsx", "-o", str(xlsx),
                 stdout=io.StringIO(), stderr=io.StringIO())
    assert pdf.read_bytes().startswith(b"%PDF")
    ws = openpyxl.load_workbook(xlsx).active
    assert ws["A2"].value == TITLE_TH


@pytest.mark.parametrize("args, message", [
    (["no-such-report", "--org", "BDC", "--format", "csv"], "unknown report"),
    ([SAMPLE_CODE, "--org", "NOPE", "--format", "csv"], "organisation 'NOPE' not found"),
    ([SAMPLE_CODE, "--org", "BDC", "--format", "csv", "--from", "31/02/2568"], "no such date"),
    ([SAMPLE_CODE, "--org", "BDC", "--format", "csv", "--from", "2025-03-01", "--to", "2025-01-01"],
     "end date must not be before"),
    ([SAMPLE_CODE, "--org", "BDC", "--format", "pdf"], "give -o FILE"),
    ([SAMPLE_CODE, "--org", "BDC"], "--format is needed"),
    ([SAMPLE_CODE, "--format", "csv"], "--org CODE is needed"),
    ([], "a report code is needed"),
])
def test_errors_are_clear_in_thai_and_english(tree, sample_report, args, message):
    with pytest.raises(CommandError) as info:
        _run(*args)
    assert message in str(info.value)
    assert " / " in str(info.value)  # Thai / English


def test_unknown_code_exits_non_zero(tree):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "omboon.cli", "report", "no-such-report", "--org", "BDC",
                           "--format", "csv"], capture_output=True, text=True)
    assert proc.returncode != 0
    assert "ไม่รู้จักรายงาน" in proc.stderr and "unknown report" in proc.stderr


@pytest.mark.parametrize("code, params, message", [
    ("loan-statement", [], "give loan=NUMBER or member=NUMBER"),
    ("passbook", [], "give member=NUMBER"),
    ("passbook", ["--param", "member=9999"], "give member=NUMBER"),
])
def test_a_report_of_one_member_or_loan_without_it_names_the_param(tree, code, params, message):
    """Asked on the command line, not a page: the report's own "not found" is the command's error."""
    with pytest.raises(CommandError) as info:
        _run(code, "--org", "BDC", "--format", "csv", *params)
    assert message in str(info.value) and "ระบุ" in str(info.value)


def test_dash_for_output_is_the_screen(tree, sample_report, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = _run(SAMPLE_CODE, "--org", "BDC", "--format", "csv", "-o", "-")
    assert "133782.00" in text and not (tmp_path / "-").exists()
    with pytest.raises(CommandError, match="give -o FILE"):
        _run(SAMPLE_CODE, "--org", "BDC", "--format", "pdf", "-o", "-")
