"""Worked examples for the member registry: create, update, status, and a bulk list.

Each refused case checks the same three things: the message names the field in Thai and in
English, nothing was saved, and nothing was audited.
"""

import datetime as dt

import pytest

from omboon.core import national_id
from omboon.core.errors import RuleViolation
from omboon.core.models import AuditEvent
from omboon.members import services
from omboon.members.models import Member
from omboon.members.tests.helpers import pid, row


def problem(caught, field):
    found = [p for p in caught.value.problems if p.field == field]
    assert found, f"no problem on {field}: {caught.value.problems}"
    assert found[0].message_th and found[0].message_en
    return found[0]


# --- creating one member ------------------------------------------------------------------

def test_create_gives_the_next_number_hashes_the_id_and_audits(tree, treasurer):
    first = services.member_create(actor=treasurer, organisation=tree.group_a, **row(1))
    second = services.member_create(actor=treasurer, organisation=tree.group_a, **row(2))
    assert (first.number, second.number) == ("0001", "0002")
    assert first.status == Member.Status.ACTIVE
    assert first.id_hash == national_id.keyed_hash(pid(1))
    event = AuditEvent.objects.filter(action="members.member_create").order_by("id").first()
    assert event.actor == treasurer and event.organisation == tree.group_a
    assert event.after["number"] == "0001" and event.after["first_name"] == "สมศรี"
    # The audit trail never holds a full national ID.
    assert event.after["national_id"] == national_id.masked(pid(1))
    assert pid(1) not in str(event.after)


def test_numbers_continue_after_the_largest_and_keep_the_groups_width(tree):
    services.member_create(actor=None, organisation=tree.group_a, number="0100", **row(1))
    assert services.member_create(actor=None, organisation=tree.group_a, **row(2)).number == "0101"
    # Another group numbered with five digits keeps five digits; each group counts on its own.
    services.member_create(actor=None, organisation=tree.group_b, number="00041", **row(3))
    assert services.member_create(actor=None, organisation=tree.group_b, **row(4)).number == "00042"
    # A non-numeric number does not disturb the sequence.
    services.member_create(actor=None, organisation=tree.group_a, number="A-7", **row(5))
    assert services.next_number(tree.group_a) == "0102"


def test_create_accepts_what_a_treasurer_types_in_thai(tree):
    member = services.member_create(
        actor=None, organisation=tree.group_a,
        title="นาง", first_name=" คำปัน ", last_name="ศรีวงศ์", sex="หญิง",
        national_id=national_id.formatted(pid(7)),  # as printed on the card, with dashes
        birth_date="12/03/2500",             # พ.ศ.
        join_date="1 ม.ค. ๒๕๖๐",             # Thai month abbreviation, Thai digits
        moo="หมู่ ๕", phone="081-234-5678", postcode="๕๒๐๐๐",
        province_code="52", district_code="5201", subdistrict_code="520101",
    )
    member.refresh_from_db()
    assert member.first_name == "คำปัน" and member.sex == Member.Sex.FEMALE
    assert member.birth_date == dt.date(1957, 3, 12)
    assert member.join_date == dt.date(2017, 1, 1)
    assert member.moo == 5 and member.postcode == "52000"
    assert len(member.national_id) == 13 and member.national_id.isdigit()


