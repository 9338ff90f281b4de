"""The bylaws' administration cap, read by the voucher's approval: where a group caps its
administration at a percent of the year's contributions, a payment voucher that would take the
year past it is refused in Thai and English; under it, or with no cap, it is approved."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.core.errors import RuleViolation
from omboon.ledger import services
from omboon.ledger.tests.conftest import journal
from omboon.orgs import services as org_services

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 3, 10)


def _admin_voucher(group, treasurer, amount: str):
    return services.voucher_create(actor=treasurer, organisation=group, kind="payment", date=DAY,
                                   memo="ค่าเครื่องเขียน", lines=journal(f"Dr 5200 {amount}\nCr 1100 {amount}"))


def test_a_voucher_over_the_administration_cap_is_refused(group, treasurer, committee, post):
    post(dt.date(2025, 1, 5), "Dr 1100 10,000\nCr 4200 10,000")  # the year's contributions: 10,000 baht
    post(dt.date(2025, 2, 5), "Dr 5200 600\nCr 1100 600", doc_type="payment")  # administration so far
    first = _admin_voucher(group, treasurer, "500")
    assert services.voucher_approve(actor=committee, voucher=first).status == "approved"  # no cap yet

    org_services.bylaws_set(actor=None, organisation=group, effective_from=dt.date(2025, 1, 1),
                            settings={"admin_cap_percent": 10})  # 10 % of 10,000: 1,000 baht
    over = _admin_voucher(group, treasurer, "500")  # 600 + 500 = 1,100
    with pytest.raises(RuleViolation) as refused:
        services.voucher_approve(actor=committee, voucher=over)
    [problem] = refused.value.problems
    assert problem.code == "admin_cap" and "เกินเพดานตามข้อบังคับ ร้อยละ 10" in problem.message("th")
    assert "1,000.00 baht" in problem.message("en")
    over.refresh_from_db()
    assert over.status == "draft"  # nothing half-written
    under = _admin_voucher(group, treasurer, "400")  # 600 + 400 = 1,000: at the cap
    assert services.voucher_approve(actor=committee, voucher=under).status == "approved"
