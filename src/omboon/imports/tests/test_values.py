"""A group's own words: the values of coded fields mapped to the app's codes (``imports.values``).

Worked examples with files written the way a group writes them — ช/ญ for sex, "ตายแล้ว" for a
status, "เงินออมวันหนึ่งบาท" for the daily saving, "เงินสงเคราะห์ (ตาย)" for the death benefit —
and a property: mapping the words never loses or invents a row."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from omboon.core.errors import RuleViolation
from omboon.imports import kinds, rules, services, values
from omboon.imports.kinds.members import SEX, STATUS
from omboon.imports.models import ColumnMapping, ImportJob
from omboon.imports.tests.helpers import PAYMENT_HEADERS, csv_bytes, national_id, run_import
from omboon.members.models import Member

pytestmark = pytest.mark.django_db

# the group's own members file: its own headers are the template's, its words are not
OWN_HEADERS = ["เลขที่สมาชิก", "คำนำหน้า", "ชื่อ", "นามสกุล", "เพศ", "เลขประจำตัวประชาชน", "วันเกิด",
               "วันที่เข้าเป็นสมาชิก", "สถานะ", "วันที่ลาออก/เสียชีวิต"]


def own_members() -> list[list]:
    return [
        ["0001", "นาง", "สมศรี", "ใจดี", "หญิง", national_id(1), "01/02/2500", "01/01/2560", "", ""],
        ["0002", "นาย", "สมชาย", "รักษ์ดี", "ช", national_id(2), "01/02/2501", "01/01/2560", "ปกติ", ""],
        ["0003", "น.ส.", "มาลี", "ศรีสุข", "ญ", national_id(3), "01/02/2502", "01/01/2560", "ลาออก", "01/06/2563"],
        ["0004", "นาย", "บุญมี", "ทองคำ", "ชาย", national_id(4), "01/02/2503", "01/01/2560", "ตายแล้ว", "10/06/2562"],
        ["0005", "นาง", "อำไพ", "บุญมา", "ญ.", national_id(5), "01/02/2504", "01/01/2560", "เสียชีวิต", "11/06/2562"],
        ["0006", "นาย", "วิชัย", "แก้วใส", "ช", national_id(6), "01/02/2505", "01/01/2560", "ตายแล้ว", "12/06/2562"],
    ]


def _check(group, kind, data, **kw):
    return services.import_check(organisation=group, kind=kind, data=data, filename="own.csv", **kw)


def _words(checked, field):
    fv = next(f for f in checked.values if f.field == field)
    return {v.word: (v.count, v.match.code, v.match.how) for v in fv.values}


def test_members_in_the_groups_own_words(group, actor):
    data = csv_bytes(OWN_HEADERS, own_members())
    checked = _check(group, "members", data)
    # every distinct word of each coded field, with its count, its code and how it matched
    # ("ญ." is "ญ": words are compared without case, spaces or punctuation)
    assert _words(checked, "sex") == {"ช": (2, "M", "synonym"), "ญ": (2, "F", "synonym"),
                                      "หญิง": (1, "F", "exact"), "ชาย": (1, "M", "exact")}
    assert _words(checked, "title")["น.ส."] == (1, "นางสาว", "synonym")
    assert _words(checked, "status") == {"ตายแล้ว": (2, None, "unknown"), "ปกติ": (1, "active", "exact"),
                                         "ลาออก": (1, "resigned", "exact"),
                                         "เสียชีวิต": (1, "deceased", "exact")}
    # the word nobody taught the app refuses its rows: the column, the word, the row count, the
    # three closest codes
    assert [(p.row, p.field, p.code) for p in checked.problems] == [
        (5, "status", "value_unknown"), (7, "status", "value_unknown")]
    problem = checked.problems[0]
    assert 'unknown value "ตายแล้ว" in column สถานะ (2 rows)' in problem.message_en
    assert problem.message_en.count("(") >= 4 and "closest:" in problem.message_en
    assert "ไม่รู้จักค่า \"ตายแล้ว\" ในคอลัมน์ สถานะ (2 แถว)" in problem.message_th
    assert [r for r, _ in checked.accepted] == [2, 3, 4, 6]
    with pytest.raises(RuleViolation):
        run_import(group, "members", data, actor=actor)
    assert not Member.objects.filter(organisation=group).exists()

    # answered once, remembered for the group: the same words in the next file need no answer
    services.values_save(actor=actor, organisation=group, kind="members", answers={"status": {"ตายแล้ว": "deceased"}})
    checked = _check(group, "members", data)
    assert checked.problems == []
    assert _words(checked, "status")["ตายแล้ว"] == (2, "deceased", "remembered")
    run_import(group, "members", data, actor=actor)
    got = {m.number: (m.title, m.sex, m.status) for m in Member.objects.filter(organisation=group)}
    assert got == {"0001": ("นาง", "F", "active"), "0002": ("นาย", "M", "active"),
                   "0003": ("นางสาว", "F", "resigned"), "0004": ("นาย", "M", "deceased"),
                   "0005": ("นาง", "F", "deceased"), "0006": ("นาย", "M", "deceased")}


def test_payments_close_spelling_must_be_answered(group, actor):
    run_import(group, "members", csv_bytes(OWN_HEADERS, own_members()[:3]), actor=actor)
    rows = [["0001", "05/01/2563", "เงินออมวันหนึ่งบาท", "30"],
            ["0002", "05/01/2563", "เงินออมวันหนึ่งบาท", "30"],
            ["0001", "06/01/2563", "ค่าสมทบรายปิ", "100"],  # a slip of the keyboard
            ["0002", "06/01/2563", "ค่าแรกเข้า", "50"]]
    data = csv_bytes(PAYMENT_HEADERS, rows)
    checked = _check(group, "payments", data)
    words = _words(checked, "type")
    assert words["เงินออมวันหนึ่งบาท"] == (2, "daily_saving", "synonym")
    assert words["ค่าแรกเข้า"] == (1, "entry_fee", "synonym")
    count, code, how = words["ค่าสมทบรายปิ"]
    assert (count, code, how) == (1, "annual_fee", "close")
    assert [(p.row, p.code) for p in checked.problems] == [(4, "value_uncertain")]
    assert "is spelled like \"annual fee\"" in checked.problems[0].message_en
    # the job's own answer settles it; nothing is remembered until the group says so
    checked = _check(group, "payments", data, answers={"type": {"ค่าสมทบรายปิ": "annual_fee"}})
    assert checked.problems == [] and checked.summary["total_annual_fee"] == 10000
    assert _words(checked, "type")["ค่าสมทบรายปิ"][2] == "answered"
    assert services.saved_values(group, "payments") == {}


def test_claims_death_words(group, actor):
    run_import(group, "members", csv_bytes(OWN_HEADERS, own_members()[:3]), actor=actor)
    rows = [["0001", "เงินสงเคราะห์ (ตาย)", "", "05/01/2563", "3000"],
            ["0002", "ฌาปนกิจ", "", "06/01/2563", "3000"],
            ["0003", "นอนโรงพยาบาล", "", "07/01/2563", "500"]]
    headers = ["เลขที่สมาชิก", "ประเภทสวัสดิการ", "วันที่เกิดเหตุ", "วันที่จ่าย", "จำนวนเงิน"]
    checked = _check(group, "claims", csv_bytes(headers, rows))
    assert {w: code for w, (_, code, _) in _words(checked, "category").items()} == {
        "เงินสงเคราะห์ (ตาย)": "death", "ฌาปนกิจ": "death", "นอนโรงพยาบาล": "sickness"}
    assert [d["category"] for _, d in checked.accepted] == ["death", "death", "sickness"]


def test_bad_value_mappings(group, actor):
    spec = kinds.get("members")
    assert [p.code for p in rules.check_values(spec, {"sex": {"ช": "X"}})] == ["unknown_code"]
    assert [p.code for p in rules.check_values(spec, {"category": {"ศพ": "death"}})] == ["unknown_field"]
    assert rules.check_values(spec, {"title": {"ร.ต.อ.": "ร.ต.อ."}}) == []  # a title is open
    with pytest.raises(RuleViolation) as refused:
        services.values_save(actor=actor, organisation=group, kind="members", answers={"status": {"x": "gone"}})
    assert "gone" in refused.value.problems[0].message_en
    assert not ColumnMapping.objects.filter(organisation=group).exists()  # nothing half-written
    with pytest.raises(ValueError, match="for claims, not members"):
        values.values_from_json(json.dumps({"kind": "claims", "values": {"category": {}}}), "members")
    with pytest.raises(ValueError, match="not JSON"):
        values.values_from_json("{", "members")


def _cli(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", *args, "--quiet", stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_cli_show_values_answer_save_and_remember(group, actor, tmp_path):
    path = tmp_path / "own.csv"
    path.write_bytes(csv_bytes(OWN_HEADERS, own_members()))
    code, out, err = _cli("members", str(path), "--org", group.code, "--dry-run", "--show-values")
    assert code == 1 and "value_unknown" not in out
    assert "สถานะ → status:" in out and "ตายแล้ว" in out and "ไม่รู้จัก/unknown" in out
    assert "unknown value \"ตายแล้ว\"" in err
    answers = tmp_path / "values.json"
    answers.write_text(json.dumps({"kind": "members", "values": {"status": {"ตายแล้ว": "deceased"}}},
                                  ensure_ascii=False), encoding="utf-8")
    used = tmp_path / "used.json"
    code, out, err = _cli("members", str(path), "--org", group.code, "--values", str(answers),
                          "--save-values", str(used), "--remember-mapping", "--as", actor.username)
    assert code == 0, err
    assert json.loads(used.read_text(encoding="utf-8"))["values"]["status"] == {
        "ตายแล้ว": "deceased", "ปกติ": "active", "ลาออก": "resigned", "เสียชีวิต": "deceased"}
    assert services.saved_values(group, "members") == {"status": {"ตายแล้ว": "deceased"}}
    assert Member.objects.filter(organisation=group, status="deceased").count() == 3
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"status": {"ตายแล้ว": "dead-ish"}}), encoding="utf-8")
    with pytest.raises(Exception, match="dead-ish"):
        call_command("import", "members", str(path), "--org", group.code, "--values", str(bad), "--dry-run")
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"kind": "payments", "values": {"type": {}}}), encoding="utf-8")
    with pytest.raises(Exception, match="for payments, not members"):
        call_command("import", "members", str(path), "--org", group.code, "--values", str(other), "--dry-run")


# --- a property: the words are mapped, the rows stay the rows -------------------------------------

WORDS = ["ช", "ญ", "ชาย", "หญิง", "M", "f", "ผู้ชาย", "xx", "ชายย", "", " ", "1", "เพศ?"]


@given(cells=st.lists(st.sampled_from(WORDS), max_size=40),
       answered=st.dictionaries(st.sampled_from(WORDS), st.sampled_from(["M", "F"]), max_size=3))
def test_mapping_never_loses_or_invents_a_row(cells, answered):
    rows = [(n + 2, {"sex": word, "first_name": f"n{n}"}) for n, word in enumerate(cells)]
    out, problems, found = values.translate((SEX, STATUS), rows, answers={"sex": answered})
    assert [r for r, _ in out] == [r for r, _ in rows]  # the same rows, in order
    assert [d["first_name"] for _, d in out] == [d["first_name"] for _, d in rows]  # nothing else touched
    refused = {p.row for p in problems}
    assert len(refused) == len(problems)  # one problem a row (one coded field here)
    for (row, before), (_, after) in zip(rows, out, strict=True):
        if row in refused:
            assert after["sex"] == before["sex"]  # kept as written, refused with its problem
        elif values.norm(before["sex"]):
            assert after["sex"] in SEX.codes
        else:
            assert after["sex"] == before["sex"]  # blank stays blank
    # the survey counts every non-blank row once
    assert sum(v.count for fv in found for v in fv.values) == sum(1 for w in cells if values.norm(w))


# --- the web's value step -------------------------------------------------------------------------

@pytest.fixture
def client_a(client, treasurer, settings, tmp_path):
    settings.OMBOON_IMPORTS_INLINE = True
    settings.OMBOON_IMPORTS_DIR = str(tmp_path)
    client.force_login(treasurer)
    return client


def _upload(client, group, name="own.csv"):
    upload = io.BytesIO(csv_bytes(OWN_HEADERS, own_members()))
    upload.name = name
    return client.post(reverse("imports-home", kwargs={"org": group.code}),
                       {"kind": "members", "file": upload})["Location"]


def test_web_value_step_answers_and_remembers(client_a, group):
    url = _upload(client_a, group)
    text = client_a.get(url).content.decode()
    # the words, their counts, how they matched; the unknown one to answer
    assert "จับคู่คำในไฟล์กับรหัสของระบบ" in text and "ค่าที่ยังต้องตอบ" in text
    assert "ตายแล้ว" in text and "ไม่รู้จัก" in text and "คำที่รู้จัก" in text
    assert "unknown" not in text  # a Thai page in Thai
    job = ImportJob.objects.get(organisation=group)
    fields = [fv.field for fv in services.job_checked(job).values]
    status = services.job_checked(job).values[fields.index("status")]
    index = [v.word for v in status.values].index("ตายแล้ว")
    assert f'name="val:status:{index}"' in text
    # an answer that is not a code is refused, nothing saved
    client_a.post(url, {"action": "values", f"val:status:{index}": "gone"})
    assert services.saved_values(group, "members") == {}
    client_a.post(url, {"action": "values", f"val:status:{index}": "deceased", "val:sex:0": "M"})
    job.refresh_from_db()
    assert job.values == {"status": {"ตายแล้ว": "deceased"}}  # only what the page said anew
    assert services.saved_values(group, "members") == {"status": {"ตายแล้ว": "deceased"}}
    text = client_a.get(url).content.decode()
    assert "ไม่พบปัญหา" in text and "ค่าที่ยังต้องตอบ" not in text
    used = client_a.get(reverse("imports-values", kwargs={"org": group.code, "job_id": job.pk})).json()
    assert used["kind"] == "members" and used["values"]["status"]["ตายแล้ว"] == "deceased"
    client_a.post(url, {"action": "confirm"})
    assert Member.objects.filter(organisation=group, status="deceased").count() == 3
    # the group's next file in the same words needs no answer
    client_a.cookies["django_language"] = "en"
    rows = own_members()
    for r in rows:
        r[0], r[5] = f"1{r[0]}", national_id(100 + int(r[0]))
    upload = io.BytesIO(csv_bytes(OWN_HEADERS, rows))
    upload.name = "next.csv"
    url = client_a.post(reverse("imports-home", kwargs={"org": group.code}),
                        {"kind": "members", "file": upload})["Location"]
    text = client_a.get(url).content.decode()
    assert "Match the file&#x27;s words to the app&#x27;s codes" in text and "remembered" in text
    assert "No problems" in text and "ไม่รู้จัก" not in text
