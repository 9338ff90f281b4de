from django.core.management.base import BaseCommand, CommandError

from omboon.ledger import beancount
from omboon.orgs.models import Organisation


class Command(BaseCommand):
    help = ("ส่งออกสมุดบัญชีของกลุ่มเป็นไฟล์ Beancount\n"
            "Export a group's books as Beancount text")

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="รหัสกลุ่ม / group code")
        parser.add_argument("-o", "--output", required=True, help="ไฟล์ที่จะเขียน (- คือหน้าจอ) / output file (- for stdout)")

    def handle(self, *args, org, output, **options):
        organisation = Organisation.objects.filter(code=org).first()
        if organisation is None:
            raise CommandError(f"ไม่พบองค์กร {org!r} ดูรายชื่อด้วย omboon orgs / organisation {org!r} not found; "
                               "see omboon orgs")
        if not organisation.is_group:
            raise CommandError(f"{org} เป็นเครือข่าย ส่งออกได้เฉพาะกลุ่ม / {org} is a network; export a group")
        if output == "-":
            n = beancount.export(organisation, self.stdout)
        else:
            with open(output, "w", encoding="utf-8") as fh:
                n = beancount.export(organisation, fh)
        self.stderr.write(f"ส่งออก {n} รายการ / exported {n} transactions → {output}")
