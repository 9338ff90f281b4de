"""What several of the loans' rule lists share: may this person act on this group."""

from __future__ import annotations

from omboon.orgs import scoping


def _can(actor, organisation, power) -> bool:
    return actor is not None and scoping.resolve(actor, organisation).can(power)
