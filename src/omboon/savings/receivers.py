"""Connected in ``SavingsConfig.ready``: the month close makes the members' balance snapshots
and marks the accounts that have not moved for the bylaws' months dormant (as of the month's
last day), a reopen forgets the snapshots, and a member who joins gets the accounts the bylaws
open for every new member. Sent inside the sender's transaction: a failure rolls it back."""

from __future__ import annotations

from omboon.core import months
from omboon.savings import services


def on_period_closed(sender, organisation, year, month, actor=None, **kwargs):
    services.snapshots_write(organisation=organisation, year=year, month=month)
    if organisation.is_group:
        services.accounts_mark_dormant(actor=actor, organisation=organisation, as_of=months.day_in(year, month, 31))


def on_period_reopened(sender, organisation, periods, actor=None, **kwargs):
    services.snapshots_delete(organisation=organisation, months_=list(periods))


def on_member_joined(sender, member, actor=None, **kwargs):
    services.accounts_open_on_joining(actor=actor, member=member)
