"""Set-up the ledger does when another domain announces something (never business logic)."""

from __future__ import annotations

from omboon.ledger import services


def create_chart(sender, organisation, actor=None, **kwargs) -> None:
    """Every new group gets the standard chart of accounts and funds."""
    if organisation.is_group:
        services.chart_create(actor=actor, organisation=organisation)
