"""Worked examples of the member forms, as a treasurer would fill them in (no JavaScript)."""

import datetime as dt

import pytest

from omboon.core.models import AuditEvent
from omboon.members import services
from omboon.members.models import Beneficiary, Member, MemberStatusChange
from omboon.members.tests.helpers import pid, row
from omboon.orgs.models import Role
from omboon.testing.factories import make_user

FORM = {
    "title": "นาง", "first_name": "บัวผัน", "last_name": "ใจงาม", "sex": "F",
    "national_id": pid(7), "birth_date": "17/05/2513", "join_date": "01/03/2558",
    "status": "active", "phone": "081-234-5678", "moo": "หมู่ 3", "disabled": "on",
}


@pytest.fixture
def member(tree):
    return services.member_create(actor=None, organisation=tree.group_a, **row(1))


def test_a_new_member_typed_in_buddhist_era_dates(client, tree, treasurer):
    client.force_login(treasurer)
    page = client.get("/o/BDC/members/new/")
    assert page.status_code == 200 and 'name="birth_date"' in page.content.decode()
    response = client.post("/o/BDC/members/new/", FORM)
    member = Member.objects.get(first_name="บัวผัน")
    assert response.status_code == 302 and response["Location"] == f"/o/BDC/members/{member.pk}/"
    assert (member.number, member.birth_date, member.join_date) == ("0001", dt.date(1970, 5, 17),
                                                                    dt.date(2015, 3, 1))
    assert (member.moo, member.disabled, member.low_income) == (3, True, False)


def test_the_member_list_links_each_row_to_the_members_page_and_shows_the_status(client, tree, treasurer, member):
    from django.urls import reverse

    client.force_login(treasurer)
    client.cookies["django_language"] = "th"
    page = client.get("/o/BDC/members/").content.decode()
    link = reverse("member-detail", kwargs={"org": "BDC", "member_id": member.pk})
    assert f'<a href="{link}">{member.full_name}</a>' in page
    assert f'<span class="badge active">{Member.Status.ACTIVE.label}</span>' in page


def test_a_refused_form_shows_each_problem_under_its_field(client, tree, treasurer):
    client.force_login(treasurer)
    response = client.post("/o/BDC/members/new/", {**FORM, "first_name": "", "birth_date": "31/02/2513"})
    assert response.status_code == 422
    fields = {f.name: f for f in response.context["fields"]}
    assert [p.message_en for p in fields["first_name"].problems] == ["first name is required"]
    assert fields["birth_date"].problems and fields["birth_date"].value == "31/02/2513"
    page = response.content.decode()
    assert "<li>ต้องระบุชื่อ</li>" in page and "first name is required" not in page  # Thai alone
    assert fields["last_name"].value == "ใจงาม"  # what was typed comes back
    assert not Member.objects.exists()


def test_a_network_has_no_new_member_form(client, tree):
    client.force_login(make_user(tree.zone, Role.ADMIN))
    assert client.get("/o/LP-S/members/new/").status_code == 404


def test_editing_shows_buddhist_era_dates_and_saves_changes(client, tree, treasurer, member):
    client.force_login(treasurer)
    form = client.get(f"/o/BDC/members/{member.pk}/edit/").context["fields"]
    values = {f.name: f.value for f in form}
    assert values["birth_date"] == f"{member.birth_date:%d/%m}/{member.birth_date.year + 543}"
    posted = {k: v for k, v in values.items() if v not in (False, None)}
    posted.update(last_name="ใจงามยิ่ง", low_income="on")
    response = client.post(f"/o/BDC/members/{member.pk}/edit/", posted)
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.last_name, member.low_income) == ("ใจงามยิ่ง", True)
    event = AuditEvent.objects.get(action="members.member_update")
    assert set(event.after) == {"last_name", "low_income"}


def test_status_change_on_the_member_page_keeps_history(client, tree, treasurer, member):
    client.force_login(treasurer)
    response = client.post(f"/o/BDC/members/{member.pk}/status/",
                           {"status": "resigned", "date": "01/03/2567", "reason": "ย้ายบ้าน"})
    assert response.status_code == 302
    change = MemberStatusChange.objects.get()
    assert (change.to_status, change.date, change.reason) == ("resigned", dt.date(2024, 3, 1), "ย้ายบ้าน")
    page = client.get(f"/o/BDC/members/{member.pk}/").content.decode()
    assert "ย้ายบ้าน" in page


def test_a_refused_status_change_comes_back_on_the_member_page(client, tree, treasurer, member):
    client.force_login(treasurer)
    response = client.post(f"/o/BDC/members/{member.pk}/status/", {"status": "resigned", "date": ""})
    assert response.status_code == 422
    assert "ต้องระบุวันที่เปลี่ยนสถานะ" in response.content.decode()
    assert "the date of the change is required" not in response.content.decode()  # Thai alone
    assert not MemberStatusChange.objects.exists()


def test_beneficiaries_form_with_row_numbers(client, tree, treasurer, member):
    client.force_login(treasurer)
    url = f"/o/BDC/members/{member.pk}/beneficiaries/"
    refused = client.post(url, {"rows": 3, "name_1": "สมชาย", "share_percent_1": "50",
                                "name_2": "", "relation_2": "บุตร", "share_percent_2": "50"})
    assert refused.status_code == 422
    assert "แถว 2: ต้องระบุชื่อผู้รับผลประโยชน์" in refused.content.decode()
    saved = client.post(url, {"rows": 3, "name_1": "สมชาย", "share_percent_1": "50",
                              "name_2": "สมหญิง", "relation_2": "บุตร", "share_percent_2": "๕๐"})
    assert saved.status_code == 302
    assert list(Beneficiary.objects.values_list("name", "share_percent")) == [("สมชาย", 50), ("สมหญิง", 50)]
    page = client.get(f"/o/BDC/members/{member.pk}/").content.decode()
    assert 'value="สมหญิง"' in page


def test_the_national_id_is_masked_until_a_writer_asks_and_every_reveal_is_audited(
        client, tree, treasurer, member):
    client.force_login(treasurer)
    page = client.get(f"/o/BDC/members/{member.pk}/").content.decode()
    assert member.national_id not in page.replace("-", "") and "x-xxxx-xxxxx-" in page
    for _ in range(2):
        revealed = client.post(f"/o/BDC/members/{member.pk}/reveal-id/")
        assert member.national_id in revealed.content.decode().replace("-", "")
        assert "no-store" in revealed["Cache-Control"]
    reveals = AuditEvent.objects.filter(action="members.member_reveal_id", object_id=str(member.pk))
    assert reveals.count() == 2 and {e.actor for e in reveals} == {treasurer}


def test_read_only_roles_see_no_forms_and_may_not_reveal(client, tree, member):
    client.force_login(make_user(tree.group_a, Role.AUDITOR))
    page = client.get(f"/o/BDC/members/{member.pk}/").content.decode()
    assert "reveal-id" not in page and "beneficiaries-form" not in page
    assert client.post(f"/o/BDC/members/{member.pk}/reveal-id/").status_code == 403
    assert not AuditEvent.objects.filter(action="members.member_reveal_id").exists()
