"""omboon savings balance|deposit|withdraw|approve --org CODE …: a group's savings from the
command line, through the same services and rules as the pages and the API.

    omboon savings balance --org BDC [--account VOL-00001] [--on 31/12/2567]
    omboon savings deposit --org BDC --account VOL-00001 --amount 500 --user treasurer [--date …]
    omboon savings withdraw --org BDC --account VOL-00001 --amount 200 --user treasurer
    omboon savings approve --org BDC --withdrawal 12 --user chair
    omboon savings payout --org BDC --member 0012 --user treasurer   (a member who left or died)
    omboon savings dormant --org BDC [--date 31/12/2567] --user treasurer
    omboon savings transfer-shares --org BDC --account SH-00003 --to SH-00007 --shares 20 --user treasurer
    omboon savings approve-transfer --org BDC --transfer 4 --user chair
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from omboon.core import console
from omboon.core.errors import RuleViolation
from omboon.core.money import format_baht, parse_baht
from omboon.core.thaidate import format_date, parse_date
from omboon.members.models import Member
from omboon.orgs.models import Organisation
from omboon.savings import selectors, services
from omboon.savings.models import ShareTransfer, Withdrawal


class Command(BaseCommand):
    help = ("เงินฝากของกลุ่ม: ยอดเงิน ฝาก ถอน อนุมัติการถอน จ่ายคืนผู้พ้นสภาพ บัญชีไม่เคลื่อนไหว โอนหุ้น\n"
            "A group's savings: balances, deposits, withdrawals and their approval, paying out a member "
            "who left, marking dormant accounts, share transfers between members and their approval")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["balance", "deposit", "withdraw", "approve", "payout", "dormant",
                                               "transfer-shares", "approve-transfer"])
        parser.add_argument("--org", required=True, help="รหัสกลุ่ม / group code")
        parser.add_argument("--account", default="", help="เลขที่บัญชี / account number, e.g. VOL-00001")
        parser.add_argument("--amount", default="", help="จำนวนเงิน (บาท) / amount in baht, e.g. 1,250.50")
        parser.add_argument("--date", "--on", dest="date", default=None,
                            help="วันที่ (พ.ศ. หรือ ค.ศ.) / date (default today)")
        parser.add_argument("--paid", default="cash", choices=["cash", "bank"], help="เงินสด/ธนาคาร / cash or bank")
        parser.add_argument("--withdrawal", type=int, default=None, help="เลขคำขอถอน / withdrawal id (approve)")
        parser.add_argument("--to", default="", help="บัญชีหุ้นผู้รับโอน / receiving share account (transfer-shares)")
        parser.add_argument("--shares", type=int, default=None, help="จำนวนหุ้น / whole shares (transfer-shares)")
        parser.add_argument("--transfer", type=int, default=None, help="เลขที่การโอนหุ้น / transfer id")
        parser.add_argument("--member", default="", help="เลขที่สมาชิก / member number (payout)")
        parser.add_argument("--user", "--as", dest="user", default="", help="ชื่อผู้ใช้ผู้บันทึก / acting username")

    def handle(self, *args, action, org, account, amount, date, paid, withdrawal, member, user, to="", shares=None,
               transfer=None, **options):
        organisation = Organisation.objects.filter(code=org, is_active=True).first()
        if organisation is None or not organisation.is_group:
            raise CommandError(f"ไม่พบกลุ่ม {org!r} ดูรายชื่อด้วย omboon orgs / no group {org!r}; see omboon orgs")
        try:
            day = parse_date(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if action == "balance":
            return self._balances(organisation, account, day)
        actor = get_user_model().objects.filter(username=user).first() if user else None
        if actor is None:
            raise CommandError("ระบุผู้บันทึกด้วย --user / give the acting user with --user")
        try:
            if action == "dormant":
                n = services.accounts_mark_dormant(actor=actor, organisation=organisation, as_of=day)
                self.stdout.write(f"{n} บัญชีไม่เคลื่อนไหว / accounts marked dormant")
                return None
            if action == "payout":
                return self._payout(organisation, member, actor, day, paid)
            if action == "transfer-shares":
                holder = self._account(organisation, account)
                receiver = self._account(organisation, to)
                t = services.share_transfer_request(actor=actor, holder=holder, receiver=receiver,
                                                    shares=shares if shares is not None else 0, date=day)
                self.stdout.write(f"โอนหุ้น/share transfer {t.pk}: {t.shares} หุ้น/shares ({format_baht(t.amount)}) "
                                  f"{holder.number} → {receiver.number} — รอผู้อนุมัติ / waits for approval:\n"
                                  f"  omboon savings approve-transfer --org {org} --transfer {t.pk} --user USERNAME")
                return None
            if action == "approve-transfer":
                t = ShareTransfer.objects.filter(organisation=organisation, pk=transfer).first()
                if t is None:
                    raise CommandError(f"ไม่พบการโอนหุ้น {transfer} / no share transfer {transfer}")
                t = services.share_transfer_approve(actor=actor, transfer=t)
                self.stdout.write(f"{t.entry.document_number} โอนหุ้นแล้ว / transferred {t.shares} "
                                  f"({t.from_account.number} → {t.to_account.number})")
                return None
            if action == "approve":
                w = Withdrawal.objects.filter(organisation=organisation, pk=withdrawal).first()
                if w is None:
                    raise CommandError(f"ไม่พบคำขอถอน {withdrawal} / no withdrawal {withdrawal}")
                w = services.withdrawal_approve(actor=actor, withdrawal=w)
                interest = (f" ดอกเบี้ย/interest {format_baht(w.interest)}" if w.interest else "")
                self.stdout.write(f"{w.entry.document_number} จ่ายแล้ว / paid {format_baht(w.amount + w.interest)} "
                                  f"({w.account.number}){interest}")
                return None
            acc = self._account(organisation, account)
            satang = self._satang(amount)
            if action == "deposit":
                entry = services.deposit(actor=actor, account=acc, amount=satang, date=day, paid_into=paid)
                self.stdout.write(f"{entry.document_number} ฝาก/deposit {format_baht(satang)} {acc.number}: "
                                  f"ยอดคงเหลือ/balance {format_baht(selectors.balance(acc))}")
            else:
                w = services.withdrawal_request(actor=actor, account=acc, amount=satang, date=day, paid_from=paid)
                self.stdout.write(f"คำขอถอน/withdrawal {w.pk}: {format_baht(satang)} {acc.number} "
                                  f"ค่าธรรมเนียม/fee {format_baht(w.fee)}"
                                  + (f" ดอกเบี้ยเงินฝากประจำ/fixed deposit's interest {format_baht(w.interest)}"
                                     if w.interest else "")
                                  + " — รอผู้อนุมัติ / waits for approval:\n"
                                  f"  omboon savings approve --org {org} --withdrawal {w.pk} --user USERNAME")
        except RuleViolation as exc:
            raise CommandError("\n".join(f"{p.message_th} / {p.message_en}" for p in exc.problems)) from exc
        return None

    def _payout(self, organisation, number, actor, day, paid):
        found = Member.objects.filter(organisation=organisation, number=number).first()
        if found is None:
            raise CommandError(f"ไม่พบสมาชิก {number!r} / no member {number!r}")
        made = services.member_payout(actor=actor, member=found, date=day, paid_from=paid)
        for w in made:
            self.stdout.write(f"คำขอถอน/withdrawal {w.pk}: {w.account.number} {format_baht(w.amount)} "
                              f"{w.payee or found.full_name}")
        self.stdout.write("รอผู้อนุมัติ / each waits for approval: omboon savings approve --org "
                          f"{organisation.code} --withdrawal ID --user USERNAME")

    @staticmethod
    def _account(organisation, number):
        acc = selectors.accounts(organisation).filter(number=number).first()
        if acc is None:
            raise CommandError(f"ไม่พบบัญชี {number!r} / no account {number!r}")
        return acc

    @staticmethod
    def _satang(amount: str) -> int:
        try:
            return parse_baht(amount)
        except (ValueError, ArithmeticError) as exc:
            raise CommandError(f"จำนวนเงินไม่ถูกต้อง {amount!r} / not an amount: {amount!r}") from exc

    def _balances(self, organisation, number, day):
        qs = selectors.accounts(organisation)
        if number:
            qs = qs.filter(number=number)
        rows_ = list(qs)
        held = selectors.balances(organisation, as_of=day, accounts_=rows_)
        self.stdout.write(f"{organisation.name_th} ณ {format_date(day)} / as of {day.isoformat()}")
        rows = [["บัญชี / account", "สมาชิก / member", "สถานะ / status", "ยอด / balance (baht)"]]
        rows += [[a.number, f"{a.member.number} {a.member.full_name}", a.status, format_baht(held[a.pk])]
                 for a in rows_]
        rows.append(["รวม / total", "", "", format_baht(sum(held.values()))])
        self.stdout.write("\n".join(console.table(rows, right=(3,))))
