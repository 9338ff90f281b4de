"""Network pages that explain themselves: a group that has sent no monthly figures reads
"ยังไม่ส่งข้อมูล" on the network overview, not a row of zeros; and the coordinator's landing,
which counts active members from the member register today, says so — and why it may differ
from the overview, which counts what the groups sent at their last month-end close."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from omboon.demo import generator
from omboon.orgs import services as org_services
from omboon.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def test_a_group_that_has_not_reported_says_so(client):
    generator.build(seed=1, groups=2, members=12, years=1, end=timezone.localdate())
    zone = Organisation.objects.get(code="LP-S")
    org_services.organisation_create(actor=None, code="NEW", kind=Organisation.Kind.GROUP,
                                     name_th="กลุ่มใหม่", parent=zone, province_code=zone.province_code,
                                     group_type=Organisation.GroupType.WELFARE_FUND)
    client.force_login(get_user_model().objects.get(username="coord-zone"))
    client.cookies["django_language"] = "th"

    page = client.get("/o/LP-S/network/").content.decode()
    row = page[page.index('data-code="NEW"'):]
    row = row[:row.index("</tr>")]
    assert "0 / 1" in row and "ยังไม่ส่งข้อมูล" in row and "0.00" not in row
    reported = page[page.index('data-code="BDC"'):]
    assert "ยังไม่ส่งข้อมูล" not in reported[:reported.index("</tr>")]

    home = client.get("/o/LP-S/").content.decode()
    assert "สมาชิกสถานะปกติ วันนี้" in home and 'id="members-today"' in home
    assert "นับจากข้อมูลที่กลุ่มส่งเมื่อปิดบัญชีสิ้นเดือน" in home
