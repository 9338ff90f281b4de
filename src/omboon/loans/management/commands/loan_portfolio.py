from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from omboon.core import console
from omboon.core.money import format_baht
from omboon.core.thaidate import format_date, parse_date
from omboon.loans import allowance, arrears, selectors
from omboon.orgs.models import Organisation


def _percent(share) -> str:
    return "–" if share is None else f"{float(share) * 100:.2f}%"


class Command(BaseCommand):
    help = ("คุณภาพสินเชื่อของกลุ่ม: ยอดคงค้าง PAR อายุหนี้ค้างชำระ และค่าเผื่อหนี้สงสัยจะสูญตามข้อบังคับ\n"
            "A group's loan portfolio: outstanding, PAR, the aging of arrears and the bylaws' allowance for "
            "doubtful loans")

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="รหัสกลุ่ม / group code")
        parser.add_argument("--on", default=None, help="ณ วันที่ (พ.ศ. หรือ ค.ศ.) / as of a date (default today)")

    def handle(self, *args, org, on, **options):
        organisation = Organisation.objects.filter(code=org).first()
        if organisation is None or not organisation.is_group:
            raise CommandError(f"ไม่พบกลุ่ม {org!r} ดูรายชื่อด้วย omboon orgs / no group {org!r}; see omboon orgs")
        try:
            day = parse_date(on) if on else timezone.localdate()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        p = selectors.portfolio(organisation, day)
        self.stdout.write(f"{organisation.name_th} ณ {format_date(day)} / as of {day.isoformat()}")
        rows = [["", "บาท / baht", "สัดส่วน / share"],
                ["ยอดเงินกู้คงค้าง / gross outstanding", format_baht(p.gross), ""]]
        rows += [[f"PAR{d} (ค้างเกิน {d} วัน / over {d} days)", format_baht(p.at_risk[d]), _percent(p.par(d))]
                 for d in (1, 30, 60, 90)]
        rows.append(["อัตราเงินต้นค้างชำระ / arrears rate (not PAR)", format_baht(p.overdue_principal),
                     _percent(p.arrears_rate)])
        self.stdout.write("\n".join(console.table(rows, right=(1, 2))))
        percents = allowance.percentages(organisation, day)
        head = ["ค้าง (วัน) / days overdue", "สัญญา / loans", "คงค้าง / outstanding"]
        if percents:  # the bylaws' allowance for doubtful loans: each bucket's part of it
            needed = allowance.required(p, percents)
            buckets = [[*head, "ร้อยละ / %", "ค่าเผื่อ / allowance"]]
            buckets += [[arrears.bucket_label(b.bucket), str(b.loans), format_baht(b.outstanding), f"{b.percent}%",
                         format_baht(b.required)] for b in needed]
            self.stdout.write("\n".join(console.table(buckets, right=(1, 2, 3, 4))))
        else:
            buckets = [head] + [[arrears.bucket_label(b), str(n), format_baht(amount)]
                                for b, (n, amount) in p.by_bucket.items()]
            self.stdout.write("\n".join(console.table(buckets, right=(1, 2))))
        held = allowance.balance_in_books(organisation, day)
        if percents:
            self.stdout.write(f"ค่าเผื่อหนี้สงสัยจะสูญที่ต้องตั้ง / allowance for doubtful loans required: "
                              f"{format_baht(sum(b.required for b in needed))}")
        if percents or held:
            self.stdout.write(f"ค่าเผื่อหนี้สงสัยจะสูญ 1320 ในสมุดบัญชี / allowance, 1320, in the books: {format_baht(held)}")
