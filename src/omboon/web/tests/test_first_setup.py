"""The first page of an empty install sets up a real group; once set up, it is gone."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from omboon.demo.management.commands import first_run
from omboon.ledger.models import Account
from omboon.orgs.models import Organisation, Role, RoleAssignment

FORM = {
    "code": "DKM", "name_th": "กองทุนสวัสดิการชุมชนตำบลดอนแก้ว", "group_type": "welfare_fund",
    "province_code": "52", "district_code": "5204", "subdistrict_code": "520401",
    "founded": "15/08/2545", "fiscal_year_start_month": "4", "first_name": "สมชาย",
    "username": "somchai", "password": "ดอนแก้ว-2545", "password2": "ดอนแก้ว-2545",
}


def test_the_empty_install_opens_on_the_set_up_form(client, db):
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/setup/"
    assert "ตั้งกลุ่มของเรา" in response.content.decode()


def test_setting_up_makes_the_group_with_its_chart_and_signs_the_chair_in(client, db):
    response = client.post("/setup/", FORM)
    assert response.status_code == 302 and response.url == "/o/DKM/"
    dkm = Organisation.objects.get(code="DKM")
    assert dkm.fiscal_year_start_month == 4 and dkm.founded_on.year == 2002
    assert Account.objects.filter(organisation=dkm, code="1100").exists()
    assert RoleAssignment.objects.get(user__username="somchai").role == Role.CHAIR
    assert client.get("/o/DKM/").status_code == 200
    assert client.get("/setup/").status_code == 404


@pytest.mark.parametrize(("change", "says"), [
    ({"password2": "something-else"}, "รหัสผ่านสองช่องไม่ตรงกัน"),
    ({"password": "short", "password2": "short"}, "อย่างน้อย 8"),
    ({"fiscal_year_start_month": "13"}, "1–12"),
    ({"founded": "31/02/2545"}, "ไม่"),
])
def test_bad_input_is_shown_and_nothing_is_written(client, db, change, says):
    response = client.post("/setup/", {**FORM, **change})
    assert response.status_code == 200 and says in response.content.decode()
    assert not Organisation.objects.exists() and not get_user_model().objects.exists()


def test_first_run_with_omboon_demo_0_builds_nothing_and_points_at_the_form(db, monkeypatch, capsys):
    monkeypatch.setenv("OMBOON_DEMO", "0")
    call_command("first_run")
    assert "omboon setup" in capsys.readouterr().out
    assert not Organisation.objects.exists()


def test_first_run_on_a_set_up_database_only_says_how_to_log_in(client, db, monkeypatch, capsys):
    client.post("/setup/", FORM)
    monkeypatch.setenv("OMBOON_DEMO", "1")
    call_command("first_run")
    assert "DKM" in capsys.readouterr().out
    assert Organisation.objects.count() == 1


def test_first_run_with_no_terminal_and_no_choice_builds_the_demo(db, monkeypatch):
    called = []
    monkeypatch.delenv("OMBOON_DEMO", raising=False)
    monkeypatch.setattr(first_run.sys.stdin, "isatty", lambda: False, raising=False)
    monkeypatch.setattr(first_run, "call_command", lambda name, **kw: called.append(name))
    call_command("first_run")
    assert called[0] == "demo"
