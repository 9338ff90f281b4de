"""Signals between domains. ``organisation_created`` lets the ledger create a chart of
accounts for a new group without orgs importing the ledger. Receivers do set-up, never
business logic on someone else's data."""

from django.dispatch import Signal

organisation_created = Signal()  # sender=Organisation, organisation=, actor=
