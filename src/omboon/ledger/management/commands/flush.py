"""Django's ``flush`` with the ledger's SQLite guard lifted while the whole database is
emptied (posted lines are otherwise refused deletion by triggers)."""

from django.core.management.commands import flush
from django.db import connections

from omboon.ledger import guards


class Command(flush.Command):
    help = flush.Command.help

    def handle(self, **options):
        with guards.disarmed(connections[options["database"]]):
            return super().handle(**options)
