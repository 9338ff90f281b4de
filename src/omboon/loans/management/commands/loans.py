"""``omboon loans``: a loan's lifecycle from the command line, through the same services and
rules as the pages (audited under the user named by --by)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from omboon.core.console import table
from omboon.core.errors import RuleViolation
from omboon.core.money import format_baht, parse_baht
from omboon.core.thaidate import parse_date
from omboon.loans import rules, schedule, selectors, services
from omboon.loans.models import Adjustment, Loan, Reschedule
from omboon.members import selectors as member_selectors
from omboon.orgs.models import Organisation

ACTIONS = ("list", "apply", "consent", "replace-guarantor", "approve", "reject", "withdraw", "disburse", "repay",
           "penalty", "waive", "write-off", "recover", "approve-adjustment", "reject-adjustment", "reverse-adjustment",
           "reschedule", "approve-reschedule", "reject-reschedule", "reverse-reschedule", "schedules", "show")


class Command(BaseCommand):
    help = ("สัญญาเงินกู้: list | apply | consent | replace-guarantor | approve | reject | withdraw | disburse | repay | "
            "penalty | waive | write-off | recover | approve-adjustment | reject-adjustment | reverse-adjustment | "
            "reschedule | approve-reschedule | reject-reschedule | reverse-reschedule | schedules | show\n"
            "apply --member N --product CODE --amount BAHT --purpose TEXT [--guarantor N …] [--consented] [--term N] "
            "[--date DATE] [--lien ACCOUNT:BAHT …] [--collateral KIND:BAHT:DESCRIPTION[:DOCUMENT_NO] …]: "
            "--term the instalments asked for, within the product's limits (default the product's term); "
            "--consented: every --guarantor's signed consent form (หนังสือยินยอมค้ำประกัน) comes with it, else their "
            "consent waits; --lien "
            "pledges BAHT of the borrower's own savings or share account (อายัดเงินฝาก/หุ้น, held while the loan "
            "runs); --collateral KIND land_title | vehicle | other, its appraised value and description (at most "
            f"{rules.MAX_SECURITIES} in all).\n"
            "consent --loan N --guarantor M [--decline] [--date DATE]: a guarantor's consent to an application "
            "(or their refusal), from the signed form; approve waits until every guarantor has consented.\n"
            "replace-guarantor --loan N --guarantor M --new-guarantor K [--consented] [--date DATE]: on an "
            "application, K stands guarantor instead of M (one who declined); --consented: K's signed form came.\n"
            "show --loan N: the loan, its guarantors and its securities (whether each lien still holds).\n"
            "disburse --loan N [--date DATE] [--first-due DATE] [--to cash|savings]: pay out an approved loan in "
            "cash (a payment voucher) or into the borrower's voluntary savings account.\n"
            "a group's loans; every action but list and schedules needs --by USERNAME (the person acting; "
            "approve and reject: not the one who entered the application). write-off (the whole outstanding "
            "principal, --against expense|allowance), recover (--amount) and waive (--part interest|penalty --amount) "
            "wait for a second person's "
            "approve-adjustment --adjustment ID; the ID is printed when asked. penalty charges what the terms "
            "give for overdue instalments up to --date.\n"
            "reschedule (ปรับโครงสร้างหนี้) --loan N --term N [--rate R] [--per year|month] [--method M] "
            "[--every month|week|year] [--grace-principal N] [--grace-interest N] [--round 1|5|10] "
            "--first-due DATE --reason TEXT [--date DATE]: "
            "a new schedule of the outstanding principal (no longer than the product's longest term, as long a time "
            "in weeks or years under another --every; --rate per the loan's "
            "terms, default the current rate), unpaid interest due by then kept and due with the first new "
            "instalment (not capitalised: nothing is posted); it waits for a second person's "
            "approve-reschedule --reschedule ID (or reject-reschedule); reverse-reschedule undoes it while nothing "
            "was paid on the new schedule. schedules --loan N prints the loan's schedules, the old ones kept")

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
        parser.add_argument("--lien", action="append", default=[],
                            help="apply: ACCOUNT:BAHT อายัดเงินฝาก/หุ้นของผู้กู้ (ซ้ำได้) / a lien on the borrower's own "
                                 "savings or shares, repeatable")
        parser.add_argument("--collateral", action="append", default=[],
                            help="apply: KIND:BAHT:DESCRIPTION[:DOCUMENT_NO] หลักทรัพย์ค้ำประกัน (ซ้ำได้) KIND "
                                 "land_title | vehicle | other, BAHT its appraised value / collateral, repeatable")
        parser.add_argument("--consented", action="store_true",
                            help="apply: ผู้ค้ำทุกคนลงนามหนังสือยินยอมค้ำประกันแล้ว / every guarantor's signed consent "
                                 "form comes with the application")
        parser.add_argument("--new-guarantor", default="",
                            help="replace-guarantor: เลขที่สมาชิกผู้ค้ำคนใหม่ / the new guarantor's member number")
        parser.add_argument("--decline", action="store_true",
                            help="consent: ผู้ค้ำไม่ยินยอม / the guarantor declines")
        parser.add_argument("--reason", default="", help="เหตุผล / reason (reject, withdraw)")
        parser.add_argument("--date", default="", help="วันที่ (พ.ศ. หรือ ค.ศ.) / date (default today)")
        parser.add_argument("--first-due", default="", help="ครบกำหนดงวดแรก / first instalment due (disburse)")
        parser.add_argument("--to", default="cash", choices=("cash", "savings"),
                            help="disburse: จ่ายเงินสด หรือโอนเข้าบัญชีเงินฝากออมทรัพย์ของผู้กู้ / pay in cash, or "
                                 "credit the borrower's voluntary savings account")
        parser.add_argument("--status", default="open", help="list: open | all | applied | approved | disbursed | ...")
        parser.add_argument("--q", default="", help="list: ค้นหา / search")
        parser.add_argument("--against", default="expense", choices=("expense", "allowance"),
                            help="write-off: expense = 5500 หนี้สูญ, allowance = 1320 ค่าเผื่อหนี้สงสัยจะสูญ")
        parser.add_argument("--part", default="", choices=("", "interest", "penalty"),
                            help="waive: ดอกเบี้ยหรือค่าปรับ / interest or penalty")
        parser.add_argument("--term", type=int, default=None, help="apply: จำนวนงวดที่ขอ / the term asked for; "
                            "reschedule: จำนวนงวดใหม่ / the new term")
        parser.add_argument("--rate", default="", help="reschedule: อัตราดอกเบี้ยใหม่ (ร้อยละ) / the new rate, percent")
        parser.add_argument("--per", choices=(schedule.PER_YEAR, schedule.PER_MONTH), default=None,
                            help="reschedule: อัตราต่อปีหรือต่อเดือน (ไม่ระบุ = เดิม) / rate per year or month "
                                 "(default: as now)")
        parser.add_argument("--method", choices=schedule.METHODS, default=None,
                            help="reschedule: วิธีคิด (ไม่ระบุ = เดิม) / method (default: as now)")
        parser.add_argument("--every", choices=tuple(schedule.PERIODS_A_YEAR), default=None,
                            help="reschedule: ผ่อนทุก (ไม่ระบุ = เดิม) / instalments every (default: as now)")
        parser.add_argument("--grace-principal", type=int, default=None,
                            help="reschedule: งวดปลอดเงินต้น / first N instalments without principal (default 0)")
        parser.add_argument("--grace-interest", type=int, default=None,
                            help="reschedule: งวดปลอดดอกเบี้ย / first N instalments without interest (default 0)")
        parser.add_argument("--round", type=int, choices=(1, 5, 10), default=None,
                            help="reschedule: ปัดยอดงวดเป็นทวีคูณของ 1, 5 หรือ 10 บาท (ไม่ระบุ = เดิม) / round "
                                 "instalments to 1, 5 or 10 baht (default: as now)")
        parser.add_argument("--reschedule", type=int, default=None,
                            help="เลขรายการปรับโครงสร้างหนี้ / the reschedule request's ID")
        parser.add_argument("--adjustment", type=int, default=None,
                            help="เลขรายการตัดหนี้สูญ/รับชำระหนี้สูญ / the write-off or recovery request's ID")

    def handle(self, *args, action, org, **o):
        organisation = Organisation.objects.filter(code=org).first()
        if organisation is None or not organisation.is_group:
            raise CommandError(f"ไม่พบกลุ่ม {org!r} ดูรายชื่อด้วย omboon orgs / no group {org!r}; see omboon orgs")
        if action == "list":
            return self._list(organisation, o)
        if action == "schedules":
            return self.stdout.write(self._schedules(organisation, o))
        if action == "show":
            return self.stdout.write(self._show(organisation, o))
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
        out = [("เลขที่ / no.", "สมาชิก / member", "เงินต้น / principal", "คงค้าง / outstanding",
                "ค้าง (วัน) / days overdue", "สถานะ / status")]
        for r in selectors.loan_rows(loans, timezone.localdate()):
            out.append((str(r.loan.number), f"{r.loan.member.number} {r.loan.member.full_name}",
                        format_baht(r.loan.principal), format_baht(r.outstanding), str(r.days_overdue or "-"),
                        f"{r.loan.get_status_display()} / {r.loan.status}"))  # the code --status takes
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
        guarantors = [self._member(organisation, g) for g in o["guarantor"]]
        loan = services.loan_apply(
            actor=actor, organisation=organisation, member=self._member(organisation, o["member"]),
            product=product, principal=parse_baht(o["amount"]) if o["amount"] else 0, purpose=o["purpose"],
            guarantors=guarantors, applied_on=self._date(o["date"]),
            term=o["term"], securities=self._securities(o), consented=guarantors if o["consented"] else ())
        waiting = "" if o["consented"] or not guarantors else " (รอผู้ค้ำยินยอม / waiting for the guarantors' consent)"
        return (f"สัญญา {loan.number} ยื่นคำขอแล้ว {loan.term} งวด รออนุมัติ / loan {loan.number} applied, "
                f"{loan.term} instalments, awaiting approval{waiting}")

    def _guarantor(self, loan, o):
        if len(o["guarantor"]) != 1:
            raise CommandError("ต้องระบุ --guarantor ผู้ค้ำหนึ่งคน / --guarantor must name one guarantor")
        g = loan.guarantors.select_related("member").filter(member__number=o["guarantor"][0].strip()).first()
        if g is None:
            raise CommandError(f"สมาชิก {o['guarantor'][0]!r} ไม่ได้เป็นผู้ค้ำของสัญญา {loan.number} / "
                               f"{o['guarantor'][0]!r} is not a guarantor of loan {loan.number}")
        return g

    def _replace_guarantor(self, organisation, actor, o):
        loan = self._loan(organisation, o)
        old = self._guarantor(loan, o)
        was = old.member.number
        new = self._member(organisation, o["new_guarantor"])
        g = services.guarantor_replace(actor=actor, guarantor=old, member=new, consented=o["consented"],
                                       on=self._date(o["date"]))
        return (f"สัญญา {loan.number} ผู้ค้ำ {g.member.number} แทน {was} ({g.consent}) / guarantor {g.member.number} "
                f"instead of {was}")

    def _consent(self, organisation, actor, o):
        loan = self._loan(organisation, o)
        g = self._guarantor(loan, o)
        g = services.guarantor_consent(actor=actor, guarantor=g, consent=not o["decline"], on=self._date(o["date"]))
        if o["decline"]:
            return (f"สัญญา {loan.number} ผู้ค้ำ {g.member.number} ไม่ยินยอมค้ำประกัน / guarantor {g.member.number} "
                    "declined")
        return f"สัญญา {loan.number} ผู้ค้ำ {g.member.number} ยินยอมค้ำประกันแล้ว / guarantor {g.member.number} consented"

    @staticmethod
    def _securities(o) -> list[rules.Security]:
        """--lien ACCOUNT:BAHT and --collateral KIND:BAHT:DESCRIPTION[:DOCUMENT_NO] as the rules read them."""
        out = []
        for text in o["lien"]:
            account, sep, amount = text.rpartition(":")
            if not sep:
                raise CommandError(f"--lien {text!r}: เขียนเป็น บัญชี:จำนวนบาท / write ACCOUNT:BAHT")
            out.append(rules.Security(rules.SECURITY_KINDS[0], account=account.strip(), amount=parse_baht(amount)))
        for text in o["collateral"]:
            parts = text.split(":", 3)
            if len(parts) < 3:
                raise CommandError(f"--collateral {text!r}: เขียนเป็น ประเภท:ราคาประเมิน:รายละเอียด[:เลขที่เอกสาร] / "
                                   "write KIND:BAHT:DESCRIPTION[:DOCUMENT_NO]")
            kind, value, description, *doc = parts
            out.append(rules.Security("collateral", collateral=kind.strip(), value=parse_baht(value),
                                      description=description, document_no=doc[0] if doc else ""))
        return out

    def _show(self, organisation, o) -> str:
        loan = self._loan(organisation, o)
        guarantors = ", ".join(f"{g.member.number} {g.member.full_name} ({g.consent}"
                               f"{' ' + g.consent_on.isoformat() if g.consent_on else ''})"
                               for g in loan.guarantors.select_related("member").order_by("pk")) or "-"
        out = [(f"สัญญา {loan.number} / loan {loan.number}: {loan.member.number} {loan.member.full_name}, "
                f"{loan.product_version.product.code}, {format_baht(loan.principal)}, {loan.status}"),
               f"วัตถุประสงค์ / purpose: {loan.purpose}", f"ผู้ค้ำ / guarantors: {guarantors}"]
        rows = selectors.securities_of(loan)
        out.append("หลักประกัน / securities:" + ("" if rows else " -"))
        for r in rows:
            line = (f"  {r.security.position}. {selectors.security_text(r.security)} / "
                    f"{selectors.security_text(r.security, 'en')}")
            if r.security.is_lien:
                line += (f" — อายัดอยู่ {format_baht(r.held)} บาท / holds {format_baht(r.held)} baht" if r.holds
                         else " — พ้นภาระแล้ว / released")
            out.append(line)
        return "\n".join(out)

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
                                      first_due=self._date(o["first_due"]), into_savings=o["to"] == "savings")
        if loan.disbursed_into:
            return (f"โอนเงินกู้สัญญา {loan.number} {format_baht(loan.principal)} บาท เข้าบัญชีเงินฝาก "
                    f"{loan.disbursed_into} ({loan.disbursement.document_number}) / loan {loan.number} credited to "
                    f"savings account {loan.disbursed_into}")
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

    # --- reschedule ---------------------------------------------------------------------------

    def _reschedule(self, organisation, actor, o):
        try:
            rate = Decimal(o["rate"].strip()) if o["rate"].strip() else None
        except InvalidOperation:
            raise CommandError(f"--rate ต้องเป็นตัวเลข / --rate must be a number: {o['rate']!r}") from None
        r = services.reschedule_request(actor=actor, loan=self._loan(organisation, o), term=o["term"], rate=rate,
                                        first_due=self._date(o["first_due"]), reason=o["reason"],
                                        date=self._date(o["date"]), method=o["method"], per=o["per"],
                                        every=o["every"], grace_principal=o["grace_principal"],
                                        grace_interest=o["grace_interest"],
                                        rounding=o["round"] * 100 if o["round"] else None)
        return (f"ขอปรับโครงสร้างหนี้สัญญา {r.loan.number} เงินต้นคงค้าง {format_baht(r.principal)} บาท "
                f"{r.terms['term']} งวด รายการ {r.pk} รอกรรมการอีกคนอนุมัติ / reschedule {r.pk} of "
                f"{format_baht(r.principal)} baht asked, awaiting a second person's approval")

    def _reschedule_of(self, organisation, o) -> Reschedule:
        found = Reschedule.objects.filter(loan=self._loan(organisation, o), pk=o["reschedule"]).first() \
            if o["reschedule"] else None
        if found is None:
            raise CommandError("ต้องระบุ --reschedule รายการของสัญญานี้ / --reschedule must name a request of the loan")
        return found

    def _approve_reschedule(self, organisation, actor, o):
        r = services.reschedule_approve(actor=actor, reschedule=self._reschedule_of(organisation, o))
        return (f"อนุมัติการปรับโครงสร้างหนี้แล้ว ตารางใหม่ใช้ตั้งแต่ {r.date.isoformat()} ดอกเบี้ยค้างที่ยกไป "
                f"{format_baht(r.kept_interest)} บาท (ไม่มีรายการบัญชี) / approved: the new schedule is in force; "
                f"{format_baht(r.kept_interest)} baht of unpaid interest kept; nothing posted")

    def _reject_reschedule(self, organisation, actor, o):
        services.reschedule_reject(actor=actor, reschedule=self._reschedule_of(organisation, o), reason=o["reason"])
        return "ไม่อนุมัติ / rejected"

    def _reverse_reschedule(self, organisation, actor, o):
        services.reschedule_reverse(actor=actor, reschedule=self._reschedule_of(organisation, o), reason=o["reason"],
                                    date=self._date(o["date"]))
        return "กลับรายการปรับโครงสร้างหนี้แล้ว ใช้ตารางเดิม / reversed: the loan follows its schedule before it"

    def _schedules(self, organisation, o):
        out = []
        for r, rows in selectors.schedules_of(self._loan(organisation, o)):
            title = ("ตารางเดิม / first schedule" if r is None else
                     f"ปรับโครงสร้างหนี้ {r.date.isoformat()} (รายการ {r.pk}) / rescheduled")
            out.append(title)
            out += table([("งวด / n", "ครบกำหนด / due", "เงินต้น / principal", "ดอกเบี้ย / interest",
                           "รวม / total", "คงเหลือ / balance")]
                         + [(str(i.n), i.due.isoformat(), format_baht(i.principal), format_baht(i.interest),
                             format_baht(i.total), format_baht(i.balance)) for i in rows], rule=False)
        return "\n".join(out)
