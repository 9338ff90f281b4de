"""An account's life beyond deposits: opened on joining where the bylaws say so, dormant after
the bylaws' months without a movement (marked when a month is closed), and paid out when the
member leaves — on death to the beneficiaries by their shares."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.ledger import services as ledger_services
from omboon.members import services as members
from omboon.members.models import Beneficiary
from omboon.members.tests.helpers import row
from omboon.savings import selectors, services
from omboon.savings.models import Account, Withdrawal
from omboon.savings.tests.conftest import START
from omboon.testing.factories import member_numbers

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 2, 10)


def test_a_member_who_joins_gets_the_accounts_the_bylaws_open(sg):
    services.product_set_opening(actor=sg.chair, product=sg.products["SAJ"], opens_on_joining=True)
    member = members.member_create(actor=None, organisation=sg.group,
                                   **row(next(member_numbers) + 7000, join_date="2024-03-01"))
    (account,) = Account.objects.filter(member=member)
    assert account.product.code == "SAJ" and account.opened_on == dt.date(2024, 3, 1)
    assert [h.status for h in account.history.all()] == ["open"]


def test_only_a_manager_sets_a_product_to_open_on_joining(sg):
    with pytest.raises(Exception, match="ไม่มีสิทธิ์"):
        services.product_set_opening(actor=sg.treasurer, product=sg.products["SAJ"], opens_on_joining=True)


def test_closing_a_month_marks_the_accounts_that_did_not_move_dormant(sg):
    sg.group.bylaws = {**(sg.group.bylaws or {}), "savings_dormant_months": 2}
    sg.group.save(update_fields=["bylaws"])
    still = services.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[0],
                                  product=sg.products["VOL"], opened_on=START)
    moving = services.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[1],
                                   product=sg.products["VOL"], opened_on=START)
    services.deposit(actor=sg.treasurer, account=moving, amount=100_00, date=dt.date(2024, 3, 20))
    ledger_services.period_close(actor=sg.chair, organisation=sg.group, year=2024, month=3)  # the first month
    still.refresh_from_db()
    moving.refresh_from_db()
    assert still.status == "dormant" and moving.status == "open"
    services.deposit(actor=sg.treasurer, account=still, amount=100_00, date=dt.date(2024, 4, 2))
    still.refresh_from_db()
    assert still.status == "open" and [h.status for h in still.history.all()] == ["open", "dormant", "open"]


def test_the_dormancy_months_are_the_bylaws_in_force_on_the_day(sg):
    from omboon.orgs import services as org_services

    # 12 months (unset) from 1 January 2024, 3 from 1 June 2024 (dated versions, as the settings page saves)
    org_services.bylaws_set(actor=sg.chair, organisation=sg.group, effective_from=START, settings={})
    org_services.bylaws_set(actor=sg.chair, organisation=sg.group, effective_from=dt.date(2024, 6, 1),
                            settings={"savings_dormant_months": 3})
    quiet = services.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[0],
                                  product=sg.products["VOL"], opened_on=START)
    services.deposit(actor=sg.treasurer, account=quiet, amount=100_00, date=START)
    assert services.accounts_mark_dormant(actor=sg.chair, organisation=sg.group, as_of=dt.date(2024, 5, 31)) == 0
    assert services.accounts_mark_dormant(actor=sg.chair, organisation=sg.group, as_of=dt.date(2024, 6, 1)) == 1


def _left(member, status):
    members.member_status_change(actor=None, member=member, status=status, on="2024-02-15", reason="test")
    member.refresh_from_db()


def _funded(sg, member_index=0):
    a = services.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[member_index],
                              product=sg.products["SAJ"], opened_on=START)
    b = services.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[member_index],
                              product=sg.products["VOL"], opened_on=START)
    services.deposit(actor=sg.treasurer, account=a, amount=1_200_00, date=DAY)
    services.deposit(actor=sg.treasurer, account=b, amount=333_33, date=DAY)
    return a, b


def test_a_member_who_leaves_is_paid_everything_through_approved_vouchers(sg, client):
    a, b = _funded(sg)
    member = sg.members[0]
    client.force_login(sg.treasurer)
    refused = client.post(f"/o/{sg.group.code}/savings/members/{member.pk}/payout/", {"date": "20/02/2567"})
    assert refused.status_code == 422 and "ยังไม่พ้นสภาพ" in refused.content.decode()

    _left(member, "resigned")
    page = client.get(f"/o/{sg.group.code}/savings/members/{member.pk}/payout/")
    assert page.context["total"] == 1_533_33 and 'id="payout-confirm"' in page.content.decode()
    client.post(f"/o/{sg.group.code}/savings/members/{member.pk}/payout/", {"date": "20/02/2567"})
    made = list(Withdrawal.objects.filter(account__member=member).order_by("account__number"))
    assert [(w.account_id, w.amount, w.fee) for w in made] == [(a.pk, 1_200_00, 0), (b.pk, 333_33, 0)]

    again = client.post(f"/o/{sg.group.code}/savings/members/{member.pk}/payout/", {"date": "20/02/2567"})
    assert again.status_code == 422 and "รออนุมัติ" in again.content.decode()  # nothing twice

    for w in made:
        services.withdrawal_approve(actor=sg.chair, withdrawal=w)
    assert selectors.balance(a) == selectors.balance(b) == 0


def test_on_death_the_savings_go_to_the_beneficiaries_by_share(sg):
    a, b = _funded(sg)
    member = sg.members[0]
    _left(member, "deceased")
    with pytest.raises(Exception, match="ผู้รับผลประโยชน์"):
        services.member_payout(actor=sg.treasurer, member=member, date=dt.date(2024, 2, 20))
    for i, (name, share) in enumerate([("นางหนึ่ง", 50), ("นายสอง", 30), ("นางสาม", 20)], start=1):
        Beneficiary.objects.create(organisation=sg.group, member=member, position=i, name=name, share_percent=share)
    made = services.member_payout(actor=sg.treasurer, member=member, date=dt.date(2024, 2, 20))
    by_account = {}
    for w in made:
        by_account.setdefault(w.account_id, []).append((w.payee, w.amount))
    assert by_account[a.pk] == [("นางหนึ่ง", 600_00), ("นายสอง", 360_00), ("นางสาม", 240_00)]
    assert sum(x for _, x in by_account[b.pk]) == 333_33  # the satang of the split add up
