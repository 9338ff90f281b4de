import re

from django.core.management.base import BaseCommand, CommandError

from omboon.core.errors import RuleViolation
from omboon.ledger import services
from omboon.orgs.models import Organisation


class Command(BaseCommand):
    help = ("ปิดบัญชีสิ้นเดือน (ตามลำดับเดือน)\n"
            "Month-end close (months close in order)")

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="รหัสกลุ่ม / group code")
        parser.add_argument("--month", required=True, help="เดือน YYYY-MM (ค.ศ.) / month YYYY-MM")

    def handle(self, *args, org, month, **options):
        organisation = Organisation.objects.filter(code=org).first()
        if organisation is None:
            raise CommandError(f"ไม่พบองค์กร {org!r} ดูรายชื่อด้วย omboon orgs / organisation {org!r} not found; "
                               "see omboon orgs")
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", month.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise CommandError(f"เดือนต้องเป็น YYYY-MM เช่น 2024-03 / --month must be YYYY-MM, e.g. 2024-03: {month!r}")
        year, m = int(match.group(1)), int(match.group(2))
        if year > 2400:
            year -= 543  # typed in พ.ศ.
        try:
            period = services.period_close(actor=None, organisation=organisation, year=year, month=m)
        except RuleViolation as exc:
            raise CommandError("\n".join(p.text() for p in exc.problems)) from exc
        self.stdout.write(f"ปิดบัญชี {organisation.code} เดือน {period.month:02d}/{period.year + 543} แล้ว / "
                          f"closed {organisation.code} {period.year}-{period.month:02d} "
                          f"({period.balances.count()} balances)")
