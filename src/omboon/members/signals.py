"""Signals of the members domain, for domains above it that hold something of a person."""

from django.dispatch import Signal

# A member's personal data was erased (``services.member_erase``), inside its transaction:
# receivers blank what they hold of the person (``member``), never the money.
member_erased = Signal()
