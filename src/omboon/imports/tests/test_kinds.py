"""Validation and commit of each kind: every problem as a record, nothing written before the
confirmed commit, nothing twice."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from python_calamine import CalamineWorkbook

from omboon.core.errors import RuleViolation
from omboon.core.national_id import with_check_digit
from omboon.imports import exports, kinds, services
from omboon.imports.models import ImportJob
from omboon.imports.spec import mapping_from_json
from omboon.imports.tests.helpers import (
    MEMBER_HEADERS,
    PAYMENT_HEADERS,
    csv_bytes,
    member_rows,
    national_id,
    payment_rows,
    run_import,
    xlsx_bytes,
)
from omboon.ledger.models import JournalEntry, JournalLine
from omboon.members.models import Member

pytestmark = pytest.mark.django_db


def _state(group):
    return (Member.objects.filter(organisation=group).count(),
            JournalEntry.objects.filter(organisation=group).count(), ImportJob.objects.count())


def _check(group, kind, data, **kw):
    return services.import_check(organisation=group, kind=kind, data=data, filename="f.csv", **kw)


def _codes(checked):
    return {(p.row, p.field, p.code) for p in checked.problems}


def test_members_every_problem_at_once_and_nothing_written(group):
    rows = member_rows(6)
    rows[0][5] = "1103700123450"  # wrong check digit
    rows[1][6] = "31/02/2515"  # no such date
    rows[2][6], rows[2][7] = "01/01/2563", "01/01/2560"  # born after joining
    rows[3][5] = rows[4][5]  # the same ID twice
    rows[5][2] = "=HYPERLINK(\"http://x\")"
    before = _state(group)
    checked = _check(group, "members", csv_bytes(MEMBER_HEADERS, rows))
    fields = {(p.row, p.field) for p in checked.problems}
    assert {(2, "national_id"), (3, "birth_date"), (4, "birth_date"), (6, "national_id"), (7, "first_name")} <= fields
    assert all(p.message_th and p.message_en for p in checked.problems)
    assert [r for r, _ in checked.accepted] == [5]
    with pytest.raises(RuleViolation):
        services.import_job_start(actor=None, organisation=group, kind="members", filename="f.csv", sha="x" * 64,
                                  checked=checked)
    assert _state(group) == before


def test_members_against_the_database_and_full_names(group, actor):
    run_import(group, "members", csv_bytes(MEMBER_HEADERS, member_rows(3)), actor=actor)
    again = member_rows(4)
    again[3][0] = ""
    checked = _check(group, "members", csv_bytes(MEMBER_HEADERS, again))
    assert {p.code for p in checked.problems} == {"duplicate"}
    assert [r for r, _ in checked.accepted] == [5]
    named = _check(group, "members", csv_bytes(
        ["ชื่อ-นามสกุล", "เลขบัตรประชาชน", "วันเกิด", "วันสมัคร", "อื่นๆ"],
        [["นางสาวมาลี ศรีสุข", national_id(9), "1 ม.ค. 2500", "2 ก.พ. 2560", "ignored"]]))
    assert named.problems == []
    data = named.accepted[0][1]
    assert (data["title"], data["first_name"], data["last_name"], data["sex"]) == ("นางสาว", "มาลี", "ศรีสุข", "F")


def test_same_file_twice_creates_nothing_the_second_time(group, actor):
    data = csv_bytes(MEMBER_HEADERS, member_rows(5))
    _, job = run_import(group, "members", data, actor=actor)
    assert job.status == ImportJob.Status.DONE
    before = _state(group)
    checked = _check(group, "members", data)
    again = services.import_job_start(actor=actor, organisation=group, kind="members", filename="again.csv",
                                      sha=services.file_sha256(data), checked=checked)
    assert again.pk == job.pk and again.status == ImportJob.Status.DONE
    assert _state(group) == before


def test_mapping_by_header_saved_and_from_a_json_file(group, actor):
    headers = ["No", "Given", "Family", "Gender", "Card", "Born", "Since"]
    data = csv_bytes(headers, [["7", "มาลี", "ดี", "F", national_id(7), "1/1/1960", "1/1/2020"]])
    checked = _check(group, "members", data)
    assert {p.code for p in checked.problems} == {"missing_column"}
    mapping = mapping_from_json(json.dumps({"kind": "members", "columns": {
        "Given": "first_name", "Family": "last_name", "Gender": "sex", "Card": "national_id",
        "Born": "birth_date", "Since": "join_date"}}), kinds.get("members"))
    assert _check(group, "members", data, mapping=mapping).problems == []
    services.mapping_save(actor=actor, organisation=group, kind="members", columns=mapping)
    remembered = _check(group, "members", data)
    assert remembered.problems == [] and remembered.mapping["No"] == "number"
    with pytest.raises(ValueError):
        mapping_from_json('{"A": "no_such_field"}', kinds.get("members"))


@pytest.fixture
def members(group, actor):
    rows = member_rows(4)
    rows[3] += ["เสียชีวิต", "10/06/2562"]
    headers = [*MEMBER_HEADERS, "สถานะ", "วันที่ลาออก/เสียชีวิต"]
    rows = [r + [""] * (len(headers) - len(r)) for r in rows]
    run_import(group, "members", csv_bytes(headers, rows), actor=actor)
    return Member.objects.filter(organisation=group)


def test_payments_rules(group, actor, members):
    rows = [
        ["0001", "05/01/2563", "ออมวันละบาท", "30"],
        ["0001", "05/01/2563", "ออมวันละบาท", "30"],  # the same payment twice
        ["0099", "05/01/2563", "ออมวันละบาท", "30"],  # no such member
        ["0002", "05/01/2559", "ออมวันละบาท", "30"],  # before joining (1/1/2560)
        ["0004", "05/01/2563", "ค่าสมทบรายปี", "50"],  # after death (10/06/2562)
        ["0003", "05/01/2563", "ออมวันละบาท", "-30"],  # not positive
        ["0003", "05/01/2563", "เงินกู้", "30"],  # a type no word of the app matches
        [national_id(1003), "06/01/2563", "4100", "฿50.00"],  # by national ID, by account code
    ]
    checked = _check(group, "payments", csv_bytes(PAYMENT_HEADERS, rows))
    codes = {(p.row, p.code) for p in checked.problems}
    assert codes == {(3, "duplicate"), (4, "no_member"), (5, "before_join"), (6, "after_leaving"),
                     (7, "not_positive"), (8, "value_unknown")}
    assert [r for r, _ in checked.accepted] == [2, 9]
    checked, job = run_import(group, "payments", csv_bytes(PAYMENT_HEADERS, rows), actor=actor, skip_rejected=True)
    assert (job.committed_rows, job.rejected_rows) == (2, 6)
    lines = JournalLine.objects.filter(organisation=group, account__code__in=["4100", "4300"])
    assert sorted((ln.account.code, ln.member.number, ln.credit) for ln in lines) == [
        ("4100", "0003", 5000), ("4300", "0001", 3000)]
    # against the books: a second file with the same payment is refused
    again = _check(group, "payments", csv_bytes(PAYMENT_HEADERS, [rows[0]]))
    assert {p.code for p in again.problems} == {"duplicate"}


def test_payments_wide_columns(group, actor, members):
    data = csv_bytes(["สมาชิก", "วันที่", "ค่าธรรมเนียมแรกเข้า", "ค่าสมทบรายปี", "ออมวันละบาท"],
                     [["1", "2/1/2560", "50", "50", "30"], ["2", "2/1/2560", "", "", "30"]])
    checked, _job = run_import(group, "payments", data, actor=actor)
    assert checked.summary["payments"] == 4 and checked.summary["total"] == 16000
    entry = JournalEntry.objects.get(organisation=group, idempotency_key__startswith="receipts:import:")
    assert entry.total == 16000 and entry.lines.count() == 5
    credits = entry.lines.filter(credit__gt=0)
    assert credits.count() == 4 and all(ln.member_id for ln in credits)
    assert entry.lines.get(debit__gt=0).account.code == "1100"


def test_opening_balance_must_balance(group, actor):
    headers = ["รหัสบัญชี", "เดบิต", "เครดิต", "วันที่ยอดยกมา"]
    unbalanced = csv_bytes(headers, [["1100", "1,000", "", "31/12/2562"], ["3100", "", "900", "31/12/2562"]])
    checked = _check(group, "opening-balances", unbalanced)
    assert [p.code for p in checked.problems] == ["unbalanced"] and checked.accepted == []
    bad = _check(group, "opening-balances", csv_bytes(headers, [["9999", "1", "", "31/12/2562"],
                                                                ["3100", "1", "1", "1/1/2563"]]))
    assert {p.code for p in bad.problems} >= {"no_account", "one_side", "dates"}
    good = csv_bytes(headers, [["1100", "1,000", "", "31/12/2562"], ["1200", "500.50", "", "31/12/2562"],
                               ["3100", "", "1,500.50", "31/12/2562"]])
    checked, _job = run_import(group, "opening-balances", good, actor=actor)
    entry = JournalEntry.objects.get(organisation=group, doc_type="opening")
    assert entry.total == 150050 and entry.date == dt.date(2019, 12, 31)
    assert _check(group, "opening-balances", good).problems[0].code == "exists"


def test_claims_post_and_a_death_ends_membership(group, actor, members, chair):
    from omboon.ledger.services import Line, entry_post

    entry_post(actor=actor, organisation=group, date=dt.date(2019, 1, 1), doc_type="receipt",
               lines=[Line("1100", debit=1_000_000), Line("4600", credit=1_000_000)])
    headers = ["เลขที่สมาชิก", "ประเภทสวัสดิการ", "วันที่เกิดเหตุ", "วันที่จ่าย", "จำนวนเงิน"]
    rows = [["0001", "ค่าเยี่ยมไข้/นอนโรงพยาบาล", "3/2/2563", "10/2/2563", "500"],
            ["0002", "ค่าจัดการศพ", "4/3/2563", "6/3/2563", "5,000"],
            ["0003", "ทุนการศึกษา", "10/3/2563", "1/3/2563", "100"],  # paid before the event
            ["0004", "sickness", "3/2/2563", "4/2/2563", "100"]]  # after death
    checked, job = run_import(group, "claims", csv_bytes(headers, rows), actor=actor, skip_rejected=True,
                              approver=chair)
    assert {(p.row, p.code) for p in checked.problems} == {(4, "order"), (5, "after_leaving")}
    assert job.approved_by == chair and job.submitted_by == actor
    entry = JournalEntry.objects.get(organisation=group, source_id=str(job.pk), total=500000)
    assert entry.created_by == actor and "อนุมัติ chair-a" in entry.memo  # maker posts; the approver named
    assert JournalLine.objects.filter(organisation=group, account__code="5130", debit=500000).count() == 1
    assert Member.objects.get(organisation=group, number="0002").status == Member.Status.DECEASED


def test_rejected_rows_download_with_an_error_column_written_safely(group):
    rows = member_rows(2)
    rows[0][2] = "=cmd|' /C calc'!A0"
    rows[1][5] = "123"
    checked = _check(group, "members", csv_bytes(MEMBER_HEADERS, rows))
    book = CalamineWorkbook.from_filelike(io.BytesIO(exports.errors_xlsx(checked)))
    sheet = book.get_sheet_by_index(0).to_python()
    assert sheet[0][-1] == exports.ERROR_HEADER
    assert sheet[1][2] == "'=cmd|' /C calc'!A0"
    assert "แถว 2" in sheet[1][-1] and "formula" in sheet[1][-1]
    assert "13 digits" in sheet[2][-1]
    problems = book.get_sheet_by_index(1).to_python()
    assert problems[0][:2] == ["แถว (row)", "คอลัมน์ (column)"]
    assert {r[1] for r in problems[1:]} == {"ชื่อ", "เลขประจำตัวประชาชน"}


@pytest.mark.parametrize("kind", sorted(kinds.KINDS))
def test_templates_have_thai_headers_an_example_and_instructions(group, kind):
    spec = kinds.get(kind)
    book = CalamineWorkbook.from_filelike(io.BytesIO(exports.template_xlsx(spec)))
    assert book.sheet_names == ["ข้อมูล (data)", "ตัวอย่าง (example)", "คำอธิบาย (instructions)"]
    headers = book.get_sheet_by_index(0).to_python()[0]
    assert headers[0] == f"{spec.fields[0].th} ({spec.fields[0].en})"
    example = book.get_sheet_by_index(1).to_python()
    assert len(example) == 2
    checked = _check(group, kind, exports.template_csv(spec))
    assert checked.mapping and not [p for p in checked.problems if p.code == "missing_column"]


def test_members_template_example_is_a_valid_member(group):
    checked = _check(group, "members", exports.template_csv(kinds.get("members")))
    assert checked.problems == [] and len(checked.accepted) == 1


def test_xlsx_members_with_typed_cells(group, actor):
    rows = [["1", "นาย", "สมชาย", "ดี", "ชาย", int(with_check_digit("110370012345")), dt.date(1970, 1, 2),
             dt.date(2015, 5, 6), 812345678, 5]]
    checked, _job = run_import(group, "members", xlsx_bytes(MEMBER_HEADERS, rows), actor=actor, filename="m.xlsx")
    assert checked.problems == []
    m = Member.objects.get(organisation=group)
    assert (m.birth_date, m.phone, m.moo, m.number) == (dt.date(1970, 1, 2), "0812345678", 5, "1")


def test_a_network_cannot_import(tree):
    checked = _check(tree.zone, "members", csv_bytes(MEMBER_HEADERS, member_rows(1)))
    assert checked.problems[0].field == "organisation"


def test_batches_commit_with_the_jobs_progress(group, actor, members):
    data = csv_bytes(PAYMENT_HEADERS, payment_rows(3, 5))
    _checked, job = run_import(group, "payments", data, actor=actor, batch_size=4)
    assert (job.total_batches, job.committed_batches, job.committed_rows) == (4, 4, 15)
    from omboon.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="imports.import_job_run", object_id=str(job.pk)).count() == 4
