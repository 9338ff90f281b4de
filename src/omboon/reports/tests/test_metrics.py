"""A group's metrics on its dashboard, worked from the village fund of ``test_loans_part`` on 31
December 2026: three 12,000-baht loans, one repaid, one written off, one left with what it owed
after March; no savings accounts. Each metric is what its definition gives from the books, and
the page labels each with its definition, in Thai on the Thai page."""

from __future__ import annotations

from omboon.ledger import chart
from omboon.loans import selectors as loans
from omboon.loans.tests.conftest import D
from omboon.orgs.models import Role
from omboon.reports import metrics
from omboon.reports import selectors as sel
from omboon.reports.tests.test_loans_part import fund, lent  # noqa: F401 (fixtures)
from omboon.testing.factories import make_user
from omboon.testing.i18n import in_english

END = D(2026, 12, 31)


def test_the_metrics_of_the_year_from_the_books(fund, lent):  # noqa: F811
    _good, late, reversed_ = lent
    m = {x.key: x for x in metrics.group_metrics(fund.group, END)}
    left = reversed_.principal - sum(i.principal for i in loans.schedule_of(reversed_)[:2])
    written = late.principal - loans.schedule_of(late)[0].principal
    by_code = sel.balances_by_code(fund.group, END)
    cash = by_code[chart.CASH]
    assert m["loans_outstanding"].value == left == by_code[chart.LOANS]
    assert m["utilisation"].value == round(left * 100 / (left + cash), 2)
    assert m["par30"].value == 100.0  # the one loan left is more than 30 days late
    assert m["write_off_ratio"].value == round(written * 100 / left, 2)
    assert m["members_with_loan"].value == 1 and m["members_with_loan"].share == round(100 / 3, 2)
    assert m["savings_per_member"].value == 0 and m["return_on_savings"].value is None  # no savings


def test_the_dashboard_shows_them_with_their_definitions(client, fund, lent):  # noqa: F811
    client.force_login(make_user(fund.group, Role.CHAIR))
    dashboard = client.get(f"/o/{fund.group.code}/dashboard/?to=31/12/2569").content.decode()
    # the dashboard shows first and pulls the metrics in (htmx), with a link for a browser without it
    assert f'hx-get="/o/{fund.group.code}/dashboard/metrics/?to=2026-12-31"' in dashboard
    assert "data-metric=" not in dashboard
    page = client.get(f"/o/{fund.group.code}/dashboard/metrics/?to=2026-12-31", HTTP_HX_REQUEST="true")
    page = page.content.decode()
    assert 'data-metric="utilisation"' in page and 'data-metric="members_with_loan"' in page
    assert "เงินสด (1100) และเงินฝากธนาคาร (1200)" in page and "Loan-fund utilisation" not in page
    assert "<html" not in page  # the fragment alone
    english = in_english(client, make_user(fund.group, Role.TREASURER))
    page = english.get(f"/o/{fund.group.code}/dashboard/metrics/?to=2026-12-31").content.decode()
    assert "<html" in page  # a plain request: the whole page
    assert "Loan-fund utilisation" in page and "cash (1100) and bank deposits (1200)" in page
    assert "ตัวชี้วัด" not in page and "เงินกู้คงค้าง" not in page


def test_no_metrics_for_a_group_without_savings_or_loans(client, fund):  # noqa: F811
    client.force_login(make_user(fund.group, Role.CHAIR))
    assert b"data-metric=" not in client.get(f"/o/{fund.group.code}/dashboard/metrics/").content
