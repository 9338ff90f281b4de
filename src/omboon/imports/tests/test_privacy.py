"""National IDs never leak through imports (issue 12 B): the job page, its mapping, its errors
file, the quality page and the CLI show every national ID masked, to every role that may see
them; the members file with full IDs is for a writer of the group itself, and audited."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from python_calamine import CalamineWorkbook

from omboon.core.models import AuditEvent
from omboon.core.national_id import masked, with_check_digit
from omboon.imports import privacy, quality
from omboon.imports.models import ImportJob
from omboon.imports.tests.helpers import MEMBER_HEADERS, csv_bytes, member_rows, national_id, run_import, xlsx_bytes
from omboon.members.models import Member
from omboon.orgs.models import Role
from omboon.testing.factories import make_user

pytestmark = pytest.mark.django_db

# 13 digits in a row (the brief's pattern ends with a look-behind, which never matches after a
# digit: the look-ahead is what was meant), and the dashed and spaced forms
RUN = re.compile(r"(?<!\d)\d{13}(?!\d)")
DASHED = re.compile(r"\d-\d{4}-\d{5}-\d{2}-\d")
SPACED = re.compile(r"\d \d{4} \d{5} \d{2} \d")


def leaks(text: str) -> list[str]:
    return RUN.findall(text) + DASHED.findall(text) + SPACED.findall(text)


def _xlsx_text(content: bytes) -> str:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    out = []
    for i in range(len(book.sheet_names)):
        for row in book.get_sheet_by_index(i).to_python():
            out += [repr(c) if isinstance(c, float) else str(c) for c in row]
    return "\n".join(out)


BAD_CHECK = "3100000001012"  # 13 digits, wrong check digit
NO_SUCH = with_check_digit("310000000999")  # a valid ID of nobody


def _members_file() -> bytes:
    """Members with rejected rows that carry IDs everywhere: a bad date beside a valid ID, an ID
    with a wrong check digit, a dashed ID, and an extra column holding another ID."""
    rows = member_rows(5)
    rows[0][6] = "31/02/2515"  # bad birth date: rejected, its valid ID in the row
    rows[1][5] = BAD_CHECK
    rows[2][5] = "3-1000-00010-13-" + national_id(1013)[-1]  # dashed (the row is rejected below)
    rows[2][7] = "ไม่ทราบ"
    rows[3][2] = ""  # no first name
    headers = [*MEMBER_HEADERS, "หมายเหตุ"]
    rows = [[*r, f"บัตรคู่สมรส {national_id(7000 + i)}"] for i, r in enumerate(rows)]
    return csv_bytes(headers, rows)


@pytest.fixture
def job(client, tree, treasurer, settings, tmp_path):
    settings.OMBOON_IMPORTS_INLINE = True
    settings.OMBOON_IMPORTS_DIR = str(tmp_path)
    client.force_login(treasurer)
    upload = io.BytesIO(_members_file())
    upload.name = f"members-{national_id(4242)}.csv"  # even the file's name
    client.post(reverse("imports-home", kwargs={"org": tree.group_a.code}), {"kind": "members", "file": upload})
    job = ImportJob.objects.get(organisation=tree.group_a)
    client.logout()
    return job


@pytest.fixture
def readers_of(tree):
    return {
        "auditor": make_user(tree.group_a, Role.AUDITOR, username="p-auditor"),
        "committee": make_user(tree.group_a, Role.COMMITTEE, username="p-committee"),
        "zone coordinator": make_user(tree.zone, Role.COORDINATOR, username="p-zone"),
        "province coordinator": make_user(tree.province, Role.COORDINATOR, username="p-province"),
        "treasurer": None,
    }


def test_the_job_is_checked_with_rejected_rows_that_hold_ids(job):
    from omboon.imports import services

    checked = services.job_checked(job)
    assert len(checked.rejected) == 4 and checked.raw  # the rows the pages show
    raw_ids = [str(c) for cells in checked.raw.values() for c in cells]
    assert masked(national_id(1001)) in raw_ids  # the valid ID of a rejected row, masked


@pytest.mark.parametrize("who", ["auditor", "committee", "zone coordinator", "province coordinator", "treasurer"])
def test_no_page_of_an_import_shows_a_national_id(client, tree, treasurer, job, readers_of, who):
    user = readers_of[who] or treasurer
    client.force_login(user)
    org = tree.group_a.code
    page = client.get(reverse("imports-job", kwargs={"org": org, "job_id": job.pk}))
    assert page.status_code == 200
    text = page.content.decode()
    assert "x-xxxx-xxxxx-" in text and "31/02/2515" in text  # the problems are there, IDs masked
    assert not leaks(text), leaks(text)
    mapping = client.get(reverse("imports-mapping", kwargs={"org": org, "job_id": job.pk}))
    assert mapping.status_code == 200 and not leaks(mapping.content.decode())
    errors = client.get(reverse("imports-errors", kwargs={"org": org, "job_id": job.pk}))
    assert errors.status_code == 200
    sheet = _xlsx_text(errors.content)
    assert "แถว 2" in sheet and not leaks(sheet), leaks(sheet)
    home = client.get(reverse("imports-home", kwargs={"org": org}))
    assert home.status_code == 200 and not leaks(home.content.decode())


@pytest.fixture
def broken_members(tree, actor):
    run_import(tree.group_a, "members", csv_bytes(MEMBER_HEADERS, member_rows(3)), actor=actor)
    # a register kept before the rules: an ID with a wrong check digit, one as the member number
    Member.objects.filter(organisation=tree.group_a, number="0001").update(national_id=BAD_CHECK)
    Member.objects.filter(organisation=tree.group_a, number="0002").update(number=NO_SUCH)
    return tree.group_a


@pytest.mark.parametrize("who", ["auditor", "committee", "zone coordinator", "province coordinator"])
def test_quality_findings_mask_the_id(client, tree, broken_members, readers_of, who):
    q = quality.assess(tree.group_a)
    assert any(f.field == "national_id" for f in q.broken)
    client.force_login(readers_of[who])
    text = client.get(reverse("imports-quality", kwargs={"org": tree.group_a.code})).content.decode()
    assert "x-xxxx-xxxxx-" in text and not leaks(text), leaks(text)


def test_the_data_quality_report_masks_the_id(broken_members):
    from omboon.core import reporting

    result = reporting.get("data-quality").build(organisation=broken_members, start=None, end=None)
    cells = [str(v) for table in result.tables for row in table.rows for v in row.values()]
    assert not leaks("\n".join(cells))


def test_the_cli_prints_and_writes_ids_masked(tree, tmp_path):
    path = tmp_path / "members.csv"
    path.write_bytes(_members_file())
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import", "members", str(path), "--org", tree.group_a.code, "--dry-run", "--quiet",
                     stdout=out, stderr=err)
    printed = out.getvalue() + err.getvalue()
    assert "rejected 4" in printed and not leaks(printed), leaks(printed)
    written = _xlsx_text((tmp_path / "members.csv.errors.xlsx").read_bytes())
    assert "x-xxxx-xxxxx-" in written and not leaks(written)
    with pytest.raises(SystemExit):
        call_command("import", "members", str(path), "--org", tree.group_a.code, "--dry-run", "--quiet",
                     "--errors", str(tmp_path / "e.csv"), stdout=out, stderr=err)
    assert not leaks((tmp_path / "e.csv").read_text(encoding="utf-8-sig"))


def test_an_xlsx_keeps_ids_as_numbers_and_they_are_masked_too(tree):
    from omboon.imports import exports, services

    rows = member_rows(2)
    rows[0][6] = "31/02/2515"
    rows[0][5] = float(national_id(1001))  # a number cell, as Excel keeps a typed ID
    data = xlsx_bytes(MEMBER_HEADERS, rows)
    checked = services.import_check(organisation=tree.group_a, kind="members", data=data, filename="m.xlsx")
    assert checked.rejected == {2}
    assert not leaks(_xlsx_text(exports.errors_xlsx(checked)))


def test_masking_is_the_core_function():
    valid = national_id(1001)
    assert privacy.mask_text(f"a {valid} b") == f"a {masked(valid)} b"
    assert privacy.mask_text(f"{valid[0]}-{valid[1:5]}-{valid[5:10]}-{valid[10:12]}-{valid[12]}") == masked(valid)
    assert privacy.mask_value(float(valid)) == masked(valid)
    assert privacy.mask_value("123", is_id=True) == "•••"  # a wrong-length ID is dots
    assert privacy.mask_text("0001 2020-01-05") == "0001 2020-01-05"  # a member and a date are not an ID
    assert privacy.mask_text("12345678901234") == "12345678901234"  # 14 digits: not an ID


# --- the members file with full IDs ---------------------------------------------------------------

@pytest.mark.parametrize("role,where", [
    (Role.AUDITOR, "group"), (Role.COMMITTEE, "group"), (Role.COORDINATOR, "zone"),
    (Role.COORDINATOR, "province"), (Role.ADMIN, "zone"), (Role.MEMBER, "group"),
])
def test_the_members_export_with_ids_is_refused_to_others(client, tree, broken_members, role, where):
    org = {"group": tree.group_a, "zone": tree.zone, "province": tree.province}[where]
    client.force_login(make_user(org, role, username=f"x-{role}-{where}"))
    url = reverse("imports-export-members", kwargs={"org": tree.group_a.code})
    assert client.post(url).status_code in (403, 404)
    assert client.get(url).status_code in (302, 403, 404)  # a GET never downloads
    assert not AuditEvent.objects.filter(action="imports.members_export_ids").exists()


def test_the_members_export_with_ids_is_for_a_writer_of_the_group_and_audited(client, tree, treasurer,
                                                                              broken_members):
    client.force_login(treasurer)
    home = client.get(reverse("imports-home", kwargs={"org": tree.group_a.code})).content.decode()
    url = reverse("imports-export-members", kwargs={"org": tree.group_a.code})
    assert url in home
    assert client.get(url).status_code == 302  # a GET (a link, a prefetch) downloads nothing
    assert not AuditEvent.objects.filter(action="imports.members_export_ids").exists()
    for _ in range(2):
        response = client.post(url)
        assert response.status_code == 200 and response["Cache-Control"].startswith("no-store")
        assert national_id(1003) in response.content.decode("utf-8-sig")  # full IDs: a round trip
    events = AuditEvent.objects.filter(action="imports.members_export_ids", organisation=tree.group_a)
    assert events.count() == 2 and {e.actor for e in events} == {treasurer}
