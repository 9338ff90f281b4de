"""Worked examples of a member's PDPA rights: the member (or the chair for them) downloads
everything held about them, as JSON and PDF, each download audited; nobody else may; and a
member who left is erased after the bylaws' retention years, their money staying in the books."""

import datetime as dt
import json
import subprocess

import pytest

from omboon.contributions import services as contributions
from omboon.core.models import AuditEvent
from omboon.ledger import selectors as ledger_selectors
from omboon.members import services
from omboon.members.models import Beneficiary, Member
from omboon.orgs.models import Role
from omboon.testing.factories import make_user
from omboon.web.tests.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree):
    member_user = make_user(tree.group_a, Role.MEMBER)
    member = make_member(tree.group_a, user=member_user, join_date=dt.date(2015, 3, 1))
    services.beneficiaries_set(actor=None, member=member, rows=[
        {"name": "นายสมชาย ใจดี", "relation": "สามี", "share_percent": 100, "phone": ""}])
    return member, member_user


def _url(member, fmt):
    return f"/o/BDC/members/{member.pk}/personal-data.{fmt}"


def test_the_member_downloads_everything_held_about_them(client, tree, people):
    member, member_user = people
    client.force_login(member_user)
    data = json.loads(client.get(_url(member, "json")).content)
    assert data["member"]["national_id"] == member.national_id and data["member"]["first_name"] == member.first_name
    assert data["beneficiaries"] == [{"name": "นายสมชาย ใจดี", "relation": "สามี", "share_percent": 100, "phone": ""}]
    pdf = client.get(_url(member, "pdf"))
    assert pdf["Content-Type"] == "application/pdf" and "no-store" in pdf["Cache-Control"]
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert member.first_name in text and "นายสมชาย ใจดี" in text
    events = AuditEvent.objects.filter(action="members.member_data_exported", object_id=str(member.pk))
    assert [e.after["format"] for e in events.order_by("pk")] == ["json", "pdf"]
    assert {e.actor for e in events} == {member_user}


def test_the_chair_may_download_for_a_member_and_no_other_role_may(client, tree, people):
    member, _ = people
    client.force_login(make_user(tree.group_a, Role.CHAIR))
    assert client.get(_url(member, "json")).status_code == 200
    for org, role in [(tree.group_a, Role.TREASURER), (tree.group_a, Role.AUDITOR), (tree.group_a, Role.COMMITTEE),
                      (tree.zone, Role.COORDINATOR), (tree.province, Role.COORDINATOR)]:
        client.force_login(make_user(org, role))
        status = client.get(_url(member, "json")).status_code
        assert status in (403, 404), f"{role} of {org.code} got {status}"
    other_member = make_user(tree.group_a, Role.MEMBER)
    client.force_login(other_member)
    assert client.get(_url(member, "json")).status_code == 404
    assert AuditEvent.objects.filter(action="members.member_data_exported").count() == 1


def test_a_member_who_left_is_erased_after_the_retention_years_and_their_money_stays(client, tree, people):
    member, _ = people
    contributions.plan_set(actor=None, organisation=tree.group_a, kind="annual_fee", amount=5000,
                           effective_from=dt.date(2015, 1, 1))
    receipt = contributions.receipt_issue(actor=None, organisation=tree.group_a, member=member,
                                          date=dt.date(2016, 1, 10), items=[("annual_fee", 5000)])
    services.member_status_change(actor=None, member=member, status=Member.Status.RESIGNED,
                                  on=dt.date(2018, 6, 30), reason="ย้ายไปต่างจังหวัด")
    cash_before = ledger_selectors.trial_balance(tree.group_a, dt.date(2026, 1, 1)).total_debit
    chair = make_user(tree.group_a, Role.CHAIR)
    client.force_login(chair)
    page = client.get(f"/o/BDC/members/{member.pk}/").content.decode()
    assert 'id="erase-form"' in page
    refused = client.post(f"/o/BDC/members/{member.pk}/erase/", {})
    assert refused.status_code == 422 and "ติ๊กยืนยัน" in refused.content.decode()
    assert client.post(f"/o/BDC/members/{member.pk}/erase/", {"confirm": "yes"}).status_code == 302
    member.refresh_from_db()
    assert (member.first_name, member.last_name, member.phone, member.id_hash) == ("", "", "", "")
    assert member.national_id == f"*{member.pk}" and member.birth_date == dt.date(1970, 7, 1)
    assert member.number and member.status == Member.Status.RESIGNED
    assert not Beneficiary.objects.filter(member=member).exists()
    assert member.status_changes.get().reason == ""
    receipt.refresh_from_db()
    assert receipt.member_id == member.pk  # the money and its lines stay, under the member number
    assert ledger_selectors.trial_balance(tree.group_a, dt.date(2026, 1, 1)).total_debit == cash_before
    event = AuditEvent.objects.get(action="members.member_erase")
    assert event.actor == chair and event.object_id == str(member.pk)


def test_erasure_waits_for_the_retention_years_and_only_the_chair_may(client, tree, people):
    member, _ = people
    today = dt.date.today()
    services.member_status_change(actor=None, member=member, status=Member.Status.RESIGNED,
                                  on=today - dt.timedelta(days=400), reason="")
    client.force_login(make_user(tree.group_a, Role.TREASURER))
    assert client.post(f"/o/BDC/members/{member.pk}/erase/", {"confirm": "yes"}).status_code == 403
    client.force_login(make_user(tree.group_a, Role.CHAIR))
    page = client.get(f"/o/BDC/members/{member.pk}/").content.decode()
    assert 'id="erase-form"' not in page and "ลบข้อมูลส่วนบุคคลได้ตั้งแต่" in page
    refused = client.post(f"/o/BDC/members/{member.pk}/erase/", {"confirm": "yes"})
    assert refused.status_code == 422 and "เก็บข้อมูล 5 ปีหลังออก" in refused.content.decode()
    member.refresh_from_db()
    assert member.first_name and not AuditEvent.objects.filter(action="members.member_erase").exists()
    # the bylaws decide: a group that keeps a year's data only
    tree.group_a.bylaws = {"retention_years": 1}
    tree.group_a.save(update_fields=["bylaws"])
    assert client.post(f"/o/BDC/members/{member.pk}/erase/", {"confirm": "yes"}).status_code == 302


def test_an_active_member_cannot_be_erased(tree, people):
    member, _ = people
    from omboon.core.errors import RuleViolation
    with pytest.raises(RuleViolation) as exc:
        services.member_erase(actor=None, member=member)
    assert exc.value.problems[0].field == "status"


def test_an_erased_member_has_no_id_to_reveal_and_no_data_quality_finding(client, tree, people):
    from omboon.imports import quality

    member, _ = people
    services.member_status_change(actor=None, member=member, status=Member.Status.RESIGNED,
                                  on=dt.date(2015, 6, 30), reason="")
    services.member_erase(actor=None, member=member)
    client.force_login(make_user(tree.group_a, Role.CHAIR))
    page = client.get(f"/o/BDC/members/{member.pk}/").content.decode()
    assert "reveal-id" not in page
    found = quality.assess(tree.group_a)
    assert all(f.subject != member.number for f in found.broken + found.suspicious)
