"""Who sees a member's national ID, and how — the one place that decides it.

Every page, export and API response that shows a member's ID calls ``shown_id``:

- the member themself (their login is linked to the member) sees their own ID in full;
- a role that may reveal it (``may_reveal``: ``write`` in the member's own group — treasurer,
  secretary, chair, system admin) sees it masked, with a "show full ID" button that posts to
  ``services.member_reveal_id``, which writes an audit event every time and only then hands
  the full ID to ``shown_id(..., revealed=...)``;
- everyone else (committee, auditor, coordinators of the networks above) sees it masked,
  ``x-xxxx-xxxxx-45-1``: enough to tell two members apart on paper, not enough to use it.

A form never pre-fills the ID: the edit form shows the masked one and changes it only when a
new one is typed (``forms``).
"""

from __future__ import annotations

from omboon.core import national_id
from omboon.orgs import scoping


def may_reveal(access: scoping.Access, member) -> bool:
    """A writer of the member's own group may ask for the full ID (and is audited when they do)."""
    return (access.can(scoping.WRITE) and member.organisation_id == access.organisation.pk
            and not member.is_anonymised)  # an erased member has no ID left to show


def manages(access: scoping.Access, member) -> bool:
    """The chair (``manage``) of the member's own group: not a coordinator from above."""
    return access.can(scoping.MANAGE) and member.organisation_id == access.organisation.pk


def may_download_data(access: scoping.Access, member, user) -> bool:
    """Everything held about a member (PDPA access): the member themself, or the group's chair."""
    return is_own(user, member) or manages(access, member)


def is_own(user, member) -> bool:
    return member.user_id is not None and member.user_id == getattr(user, "pk", None)


def shown_id(member, *, user, revealed: str = "") -> str:
    """The member's ID as this viewer may see it: in full for the member themself or after the
    audited reveal (``revealed`` is what ``services.member_reveal_id`` returned), else masked."""
    if revealed or is_own(user, member):
        return national_id.formatted(revealed or member.national_id)
    return national_id.masked(member.national_id)
