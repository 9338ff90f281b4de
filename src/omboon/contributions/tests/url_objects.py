"""URL values for the web URL walker (omboon.web.tests.test_url_walker)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from omboon.contributions import services
from omboon.contributions.models import Kind
from omboon.contributions.tests.conftest import make_member


def _receipt(org):
    member = make_member(org, join_date=dt.date(2020, 1, 1))
    return services.receipt_issue(actor=None, organisation=org, member=member, date=timezone.localdate(),
                                  items=[(Kind.DAILY_SAVING, 3000)])


def _day(org):
    member = make_member(org, join_date=dt.date(2020, 1, 1))
    return services.collection_day_post(actor=None, organisation=org, date=timezone.localdate(),
                                        rows=[{"member": member.pk, "amount": 3000}])


URL_VALUES = {
    "receipt_id": lambda org, built: _receipt(org).pk,
    "day_id": lambda org, built: _day(org).pk,
    "size": lambda org, built: "slip",
    "draft_date": lambda org, built: timezone.localdate().isoformat(),
}