@pytest.mark.parametrize(
    ("overrides", "field", "th", "en"),
    [
        ({"national_id": pid(1)[:12] + str((int(pid(1)[12]) + 1) % 10)}, "national_id",
         "หลักตรวจสอบผิด", "check digit"),
        ({"national_id": "12345"}, "national_id", "13 หลัก", "13 digits"),
        ({"birth_date": dt.date(2016, 5, 1), "join_date": dt.date(2015, 1, 1)}, "birth_date",
         "วันเกิดอยู่หลังวันที่เข้าเป็นสมาชิก", "born after joining"),
        ({"join_date": dt.date.today() + dt.timedelta(days=1)}, "join_date", "อนาคต", "future"),
        ({"birth_date": dt.date.today() + dt.timedelta(days=3)}, "birth_date", "อนาคต", "future"),
        ({"birth_date": "31/02/2500"}, "birth_date", "ไม่มีวันที่นี้ในปฏิทิน", "no such date"),
        ({"sex": "X"}, "sex", "เพศ", "sex must be M or F"),
        ({"first_name": "  "}, "first_name", "ต้องระบุชื่อ", "first name is required"),
        ({"last_name": ""}, "last_name", "ต้องระบุนามสกุล", "last name is required"),
        ({"province_code": "99"}, "province_code", "ไม่พบรหัสจังหวัด", "unknown province code"),
        ({"district_code": "5001"}, "district_code", "อำเภอไม่อยู่ในจังหวัด", "not in the chosen province"),
        ({"subdistrict_code": "520999"}, "subdistrict_code", "ไม่พบรหัสตำบล", "unknown subdistrict"),
        ({"moo": 0}, "moo", "หมู่", "moo"),
        ({"moo": "ห้า"}, "moo", "หมู่ต้องเป็นตัวเลข", "must be a number"),
        ({"phone": "12"}, "phone", "โทรศัพท์", "phone"),
        ({"postcode": "5200"}, "postcode", "รหัสไปรษณีย์", "postcode"),
        ({"number": "เลข 1"}, "number", "เลขที่สมาชิก", "member number"),
        ({"status": "retired"}, "status", "สถานะ", "unknown member status"),
        ({"status": "deceased"}, "status_date", "ต้องระบุวันที่", "needs the date"),
        ({"salary": 5}, "salary", "ไม่รู้จักช่อง", "unknown field"),
    ],
)
def test_bad_input_names_the_field_in_thai_and_english_and_saves_nothing(tree, overrides, field, th, en):
    with pytest.raises(RuleViolation) as caught:
        services.member_create(actor=None, organisation=tree.group_a, **row(1, **overrides))
    found = problem(caught, field)
    assert th in found.message_th and en in found.message_en
    assert not Member.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="members.").exists()


def test_every_problem_of_a_record_is_reported_at_once(tree):
    with pytest.raises(RuleViolation) as caught:
        services.member_create(actor=None, organisation=tree.group_a, **row(
            1, national_id="1234567890123", first_name="", sex="",
            birth_date=dt.date(2020, 1, 1), join_date=dt.date(2019, 1, 1)))
    fields = {p.field for p in caught.value.problems}
    assert {"national_id", "first_name", "sex", "birth_date"} <= fields
    # The exception's text carries both languages, for a command line or a log.
    assert "วันเกิด" in str(caught.value) and "born after joining" in str(caught.value)


def test_duplicate_number_and_national_id_in_one_group_are_refused(tree):
    services.member_create(actor=None, organisation=tree.group_a, number="0007", **row(1))
    with pytest.raises(RuleViolation) as caught:
        services.member_create(actor=None, organisation=tree.group_a, number="0007", **row(2))
    found = problem(caught, "number")
    assert "0007" in found.message_th and "already used" in found.message_en
    with pytest.raises(RuleViolation) as caught:
        services.member_create(actor=None, organisation=tree.group_a, **row(3, national_id=pid(1)))
    found = problem(caught, "national_id")
    assert "0007" in found.message_th and "already registered" in found.message_en
    assert pid(1) not in found.message_th + found.message_en  # masked in the message
    assert Member.objects.count() == 1


def test_the_same_person_may_belong_to_two_groups(tree):
    a = services.member_create(actor=None, organisation=tree.group_a, **row(1))
    b = services.member_create(actor=None, organisation=tree.group_b, **row(1))
    # The keyed hash lets a network flag the pair without showing the ID (issue 4).
    assert a.id_hash == b.id_hash and a.organisation != b.organisation


def test_a_network_has_no_members_of_its_own(tree):
    with pytest.raises(RuleViolation) as caught:
        services.member_create(actor=None, organisation=tree.zone, **row(1))
    found = problem(caught, "organisation")
    assert "เครือข่าย" in found.message_th and "network" in found.message_en
    with pytest.raises(RuleViolation):
        services.members_bulk_create(actor=None, organisation=tree.province, rows=[row(1)])
    assert not Member.objects.exists()


