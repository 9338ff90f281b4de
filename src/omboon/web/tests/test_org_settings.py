"""/o/<org>/settings/ in worked examples: the chair changes the group's name, address, fiscal
year on one form (audited, before and after) and its bylaw settings — administration cap, who
approves what, retention, single-person journals — on another, each a version from a date with
its history; the approvers are read by the rules; a month 13, retention beyond 100 years or a
kind of approval nobody may give is refused in the page's language with nothing written; only
``manage`` sees it."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from omboon.core.models import AuditEvent
from omboon.orgs import scoping, selectors, services
from omboon.orgs.models import BylawVersion, Organisation, Role
from omboon.testing.factories import make_user

pytestmark = pytest.mark.django_db

FORM = {"name_th": "กองทุนสวัสดิการบ้านดอนไชย (ใหม่)", "name_en": "Ban Don Chai", "house_no": "12/3",
        "moo": "4", "street": "", "province_code": "", "district_code": "", "subdistrict_code": "",
        "postcode": "52110", "fiscal_year_start_month": "10", "form": "org"}
EVERYONE = ["chair", "treasurer", "secretary", "committee"]
BYLAWS = {"form": "bylaws", "effective_from": "1/1/2568", "admin_cap_percent": "10", "retention_years": "7",
          "journal_single_person": "on", "note": "มติที่ประชุมใหญ่ 2568", "approvers_claims": ["chair", "committee"],
          "approvers_vouchers": EVERYONE, "approvers_withdrawals": EVERYONE, "approvers_loans": ["committee"]}


def test_the_chair_sets_the_groups_details_on_a_form(chair, client):
    client.force_login(chair)
    assert client.post("/o/BDC/settings/", FORM).status_code == 302
    org = Organisation.objects.get(code="BDC")
    assert (org.name_th, org.moo, org.postcode, org.fiscal_year_start_month) == (FORM["name_th"], 4, "52110", 10)
    event = AuditEvent.objects.filter(action="orgs.organisation_update", actor=chair).latest("pk")
    assert event.before["fiscal_year_start_month"] == 1 and event.after["fiscal_year_start_month"] == 10


def test_bylaws_are_dated_versions_with_their_history_and_the_rules_read_them(tree, chair, client):
    client.force_login(chair)
    page = client.get("/o/BDC/settings/").content.decode()
    assert 'name="retention_years"' in page and 'value="5"' in page  # the default the members app reads
    assert client.post("/o/BDC/settings/", BYLAWS).status_code == 302
    org = Organisation.objects.get(code="BDC")
    first = BylawVersion.objects.get(organisation=org)
    assert first.effective_from == dt.date(2025, 1, 1) and first.bylaws == {
        "retention_years": 7, "journal_single_person": True, "admin_cap_percent": 10,
        "approvers": {"claims": ["chair", "committee"], "loans": ["committee"]}}  # all four roles: not stored
    assert org.bylaws == first.bylaws  # in force today: the organisation's copy follows
    assert AuditEvent.objects.filter(action="orgs.bylaws_set", actor=chair).exists()

    # a later version: treasurers approve claims too from 1 July 2568; the first stays in the history
    later = {**BYLAWS, "effective_from": "1/7/2568", "approvers_claims": ["chair", "committee", "treasurer"],
             "admin_cap_percent": ""}
    assert client.post("/o/BDC/settings/", later).status_code == 302
    assert selectors.bylaws_on(org, dt.date(2025, 6, 30))["approvers"]["claims"] == ["chair", "committee"]
    assert selectors.bylaws_on(org, dt.date(2025, 7, 1))["admin_cap_percent"] is None
    history = client.get("/o/BDC/settings/").content.decode()
    assert "1 ม.ค. 2568" in history and "1 ก.ค. 2568" in history and "ร้อยละ 10" in history
    assert "มติที่ประชุมใหญ่ 2568" in history

    # the rules read who approves: a secretary may approve vouchers but not claims or loans
    secretary = make_user(tree.group_a, Role.SECRETARY, "secretary-x")
    assert scoping.may_approve(secretary, org, "vouchers")
    assert not scoping.may_approve(secretary, org, "claims") and not scoping.may_approve(secretary, org, "loans")
    assert scoping.may_approve(make_user(tree.group_a, Role.COMMITTEE, "committee-x"), org, "loans")


def test_bad_bylaws_are_refused_with_nothing_written(chair, client):
    client.force_login(chair)
    answer = client.post("/o/BDC/settings/", {**BYLAWS, "approvers_loans": []})
    assert answer.status_code == 422 and "ต้องมีอย่างน้อยหนึ่งบทบาทที่อนุมัติได้" in answer.content.decode()
    client.cookies["django_language"] = "en"
    html = client.post("/o/BDC/settings/", {**BYLAWS, "retention_years": "101"}).content.decode()
    assert "retention years must be 0–100" in html
    html = client.post("/o/BDC/settings/", {**BYLAWS, "admin_cap_percent": "120"}).content.decode()
    assert "administration cap must be 0–100" in html
    assert not BylawVersion.objects.exists()
    client.post("/o/BDC/settings/", BYLAWS)
    html = client.post("/o/BDC/settings/", BYLAWS).content.decode()  # the same day twice
    assert "bylaws already take effect on this date" in html and BylawVersion.objects.count() == 1


def test_the_savings_dormancy_months_are_a_bylaw_on_the_form(chair, client):
    client.force_login(chair)
    page = client.get("/o/BDC/settings/").content.decode()
    assert 'name="savings_dormant_months"' in page and 'value="12"' in page  # the default savings reads
    client.cookies["django_language"] = "en"
    html = client.post("/o/BDC/settings/", {**BYLAWS, "savings_dormant_months": "0"}).content.decode()
    assert "before an account is dormant must be 1–120" in html and not BylawVersion.objects.exists()
    del client.cookies["django_language"]
    assert client.post("/o/BDC/settings/", {**BYLAWS, "savings_dormant_months": "6"}).status_code == 302
    org = Organisation.objects.get(code="BDC")
    assert selectors.bylaws_on(org, dt.date(2025, 1, 1))["savings_dormant_months"] == 6
    assert "บัญชีเงินฝากไม่เคลื่อนไหว 6 เดือนเป็นบัญชีพัก" in client.get("/o/BDC/settings/").content.decode()


def test_a_month_13_is_refused(chair, client):
    client.force_login(chair)
    answer = client.post("/o/BDC/settings/", {**FORM, "fiscal_year_start_month": "13"})
    assert answer.status_code == 422 and "1–12" in answer.content.decode()
    assert Organisation.objects.get(code="BDC").fiscal_year_start_month == 1


def test_the_ledgers_own_switch_adds_to_the_dated_history(chair):
    org = Organisation.objects.get(code="BDC")
    services.bylaws_set(actor=chair, organisation=org, effective_from=dt.date(2024, 1, 1),
                        settings={"journal_single_person": False})
    services.organisation_update(actor=chair, organisation=org, bylaws={**org.bylaws, "journal_single_person": True})
    assert selectors.bylaws_on(org)["journal_single_person"] is True


def test_only_manage_sees_the_settings(tree, chair, client):
    client.force_login(chair)
    assert "/o/BDC/settings/" in client.get("/o/BDC/").content.decode()
    client.force_login(make_user(tree.group_a, Role.TREASURER))
    assert "/o/BDC/settings/" not in client.get("/o/BDC/").content.decode()
    assert client.post("/o/BDC/settings/", FORM).status_code == 403


def test_the_command_line_sets_a_dated_version(tree, capsys):
    call_command("bylaws", "set", "--org", "BDC", "--from", "1/10/2568", "--admin-cap", "15",
                 "--approvers", "withdrawals=chair,treasurer", "--note", "ประชุมใหญ่")
    org = Organisation.objects.get(code="BDC")
    assert selectors.bylaws_on(org)["approvers"] == {"withdrawals": ["chair", "treasurer"]}
    assert "2025-10-01" in capsys.readouterr().out
    with pytest.raises(CommandError, match="at least one role must approve"):
        call_command("bylaws", "set", "--org", "BDC", "--from", "2/10/2568", "--approvers", "loans=")
    assert BylawVersion.objects.filter(organisation=org).count() == 1



ALLOWANCE = {f"loan_allowance_{n}": pct for n, pct in enumerate(["1", "5", "20", "50", "100", "100"], start=1)}


def test_the_allowance_for_doubtful_loans_is_a_bylaw_on_the_form(chair, client):
    client.force_login(chair)
    page = client.get("/o/BDC/settings/").content.decode()
    assert 'name="loan_allowance_1"' in page and 'name="loan_allowance_6"' in page
    assert "ค่าเผื่อหนี้สงสัยจะสูญสิ้นเดือน: ค้าง 61–90 วัน" in page and "Allowance for doubtful" not in page
    client.cookies["django_language"] = "en"
    html = client.post("/o/BDC/settings/", {**BYLAWS, **ALLOWANCE, "loan_allowance_3": "120"}).content.decode()
    assert "allowance for loans 61–90 days overdue: must be a whole percentage 0–100" in html
    assert "ค่าเผื่อ" not in html and not BylawVersion.objects.exists()  # an English page, nothing written
    del client.cookies["django_language"]
    assert client.post("/o/BDC/settings/", {**BYLAWS, **ALLOWANCE}).status_code == 302
    org = Organisation.objects.get(code="BDC")
    assert selectors.bylaws_on(org, dt.date(2025, 1, 1))["loan_allowance"] == [1, 5, 20, 50, 100, 100]
    page = client.get("/o/BDC/settings/").content.decode()
    assert "ตั้งค่าเผื่อหนี้สงสัยจะสูญสิ้นเดือน ตามจำนวนวันค้าง: 1–30: 1%" in page and 'value="20"' in page
    later = {**BYLAWS, "effective_from": "1/6/2568"}  # every box blank: no allowance from then on
    assert client.post("/o/BDC/settings/", later).status_code == 302
    assert "loan_allowance" not in selectors.bylaws_on(org, dt.date(2025, 6, 1))


def test_the_command_line_sets_the_allowance(tree):
    call_command("bylaws", "set", "--org", "BDC", "--from", "1/10/2568", "--loan-allowance", "1,5,20,50,100,100")
    org = Organisation.objects.get(code="BDC")
    assert selectors.bylaws_on(org)["loan_allowance"] == [1, 5, 20, 50, 100, 100]
    with pytest.raises(CommandError, match="181–365 days overdue: must be a whole percentage 0–100"):
        call_command("bylaws", "set", "--org", "BDC", "--from", "2/10/2568", "--loan-allowance", "1,5,20,50,200,100")
    call_command("bylaws", "set", "--org", "BDC", "--from", "3/10/2568", "--loan-allowance", "none")
    assert "loan_allowance" not in selectors.bylaws_on(org, dt.date(2025, 10, 3))
