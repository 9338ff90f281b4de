"""omboon enrol --server URL --code CODE [--org CODE] (on the group's laptop)"""

from django.core.management.base import BaseCommand, CommandError

from omboon.network.sync import laptop, protocol
from omboon.orgs.models import Organisation


class Command(BaseCommand):
    help = ("ลงทะเบียนเครื่องของกลุ่มกับเซิร์ฟเวอร์เครือข่ายด้วยรหัสครั้งเดียว / "
            "enrol this laptop's group with its network's server using a one-time code")

    def add_arguments(self, parser):
        parser.add_argument("--server", required=True, help="e.g. https://network.example.org")
        parser.add_argument("--code", required=True)
        parser.add_argument("--org", required=True, help="รหัสกลุ่ม / the group's code")

    def handle(self, *args, **opts):
        org = Organisation.objects.filter(code=opts["org"]).first()  # None on an empty laptop
        try:
            org = laptop.enrol(server_url=opts["server"], code=opts["code"], organisation=org,
                             group_code=opts["org"]).organisation
        except (protocol.SyncError, OSError) as exc:
            raise CommandError(f"{exc}\nตรวจที่อยู่เซิร์ฟเวอร์และรหัส แล้วลองอีกครั้ง / check the server address "
                               "and the code, then try again") from exc
        self.stdout.write(f"ลงทะเบียนแล้ว / enrolled: {org.code} → {opts['server']}")