def test_born_on_the_day_of_joining_is_allowed(tree):
    # A newborn may be registered for the childbirth benefit; only born *after* joining is wrong.
    day = dt.date(2024, 6, 1)
    member = services.member_create(actor=None, organisation=tree.group_a,
                                    **row(1, birth_date=day, join_date=day))
    assert member.birth_date == member.join_date


# --- updating -----------------------------------------------------------------------------

def test_update_audits_only_what_changed(tree, treasurer):
    member = services.member_create(actor=treasurer, organisation=tree.group_a, **row(1))
    updated = services.member_update(actor=treasurer, member=member, phone="0899999999",
                                      last_name=row(1)["last_name"], moo=3)
    assert (updated.phone, updated.moo) == ("0899999999", 3)
    event = AuditEvent.objects.get(action="members.member_update")
    assert event.before == {"phone": row(1)["phone"], "moo": row(1)["moo"]}
    assert event.after == {"phone": "0899999999", "moo": 3}
    assert event.actor == treasurer and event.object_id == str(member.pk)


def test_update_without_a_change_writes_nothing(tree):
    member = services.member_create(actor=None, organisation=tree.group_a, **row(1))
    services.member_update(actor=None, member=member, first_name=member.first_name)
    assert not AuditEvent.objects.filter(action="members.member_update").exists()


def test_update_of_the_national_id_rehashes_it(tree):
    member = services.member_create(actor=None, organisation=tree.group_a, **row(1))
    services.member_update(actor=None, member=member, national_id=national_id.formatted(pid(99)))
    member.refresh_from_db()
    assert member.national_id == pid(99)
    assert member.id_hash == national_id.keyed_hash(pid(99))
    event = AuditEvent.objects.get(action="members.member_update")
    assert event.after == {"national_id": national_id.masked(pid(99))}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"number": "0002"}, "number"),
        ({"national_id": pid(2)}, "national_id"),
        ({"birth_date": dt.date(2020, 1, 1)}, "birth_date"),
        ({"national_id": "1100000000000"}, "national_id"),
        ({"number": ""}, "number"),
        ({"status": "resigned"}, "status"),
        ({"organisation": 5}, "organisation"),
    ],
)
def test_bad_updates_are_refused_and_change_nothing(tree, changes, field):
    member = services.member_create(actor=None, organisation=tree.group_a, **row(1))
    services.member_create(actor=None, organisation=tree.group_a, **row(2))
    with pytest.raises(RuleViolation) as caught:
        services.member_update(actor=None, member=member, **changes)
    problem(caught, field)
    fresh = Member.objects.get(pk=member.pk)
    assert (fresh.number, fresh.national_id, fresh.birth_date) == ("0001", pid(1), row(1)["birth_date"])
    assert not AuditEvent.objects.filter(action="members.member_update").exists()


# --- status and login ---------------------------------------------------------------------

def test_status_lifecycle(tree, treasurer):
    member = services.member_create(actor=None, organisation=tree.group_a,
                                    **row(1, status="applied"))
    services.member_status_change(actor=treasurer, member=member, status="active",
                                  on=dt.date(2020, 1, 1))
    services.member_status_change(actor=treasurer, member=member, status="deceased",
                                  on="5/6/2567", reason="ป่วย")
    member.refresh_from_db()
    assert (member.status, member.status_date) == ("deceased", dt.date(2024, 6, 5))
    history = AuditEvent.objects.filter(action="members.member_status_change").order_by("id")
    assert [e.after["status"] for e in history] == ["active", "deceased"]
    assert history.last().after["reason"] == "ป่วย"
    with pytest.raises(RuleViolation) as caught:
        services.member_status_change(actor=treasurer, member=member, status="active",
                                      on=dt.date(2024, 7, 1))
    assert "cannot move from deceased to active" in problem(caught, "status").message_en


def test_status_change_before_joining_is_refused(tree):
    member = services.member_create(actor=None, organisation=tree.group_a, **row(1))
    with pytest.raises(RuleViolation) as caught:
        services.member_status_change(actor=None, member=member, status="resigned",
                                      on=member.join_date - dt.timedelta(days=1))
    assert "before the join date" in problem(caught, "status_date").message_en
    assert Member.objects.get().status == "active"


