"""What several of the loans' rule lists share: may this person act on this group (and on this loan)."""

from __future__ import annotations

from omboon.core.errors import Problem
from omboon.orgs import scoping


def _can(actor, organisation, power) -> bool:
    return actor is not None and scoping.resolve(actor, organisation).can(power)


def actor_writes(a) -> list[Problem]:
    """The person may enter loans in the loan's group (a loan's act, an adjustment's or a reschedule's)."""
    if _can(a.actor, a.loan.organisation, scoping.WRITE):
        return []
    return [Problem("actor", "ไม่มีสิทธิ์บันทึกรายการเงินกู้", "you may not act on loans")]
