"""The shell's pages: sign-in and out, password change, the root redirect, the organisation
switch, each role's home page, members, the audit trail, error pages and English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from omboon.core import audit
from omboon.members.models import Member
from omboon.orgs.models import Organisation, Role
from omboon.testing.factories import make_user
from omboon.web.tests.conftest import make_member

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


# --- sign in and out -----------------------------------------------------------------------


def test_root_sends_an_anonymous_visitor_to_login(client, tree):  # (an empty install: the set-up form)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("login")


def test_login_page_is_thai_by_default(client):
    page = _text(client.get("/login/"))
    assert '<html lang="th">' in page
    assert "เข้าสู่ระบบ" in page and "ชื่อผู้ใช้" in page
    assert "/static/omboon/omboon.css" in page and "/static/omboon/fonts.css" in page
    assert "/static/django_htmx/htmx-2.min.js" in page


def test_a_browser_asking_for_english_still_gets_thai(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="th">' in _text(response)
    assert response["Content-Language"] == "th"


def test_login_then_root_opens_the_users_group(client, treasurer):
    response = client.post("/login/", {"username": "treasurer-a", "password": "pass-1234"})
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"] == "/o/BDC/"


def test_login_with_a_wrong_password_says_so(client, treasurer):
    response = client.post("/login/", {"username": "treasurer-a", "password": "nope"})
    assert response.status_code == 200
    assert "errorlist" in _text(response)
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(client, treasurer):
    client.force_login(treasurer)
    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get("/o/BDC/").status_code == 302  # back to login


def test_an_organisation_page_needs_login(client, tree):
    response = client.get("/o/BDC/")
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=/o/BDC/")


def test_password_change(client, treasurer):
    client.force_login(treasurer)
    assert "รหัสผ่านเดิม" in _text(client.get("/password/"))
    wrong = client.post("/password/", {"old_password": "bad", "new_password1": "x", "new_password2": "x"})
    assert wrong.status_code == 200 and "errorlist" in _text(wrong)
    done = client.post("/password/", {
        "old_password": "pass-1234", "new_password1": "kaeng-som-2569", "new_password2": "kaeng-som-2569",
    })
    assert done.status_code == 302 and done["Location"] == reverse("password-change-done")
    assert "เปลี่ยนรหัสผ่านแล้ว" in _text(client.get(done["Location"]))
    client.logout()
    assert client.login(username="treasurer-a", password="kaeng-som-2569")


def test_a_user_with_no_role_is_told_so(client, tree):
    user = get_user_model().objects.create_user("lonely", password="pass-1234")
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 403 and "ยังไม่มีองค์กร" in _text(response)


# --- the root redirect and the organisation switch -----------------------------------------


def test_root_returns_to_the_last_organisation(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/")["Location"] == "/o/LP-S/"  # where the role is held
    assert client.get("/o/MPA/").status_code == 200
    assert client.get("/")["Location"] == "/o/MPA/"


def test_root_forgets_an_organisation_no_longer_visible(client, treasurer, tree):
    client.force_login(treasurer)
    session = client.session
    session["org"] = "NGA"
    session.save()
    assert client.get("/")["Location"] == "/o/BDC/"


def test_switcher_lists_visible_organisations_in_tree_order(client, coordinator):
    client.force_login(coordinator)
    page = _text(client.get("/o/LP-S/"))
    switcher = page.split('id="org-switch-select"')[1].split("</select>")[0]
    codes = [part.split('"')[0] for part in switcher.split('value="')[1:]]
    assert codes == ["LP-S", "BDC", "MPA"]


def test_org_switch_goes_to_the_chosen_organisation(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/switch/", {"org": "MPA"})
    assert response.status_code == 302 and response["Location"] == "/o/MPA/"
    assert client.get("/switch/", {"org": "NGA"}, follow=True).status_code == 404
    assert client.get("/switch/")["Location"] == "/"


def test_org_switch_to_a_code_no_url_can_hold_is_not_found(client, coordinator):
    client.force_login(coordinator)
    for code in ("a/b", "/", "BDC/../MPA"):
        assert client.get("/switch/", {"org": code}).status_code == 404  # was a 500


# --- navigation ----------------------------------------------------------------------------


def _nav(page: str) -> str:
    return page.split('class="sections"')[1].split("</ul>")[0]


def test_navigation_follows_the_role(client, tree, treasurer):
    client.force_login(treasurer)
    nav = _nav(_text(client.get("/o/BDC/")))
    assert "/o/BDC/members/" in nav and "/o/BDC/audit/" in nav

    client.force_login(make_user(tree.group_a, Role.MEMBER))
    nav = _nav(_text(client.get("/o/BDC/")))
    assert "/o/BDC/members/" not in nav and "/o/BDC/audit/" not in nav

    client.force_login(make_user(tree.zone, Role.COORDINATOR))
    nav = _nav(_text(client.get("/o/BDC/")))  # a group below: records, but not its audit trail
    assert "/o/BDC/members/" in nav and "/o/BDC/audit/" not in nav


# --- home pages ----------------------------------------------------------------------------


def test_group_home_shows_its_member_figures(client, tree, treasurer):
    this_year = dt.date.today()
    for _ in range(3):
        make_member(tree.group_a)
    make_member(tree.group_a, sex=Member.Sex.MALE, join_date=this_year)
    make_member(tree.group_a, status=Member.Status.DECEASED)
    make_member(tree.group_b)  # another group's member is not counted
    client.force_login(treasurer)
    response = client.get("/o/BDC/")
    assert response.status_code == 200
    figures = response.context["counts"]
    assert figures.total == 5
    assert figures.active == 4
    assert figures.by_status[Member.Status.DECEASED] == 1
    assert figures.by_sex == {Member.Sex.FEMALE: 4, Member.Sex.MALE: 1}
    assert figures.joined_this_year == 1
    page = _text(response)
    assert "กองทุนสวัสดิการบ้านดอนไชย" in page and "สมาชิกทั้งหมด" in page


def test_group_home_shows_cash_bank_and_fund_balances(client, tree, treasurer):
    from omboon.ledger.services import Line, entry_post

    day = dt.date.today()
    entry_post(actor=treasurer, organisation=tree.group_a, date=day, doc_type="receipt", lines=[
        Line(account="1100", debit=123_450), Line(account="4100", credit=123_450)])
    entry_post(actor=treasurer, organisation=tree.group_a, date=day, doc_type="receipt", lines=[
        Line(account="1200", debit=50_000), Line(account="4200", credit=50_000)])
    entry_post(actor=treasurer, organisation=tree.group_b, date=day, doc_type="receipt", lines=[
        Line(account="1100", debit=999_900), Line(account="4100", credit=999_900)])
    client.force_login(treasurer)
    response = client.get("/o/BDC/")
    balances = response.context["balances"]
    assert (balances.cash, balances.bank, balances.cash_and_bank) == (123_450, 50_000, 173_450)
    assert [row.amount for row in balances.funds if row.fund.is_default] == [173_450]
    page = _text(response)
    assert "1,234.50" in page and "500.00" in page and "1,734.50" in page
    assert "9,999.00" not in page


def test_group_home_takes_few_queries(client, tree, treasurer, django_assert_max_num_queries):
    for _ in range(30):
        make_member(tree.group_a)
    client.force_login(treasurer)
    client.get("/o/BDC/")
    # session, user, organisation, roles, member counts, accounts, period, lines, funds, switcher
    with django_assert_max_num_queries(10):
        assert client.get("/o/BDC/").status_code == 200


def test_network_home_lists_the_groups_below_with_counts(client, tree, coordinator):
    make_member(tree.group_a)
    make_member(tree.group_a, status=Member.Status.RESIGNED)
    make_member(tree.group_b)
    make_member(tree.group_c)
    client.force_login(coordinator)
    response = client.get("/o/LP-S/")
    rows = {g.code: (g.members_total, g.members_active) for g in response.context["groups"]}
    assert rows == {"BDC": (2, 1), "MPA": (1, 1)}
    totals = response.context["totals"]
    assert (totals.groups, totals.members, totals.active) == (2, 3, 2)
    assert 'data-code="NGA"' not in _text(response)


def test_province_home_shows_groups_of_every_zone_with_their_zone(client, tree):
    make_member(tree.group_c)
    client.force_login(make_user(tree.province, Role.COORDINATOR))
    response = client.get("/o/LP/")
    assert [g.code for g in response.context["groups"]] == ["BDC", "MPA", "NGA"]
    assert response.context["nested"] is True
    page = _text(response)
    assert "เครือข่ายลำปางใต้" in page and "เครือข่ายลำปางเหนือ" in page


def _bulk_groups(parent: Organisation, n: int, members_each: int) -> None:
    """Many groups quickly (rows only, for counting queries), each with a few members."""
    start = Organisation.objects.count()
    orgs = Organisation.objects.bulk_create([
        Organisation(code=f"G{start + i:05d}", kind=Organisation.Kind.GROUP, name_th=f"กลุ่ม {i}",
                     group_type=Organisation.GroupType.WELFARE_FUND, parent=parent,
                     depth=parent.depth + 1)
        for i in range(n)
    ])
    for org in orgs:
        org.path = f"{parent.path}{org.pk:08d}/"
    Organisation.objects.bulk_update(orgs, ["path"])
    Member.objects.bulk_create([
        Member(organisation=org, number=f"{k:04d}", first_name="ก", last_name="ข", sex="F",
               national_id=f"{org.pk:09d}{k:04d}", birth_date=dt.date(1960, 1, 1),
               join_date=dt.date(2020, 1, 1))
        for org in orgs for k in range(members_each)
    ])


def test_network_home_takes_a_constant_number_of_queries(client, tree, coordinator,
                                                         django_assert_max_num_queries):
    client.force_login(coordinator)
    client.get("/o/LP-S/")  # warm the session
    _bulk_groups(tree.zone, 3, 2)
    with django_assert_max_num_queries(10) as few:
        response = client.get("/o/LP-S/")
    assert response.context["totals"].groups == 5
    _bulk_groups(tree.zone, 500, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/o/LP-S/")
    assert response.context["totals"].groups == 505
    assert response.context["totals"].members == 1006


def test_member_home_shows_only_their_own_record(client, tree):
    user = make_user(tree.group_a, Role.MEMBER, username="somsri")
    mine = make_member(tree.group_a, user=user, first_name="สมศรีของฉัน")
    make_member(tree.group_a, first_name="คนอื่น")
    client.force_login(user)
    response = client.get("/o/BDC/")
    assert response.status_code == 200
    assert [r.member.pk for r in response.context["records"]] == [mine.pk]
    page = _text(response)
    assert "สมศรีของฉัน" in page and "คนอื่น" not in page
    assert "สมุดบัญชีสมาชิก" in page and "สวัสดิการของฉัน" in page  # landing on their passbook and benefits


# --- members -------------------------------------------------------------------------------


def test_member_list_searches_and_filters(client, tree, treasurer):
    make_member(tree.group_a, first_name="บุญมี", last_name="ศรีสุข", number="00777", moo=7)
    make_member(tree.group_a, first_name="คำแก้ว", status=Member.Status.RESIGNED, moo=2)
    make_member(tree.group_b, first_name="บุญมีแม่ปะ")
    client.force_login(treasurer)

    def names(**params):
        response = client.get("/o/BDC/members/", params)
        assert response.status_code == 200
        return [m.first_name for m in response.context["page"].object_list]

    assert names(q="บุญมี") == ["บุญมี"]
    assert names(q="00777") == ["บุญมี"]
    assert names(status="resigned") == ["คำแก้ว"]
    assert sorted(names()) == ["คำแก้ว", "บุญมี"]


def test_member_list_masks_national_ids_and_pages_by_50(client, tree, treasurer):
    members = [make_member(tree.group_a) for _ in range(55)]
    client.force_login(treasurer)
    first = client.get("/o/BDC/members/")
    assert len(first.context["page"].object_list) == 50
    page = _text(first)
    assert members[0].national_id not in page
    assert "x-xxxx-xxxxx-" in page
    assert "page=2" in page
    second = client.get("/o/BDC/members/", {"page": 2})
    assert len(second.context["page"].object_list) == 5


def test_network_member_list_has_a_group_column(client, tree, coordinator):
    make_member(tree.group_a)
    make_member(tree.group_b)
    make_member(tree.group_c)
    client.force_login(coordinator)
    response = client.get("/o/LP-S/members/")
    groups = sorted(m.organisation.code for m in response.context["page"].object_list)
    assert groups == ["BDC", "MPA"]
    assert response.context["show_group"] is True


def test_member_list_is_not_for_the_member_role(client, tree):
    client.force_login(make_user(tree.group_a, Role.MEMBER))
    assert client.get("/o/BDC/members/").status_code == 403


def test_member_detail(client, tree, treasurer, coordinator):
    member = make_member(tree.group_a, first_name="บุญมี")
    client.force_login(treasurer)
    response = client.get(f"/o/BDC/members/{member.pk}/")
    assert response.status_code == 200 and "บุญมี" in _text(response)
    client.force_login(coordinator)
    assert client.get(f"/o/LP-S/members/{member.pk}/").status_code == 200
    page = _text(client.get(f"/o/BDC/members/{member.pk}/"))
    assert member.national_id not in page.replace("-", "")  # read-only roles see it masked


def test_a_member_opens_only_their_own_member_page(client, tree):
    user = make_user(tree.group_a, Role.MEMBER)
    mine = make_member(tree.group_a, user=user)
    other = make_member(tree.group_a)
    client.force_login(user)
    assert client.get(f"/o/BDC/members/{mine.pk}/").status_code == 200
    assert client.get(f"/o/BDC/members/{other.pk}/").status_code == 404


# --- audit trail ---------------------------------------------------------------------------


def test_audit_trail_shows_who_what_when_and_changes(client, tree, treasurer):
    audit.record(actor=treasurer, action="members.member_update", organisation=tree.group_a,
                 summary="แก้เบอร์โทร", before={"phone": "081"}, after={"phone": "089"})
    audit.record(actor=treasurer, action="members.member_update", organisation=tree.group_b,
                 summary="ของกลุ่มอื่น")
    client.force_login(treasurer)
    response = client.get("/o/BDC/audit/")
    assert response.status_code == 200
    page = _text(response)
    assert "แก้เบอร์โทร" in page and "ของกลุ่มอื่น" not in page
    assert "<del>081</del>" in page and "<ins>089</ins>" in page
    assert "treasurer-a" in page
    actions = [e.action for e in client.get("/o/BDC/audit/", {"action": "members.member_update"}).context["page"]]
    assert actions == ["members.member_update"]


def test_the_audit_trail_reads_in_words_baht_and_buddhist_era(client, tree, treasurer):
    """Events keep their codes and satang; the page shows names, baht and พ.ศ. — in Thai only on
    a Thai page, in English only on an English one."""
    audit.record(actor=treasurer, action="ledger.voucher_create", organisation=tree.group_a, summary="ค่าไปรษณีย์",
                 after={"total": 17900, "date": "2026-12-03", "lines": [["5200", "WEL", 17900, 0],
                                                                        ["1100", "WEL", 0, 17900]]})
    client.force_login(treasurer)
    page = _text(client.get("/o/BDC/audit/"))
    assert "ทำใบสำคัญ" in page and "ledger.voucher_create</" not in page
    assert "179.00 บาท" in page and "17900" not in page and "3 ธ.ค. 2569" in page
    assert "5200 WEL เดบิต 179.00 บาท" in page and "ยอดรวม" in page
    client.cookies["django_language"] = "en"
    english = _text(client.get("/o/BDC/audit/"))
    assert "voucher made" in english and "179.00 baht" in english and "Dr 179.00 baht" in english
    assert "บาท" not in english.split("<tbody>")[1].split("ค่าไปรษณีย์")[0]


def test_the_audit_trail_names_the_maker_and_approver_reading_them_once_a_page(
        client, tree, treasurer, chair, django_assert_max_num_queries):
    """The logins an event names (who entered, who approved) show as the people's names; a page
    of such events reads the users once, not once an event."""
    User = get_user_model()
    User.objects.filter(pk=treasurer.pk).update(first_name="สมศรี", last_name="ใจดี")
    User.objects.filter(pk=chair.pk).update(first_name="บุญมี", last_name="มีสุข")
    for i in range(12):
        audit.record(actor=chair, action="ledger.voucher_approve", organisation=tree.group_a, summary=f"v{i}",
                     after={"maker": "treasurer-a", "approver": "chair-a", "of": f"ledger.voucher:{i}"})
    audit.record(actor=chair, action="ledger.voucher_approve", organisation=tree.group_a, summary="gone",
                 after={"detail": {"maker": "left-long-ago"}})
    client.force_login(treasurer)
    client.get("/o/BDC/audit/")
    with django_assert_max_num_queries(12):  # as many as a page of one event: the users once
        page = _text(client.get("/o/BDC/audit/"))
    assert page.count("<ins>สมศรี ใจดี</ins>") == 12 and page.count("<ins>บุญมี มีสุข</ins>") == 12
    assert "left-long-ago" in page  # a login of no user stays as it is


def test_audit_trail_needs_the_audit_capability(client, tree, auditor, coordinator):
    client.force_login(auditor)
    assert client.get("/o/BDC/audit/").status_code == 200
    client.force_login(make_user(tree.group_a, Role.MEMBER))
    assert client.get("/o/BDC/audit/").status_code == 403
    client.force_login(coordinator)
    assert client.get("/o/BDC/audit/").status_code == 403  # a group below: records only
    assert client.get("/o/LP-S/audit/").status_code == 200


def test_audit_trail_pages(client, tree, treasurer):
    for i in range(60):
        audit.record(actor=treasurer, action="test.event", organisation=tree.group_a, summary=f"e{i}")
    client.force_login(treasurer)
    response = client.get("/o/BDC/audit/", {"action": "test.event", "page": 2})
    assert len(response.context["page"].object_list) == 10
    assert "action=test.event" in _text(response)


# --- errors and English --------------------------------------------------------------------


def test_error_pages_in_thai(client, tree, treasurer):
    client.force_login(treasurer)
    not_found = client.get("/o/NGA/")
    assert not_found.status_code == 404 and "ไม่พบหน้านี้" in _text(not_found)
    client.force_login(make_user(tree.group_a, Role.MEMBER))
    forbidden = client.get("/o/BDC/audit/")
    assert forbidden.status_code == 403 and "ไม่มีสิทธิ์ทำรายการนี้" in _text(forbidden)


def test_switching_to_english(client, tree, treasurer):
    make_member(tree.group_a)
    client.force_login(treasurer)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/o/BDC/"})
    assert response.status_code == 302 and response["Location"] == "/o/BDC/"
    page = _text(client.get("/o/BDC/"))
    assert '<html lang="en">' in page
    assert "Ban Don Chai" in page  # the organisation's English name
    assert "Members" in page and "Audit trail" in page and "Sign out" in page
    assert "สมาชิก" not in page
    assert "Page not found" in _text(client.get("/o/NGA/"))
    members = _text(client.get("/o/BDC/members/"))
    assert "Search" in members and "National ID" in members
    # and back to Thai
    client.post("/i18n/setlang/", {"language": "th", "next": "/o/BDC/"})
    assert '<html lang="th">' in _text(client.get("/o/BDC/"))


def test_an_expired_session_asks_to_sign_in_again_in_the_users_language(client, tree):
    """A page opened after the session ended goes to the sign-in page, which says why."""
    response = client.get("/o/BDC/members/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/login/?next=")
    assert 'id="signin-again"' in page and "กรุณาเข้าสู่ระบบ (อีกครั้ง)" in page
    client.cookies["django_language"] = "en"
    english = client.get("/o/BDC/members/", follow=True).content.decode()
    assert "Please sign in (again)" in english
    assert 'id="signin-again"' not in client.get("/login/").content.decode()


def test_the_icon_and_the_thai_font_are_served_locally(client, tree):
    """Every page names the app's own icon; /favicon.ico leads to it; the public pages load
    Sarabun (a phone without a Thai font would show boxes)."""
    login = client.get("/login/").content.decode()
    assert '<link rel="icon" href="/static/omboon/favicon.svg"' in login
    icon = client.get("/favicon.ico")
    assert icon.status_code == 301 and icon["Location"] == "/static/omboon/favicon.svg"
    assert client.get("/static/omboon/favicon.svg").status_code == 200
    public = client.get("/public/LP/").content.decode()
    assert "/static/omboon/fonts.css" in public and "favicon.svg" in public
    import re

    assert not re.findall(r'(?:href|src)="(?:https?:)?//', public + login)  # nothing from another host
