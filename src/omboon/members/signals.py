"""Signals of the members domain, for domains above it that hold something of a person."""

from django.dispatch import Signal

# A member's personal data was erased (``services.member_erase``), inside its transaction:
# receivers blank what they hold of the person (``member``), never the money.
member_erased = Signal()

# A member joined a group (``services.member_create``), inside its transaction: receivers open
# what the bylaws give every new member (savings: the accounts of products that open on joining).
member_joined = Signal()  # sender=Member, member=, actor=
