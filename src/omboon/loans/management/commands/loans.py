"""``omboon loans``: a loan's lifecycle from the command line, through the same services and
rules as the pages (audited under the user named by --by)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from omboon.core.console import table
from omboon.core.errors import RuleViolation
from omboon.core.money import format_baht, parse_baht
from omboon.core.thaidate import parse_date
from omboon.loans import selectors, services
from omboon.loans.models import Adjustment, Loan
from omboon.members import selectors as member_selectors
from omboon.orgs.models import Organisation

ACTIONS = ("list", "apply", "approve", "reject", "withdraw", "disburse", "repay", "penalty", "waive", "write-off",
           "recover", "approve-adjustment", "reject-adjustment", "reverse-adjustment")


class Command(BaseCommand):
    help = ("สัญญาเงินกู้: list | apply | approve | reject | withdraw | disburse | repay | penalty | waive | "
            "write-off | recover | approve-adjustment | reject-adjustment | reverse-adjustment\n"
            "a group's loans; every action but list needs --by USERNAME (the person acting; "
            "approve and reject: not the one who entered the application). write-off (the whole outstanding "
            "principal, --against expense|allowance), recover (--amount) and waive (--part interest|penalty --amount) "
            "wait for a second person's "
            "approve-adjustment --adjustment ID; the ID is printed when asked. penalty charges what the terms "
            "give for overdue instalments up to --date")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=ACTIONS)
        parser.add_argument("--org", required=True, help="รหัสกลุ่ม / the group's code")
        parser.add_argument("--by", default="", help="ชื่อผู้ใช้ผู้ทำรายการ / the acting user's username")
        parser.add_argument("--loan", type=int, default=None, help="เลขสัญญา / loan number")
        parser.add_argument("--member", default="", help="เลขที่สมาชิกผู้กู้ / the borrower's member number")
        parser.add_argument("--product", default="", help="รหัสประเภทเงินกู้ / product code")
        parser.add_argument("--amount", default="", help="จำนวนเงิน (บาท) / amount in baht")
        parser.add_argument("--purpose", default="", help="วัตถุประสงค์ / purpose")
        parser.add_argument("--guarantor", action="append", default=[], help="เลขที่สมาชิกผู้ค้ำ (ซ้ำได้) / repeatable")
        parser.add_argument("--reason", default="", help="เหตุผล / reason (reject, withdraw)")
        parser.add_argument("--date", default="", help="วันที่ (พ.ศ. หรือ ค.ศ.) / date (default today)")
        parser.add_argument("--first-due", default="", help="ครบกำหนดงวดแรก / first instalment due (disburse)")
        parser.add_argument("--status", default="open", help="list: open | all | applied | approved | disbursed | ...")
        parser.add_argument("--q", default="", help="list: ค้นหา / search")
        parser.add_argument("--against", default="expense", choices=("expense", "allowance"),
                            help="write-off: expense = 5500 หนี้สูญ, allowance = 1320 ค่าเผื่อหนี้สงสัยจะสูญ")
        parser.add_argument("--part", default="", choices=("", "interest", "penalty"),
                            help="waive: ดอกเบี้ยหรือค่าปรับ / interest or penalty")
        parser.add_argument("--adjustment", type=int, default=None,
                            help="เลขรายการตัดหนี้สูญ/รับชำระหนี้สูญ / the write-off or recovery request's ID")

    def handle(self, *args, action, org, **o):
        organisation = Organisation.objects.filter(code=org).first()
        if organisation is None or not organisation.is_group:
            raise CommandError(f"ไม่พบกลุ่ม {org!r} ดูรายชื่อด้วย omboon orgs / no group {org!r}; see omboon orgs")
        if action == "list":
            return self._list(organisation, o)
        actor = get_user_model().objects.filter(username=o["by"], is_active=True).first() if o["by"] else None
        if actor is None:
            raise CommandError("ต้องระบุ --by ผู้ใช้ที่ยังใช้งานอยู่ / --by must name an active user")
        try:
            self.stdout.write(getattr(self, f"_{action.replace('-', '_')}")(organisation, actor, o))
        except RuleViolation as exc:
            raise CommandError("\n".join(p.text() for p in exc.problems)) from None
        except ValueError as exc:
            raise CommandError(str(exc)) from None

    def _list(self, organisation, o):
        loans = list(selectors.loan_search(organisation, query=o["q"], status=o["status"]))
        out = [("no.", "member", "principal", "outstanding", "days overdue", "status")]
        for r in selectors.loan_rows(loans, timezone.localdate()):
            out.append((str(r.loan.number), f"{r.loan.member.number} {r.loan.member.full_name}",
                        format_baht(r.loan.principal), format_baht(r.outstanding), str(r.days_overdue or "-"),
                        r.loan.status))
        self.stdout.write("\n".join(table(out, rule=False)))

    @staticmethod
    def _date(text):
        return parse_date(text) if text else None

    def _member(self, organisation, number):
        found = member_selectors.members_of(organisation).filter(number=number.strip()).first()
        if found is None:
            raise CommandError(f"ไม่พบสมาชิก {number!r} / no member {number!r}")
        return found

    def _loan(self, organisation, o) -> Loan:
        loan = selectors.loans_of(organisation).filter(number=o["loan"]).first() if o["loan"] else None
        if loan is None:
            raise CommandError("ต้องระบุ --loan เลขสัญญาของกลุ่ม / --loan must name a loan of the group")
        return loan

    def _apply(self, organisation, actor, o):
        product = selectors.products(organisation).filter(code=o["product"]).first()
        loan = services.loan_apply(
            actor=actor, organisation=organisation, member=self._member(organisation, o["member"]),
            product=product, principal=parse_baht(o["amount"]) if o["amount"] else 0, purpose=o["purpose"],
            guarantors=[self._member(organisation, g) for g in o["guarantor"]], applied_on=self._date(o["date"]))
        return f"สัญญา {loan.number} ยื่นคำขอแล้ว รออนุมัติ / loan {loan.number} applied, awaiting approval"

    def _approve(self, organisation, actor, o):
        loan = services.loan_approve(actor=actor, loan=self._loan(organisation, o))
        return f"สัญญา {loan.number} อนุมัติแล้ว / loan {loan.number} approved"

    def _reject(self, organisation, actor, o):
        loan = services.loan_reject(actor=actor, loan=self._loan(organisation, o), reason=o["reason"])
        return f"สัญญา {loan.number} ไม่อนุมัติ / loan {loan.number} rejected"

    def _withdraw(self, organisation, actor, o):
        loan = services.loan_withdraw(actor=actor, loan=self._loan(organisation, o), reason=o["reason"])
        return f"สัญญา {loan.number} ถอนคำขอแล้ว / loan {loan.number} withdrawn"

    def _disburse(self, organisation, actor, o):
        loan = services.loan_disburse(actor=actor, loan=self._loan(organisation, o), date=self._date(o["date"]),
                                      first_due=self._date(o["first_due"]))
        return (f"จ่ายเงินกู้สัญญา {loan.number} {format_baht(loan.principal)} บาท "
                f"({loan.disbursement.document_number}) / loan {loan.number} paid out")

    def _repay(self, organisation, actor, o):
        r = services.loan_repay(actor=actor, loan=self._loan(organisation, o),
                                amount=parse_baht(o["amount"]) if o["amount"] else 0, date=self._date(o["date"]))
        return (f"รับชำระ {format_baht(r.amount)} บาท ({r.entry.document_number}): ดอกเบี้ย {format_baht(r.interest)} "
                f"เงินต้น {format_baht(r.principal)} / received; interest, principal")

    def _write_off(self, organisation, actor, o):
        a = services.write_off_request(actor=actor, loan=self._loan(organisation, o), reason=o["reason"],
                                       against=o["against"], date=self._date(o["date"]))
        return (f"ขอตัดหนี้สูญสัญญา {a.loan.number} {format_baht(a.amount)} บาท รายการ {a.pk} รอกรรมการอีกคนอนุมัติ / "
                f"write-off {a.pk} asked, awaiting a second person's approval")

    def _recover(self, organisation, actor, o):
        a = services.recovery_request(actor=actor, loan=self._loan(organisation, o),
                                      amount=parse_baht(o["amount"]) if o["amount"] else 0, reason=o["reason"],
                                      date=self._date(o["date"]))
        return (f"ขอรับชำระหนี้สูญสัญญา {a.loan.number} {format_baht(a.amount)} บาท รายการ {a.pk} รออนุมัติ / "
                f"recovery {a.pk} asked, awaiting a second person's approval")

    def _adjustment(self, organisation, o) -> Adjustment:
        found = Adjustment.objects.filter(loan=self._loan(organisation, o), pk=o["adjustment"]).first() \
            if o["adjustment"] else None
        if found is None:
            raise CommandError("ต้องระบุ --adjustment รายการของสัญญานี้ / --adjustment must name a request of the loan")
        return found

    def _approve_adjustment(self, organisation, actor, o):
        a = services.adjustment_approve(actor=actor, adjustment=self._adjustment(organisation, o))
        doc = a.entry.document_number if a.entry_id else f"รายการ {a.pk}"
        return f"อนุมัติแล้ว {doc} {format_baht(a.amount)} บาท / approved" + (" and posted" if a.entry_id else "")

    def _reject_adjustment(self, organisation, actor, o):
        services.adjustment_reject(actor=actor, adjustment=self._adjustment(organisation, o), reason=o["reason"])
        return "ไม่อนุมัติ / rejected"

    def _reverse_adjustment(self, organisation, actor, o):
        a = services.adjustment_reverse(actor=actor, adjustment=self._adjustment(organisation, o), reason=o["reason"])
        return f"กลับรายการแล้ว {a.reversal.document_number if a.reversal_id else a.pk} / reversed"

    def _penalty(self, organisation, actor, o):
        a = services.penalty_charge(actor=actor, loan=self._loan(organisation, o), date=self._date(o["date"]))
        return (f"ค่าปรับสัญญา {a.loan.number} {format_baht(a.amount)} บาท รายการ {a.pk} / "
                f"penalty of {format_baht(a.amount)} baht charged (paid first by the next repayment)")

    def _waive(self, organisation, actor, o):
        a = services.waive_request(actor=actor, loan=self._loan(organisation, o), part=o["part"],
                                   amount=parse_baht(o["amount"]) if o["amount"] else 0, reason=o["reason"],
                                   date=self._date(o["date"]))
        return (f"ขอยกเว้น {format_baht(a.amount)} บาท รายการ {a.pk} รอกรรมการอีกคนอนุมัติ / "
                f"waiver {a.pk} asked, awaiting a second person's approval")
