"""omboon savings balance|deposit|withdraw|approve|payout|dormant: the same services from the command line."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from omboon.savings import selectors, services
from omboon.savings.models import Withdrawal

from .conftest import START


def run(*args) -> str:
    out = StringIO()
    call_command("savings", *args, stdout=out)
    return out.getvalue()


def test_deposit_withdraw_approve_and_balance(sg):
    account = services.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[0],
                                    product=sg.products["VOL"], opened_on=START)
    org = sg.group.code
    out = run("deposit", "--org", org, "--account", account.number, "--amount", "1,000", "--date", "5/1/2567",
              "--user", sg.treasurer.username)
    assert "RV" in out and "1,000.00" in out
    out = run("withdraw", "--org", org, "--account", account.number, "--amount", "200", "--date", "2024-01-06",
              "--user", sg.treasurer.username)
    w = Withdrawal.objects.get(account=account)
    assert f"--withdrawal {w.pk}" in out
    with pytest.raises(CommandError, match="cannot be the person who asked"):
        run("approve", "--org", org, "--withdrawal", str(w.pk), "--user", sg.treasurer.username)
    assert "PV" in run("approve", "--org", org, "--withdrawal", str(w.pk), "--user", sg.chair.username)
    assert selectors.balance(account) == 790_00
    out = run("balance", "--org", org, "--on", "2024-01-31")
    assert account.number in out and "790.00" in out
    with pytest.raises(CommandError, match="not enough money"):
        run("withdraw", "--org", org, "--account", account.number, "--amount", "5000", "--user",
            sg.treasurer.username)


def test_post_interest_posts_each_period_once(sg):
    account = services.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[0],
                                    product=sg.products["VOL"], opened_on=START)
    services.deposit(actor=sg.treasurer, account=account, amount=1_000_000, date=START)
    out = StringIO()
    call_command("post-interest", "--org", sg.group.code, "--through", "30/6/2567", "--user", sg.chair.username,
                 stdout=out)
    assert "VOL" in out.getvalue() and "99.45" in out.getvalue()
    out = StringIO()
    call_command("post-interest", "--org", sg.group.code, "--through", "2024-06-30", stdout=out)
    assert "no period left to post" in out.getvalue()
    assert selectors.balance(account) == 1_000_000 + 9_945


def test_payout_of_a_member_who_left_and_dormant_accounts(sg):
    from omboon.members import services as members

    account = services.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[0],
                                    product=sg.products["SAJ"], opened_on=START)
    services.deposit(actor=sg.treasurer, account=account, amount=600_00, date=START)
    org, member = sg.group.code, sg.members[0]
    with pytest.raises(CommandError, match="has not left"):
        run("payout", "--org", org, "--member", member.number, "--date", "2024-02-01", "--user",
            sg.treasurer.username)
    members.member_status_change(actor=None, member=member, status="resigned", on="2024-02-01", reason="ลาออก")
    out = run("payout", "--org", org, "--member", member.number, "--date", "2024-02-01", "--user",
              sg.treasurer.username)
    w = Withdrawal.objects.get(account=account)
    assert w.amount == 600_00 and f"withdrawal {w.pk}" in out
    other = services.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[1],
                                  product=sg.products["VOL"], opened_on=START)
    assert "2 บัญชี" in run("dormant", "--org", org, "--date", "2025-06-30", "--user", sg.treasurer.username)
    other.refresh_from_db()
    assert other.status == "dormant"
