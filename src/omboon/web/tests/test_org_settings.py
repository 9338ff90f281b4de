"""/o/<org>/settings/ in worked examples: the chair changes the group's name, address, fiscal
year and bylaw settings on a form (audited, before and after), a month 13 or retention beyond
100 years is refused in the page's language with nothing written; only ``manage`` sees it."""

import pytest

from omboon.core.models import AuditEvent
from omboon.orgs.models import Organisation, Role
from omboon.testing.factories import make_user

pytestmark = pytest.mark.django_db

FORM = {"name_th": "กองทุนสวัสดิการบ้านดอนไชย (ใหม่)", "name_en": "Ban Don Chai", "house_no": "12/3",
        "moo": "4", "street": "", "province_code": "", "district_code": "", "subdistrict_code": "",
        "postcode": "52110", "fiscal_year_start_month": "10", "retention_years": "7",
        "journal_single_person": "on"}


def test_the_chair_sets_the_groups_details_and_bylaws_on_a_form(chair, client):
    client.force_login(chair)
    page = client.get("/o/BDC/settings/").content.decode()
    assert 'name="retention_years"' in page and 'value="5"' in page  # the default the members app reads
    assert client.post("/o/BDC/settings/", FORM).status_code == 302
    org = Organisation.objects.get(code="BDC")
    assert (org.name_th, org.moo, org.postcode, org.fiscal_year_start_month) == (FORM["name_th"], 4, "52110", 10)
    assert org.bylaws["retention_years"] == 7 and org.bylaws["journal_single_person"] is True
    event = AuditEvent.objects.filter(action="orgs.organisation_update", actor=chair).latest("pk")
    assert event.before["fiscal_year_start_month"] == 1 and event.after["fiscal_year_start_month"] == 10
    client.post("/o/BDC/settings/", {**FORM, "journal_single_person": ""})  # an unticked box is False
    assert Organisation.objects.get(code="BDC").bylaws["journal_single_person"] is False


def test_a_month_13_and_retention_beyond_100_years_are_refused(chair, client):
    client.force_login(chair)
    answer = client.post("/o/BDC/settings/", {**FORM, "fiscal_year_start_month": "13"})
    assert answer.status_code == 422 and "1–12" in answer.content.decode()
    client.cookies["django_language"] = "en"
    html = client.post("/o/BDC/settings/", {**FORM, "retention_years": "101"}).content.decode()
    assert "retention years must be 0–100" in html
    org = Organisation.objects.get(code="BDC")
    assert org.fiscal_year_start_month == 1 and "retention_years" not in org.bylaws


def test_only_manage_sees_the_settings(tree, chair, client):
    client.force_login(chair)
    assert "/o/BDC/settings/" in client.get("/o/BDC/").content.decode()
    client.force_login(make_user(tree.group_a, Role.TREASURER))
    assert "/o/BDC/settings/" not in client.get("/o/BDC/").content.decode()
    assert client.post("/o/BDC/settings/", FORM).status_code == 403
