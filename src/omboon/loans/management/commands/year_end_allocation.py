"""``omboon year-end-allocation``: the year-end allocation (จัดสรรกำไรสุทธิ) from the command
line, through the same services and rules as the pages (audited under the user named by --by)."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from omboon.core.console import table
from omboon.core.errors import RuleViolation
from omboon.core.money import format_baht
from omboon.core.thaidate import parse_date, to_be, to_ce
from omboon.loans.models import YearEndAllocation
from omboon.loans.year_end import compute, selectors, services
from omboon.members import selectors as member_selectors
from omboon.orgs.models import Organisation

ACTIONS = ("show", "draft", "approve", "post", "pay", "reverse")
PERCENT_HELP = {
    compute.RESERVE: "ทุนสำรอง ร้อยละของกำไรสุทธิ (อย่างน้อย 10; แบบอัตรา: ขั้นต่ำ) / reserve, %% of net income (>= 10)",
    compute.DIVIDEND: "ปันผล: แบบสัดส่วน ร้อยละของกำไรสุทธิ; แบบอัตรา ร้อยละต่อปีของยอดถัวเฉลี่ย / dividend",
    compute.REFUND: "เฉลี่ยคืน: แบบสัดส่วน ร้อยละของกำไรสุทธิ; แบบอัตรา ร้อยละของดอกเบี้ยที่จ่าย / refund",
    compute.WELFARE: "กองทุนสวัสดิการ ร้อยละของกำไรสุทธิ / welfare fund, %% of net income",
    compute.COMMITTEE: "ค่าตอบแทนกรรมการ ร้อยละของกำไรสุทธิ / committee remuneration, %% of net income",
    compute.PUBLIC: "ทุนสาธารณประโยชน์ ร้อยละของกำไรสุทธิ / public benefit, %% of net income",
}


class Command(BaseCommand):
    help = ("จัดสรรกำไรสุทธิประจำปี: show | draft | approve | post | pay | reverse\n"
            "The year-end allocation of a group's net income. show (the default) prints the year's allocation "
            "and its members; with --what-if and percentages it prints the draft's members under those instead "
            "(nothing is saved). draft computes it from the books once the fiscal year's last month is closed "
            "(--model pool|rate and the six percentages; pool: they add up to 100, reserve at least 10). "
            "approve: the first committee member records the general meeting (--meeting DATE --resolution TEXT), "
            "a second one approves (never the drafter). post --date, then pay --how cash|savings, or reverse "
            "--reason before paying. Every action but show needs --by USERNAME.")

    def add_arguments(self, parser):
        parser.add_argument("action", nargs="?", default="show", choices=ACTIONS)
        parser.add_argument("--org", required=True, help="รหัสกลุ่ม / the group's code")
        parser.add_argument("--year", required=True, type=int,
                            help="ปีงบประมาณ (พ.ศ. หรือ ค.ศ. ปีที่สิ้นสุด) / fiscal year (the year it ends, BE or CE)")
        parser.add_argument("--by", default="", help="ชื่อผู้ใช้ผู้ทำรายการ / the acting user's username")
        parser.add_argument("--model", default=compute.POOL, choices=compute.MODELS,
                            help="pool = แบ่งตามสัดส่วน / percentages; rate = ปันผลและเฉลี่ยคืนตามอัตรา / rates")
        for part in compute.PARTS:
            parser.add_argument(f"--{part}", default="0" if part != compute.RESERVE else "10", help=PERCENT_HELP[part])
        parser.add_argument("--base", default="all", choices=("all", "shares", "savings"),
                            help="ฐานปันผล: หุ้นและเงินฝาก / หุ้น / เงินฝาก — the dividend's balances")
        parser.add_argument("--what-if", action="store_true",
                            help="show: คำนวณรายชื่อของร่างด้วยอัตราอื่น ไม่บันทึก / the draft under other "
                                 "percentages, not saved")
        parser.add_argument("--meeting", default="", help="approve: วันประชุมใหญ่ / the general meeting's date")
        parser.add_argument("--resolution", default="", help="approve: มติที่ประชุมใหญ่ / the meeting's resolution")
        parser.add_argument("--date", default="", help="post, pay, reverse: วันที่ (default today)")
        parser.add_argument("--how", default="", choices=("", "cash", "savings"),
                            help="pay: เงินสด / cash or เข้าบัญชีเงินฝาก / into savings")
        parser.add_argument("--reason", default="", help="reverse: เหตุผล / reason")
        parser.add_argument("--members", type=int, default=20,
                            help="show: จำนวนสมาชิกที่แสดง (0: ทั้งหมด) / members to list (0: all)")
        parser.add_argument("--json", action="store_true", help="show: JSON")

    def handle(self, *args, action, org, year, **o):
        organisation = Organisation.objects.filter(code=org).first()
        if organisation is None or not organisation.is_group:
            raise CommandError(f"ไม่พบกลุ่ม {org!r} ดูรายชื่อด้วย omboon orgs / no group {org!r}; see omboon orgs")
        year = to_ce(year) if year > 2400 else year
        try:
            if action == "show":
                return self._show(organisation, year, o)
            actor = get_user_model().objects.filter(username=o["by"], is_active=True).first() if o["by"] else None
            if actor is None:
                raise CommandError("ต้องระบุ --by ผู้ใช้ที่ยังใช้งานอยู่ / --by must name an active user")
            self.stdout.write(getattr(self, f"_{action}")(organisation, year, actor, o))
        except RuleViolation as exc:
            raise CommandError("\n".join(p.text() for p in exc.problems)) from None
        except ValueError as exc:
            raise CommandError(str(exc)) from None

    @staticmethod
    def _model(o) -> compute.Model:
        try:
            return compute.Model(o["model"], **{p: Decimal(o[p]) for p in compute.PARTS})
        except InvalidOperation:
            raise CommandError("ร้อยละต้องเป็นตัวเลข / percentages are numbers") from None

    @staticmethod
    def _allocation(organisation, year) -> YearEndAllocation:
        found = selectors.current(organisation, year)
        if found is None:
            raise CommandError(f"ยังไม่มีร่างการจัดสรรปี {to_be(year)}: ใช้ draft ก่อน / no allocation of {year}: "
                               "draft one first")
        return found

    @staticmethod
    def _date(text):
        return parse_date(text) if text else None

    def _show(self, organisation, year, o):
        allocation = self._allocation(organisation, year)
        if o["what_if"]:
            result = selectors.what_if(allocation, self._model(o))
            parts, model = result.parts, result.model
            members = [(s.member_id, s.balance_months, s.interest_paid, s.dividend, s.refund) for s in result.members]
        else:
            parts, model = selectors.parts_of(allocation), selectors.model_of(allocation)
            members = list(allocation.shares.order_by("member_id").values_list(
                "member_id", "balance_months", "interest_paid", "dividend", "refund"))
        numbers = dict(member_selectors.members_of(organisation).filter(pk__in=[m[0] for m in members])
                       .values_list("pk", "number"))
        members.sort(key=lambda m: numbers.get(m[0], ""))
        if o["json"]:
            self.stdout.write(json.dumps({
                "fiscal_year": year, "status": allocation.status, "what_if": o["what_if"],
                "net_income": allocation.net_income, "model": model.as_dict(), "parts": parts,
                "members": [{"member": numbers.get(m), "balance": b // compute.MONTHS, "interest_paid": i,
                             "dividend": d, "refund": r} for m, b, i, d, r in members]}, ensure_ascii=False))
            return
        head = "ทดลองคำนวณ (ไม่บันทึก) / what-if (not saved)" if o["what_if"] else \
            f"{allocation.get_status_display()} / {allocation.status}"
        self.stdout.write(f"{organisation.name_th} จัดสรรกำไรสุทธิปี {to_be(year)} / year-end allocation {year}: "
                          f"{head}")
        self.stdout.write(f"กำไรสุทธิ / net income: {format_baht(allocation.net_income)} บาท ({model.kind})")
        rows = [["ส่วน / part", "ร้อยละ / %", "บาท / baht"]]
        rows += [[f"{compute.PART_NAMES[p][0]} / {compute.PART_NAMES[p][1]}", str(model.percent(p)),
                  format_baht(parts[p])] for p in compute.PARTS]
        rows.append(["รวม / total", "", format_baht(sum(parts.values()))])
        self.stdout.write("\n".join(table(rows, right=(1, 2))))
        shown = members if o["members"] <= 0 else members[:o["members"]]
        rows = [["สมาชิก / member", "ยอดถัวเฉลี่ย / balance", "ดอกเบี้ยที่จ่าย / interest", "ปันผล / dividend",
                 "เฉลี่ยคืน / refund"]]
        rows += [[numbers.get(m, str(m)), format_baht(b // compute.MONTHS), format_baht(i), format_baht(d),
                  format_baht(r)] for m, b, i, d, r in shown]
        self.stdout.write("\n".join(table(rows, right=(1, 2, 3, 4))))
        if len(shown) < len(members):
            self.stdout.write(f"... อีก {len(members) - len(shown)} คน (--members 0: ทั้งหมด) / "
                              f"{len(members) - len(shown)} more (--members 0: all)")

    def _draft(self, organisation, year, actor, o):
        a = services.allocation_draft(actor=actor, organisation=organisation, fiscal_year=year, model=self._model(o),
                                      base=o["base"])
        return (f"ร่างการจัดสรรกำไรสุทธิปี {to_be(year)}: กำไรสุทธิ {format_baht(a.net_income)} บาท "
                f"ปันผล {format_baht(a.dividend)} เฉลี่ยคืน {format_baht(a.refund)} ทุนสำรอง {format_baht(a.reserve)} "
                f"({a.shares.count()} คน) / drafted")

    def _approve(self, organisation, year, actor, o):
        a = services.allocation_approve(actor=actor, allocation=self._allocation(organisation, year),
                                        meeting_on=self._date(o["meeting"]), resolution=o["resolution"])
        return f"{a.get_status_display()} / {a.status}"

    def _post(self, organisation, year, actor, o):
        a = services.allocation_post(actor=actor, allocation=self._allocation(organisation, year),
                                     date=self._date(o["date"]))
        return f"ลงบัญชีแล้ว {a.entry.document_number} / posted"

    def _pay(self, organisation, year, actor, o):
        a = services.allocation_pay(actor=actor, allocation=self._allocation(organisation, year), how=o["how"],
                                    date=self._date(o["date"]))
        doc = a.payment.document_number if a.payment else "-"
        return (f"จ่ายแล้ว {format_baht(a.dividend + a.refund)} บาท {doc} ({a.get_paid_how_display()}) / paid "
                f"({a.paid_how})")

    def _reverse(self, organisation, year, actor, o):
        a = services.allocation_reverse(actor=actor, allocation=self._allocation(organisation, year),
                                        reason=o["reason"], date=self._date(o["date"]))
        return f"กลับรายการแล้ว {a.reversal.document_number} / reversed"