def test_link_user(tree, user_with_role):
    member = services.member_create(actor=None, organisation=tree.group_a, **row(1))
    other = services.member_create(actor=None, organisation=tree.group_a, **row(2))
    user = user_with_role(tree.group_a, "member")
    services.member_link_user(actor=None, member=member, user=user)
    assert Member.objects.get(pk=member.pk).user == user
    with pytest.raises(RuleViolation) as caught:
        services.member_link_user(actor=None, member=other, user=user)
    assert "0001" in problem(caught, "user").message_th


# --- many members at once -----------------------------------------------------------------

def test_bulk_create_numbers_the_rows_and_audits_once(tree, treasurer):
    services.member_create(actor=None, organisation=tree.group_a, **row(1))
    members = services.members_bulk_create(
        actor=treasurer, organisation=tree.group_a,
        rows=[row(2), row(3, number="0010"), row(4), row(5, sex="ชาย", join_date="1/2/2563")],
    )
    assert [m.number for m in members] == ["0011", "0010", "0012", "0013"]
    assert all(m.pk for m in members)
    assert Member.objects.filter(organisation=tree.group_a).count() == 5
    assert Member.objects.get(number="0013").join_date == dt.date(2020, 2, 1)
    event = AuditEvent.objects.get(action="members.members_bulk_create")
    assert event.actor == treasurer and event.after["count"] == 4


def test_bulk_create_reports_every_problem_by_row_and_writes_nothing(tree):
    services.member_create(actor=None, organisation=tree.group_a, **row(1))
    bad_id = pid(3)[:12] + str((int(pid(3)[12]) + 1) % 10)
    rows = [
        # A spreadsheet: row 1 is its header, so the first member is row 2.
        row(2),                                                          # row 2: fine
        row(3, national_id=bad_id),                                      # row 3: check digit
        row(4, birth_date=dt.date(2021, 1, 1), join_date=dt.date(2020, 1, 1)),  # row 4: born after
        row(5, national_id=pid(1)),                                      # row 5: already a member
        row(6, number="0050"),                                           # row 6: fine
        row(7, number="0050"),                                           # row 7: same as row 6
        row(8, national_id=pid(2)),                                      # row 8: same as row 2
    ]
    with pytest.raises(RuleViolation) as caught:
        services.members_bulk_create(actor=None, organisation=tree.group_a, rows=rows, start_row=2)
    found = {(p.row, p.field) for p in caught.value.problems}
    assert found == {(3, "national_id"), (4, "birth_date"), (5, "national_id"),
                     (7, "number"), (8, "national_id")}
    by_row = {p.row: p for p in caught.value.problems}
    assert "แถว 6" in by_row[7].message_th and "row 6" in by_row[7].message_en
    assert "แถว 2" in by_row[8].message_th and "row 2" in by_row[8].message_en
    assert "แถว 4" in by_row[4].text() and "row 4" in by_row[4].text()
    assert Member.objects.count() == 1
    assert not AuditEvent.objects.filter(action="members.members_bulk_create").exists()


def test_bulk_check_is_a_dry_run(tree):
    problems = services.members_bulk_check(organisation=tree.group_a,
                                           rows=[row(1), row(2, sex="?")])
    assert [(p.row, p.field) for p in problems] == [(2, "sex")]
    assert services.members_bulk_check(organisation=tree.group_a, rows=[row(1)]) == []
    assert not Member.objects.exists()


def test_bulk_create_of_nothing_writes_nothing(tree):
    assert services.members_bulk_create(actor=None, organisation=tree.group_a, rows=[]) == []
    assert not AuditEvent.objects.filter(action="members.members_bulk_create").exists()


def test_bulk_create_of_3000_members_takes_a_constant_number_of_queries(tree, django_assert_max_num_queries):
    # Speed itself is measured in bench/, never asserted here; the query count is the shape.
    rows = [row(n) for n in range(1, 3001)]
    with django_assert_max_num_queries(12):
        members = services.members_bulk_create(actor=None, organisation=tree.group_a, rows=rows)
    assert len(members) == 3000 and members[-1].number == "3000"
    assert all(m.pk for m in members)
    assert Member.objects.filter(organisation=tree.group_a).count() == 3000
