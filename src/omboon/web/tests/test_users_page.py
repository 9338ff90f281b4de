"""/o/<org>/users/ in worked examples: the chair adds a treasurer (a one-time password shown
once, which signs them in), finds them by search, grants and revokes a role after a
confirmation, resets a password typed twice and deactivates a user whose history stays; the
rules answer in the page's language; only those with ``manage`` see the page or its menu entry."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from omboon.core.models import AuditEvent
from omboon.orgs.models import Role, RoleAssignment
from omboon.testing.factories import make_user

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def browser(chair):
    c = Client()
    c.force_login(chair)
    return c


def _shown_password(html: str) -> str:
    return html.split('class="one-time-password"')[1].split(">", 1)[1].split("<", 1)[0]


def test_the_chair_adds_a_treasurer_whose_one_time_password_signs_them_in_once_shown(browser):
    answer = browser.post("/o/BDC/users/", {"username": "kanya", "first_name": "กัญญา", "last_name": "ใจดี",
                                            "role": "treasurer", "password_choice": "generate"})
    assert answer.status_code == 200
    password = _shown_password(answer.content.decode())
    kanya = User.objects.get(username="kanya")
    assert RoleAssignment.objects.filter(user=kanya, role=Role.TREASURER, organisation__code="BDC").exists()
    assert Client().login(username="kanya", password=password)
    detail = browser.get(f"/o/BDC/users/{kanya.pk}/").content.decode()
    assert "กัญญา" in detail and password not in detail  # shown once, on the answer only
    assert AuditEvent.objects.filter(action="orgs.user_create", summary="kanya", actor__username="chair-a").exists()


def test_the_list_searches_and_pages(browser, tree):
    for i in range(30):
        make_user(tree.group_a, Role.COMMITTEE, f"committee-{i:02}")
    first = browser.get("/o/BDC/users/").content.decode()
    assert "chair-a" in first and "committee-00" in first and "committee-29" not in first
    assert "committee-29" in browser.get("/o/BDC/users/?page=2").content.decode()
    found = browser.get("/o/BDC/users/?q=committee-1").content.decode()
    assert ">committee-12</a>" in found and ">committee-02</a>" not in found and ">chair-a</a>" not in found


def test_two_passwords_that_differ_are_refused_in_thai_and_in_english(browser):
    asked = {"username": "somchai", "role": "secretary", "password_choice": "typed",
             "password": "long-enough-1", "password2": "long-enough-2"}
    answer = browser.post("/o/BDC/users/", asked)
    assert answer.status_code == 422 and "รหัสผ่านสองช่องไม่ตรงกัน" in answer.content.decode()
    browser.cookies["django_language"] = "en"
    answer = browser.post("/o/BDC/users/", asked)
    html = answer.content.decode()
    assert "the two passwords differ" in html and "รหัสผ่านสองช่องไม่ตรงกัน" not in html
    assert 'value="somchai"' in html  # what was typed stays
    assert not User.objects.filter(username="somchai").exists()


def test_a_taken_username_and_a_member_login_without_its_record_are_refused(browser, tree):
    make_user(tree.group_b, Role.TREASURER, "taken")
    html = browser.post("/o/BDC/users/", {"username": "taken", "role": "committee"}).content.decode()
    assert "ว่างหรือมีอยู่แล้ว" in html
    html = browser.post("/o/BDC/users/", {"username": "new-member", "role": "member"}).content.decode()
    assert "ต้องผูกกับทะเบียนสมาชิก" in html and not User.objects.filter(username="new-member").exists()


def test_grant_then_revoke_after_a_confirmation_and_the_last_chair_stays(browser, tree, chair):
    somsri = make_user(tree.group_a, Role.COMMITTEE, "somsri")
    browser.post(f"/o/BDC/users/{somsri.pk}/grant/", {"role": "secretary"})
    assert set(RoleAssignment.objects.filter(user=somsri).values_list("role", flat=True)) == {"committee", "secretary"}

    confirm = browser.get(f"/o/BDC/users/{somsri.pk}/revoke/?role=committee")
    assert confirm.status_code == 200 and "ยืนยันถอนบทบาท" in confirm.content.decode()
    assert RoleAssignment.objects.filter(user=somsri, role="committee").exists()  # a GET only asks
    browser.post(f"/o/BDC/users/{somsri.pk}/revoke/", {"role": "committee"})
    assert not RoleAssignment.objects.filter(user=somsri, role="committee").exists()
    assert AuditEvent.objects.filter(action="orgs.role_revoke", summary="somsri committee").exists()

    refused = browser.post(f"/o/BDC/users/{chair.pk}/revoke/", {"role": "chair"}, follow=True)
    assert "กลุ่มต้องมีประธานอย่างน้อยหนึ่งคน" in refused.content.decode()
    assert RoleAssignment.objects.filter(user=chair, role="chair").exists()


def test_nobody_grants_above_their_own_role_from_the_page(browser, tree):
    somsri = make_user(tree.group_a, Role.COMMITTEE, "somsri")
    detail = browser.get(f"/o/BDC/users/{somsri.pk}/").content.decode()
    assert 'value="admin"' not in detail  # not offered
    answer = browser.post(f"/o/BDC/users/{somsri.pk}/grant/", {"role": "admin"}, follow=True)
    assert "สูงกว่าบทบาทของตนเอง" in answer.content.decode()
    assert not RoleAssignment.objects.filter(user=somsri, role="admin").exists()


def test_a_password_reset_typed_twice_and_a_deactivation_whose_history_stays(browser, tree):
    somsri = make_user(tree.group_a, Role.TREASURER, "somsri")
    assert browser.get(f"/o/BDC/users/{somsri.pk}/password/").status_code == 200
    browser.post(f"/o/BDC/users/{somsri.pk}/password/", {"password_choice": "typed", "password": "new-secret-9",
                                                         "password2": "new-secret-9"})
    assert Client().login(username="somsri", password="new-secret-9")

    assert "ยืนยันปิดการใช้งาน" in browser.get(f"/o/BDC/users/{somsri.pk}/deactivate/").content.decode()
    assert User.objects.get(pk=somsri.pk).is_active  # a GET only asks
    browser.post(f"/o/BDC/users/{somsri.pk}/deactivate/")
    assert not User.objects.get(pk=somsri.pk).is_active
    assert not Client().login(username="somsri", password="new-secret-9")
    listed = browser.get("/o/BDC/users/").content.decode()
    assert "somsri" in listed and "ปิดการใช้งานแล้ว" in listed
    assert RoleAssignment.objects.filter(user=somsri, role="treasurer").exists()
    assert AuditEvent.objects.filter(action="orgs.user_deactivate", summary="somsri").exists()


def test_only_those_with_manage_see_the_page_and_its_menu_entry(tree, chair, client):
    client.force_login(chair)
    assert "/o/BDC/users/" in client.get("/o/BDC/").content.decode()
    for role in (Role.TREASURER, Role.AUDITOR):
        client.force_login(make_user(tree.group_a, role))
        assert "/o/BDC/users/" not in client.get("/o/BDC/").content.decode()
        assert client.get("/o/BDC/users/").status_code == 403
        assert client.get(f"/o/BDC/users/{chair.pk}/").status_code == 403
    client.force_login(make_user(tree.zone, Role.COORDINATOR))  # read-only below
    assert client.get("/o/BDC/users/").status_code == 403


def test_a_network_admin_manages_the_people_of_a_group_below(tree, client):
    client.force_login(make_user(tree.zone, Role.ADMIN, "zone-admin"))
    assert "/o/BDC/users/" in client.get("/o/BDC/").content.decode()
    client.post("/o/BDC/users/", {"username": "new-chair", "role": "chair", "password_choice": "typed",
                                  "password": "long-enough-1", "password2": "long-enough-1"})
    assert RoleAssignment.objects.filter(user__username="new-chair", organisation=tree.group_a, role="chair").exists()
    assert client.get("/o/NGA/users/").status_code == 404  # another zone's group


def test_a_phone_number_on_add_and_edit_shown_in_the_list_and_searched(browser, tree):
    answer = browser.post("/o/BDC/users/", {"username": "malee", "first_name": "มาลี", "role": "secretary",
                                            "phone": "081-234 5678", "password_choice": "generate"})
    assert answer.status_code == 200
    malee = User.objects.get(username="malee")
    listed = browser.get("/o/BDC/users/").content.decode()
    assert 'href="tel:081-234 5678"' in listed
    assert ">malee</a>" in browser.get("/o/BDC/users/?q=5678").content.decode()  # found by her number

    edited = browser.post(f"/o/BDC/users/{malee.pk}/edit/", {"first_name": "มาลี", "last_name": "ศรีสุข",
                                                             "email": "", "phone": "0891112222"})
    assert edited.status_code == 302
    assert "0891112222" in browser.get(f"/o/BDC/users/{malee.pk}/").content.decode()
    event = AuditEvent.objects.get(action="orgs.user_update", summary="malee")
    assert (event.before["phone"], event.after["phone"], event.after["last_name"]) == (
        "081-234 5678", "0891112222", "ศรีสุข")

    wrong = browser.post(f"/o/BDC/users/{malee.pk}/edit/", {"first_name": "x", "phone": "12345"})
    assert wrong.status_code == 422 and "เบอร์โทรศัพท์" in wrong.content.decode()
    malee.refresh_from_db()
    assert malee.first_name == "มาลี"  # nothing half-written


def test_the_list_of_a_big_group_is_one_page_from_the_database(browser, tree, django_assert_max_num_queries):
    users = User.objects.bulk_create(User(username=f"m{i:04}") for i in range(3000))
    RoleAssignment.objects.bulk_create(RoleAssignment(user=u, organisation=tree.group_a, role=Role.COMMITTEE)
                                       for u in users)
    with django_assert_max_num_queries(25):  # the page's rows only, whatever the group's size
        page = browser.get("/o/BDC/users/?page=40").content.decode()
    assert ">m0975</a>" in page and ">m0950</a>" not in page
    found = browser.get("/o/BDC/users/?q=m2999").content.decode()
    assert ">m2999</a>" in found and ">m2998</a>" not in found
