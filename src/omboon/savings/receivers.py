"""Connected in ``SavingsConfig.ready``: the month close makes the members' balance snapshots,
a reopen forgets them. Sent inside the close's transaction: a failure rolls the close back."""

from __future__ import annotations

from omboon.savings import services


def on_period_closed(sender, organisation, year, month, actor=None, **kwargs):
    services.snapshots_write(organisation=organisation, year=year, month=month)


def on_period_reopened(sender, organisation, periods, actor=None, **kwargs):
    services.snapshots_delete(organisation=organisation, months_=list(periods))
