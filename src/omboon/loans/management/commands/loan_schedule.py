from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from omboon.core.errors import RuleViolation
from omboon.core.thaidate import parse_date
from omboon.loans import printing, schedule


def _date(text: str):
    try:
        return parse_date(text)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc


class Command(BaseCommand):
    help = ("พิมพ์ตารางผ่อนชำระเงินกู้ (ไม่ใช้ฐานข้อมูล)\n"
            "Print a loan's repayment schedule (no database needed)")
    requires_system_checks = []  # a pure calculation: runs where no database is set up

    def add_arguments(self, parser):
        parser.add_argument("--principal", required=True, help="เงินต้น (บาท) / principal in baht, e.g. 20000")
        parser.add_argument("--rate", required=True, help="อัตราดอกเบี้ยร้อยละ / rate in percent, e.g. 12 or 1.25")
        parser.add_argument("--per", choices=("year", "month"), default="year",
                            help="อัตราต่อปีหรือต่อเดือน / the rate is per year or per month (default year)")
        parser.add_argument("--term", type=int, required=True, help="จำนวนงวด / number of instalments")
        parser.add_argument("--every", choices=("month", "week", "year"), default="month",
                            help="ชำระทุกเดือน สัปดาห์ หรือปี / an instalment every month, week or year (default month)")
        parser.add_argument("--method", choices=schedule.METHODS, required=True,
                            help="flat: ดอกเบี้ยคงที่ / on the original principal; declining: งวดเท่ากัน / equal "
                                 "instalments on the declining balance; equal-principal: เงินต้นเท่ากัน / equal principal")
        parser.add_argument("--grace-principal", type=int, default=0,
                            help="งวดแรกที่ชำระแต่ดอกเบี้ย / first N instalments pay interest only")
        parser.add_argument("--grace-interest", type=int, default=0,
                            help="งวดแรกที่ไม่คิดดอกเบี้ย (ภายในช่วงปลอดเงินต้น) / first N instalments charge no "
                                 "interest (within the grace on principal)")
        parser.add_argument("--round", type=int, choices=(1, 5, 10), default=None,
                            help="ปัดยอดงวดเป็นทวีคูณของ 1, 5 หรือ 10 บาท งวดสุดท้ายรับเศษ / round instalments to a "
                                 "multiple of 1, 5 or 10 baht, the last absorbing the residue (default: to the satang)")
        parser.add_argument("--disbursed", required=True, help="วันจ่ายเงินกู้ YYYY-MM-DD / disbursement date")
        parser.add_argument("--first-due", default=None,
                            help="วันครบกำหนดงวดแรก / first due date (default: one period after disbursement)")
        parser.add_argument("--format", choices=("json", "csv", "pdf"), default="json", help="รูปแบบ / output format")
        parser.add_argument("-o", "--output", default="-", help="ไฟล์ (- คือหน้าจอ) / output file (- for stdout)")

    def handle(self, *args, **o):
        try:
            principal = round(Decimal(o["principal"].replace(",", "")) * 100)
            rate = Decimal(o["rate"])
        except InvalidOperation as exc:
            raise CommandError("เงินต้นและอัตราต้องเป็นตัวเลข / principal and rate must be numbers") from exc
        terms = schedule.Terms(method=o["method"], rate=rate, per=o["per"], every=o["every"], term=o["term"],
                               grace_principal=o["grace_principal"], grace_interest=o["grace_interest"],
                               rounding=(o["round"] or 0) * 100 or 1)
        disbursed = _date(o["disbursed"])
        first_due = _date(o["first_due"]) if o["first_due"] else None
        try:
            rows = schedule.build(terms, principal, disbursed, first_due)
        except RuleViolation as exc:
            raise CommandError("\n".join(p.text() for p in exc.problems)) from exc
        if o["format"] == "pdf":
            data = printing.as_pdf(rows, terms=terms, principal=principal, disbursed_on=disbursed)
            if o["output"] == "-":
                self.stdout.flush()
                self.stdout._out.buffer.write(data)
            else:
                with open(o["output"], "wb") as fh:
                    fh.write(data)
            return
        text = printing.as_json(rows) if o["format"] == "json" else printing.as_csv(rows)
        if o["output"] == "-":
            self.stdout.write(text, ending="" if text.endswith("\n") else "\n")
        else:
            with open(o["output"], "w", encoding="utf-8") as fh:
                fh.write(text)
