"""From an empty database to a group's first collection day (issue 14, Show): only `omboon
setup`, the web pages — the chair signs in, adds a treasurer and a committee member, sets the
bylaws, the contribution plan and a funeral scheme from the presets — and an import of the
members; then the treasurer collects. No demo, no shell, no object made by the test itself.

Each step is a page a person opens (GET) or a form they send (POST); ``Steps`` counts them so
the worked example says how many it takes (the figure in the README's "Start your own group")."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from omboon.contributions.models import ContributionPlan, Receipt
from omboon.imports.tests.helpers import MEMBER_HEADERS, csv_bytes, member_rows
from omboon.members.models import Member
from omboon.orgs.models import BylawVersion, Organisation
from omboon.welfare.models import BenefitScheme

pytestmark = pytest.mark.django_db


class Steps:
    """A browser that counts the pages opened and the forms sent."""

    def __init__(self):
        self.client, self.pages, self.forms = Client(), 0, 0

    def open(self, url):
        self.pages += 1
        answer = self.client.get(url)
        assert answer.status_code == 200, url
        return answer.content.decode()

    def send(self, url, data, expect=302):
        self.forms += 1
        answer = self.client.post(url, data)
        assert answer.status_code == expect, (url, answer.status_code)
        return answer

    def sign_in(self, username, password):
        self.open("/login/")
        self.send("/login/", {"username": username, "password": password})


def test_an_empty_database_to_the_first_collection_day(tmp_path, settings):
    settings.OMBOON_IMPORTS_INLINE = True  # the import runs in the request, not a background thread
    assert not Organisation.objects.exists()
    password = tmp_path / "pw"
    password.write_text("chair-password-1\n")
    call_command("setup", "--code", "DKM", "--name-th", "กองทุนสวัสดิการชุมชนตำบลดอนแก้ว", "--kind",
                 "welfare_fund", "--province", "52", "--district", "5204", "--subdistrict", "520401",
                 "--founded", "15/08/2545", "--fiscal-start", "1", "--chair", "somchai",
                 "--password-file", str(password), stdout=io.StringIO())

    chair = Steps()
    chair.sign_in("somchai", "chair-password-1")
    chair.open("/o/DKM/users/")
    for username, role in (("kanya", "treasurer"), ("boonmee", "committee")):
        chair.send("/o/DKM/users/", {"username": username, "first_name": username, "role": role,
                                     "phone": "0812345678", "password_choice": "typed",
                                     "password": f"{username}-password-1", "password2": f"{username}-password-1"},
                   expect=200)  # the new user's page
    chair.open("/o/DKM/settings/")
    chair.send("/o/DKM/settings/", {
        "form": "bylaws", "effective_from": "1/1/2569", "admin_cap_percent": "10", "retention_years": "5",
        "approvers_claims": ["chair", "committee"], "approvers_vouchers": ["chair", "committee"],
        "approvers_withdrawals": ["chair", "treasurer", "committee"], "approvers_loans": ["chair", "committee"]})
    chair.open("/o/DKM/contributions/plans/")
    for kind, amount, frequency in (("entry_fee", "100", "once"), ("daily_saving", "1", "monthly")):
        chair.send("/o/DKM/contributions/plans/", {"kind": kind, "amount": amount, "frequency": frequency,
                                                   "effective_from": "1/1/2569", "note": ""})
    form = chair.open("/o/DKM/welfare/schemes/new/?preset=death")
    assert 'value="ค่าจัดการศพ"' in form
    chair.send("/o/DKM/welfare/schemes/new/", {
        "category": "death", "name_th": "ค่าจัดการศพ", "name_en": "Funeral benefit", "effective_from": "01/01/2569",
        "amount_kind": "tiered", "tiers": "0 3,000\n1 5,000\n3 8,000\n5 12,000", "min_membership_months": "6",
        "statuses": ["active"], "documents": "id_card | สำเนาบัตรประชาชนของสมาชิก | Copy of the member's ID card"})

    treasurer = Steps()
    treasurer.sign_in("kanya", "kanya-password-1")
    treasurer.open("/o/DKM/imports/")
    upload = io.BytesIO(csv_bytes(MEMBER_HEADERS, member_rows(12)))
    upload.name = "สมาชิก.csv"
    job_url = treasurer.send("/o/DKM/imports/", {"kind": "members", "file": upload})["Location"]
    assert "ไม่พบปัญหา" in treasurer.open(job_url)
    treasurer.send(job_url, {"action": "confirm"})

    collect = treasurer.open("/o/DKM/contributions/collect/")
    members = list(Member.objects.filter(organisation__code="DKM").order_by("number"))
    assert len(members) == 12 and all(m.full_name in collect for m in members)
    data = {"m": [m.pk for m in members], "date": "", "token": "first-day", "go": "confirm"}
    for m in members[:10]:
        data[f"paid-{m.pk}"], data[f"amt-{m.pk}"] = "1", "30"
    confirm_url = treasurer.send("/o/DKM/contributions/collect/", data)["Location"]
    confirm = treasurer.open(confirm_url)
    assert "บันทึก 10 คน รวม 300.00 บาท" in confirm
    draft = confirm.split('name="draft" value="')[1].split('"')[0]
    day_url = treasurer.send(confirm_url, {"draft": draft, "count": 10, "total": 30000, "action": "post"})["Location"]
    assert "RC" in treasurer.open(day_url)

    group = Organisation.objects.get(code="DKM")
    assert Receipt.objects.filter(organisation=group).count() == 10
    assert BylawVersion.objects.filter(organisation=group).count() == 1
    assert ContributionPlan.objects.filter(organisation=group).count() == 2
    assert BenefitScheme.objects.filter(organisation=group, category="death").count() == 1
    # the whole way: how many pages opened and forms sent (reported, not asserted as a speed)
    print(f"\nfrom empty to the first collection day: {chair.pages + treasurer.pages} pages, "
          f"{chair.forms + treasurer.forms} forms")
    assert chair.forms + treasurer.forms <= 15
