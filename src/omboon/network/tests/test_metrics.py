"""The group metrics of a network come from its groups' monthly facts alone and equal what the
group's own books give: the village fund of ``reports.tests.test_loans_part`` (three loans in
2026: one repaid, one written off, one late) reports its twelve months; the network's metrics of
January–December are the group's metrics on 31 December, and the status page labels each one."""

from __future__ import annotations

from omboon.loans.tests.conftest import D
from omboon.network import facts, selectors
from omboon.network import services as network_services
from omboon.network.models import MonthlyFact, ym_of
from omboon.orgs.models import Role
from omboon.reports import metrics
from omboon.reports.tests.test_loans_part import fund, lent  # noqa: F401 (fixtures)
from omboon.testing.factories import make_user

JAN, JUN, DEC = ym_of(2026, 1), ym_of(2026, 6), ym_of(2026, 12)


def reported(group):
    for month in range(1, 13):
        network_services.facts_write(actor=None, organisation=group, year=2026, month=month)


def test_borrowers_are_members_with_a_loan_outstanding_each_month(fund, lent):  # noqa: F811
    got = {f.ym: f.count for f in facts.compute(fund.group, JAN, DEC) if f.kind == "borrowers"}
    assert got[JAN] == 3 and got[JUN] == 2 and got[DEC] == 1  # one written off in June, one repaid in December


def test_the_networks_metrics_from_facts_equal_the_groups_from_its_books(fund, lent):  # noqa: F811
    reported(fund.group)
    assert MonthlyFact.objects.filter(organisation=fund.group, ym=DEC, kind="borrowers").exists()
    total = selectors.consolidated(fund.network, first=JAN, last=DEC).total
    from_facts = [(m.key, m.value, m.share) for m in total.metrics()]
    from_books = [(m.key, m.value, m.share) for m in metrics.group_metrics(fund.group, D(2026, 12, 31))]
    assert from_facts == from_books
    assert {k: v for k, v, _s in from_facts}["write_off_ratio"] is not None


def test_the_status_page_labels_each_metric(client, fund, lent):  # noqa: F811
    reported(fund.group)
    client.force_login(make_user(fund.network, Role.COORDINATOR))
    page = client.get(f"/o/{fund.network.code}/network/?from=2569-01&to=2569-12").content.decode()
    assert 'data-metric="par30"' in page and 'data-metric="return_on_savings"' in page
    assert "เงินกู้คงค้าง ÷ (เงินกู้คงค้าง + เงินที่ให้กู้ได้)" in page
