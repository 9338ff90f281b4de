"""``omboon import`` and the import pages: upload, mapping, preview with every error, confirm,
progress, rejected rows; and the data-quality page and score."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from python_calamine import CalamineWorkbook

from omboon.imports import quality
from omboon.imports.models import ColumnMapping, ImportJob
from omboon.imports.tests.helpers import MEMBER_HEADERS, csv_bytes, member_rows, national_id
from omboon.members.models import Member
from omboon.orgs.models import Role
from omboon.testing.factories import make_user

pytestmark = pytest.mark.django_db


def _cli(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", *args, "--quiet", stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_cli_dry_run_errors_and_exit_status(group, tmp_path):
    rows = member_rows(3)
    rows[1][5] = "1234567890123"
    path = tmp_path / "members.csv"
    path.write_bytes(csv_bytes(MEMBER_HEADERS, rows))
    code, out, err = _cli("members", str(path), "--org", group.code, "--dry-run")
    assert code == 1 and "dry run" in out
    errors = tmp_path / "members.csv.errors.xlsx"
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(errors.read_bytes())).get_sheet_by_index(0).to_python()
    assert len(sheet) == 2 and "แถว 3" in sheet[1][-1]
    code, out, err = _cli("members", str(path), "--org", group.code, "--errors", str(tmp_path / "e.csv"))
    assert code == 1 and "nothing was written" in err
    assert (tmp_path / "e.csv").read_text(encoding="utf-8-sig").startswith("row,column,value")
    assert Member.objects.filter(organisation=group).count() == 0
    code, out, err = _cli("members", str(path), "--org", group.code, "--skip-rejected")
    assert code == 1 and Member.objects.filter(organisation=group).count() == 2
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(MEMBER_HEADERS, member_rows(2, start=10)))
    assert _cli("members", str(good), "--org", group.code)[0] == 0
    code, out, _ = _cli("members", str(good), "--org", group.code)
    assert code == 0 and "already imported" in out
    assert Member.objects.filter(organisation=group).count() == 4


def test_cli_mapping_file_and_bad_file(group, tmp_path):
    path = tmp_path / "own.csv"
    path.write_bytes(csv_bytes(["Given", "Family", "Sex", "Card", "Born", "Since"],
                               [["มาลี", "ดี", "F", national_id(5), "1/1/2500", "1/1/2560"]]))
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"kind": "members", "columns": {
        "Given": "first_name", "Family": "last_name", "Card": "national_id", "Born": "birth_date",
        "Since": "join_date"}}), encoding="utf-8")
    code, _out, err = _cli("members", str(path), "--org", group.code, "--mapping", str(mapping),
                          "--save-mapping", str(tmp_path / "used.json"), "--remember-mapping")
    assert code == 0, err
    assert json.loads((tmp_path / "used.json").read_text())["columns"]["Sex"] == "sex"
    assert ColumnMapping.objects.get(organisation=group, kind="members").columns["Card"] == "national_id"
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    code, _out, err = _cli("members", str(empty), "--org", group.code)
    assert code == 1 and "empty" in err


@pytest.fixture
def client_a(client, treasurer, settings, tmp_path):
    settings.OMBOON_IMPORTS_INLINE = True
    settings.OMBOON_IMPORTS_DIR = str(tmp_path)
    client.force_login(treasurer)
    return client


def test_web_upload_preview_confirm(client_a, group):
    home = reverse("imports-home", kwargs={"org": group.code})
    assert client_a.get(home).status_code == 200
    rows = member_rows(4)
    rows[2][6] = "31/02/2515"
    upload = io.BytesIO(csv_bytes(MEMBER_HEADERS, rows))
    upload.name = "members.csv"
    response = client_a.post(home, {"kind": "members", "file": upload})
    job = ImportJob.objects.get(organisation=group)
    assert response.status_code == 302 and response["Location"].endswith(f"/imports/{job.pk}/")
    page = client_a.get(response["Location"])
    text = page.content.decode()
    assert "ไม่มีวันที่นี้ในปฏิทิน" in text and "31/02/2515" in text
    assert Member.objects.filter(organisation=group).count() == 0  # nothing before confirming
    errors = client_a.get(reverse("imports-errors", kwargs={"org": group.code, "job_id": job.pk}))
    assert errors.status_code == 200 and errors.content[:2] == b"PK"
    client_a.post(response["Location"], {"action": "confirm_skip"})
    job.refresh_from_db()
    assert job.status == "done" and job.committed_rows == 3 and job.rejected_rows == 1
    progress = client_a.get(reverse("imports-progress", kwargs={"org": group.code, "job_id": job.pk}))
    assert "100%" in progress.content.decode()
    assert Member.objects.filter(organisation=group).count() == 3


def test_web_mapping_screen_remembers(client_a, group):
    upload = io.BytesIO(csv_bytes(["Given", "Family", "Card", "Born", "Since", "Sex"],
                                  [["มาลี", "ดี", national_id(3), "1/1/2500", "1/1/2560", "F"]]))
    upload.name = "own.csv"
    url = client_a.post(reverse("imports-home", kwargs={"org": group.code}),
                        {"kind": "members", "file": upload})["Location"]
    assert "ไม่พบคอลัมน์" in client_a.get(url).content.decode()
    client_a.post(url, {"action": "mapping", "col:Given": "first_name", "col:Family": "last_name",
                        "col:Card": "national_id", "col:Born": "birth_date", "col:Since": "join_date",
                        "col:Sex": "sex"})
    assert "ไม่พบปัญหา" in client_a.get(url).content.decode()
    assert ColumnMapping.objects.get(organisation=group, kind="members").columns["Card"] == "national_id"
    client_a.post(url, {"action": "confirm"})
    assert Member.objects.filter(organisation=group).count() == 1


def test_templates_download(client_a, group):
    response = client_a.get(reverse("imports-template", kwargs={"org": group.code, "kind": "payments",
                                                                 "fmt": "csv"}))
    assert response.status_code == 200 and "วันที่ชำระ (date paid)" in response.content.decode("utf-8-sig")


def test_an_auditor_cannot_import(client, auditor, group):
    client.force_login(auditor)
    upload = io.BytesIO(csv_bytes(MEMBER_HEADERS, member_rows(1)))
    upload.name = "m.csv"
    assert client.post(reverse("imports-home", kwargs={"org": group.code}),
                       {"kind": "members", "file": upload}).status_code == 403


def test_quality_score_and_findings(group, actor, tree):
    from omboon.imports.tests.helpers import run_import

    rows = member_rows(40)
    for r in rows:
        r[8] = "0811111111"  # one phone on 40 members
    rows[0][6] = "01/01/1900"  # aged over 110
    run_import(group, "members", csv_bytes(MEMBER_HEADERS, rows), actor=actor)
    q = quality.assess(group, today=dt.date(2026, 1, 1))
    kinds_found = {f.kind for f in q.suspicious}
    assert {"old_age", "shared_phone"} <= kinds_found
    assert q.completeness[0].percent == 100.0
    assert 0 <= q.score < 100
    assert quality.score(group) == q.score
    assert quality.score(tree.zone) == q.score  # the only group with members
    assert quality.score(tree.group_b) == 0


def test_quality_page_for_group_and_network(client, group, tree, treasurer):
    client.force_login(treasurer)
    page = client.get(reverse("imports-quality", kwargs={"org": group.code}))
    assert page.status_code == 200 and "คะแนนคุณภาพข้อมูล" in page.content.decode()
    coordinator = make_user(tree.zone, Role.COORDINATOR, username="coord-q")
    client.force_login(coordinator)
    page = client.get(reverse("imports-quality", kwargs={"org": tree.zone.code}))
    assert page.status_code == 200 and group.code in page.content.decode()


def test_data_quality_report_in_the_registry(group):
    from omboon.core import reporting

    result = reporting.get("data-quality").build(organisation=group, start=None, end=None)
    assert result.tables[0].title_en.startswith("Data-quality score")
