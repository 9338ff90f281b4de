"""Adjusting entries other domains post as a month closes, without the ledger importing them
(the layers forbid it): a domain registers a function in its ``AppConfig.ready()`` (loans: the
allowance for doubtful loans, ``loans.allowance``) and ``services.period_close`` calls each, in
the closing transaction, after the month's checks and before its balances are stored — before the
fiscal year's closing entry too, so an adjustment's income or expense is closed with the rest.
A function posts through ``services.entry_post`` dated the month's last day, or posts nothing;
one that fails rolls the close back. A month reopened and closed again calls them again: each
brings its account to what is required then, so a second close posts only the difference."""

from __future__ import annotations

from collections.abc import Callable

_ADJUSTMENTS: dict[str, Callable] = {}


def register_adjustment(name: str, fn: Callable) -> None:
    """``fn(*, actor, organisation, year, month)``, called for each month closed (by name: once)."""
    _ADJUSTMENTS[name] = fn


def adjustments() -> list[Callable]:
    return list(_ADJUSTMENTS.values())
