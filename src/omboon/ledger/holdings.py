"""A member's own savings, as the other domains of the savings layer see it without importing
savings (the layers forbid it): savings registers the function in its ``AppConfig.ready()``
(``register_savings_balance``), as it registers its collection-day part; loans asks it for the
limit "at most N times the member's own savings".

Money into a member's savings from another domain (a loan's overpayment) goes through the
savings part of the collection day (``collection.part("savings")``): its ``targets`` (the
voluntary account, ``Target.kind``), ``check``, ``lines`` and ``after_post``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

_SAVINGS_BALANCE: list[Callable] = []


def register_savings_balance(fn: Callable) -> None:
    """``fn(organisation, member, as_of) -> satang``: the member's savings (not shares)."""
    _SAVINGS_BALANCE[:] = [fn]


def savings_balance(organisation, member, as_of: dt.date) -> int | None:
    """The member's own savings on ``as_of``; None where no savings app is installed."""
    return _SAVINGS_BALANCE[0](organisation, member, as_of) if _SAVINGS_BALANCE else None
