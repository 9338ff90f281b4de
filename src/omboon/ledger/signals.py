"""What the ledger announces, so other domains (the network's monthly facts) can follow
without the ledger importing them. Sent inside the closing transaction: a receiver that
fails rolls the close back, so facts never disagree with the books."""

from django.dispatch import Signal

period_closed = Signal()  # sender=Period, organisation=, year=, month=, actor=
period_reopened = Signal()  # sender=Period, organisation=, periods=[(year, month), ...], actor=
