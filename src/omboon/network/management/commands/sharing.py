"""omboon sharing --org CODE full|aggregates"""

from django.core.management.base import BaseCommand

from omboon.network import services
from omboon.network.management.commands._common import group


class Command(BaseCommand):
    help = ("เลือกสิ่งที่กลุ่มส่งให้เครือข่าย: full (ข้อมูลทั้งหมด) หรือ aggregates (ตัวเลขสรุปเท่านั้น) / "
            "what the group shares with its network: full records or aggregates only")

    def add_arguments(self, parser):
        parser.add_argument("sharing", choices=["full", "aggregates"])
        parser.add_argument("--org")

    def handle(self, *args, **opts):
        org = group(opts["org"])
        services.sharing_set(actor=None, organisation=org, sharing=opts["sharing"])
        self.stdout.write(f"{org.code}: {opts['sharing']}")
