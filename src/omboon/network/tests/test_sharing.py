"""A group's sharing choice, enforced in one place (omboon.orgs.scoping), and the remote
node flag: the network's server refuses edits to a synced group's records."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.core.errors import RuleViolation
from omboon.core.models import AuditEvent
from omboon.ledger import services as ledger
from omboon.members import selectors as member_selectors
from omboon.network import selectors, services
from omboon.network.tests.conftest import journal, make_member
from omboon.orgs import scoping
from omboon.orgs.models import Organisation, Role
from omboon.testing.factories import make_superuser, make_user


@pytest.fixture
def aggregates_only(tree, chair_a):
    services.sharing_set(actor=chair_a, organisation=tree.group_a, sharing="aggregates")
    return tree.group_a


def test_sharing_is_changeable_and_audited(tree, chair_a):
    assert selectors.sharing_of(tree.group_a) == "full"
    services.sharing_set(actor=chair_a, organisation=tree.group_a, sharing="aggregates")
    services.sharing_set(actor=chair_a, organisation=tree.group_a, sharing="full")
    events = list(AuditEvent.objects.filter(action="network.sharing_set").order_by("id").values_list("before", "after"))
    assert events == [({"sharing": "full"}, {"sharing": "aggregates"}),
                      ({"sharing": "aggregates"}, {"sharing": "full"})]
    with pytest.raises(RuleViolation):
        services.sharing_set(actor=chair_a, organisation=tree.group_a, sharing="some")
    with pytest.raises(RuleViolation):
        services.sharing_set(actor=chair_a, organisation=tree.zone, sharing="full")


def test_scoping_drops_records_for_a_coordinator_of_an_aggregates_only_group(tree, aggregates_only, coordinator):
    access = scoping.resolve(coordinator, aggregates_only)
    assert access.can(scoping.VIEW) and not access.can(scoping.RECORDS)
    assert scoping.resolve(coordinator, tree.group_b).can(scoping.RECORDS)
    assert not selectors.can_see_records(access)
    # the group's own people and a superuser keep their records
    treasurer = make_user(aggregates_only, Role.TREASURER)
    assert scoping.resolve(treasurer, aggregates_only).can(scoping.RECORDS)
    assert scoping.resolve(make_superuser(), aggregates_only).can(scoping.RECORDS)


def test_member_list_is_403_for_the_coordinator_and_200_for_the_group(client, tree, aggregates_only, coordinator):
    make_member(aggregates_only, first_name="ลับเฉพาะ")
    make_member(tree.group_b, first_name="เปิดเผย")
    client.force_login(coordinator)
    assert client.get("/o/BDC/members/").status_code == 403
    assert client.get("/o/MPA/members/").status_code == 200
    assert client.get("/o/BDC/network/").status_code == 200  # figures stay visible
    network_list = client.get("/o/LP-S/members/").content.decode()
    assert "ลับเฉพาะ" not in network_list and "เปิดเผย" in network_list
    client.force_login(make_user(aggregates_only, Role.TREASURER))
    assert "ลับเฉพาะ" in client.get("/o/BDC/members/").content.decode()


def test_network_scope_leaves_aggregates_only_records_out_but_facts_in(tree, aggregates_only, post):
    make_member(aggregates_only)
    make_member(tree.group_b)
    assert member_selectors.members_of(tree.zone).count() == 1
    assert member_selectors.members_of(aggregates_only).count() == 1
    services.facts_recompute(actor=None, organisation=aggregates_only, through=24300)
    services.facts_recompute(actor=None, organisation=tree.group_b, through=24300)
    total = selectors.consolidated(tree.zone, first=24300, last=24300).total
    assert total.members_active == 2


def test_api_and_exports_refuse_records_of_an_aggregates_only_group(client, tree, aggregates_only, coordinator):
    make_member(aggregates_only, first_name="ลับเฉพาะ")
    client.force_login(coordinator)
    from omboon.core import reporting

    reporting.autodiscover()
    needing_records = [code for code, report in reporting.REGISTRY.items() if report.need == scoping.RECORDS]
    assert needing_records
    for code in needing_records:
        assert client.get(f"/o/BDC/reports/{code}/csv/").status_code == 403, code


def test_a_remote_node_is_read_only_on_the_server(client, tree, treasurer, post):
    Organisation.objects.filter(pk=tree.group_a.pk).update(is_remote_node=True)
    group = Organisation.objects.get(pk=tree.group_a.pk)
    access = scoping.resolve(treasurer, group)
    assert access.can(scoping.RECORDS) and not access.can(scoping.WRITE)
    assert not scoping.resolve(make_superuser(), group).can(scoping.WRITE)
    with pytest.raises(RuleViolation):
        ledger.entry_post(actor=treasurer, organisation=group, date=dt.date(2025, 1, 5), doc_type="receipt",
                          lines=journal("Dr 1100 50\nCr 4100 50"))
    with pytest.raises(RuleViolation):
        make_member(group)
    client.force_login(make_user(group, Role.CHAIR))
    assert client.post("/o/BDC/network/sharing/", {"sharing": "aggregates"}).status_code == 403


def test_a_remote_nodes_loans_are_read_only_on_the_server(tree):
    from omboon.loans import services as loans
    from omboon.loans.tests.conftest import TERMS

    Organisation.objects.filter(pk=tree.group_a.pk).update(is_remote_node=True)
    group = Organisation.objects.get(pk=tree.group_a.pk)
    with pytest.raises(RuleViolation) as refused:
        loans.product_create(actor=None, organisation=group, code="GEN", name_th="เงินกู้สามัญ", terms=TERMS,
                             max_amount=50_000_00, effective_from=dt.date(2025, 1, 1))
    assert refused.value.problems[0].field == "organisation"
