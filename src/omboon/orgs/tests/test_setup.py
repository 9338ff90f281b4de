"""A real group from zero: ``omboon setup`` and the admin, both through ``orgs.services``."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from omboon.core.models import AuditEvent
from omboon.ledger.models import Account, Fund
from omboon.orgs import scoping, selectors
from omboon.orgs.models import Organisation, Role, RoleAssignment
from omboon.testing.factories import make_superuser, make_user

DKM = ["--code", "DKM", "--name-th", "กองทุนสวัสดิการชุมชนตำบลดอนแก้ว", "--kind", "welfare_fund",
       "--province", "52", "--district", "5204", "--subdistrict", "520401",
       "--founded", "15/08/2545", "--fiscal-start", "4", "--chair", "somchai"]


def _setup(*args):
    out = io.StringIO()
    call_command("setup", *args, stdout=out)
    return out.getvalue()


def test_setup_makes_the_group_its_chart_funds_and_its_chair_and_says_how_to_log_in(db, tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("ดอนแก้ว-2545\n", encoding="utf-8")
    out = _setup(*DKM, "--password-file", str(secret))
    dkm = Organisation.objects.get(code="DKM")
    assert (dkm.path, dkm.depth, dkm.fiscal_year_start_month) == (f"{dkm.pk:08d}/", 0, 4)
    assert dkm.founded_on.isoformat() == "2002-08-15" and dkm.subdistrict_code == "520401"
    assert Account.objects.filter(organisation=dkm, code__in=["1100", "4100", "5100"]).count() == 3
    assert Fund.objects.filter(organisation=dkm).exists()
    chair = get_user_model().objects.get(username="somchai")
    assert chair.check_password("ดอนแก้ว-2545")
    assert scoping.resolve(chair, dkm).capabilities >= {scoping.MANAGE, scoping.WRITE}
    assert "/o/DKM/" in out and "somchai" in out and "ดอนแก้ว-2545" not in out
    assert {"orgs.organisation_create", "orgs.user_create", "orgs.role_grant"} <= set(
        AuditEvent.objects.filter(organisation=dkm).values_list("action", flat=True))


def test_without_a_password_file_a_one_time_password_is_printed_once(db):
    out = _setup(*DKM)
    line = next(line for line in out.splitlines() if "one-time password" in line)
    password = line.split(":", 1)[1].split()[0]
    assert get_user_model().objects.get(username="somchai").check_password(password)


def test_a_network_then_a_group_under_it_which_its_network_sees(db):
    _setup("--network", "--code", "CM", "--name-th", "เครือข่ายเชียงใหม่", "--province", "50",
           "--chair", "net-admin")
    _setup(*DKM, "--under", "CM")
    cm, dkm = Organisation.objects.get(code="CM"), Organisation.objects.get(code="DKM")
    assert [o.code for o in selectors.groups_below(cm)] == ["DKM"]
    assert RoleAssignment.objects.get(user__username="net-admin").role == Role.ADMIN
    assert scoping.MANAGE in scoping.resolve(get_user_model().objects.get(username="net-admin"), dkm).capabilities


@pytest.mark.parametrize(("extra", "says"), [
    (["--fiscal-start", "13"], "1–12"),
    (["--under", "NOPE"], "NOPE"),
    (["--founded", "31/02/2545"], "--founded"),
])
def test_bad_input_is_refused_in_thai_and_english_and_nothing_is_written(db, extra, says):
    with pytest.raises(CommandError) as caught:
        _setup(*DKM, *extra)
    assert says in str(caught.value)
    assert not Organisation.objects.exists() and not get_user_model().objects.exists()


def test_a_taken_username_or_code_leaves_no_half_made_group(db):
    _setup(*DKM)
    with pytest.raises(CommandError, match="already used"):
        _setup(*[("DKM" if a == "DKM" else a) for a in DKM[:-1]], "someone-else")
    with pytest.raises(CommandError, match="taken"):
        _setup(*["DKM2" if a == "DKM" else a for a in DKM])
    assert list(Organisation.objects.values_list("code", flat=True)) == ["DKM"]


def test_a_group_created_in_the_admin_has_its_path_chart_and_is_seen_by_its_network(tree, client):
    coordinator = make_user(tree.zone, Role.COORDINATOR)
    client.force_login(make_superuser())
    response = client.post("/admin/orgs/organisation/add/", {
        "code": "NEW", "kind": "group", "group_type": "welfare_fund", "name_th": "กองทุนใหม่",
        "parent": tree.zone.pk, "province_code": "52", "fiscal_year_start_month": 1,
        "bylaws": "{}",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    new = Organisation.objects.get(code="NEW")
    assert new.path == f"{tree.zone.path}{new.pk:08d}/" and new.depth == 2
    assert "NEW" in [o.code for o in selectors.groups_below(tree.zone)]
    assert Account.objects.filter(organisation=new, code="1100").exists()
    assert scoping.VIEW in scoping.resolve(coordinator, new).capabilities
    assert AuditEvent.objects.filter(organisation=new, action="orgs.organisation_create").exists()


def test_the_admin_refuses_what_the_services_refuse(tree, client):
    client.force_login(make_superuser())
    response = client.post("/admin/orgs/organisation/add/", {
        "code": "BDC", "kind": "group", "group_type": "", "name_th": "x", "parent": tree.group_a.pk,
        "fiscal_year_start_month": 13, "bylaws": "{}",
    })
    assert response.status_code == 200
    text = response.content.decode()
    assert "มีอยู่แล้ว" in text and "องค์กรแม่ต้องเป็นเครือข่าย" in text  # in the page's language
    assert Organisation.objects.filter(code="BDC").count() == 1


def test_the_admin_changes_through_the_update_service(tree, client):
    client.force_login(make_superuser())
    response = client.post(f"/admin/orgs/organisation/{tree.group_a.pk}/change/", {
        "group_type": "welfare_fund", "name_th": "ชื่อใหม่", "province_code": "52",
        "fiscal_year_start_month": 10, "bylaws": "{}",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    tree.group_a.refresh_from_db()
    assert (tree.group_a.name_th, tree.group_a.fiscal_year_start_month) == ("ชื่อใหม่", 10)
    assert tree.group_a.path.startswith(tree.zone.path)
    assert AuditEvent.objects.filter(action="orgs.organisation_update", organisation=tree.group_a).exists()
