"""omboon sync-revoke --org CODE (on the network's server)"""

from django.core.management.base import BaseCommand

from omboon.network.management.commands._common import group
from omboon.network.sync import server


class Command(BaseCommand):
    help = "เพิกถอนโทเค็นซิงก์ของกลุ่ม / revoke a group's sync token (on the network's server)"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True)

    def handle(self, *args, **opts):
        n = server.token_revoke(actor=None, organisation=group(opts["org"]))
        self.stdout.write(f"เพิกถอนแล้ว / revoked: {n}")
