"""The beneficiaries import: one row per beneficiary under a member's number, shares of each
member adding up to 100 with those already recorded; a corpus of bad files, each with a clear
message and nothing written; the command line and the web the same as the other kinds."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from omboon.core.errors import RuleViolation
from omboon.core.models import AuditEvent
from omboon.imports import exports, kinds, services
from omboon.imports.models import ImportJob
from omboon.imports.tests.helpers import MEMBER_HEADERS, csv_bytes, member_rows, national_id, run_import, xlsx_bytes
from omboon.members.models import Beneficiary, Member
from omboon.members.services import beneficiaries_set

pytestmark = pytest.mark.django_db

HEADERS = ["เลขที่สมาชิก", "คำนำหน้า", "ชื่อผู้รับผลประโยชน์", "นามสกุลผู้รับผลประโยชน์", "ความสัมพันธ์",
           "ส่วนแบ่งร้อยละ"]


@pytest.fixture
def members(group, actor):
    run_import(group, "members", csv_bytes(MEMBER_HEADERS, member_rows(4)), actor=actor)
    return {m.number: m for m in Member.objects.filter(organisation=group)}


def _check(group, data, filename="b.csv"):
    return services.import_check(organisation=group, kind="beneficiaries", data=data, filename=filename)


def _beneficiaries(group):
    return sorted((b.member.number, b.position, b.name, b.relation, b.share_percent)
                  for b in Beneficiary.objects.filter(organisation=group).select_related("member"))


def test_a_member_with_two_beneficiaries_and_one_with_a_full_name(group, actor, members):
    data = csv_bytes([*HEADERS, "ชื่อ-นามสกุลผู้รับผลประโยชน์", "โทรศัพท์ผู้รับผลประโยชน์"], [
        ["0001", "นาย", "สมชาย", "ใจดี", "บุตร", "60", "", "0812345678"],
        ["0001", "นางสาว", "มาลี", "ใจดี", "บุตร", "40%", "", ""],
        ["2", "", "", "", "คู่สมรส", "100", "นางบุญมา รักษ์ดี", ""],  # "2" finds member 0002
    ])
    checked, job = run_import(group, "beneficiaries", data, actor=actor)
    assert checked.problems == [] and checked.summary == {"beneficiaries": 3, "members": 2}
    assert job.status == "done" and job.committed_rows == 3
    assert _beneficiaries(group) == [("0001", 1, "นายสมชาย ใจดี", "บุตร", 60),
                                     ("0001", 2, "นางสาวมาลี ใจดี", "บุตร", 40),
                                     ("0002", 1, "นางบุญมา รักษ์ดี", "คู่สมรส", 100)]
    assert Beneficiary.objects.get(name="นายสมชาย ใจดี").phone == "0812345678"
    assert AuditEvent.objects.filter(action="members.beneficiaries_set").count() == 2


def test_the_members_national_id_and_an_xlsx_with_numeric_shares(group, actor, members):
    headers = ["เลขประจำตัวประชาชนสมาชิก", "ชื่อผู้รับผลประโยชน์", "นามสกุลผู้รับผลประโยชน์", "ส่วนแบ่งร้อยละ"]
    data = xlsx_bytes(headers, [[national_id(1003), "สุดา", "ทองคำ", 100]])
    checked, _ = run_import(group, "beneficiaries", data, actor=actor, filename="b.xlsx")
    assert checked.problems == []
    assert _beneficiaries(group) == [("0003", 1, "สุดา ทองคำ", "", 100)]


def test_shares_add_up_per_member_with_those_already_recorded(group, actor, members):
    beneficiaries_set(actor=actor, member=members["0002"], rows=[{"name": "นางมาลี ดี", "share_percent": 100}])
    data = csv_bytes(HEADERS, [["0001", "นาง", "บุญมี", "ศรีสุข", "มารดา", "50"],
                               ["0002", "", "วิชัย", "แก้วใส", "บิดา", "10"],
                               ["0001", "นาย", "สมชาย", "ใจดี", "บิดา", "50"]])
    checked = _check(group, data)
    assert [(p.row, p.code) for p in checked.problems] == [(3, "total")]
    assert "100%" in checked.problems[0].message_th and "member's page" in checked.problems[0].message_en
    assert [r for r, _ in checked.accepted] == [2, 4]
    run_import(group, "beneficiaries", data, actor=actor, skip_rejected=True)
    assert _beneficiaries(group) == [("0001", 1, "นางบุญมี ศรีสุข", "มารดา", 50), ("0001", 2, "นายสมชาย ใจดี", "บิดา", 50),
                                     ("0002", 1, "นางมาลี ดี", "", 100)]


def test_the_same_file_twice_creates_nothing_and_a_known_person_is_a_duplicate(group, actor, members):
    data = csv_bytes(HEADERS, [["0001", "นาย", "สมชาย", "ใจดี", "บุตร", "100"]])
    run_import(group, "beneficiaries", data, actor=actor)
    _, job = run_import(group, "beneficiaries", data, actor=actor)
    assert job.committed_rows == 1 and ImportJob.objects.filter(kind="beneficiaries").count() == 1
    again = _check(group, csv_bytes(HEADERS, [["0001", "", "สมชาย", "ใจดี", "บุตร", "100"]]))
    assert {p.code for p in again.problems} == {"duplicate"}
    assert len(_beneficiaries(group)) == 1


# --- the bad-file corpus: each file names its problem, in Thai and English, and writes nothing --------

OK = ["0001", "นาย", "สมชาย", "ใจดี", "บุตร", "100"]
BAD_FILES = {
    "unknown member": ([["9999", "นาย", "สมชาย", "ใจดี", "บุตร", "100"]], {(2, "no_member")}),
    "no member at all": ([["", "นาย", "สมชาย", "ใจดี", "บุตร", "100"]], {(2, "required")}),
    "shares short of 100": ([["0001", "นาย", "สมชาย", "ใจดี", "บุตร", "50"],
                             ["0001", "นาง", "มาลี", "ใจดี", "บุตร", "40"]], {(2, "total"), (3, "total")}),
    "shares over 100": ([["0001", "นาย", "สมชาย", "ใจดี", "บุตร", "100"],
                         ["0001", "นาง", "มาลี", "ใจดี", "บุตร", "100"]], {(2, "total"), (3, "total")}),
    "share in words": ([["0001", "นาย", "สมชาย", "ใจดี", "บุตร", "ครึ่งหนึ่ง"]], {(2, "share_percent")}),
    "share with decimals": ([["0001", "นาย", "สมชาย", "ใจดี", "บุตร", "33.5"]], {(2, "share_percent")}),
    "share of zero": ([["0001", "นาย", "สมชาย", "ใจดี", "บุตร", "0"]], {(2, "share_percent")}),
    "no first name": ([["0001", "นาย", "", "ใจดี", "บุตร", "100"]], {(2, "required")}),
    "no last name": ([["0001", "นาย", "สมชาย", "", "บุตร", "100"]], {(2, "required")}),
    "a formula for a name": ([["0001", "", "=HYPERLINK(\"http://x\")", "ใจดี", "บุตร", "100"]], {(2, "formula")}),
    "the same person twice": ([["0001", "นาย", "สมชาย", "ใจดี", "บุตร", "50"],
                               ["0001", "", "สมชาย", "ใจดี", "บุตร", "50"]], {(3, "duplicate"), (2, "member_rows")}),
    "one bad row holds back the member's others": ([["0001", "นาย", "สมชาย", "ใจดี", "บุตร", "50"],
                                                     ["0001", "นาง", "", "ใจดี", "บุตร", "50"],
                                                     ["0002", "นาย", "วิชัย", "ดี", "บุตร", "100"]],
                                                    {(3, "required"), (2, "member_rows")}),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_names_its_problem_and_writes_nothing(group, actor, members, name):
    rows, expected = BAD_FILES[name]
    before = (_beneficiaries(group), ImportJob.objects.count())
    checked = _check(group, csv_bytes(HEADERS, rows))
    assert {(p.row, p.code) for p in checked.problems} == expected
    assert all(p.message_th and p.message_en for p in checked.problems)
    with pytest.raises(RuleViolation):
        services.import_job_start(actor=actor, organisation=group, kind="beneficiaries", filename="b.csv",
                                  sha="b" * 64, checked=checked)
    assert (_beneficiaries(group), ImportJob.objects.count()) == before


def test_a_file_without_the_share_column_is_refused_as_a_whole(group, members):
    checked = _check(group, csv_bytes(HEADERS[:5], [OK[:5]]))
    assert [(p.field, p.code) for p in checked.problems] == [("share_percent", "missing_column")]
    assert checked.accepted == []


def test_template_round_trip_and_export(group, actor, members):
    spec = kinds.get("beneficiaries")
    checked = _check(group, exports.template_csv(spec))
    assert checked.problems == [] and checked.summary == {"beneficiaries": 1, "members": 1}
    run_import(group, "beneficiaries", csv_bytes(HEADERS, [["0003", "นาง", "สุดา", "ทองคำ", "มารดา", "30"],
                                                           ["0003", "นาย", "วิชัย", "ทองคำ", "บิดา", "70"]]),
               actor=actor)
    exported = exports.export_beneficiaries(group).decode("utf-8-sig").splitlines()
    assert exported[0].startswith("เลขที่สมาชิก (member number),คำนำหน้า (title)")
    assert exported[1:] == ["0003,นาง,สุดา,ทองคำ,มารดา,30,", "0003,นาย,วิชัย,ทองคำ,บิดา,70,"]


def test_command_line(group, members, tmp_path):
    path = tmp_path / "beneficiaries.csv"
    path.write_bytes(csv_bytes(HEADERS, [OK, ["0002", "นาย", "วิชัย", "ดี", "บุตร", "90"]]))

    def cli(*args):
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command("import", "beneficiaries", str(path), "--org", group.code, "--quiet", *args,
                         stdout=out, stderr=err)
            return 0, out.getvalue(), err.getvalue()
        except SystemExit as exc:
            return exc.code, out.getvalue(), err.getvalue()

    code, out, err = cli("--dry-run")
    assert code == 1 and "dry run" in out and "90%" in err
    assert (tmp_path / "beneficiaries.csv.errors.xlsx").exists()
    code, out, err = cli("--skip-rejected")
    assert code == 1 and _beneficiaries(group) == [("0001", 1, "นายสมชาย ใจดี", "บุตร", 100)]


def test_web_upload_preview_confirm(client, treasurer, settings, tmp_path, group, members):
    settings.OMBOON_IMPORTS_INLINE = True
    settings.OMBOON_IMPORTS_DIR = str(tmp_path)
    client.force_login(treasurer)
    home = reverse("imports-home", kwargs={"org": group.code})
    page = client.get(home).content.decode()
    assert "ผู้รับผลประโยชน์" in page
    template = client.get(reverse("imports-template", kwargs={"org": group.code, "kind": "beneficiaries",
                                                              "fmt": "xlsx"}))
    assert template.status_code == 200 and template.content[:2] == b"PK"
    upload = io.BytesIO(csv_bytes(HEADERS, [OK]))
    upload.name = "beneficiaries.csv"
    response = client.post(home, {"kind": "beneficiaries", "file": upload})
    assert response.status_code == 302
    assert Beneficiary.objects.filter(organisation=group).count() == 0  # nothing before confirming
    client.post(response["Location"], {"action": "confirm"})
    job = ImportJob.objects.get(organisation=group, kind="beneficiaries")
    assert job.status == "done" and job.committed_rows == 1
    assert _beneficiaries(group) == [("0001", 1, "นายสมชาย ใจดี", "บุตร", 100)]
