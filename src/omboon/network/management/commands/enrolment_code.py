"""omboon enrolment-code --org CODE (on the network's server)"""

from django.core.management.base import BaseCommand, CommandError

from omboon.network.management.commands._common import group
from omboon.network.sync import server
from omboon.orgs import services as org_services
from omboon.orgs.models import Organisation


class Command(BaseCommand):
    help = ("ออกรหัสครั้งเดียวให้เครื่องของกลุ่มลงทะเบียน (บนเซิร์ฟเวอร์เครือข่าย) / "
            "issue a one-time enrolment code for a group's laptop (on the network's server)")

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True)
        parser.add_argument("--create-under", metavar="NETWORK",
                            help="สร้างกลุ่มใหม่ใต้เครือข่ายนี้ก่อน / first create the group under this network")
        parser.add_argument("--name-th", default="", help="ชื่อกลุ่มใหม่ / the new group's Thai name")

    def handle(self, *args, **opts):
        if opts["create_under"]:
            parent = Organisation.objects.filter(code=opts["create_under"], kind=Organisation.Kind.NETWORK).first()
            if parent is None:
                raise CommandError(f"ไม่พบเครือข่าย {opts['create_under']} / no network {opts['create_under']}")
            org_services.organisation_create(
                actor=None, code=opts["org"], kind=Organisation.Kind.GROUP, name_th=opts["name_th"] or opts["org"],
                parent=parent, group_type=Organisation.GroupType.WELFARE_FUND, province_code=parent.province_code)
        code = server.enrolment_create(actor=None, organisation=group(opts["org"]))
        self.stdout.write(code)
