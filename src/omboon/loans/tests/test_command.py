"""omboon loan-schedule: the schedule printed as json, csv or a Thai PDF, with no database."""

import csv
import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

ARGS = ["--principal", "20000", "--rate", "12", "--per", "year", "--term", "12", "--every", "month",
        "--method", "declining", "--disbursed", "2026-01-15"]


def run(*extra) -> str:
    out = io.StringIO()
    call_command("loan_schedule", *ARGS, *extra, stdout=out)
    return out.getvalue()


def test_json_is_a_list_of_instalments_in_baht_strings():
    rows = json.loads(run("--format", "json", "--round", "5"))
    assert rows[0] == {"n": 1, "due": "2026-02-15", "principal": "1575.00", "interest": "200.00", "total": "1775.00",
                       "balance": "18425.00"}
    assert rows[-1] == {"n": 12, "due": "2027-01-15", "principal": "1782.25", "interest": "17.82", "total": "1800.07",
                        "balance": "0.00"}


def test_csv_has_the_same_columns():
    rows = list(csv.DictReader(io.StringIO(run("--format", "csv", "--method", "flat", "--grace-principal", "2"))))
    assert list(rows[0]) == ["n", "due", "principal", "interest", "total", "balance"]
    assert (rows[0]["principal"], rows[0]["interest"]) == ("0.00", "200.00")
    assert len(rows) == 12


def test_a_pdf_in_thai(tmp_path):
    path = tmp_path / "schedule.pdf"
    call_command("loan_schedule", *ARGS, "--format", "pdf", "-o", str(path))
    assert path.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    assert "ตารางผ่อนชำระเงินกู้" in text and "1,776.97" in text and "15 ก.พ. 2569" in text


def test_terms_it_cannot_follow_say_why_in_thai_and_english():
    with pytest.raises(CommandError, match=r"จำนวนงวด.*the term must be"):
        run("--term", "0")


def test_it_runs_where_there_is_no_database(tmp_path):
    env = {**os.environ, "OMBOON_SQLITE": str(tmp_path / "absent" / "none.sqlite3")}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "omboon.cli", "loan-schedule", *ARGS, "--term", "2"],
                          capture_output=True, text=True, env=env, check=True)
    assert [r["n"] for r in json.loads(done.stdout)] == [1, 2]
    assert not (tmp_path / "absent").exists()
