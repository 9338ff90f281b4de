"""omboon enrolment-code --org CODE (on the network's server)"""

from django.core.management.base import BaseCommand

from omboon.network import sync
from omboon.network.management.commands._common import group


class Command(BaseCommand):
    help = ("ออกรหัสครั้งเดียวให้เครื่องของกลุ่มลงทะเบียน (บนเซิร์ฟเวอร์เครือข่าย) / "
            "issue a one-time enrolment code for a group's laptop (on the network's server)")

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True)

    def handle(self, *args, **opts):
        code = sync.enrolment_create(actor=None, organisation=group(opts["org"]))
        self.stdout.write(code)
