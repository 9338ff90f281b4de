"""``omboon loan-products``: a group's loan products and their dated versions from the command
line, through the same services and rules as the pages (create and version need --by, a user
who manages the group)."""

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
from omboon.orgs.models import Organisation

ACTIONS = ("list", "show", "create", "version")
ROUND = {1: 100, 5: 500, 10: 1000}


def _band(text: str) -> list:
    """"20000:0" (up to 20,000 baht, no guarantor) or "above:2" (the rest, two guarantors)."""
    up_to, sep, count = text.partition(":")
    if not sep or not count.strip().isdigit():
        raise ValueError(f"--band {text!r}: ใช้รูปแบบ ถึงบาท:คน หรือ above:คน / use UP_TO_BAHT:N or above:N")
    return [None if up_to.strip().lower() == "above" else parse_baht(up_to), int(count)]


class Command(BaseCommand):
    help = ("ประเภทเงินกู้: list | show --product CODE (ฉบับทั้งหมด) | create --product CODE --name-th … | "
            "version --product CODE (เงื่อนไขใหม่ตั้งแต่ --from)\n"
            "loan products: list, a product's versions, a new product, new terms from a date on. create and "
            "version take the terms (--method --rate --per --term --every [--grace-principal] [--grace-interest] "
            "[--round 1|5|10] [--penalty-rate] [--penalty-fine] [--order penalty,fee,interest,principal]) and "
            "the limits (--term-min, --term-max: the terms an application may ask for, default --term; --max, "
            "--savings-multiple, --band UP_TO:N … --band above:N, --guarantor-cap, "
            "--allow-in-arrears, --overpayment-to-savings, --lien-replaces-guarantors); "
            "--by names a user who manages the group")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=ACTIONS)
        parser.add_argument("--org", required=True, help="รหัสกลุ่ม / the group's code")
        parser.add_argument("--by", default="", help="ชื่อผู้ใช้ผู้ทำรายการ / the acting user's username")
        parser.add_argument("--product", default="", help="รหัสประเภทเงินกู้ / product code")
        parser.add_argument("--name-th", default="", help="ชื่อ (ไทย) / Thai name")
        parser.add_argument("--name-en", default="", help="ชื่อ (อังกฤษ) / English name")
        parser.add_argument("--from", dest="effective_from", default="", help="เริ่มใช้ / in force from (default today)")
        parser.add_argument("--method", choices=schedule.METHODS, default="flat")
        parser.add_argument("--rate", default="0", help="อัตราดอกเบี้ยร้อยละ / rate in percent")
        parser.add_argument("--per", choices=("year", "month"), default="year")
        parser.add_argument("--term", type=int, default=12, help="จำนวนงวด / instalments")
        parser.add_argument("--term-min", type=int, default=None,
                            help="จำนวนงวดต่ำสุดที่ผู้กู้เลือกได้ / the shortest term asked for (default --term)")
        parser.add_argument("--term-max", type=int, default=None,
                            help="จำนวนงวดสูงสุดที่ผู้กู้เลือกได้ / the longest term asked for (default --term)")
        parser.add_argument("--every", choices=("month", "week", "year"), default="month")
        parser.add_argument("--grace-principal", type=int, default=0)
        parser.add_argument("--grace-interest", type=int, default=0)
        parser.add_argument("--round", type=int, choices=(1, 5, 10), default=None, help="ปัดงวด (บาท) / round to baht")
        parser.add_argument("--penalty-rate", default="0", help="ค่าปรับร้อยละต่อเดือน / penalty %% a month")
        parser.add_argument("--penalty-fine", default="0", help="ค่าปรับต่องวด (บาท) / fine per overdue instalment")
        parser.add_argument("--order", default=",".join(schedule.PARTS), help="ลำดับการตัดชำระ / allocation order")
        parser.add_argument("--max", default="", help="วงเงินสูงสุด (บาท) / maximum in baht")
        parser.add_argument("--savings-multiple", default="0", help="ไม่เกินกี่เท่าของเงินออม / times own savings")
        parser.add_argument("--band", action="append", default=[],
                            help="ผู้ค้ำตามวงเงิน UP_TO_BAHT:N, สุดท้าย above:N / guarantors by band")
        parser.add_argument("--guarantor-cap", default="0", help="วงเงินค้ำต่อคน (บาท) / a guarantor's cap")
        parser.add_argument("--allow-in-arrears", action="store_true", help="กู้ได้แม้มีงวดค้าง / lend in arrears")
        parser.add_argument("--overpayment-to-savings", action="store_true",
                            help="ส่วนเกินเข้าเงินฝากออมทรัพย์ / a surplus goes to voluntary savings")
        parser.add_argument("--lien-replaces-guarantors", action="store_true",
                            help="อายัดเงินฝาก/หุ้นของผู้กู้ครบวงเงินกู้แทนผู้ค้ำได้ / liens on the borrower's own "
                                 "savings covering the whole principal stand in for the guarantors")

    def handle(self, *args, action, org, **o):
        organisation = Organisation.objects.filter(code=org).first()
        if organisation is None or not organisation.is_group:
            raise CommandError(f"ไม่พบกลุ่ม {org!r} ดูรายชื่อด้วย omboon orgs / no group {org!r}; see omboon orgs")
        if action == "list":
            return self._list(organisation)
        product = selectors.products(organisation).filter(code=o["product"].strip()).first()
        if action == "show" or action == "version":
            if product is None:
                raise CommandError(f"ไม่พบประเภทเงินกู้ {o['product']!r} / no loan product {o['product']!r}")
            if action == "show":
                return self._show(product)
        actor = get_user_model().objects.filter(username=o["by"], is_active=True).first() if o["by"] else None
        if actor is None:
            raise CommandError("ต้องระบุ --by ผู้ใช้ที่ยังใช้งานอยู่ / --by must name an active user")
        try:
            settings = self._settings(o)
            if action == "create":
                product = services.product_create(actor=actor, organisation=organisation, code=o["product"],
                                                  name_th=o["name_th"], name_en=o["name_en"], **settings)
                self.stdout.write(f"เพิ่มประเภทเงินกู้ / created {product.code}")
            else:
                version = services.product_version_create(actor=actor, product=product, **settings)
                self.stdout.write(f"เงื่อนไขใหม่ / new terms of {product.code} from {version.effective_from}")
        except RuleViolation as exc:
            raise CommandError("\n".join(p.text() for p in exc.problems)) from None
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self._show(product)

    @staticmethod
    def _decimal(text: str, name: str) -> Decimal:
        try:
            value = Decimal(text.strip())
        except InvalidOperation:
            raise ValueError(f"--{name} {text!r}: ต้องเป็นตัวเลข / must be a number") from None
        return value

    def _settings(self, o) -> dict:
        terms = schedule.Terms(
            method=o["method"], rate=self._decimal(o["rate"], "rate"), per=o["per"], every=o["every"],
            term=o["term"], grace_principal=o["grace_principal"], grace_interest=o["grace_interest"],
            rounding=ROUND.get(o["round"], 1), penalty_rate=self._decimal(o["penalty_rate"], "penalty-rate"),
            penalty_fine=parse_baht(o["penalty_fine"]),
            order=tuple(p.strip() for p in o["order"].split(",")))
        return {"terms": terms, "term_min": o["term_min"], "term_max": o["term_max"],
                "max_amount": parse_baht(o["max"]) if o["max"] else 0,
                "effective_from": parse_date(o["effective_from"]) if o["effective_from"] else timezone.localdate(),
                "guarantor_bands": [_band(b) for b in o["band"]], "guarantor_cap": parse_baht(o["guarantor_cap"]),
                "savings_multiple": self._decimal(o["savings_multiple"], "savings-multiple"),
                "refuse_in_arrears": not o["allow_in_arrears"],
                "overpayment_to_savings": o["overpayment_to_savings"],
                "lien_replaces_guarantors": o["lien_replaces_guarantors"]}

    def _list(self, organisation):
        today = timezone.localdate()
        out = [("code", "name", "in force")]
        for p in selectors.products(organisation):
            out.append((p.code, p.name_th, selectors.product_summary(p, today, "en") or "-"))
        self.stdout.write("\n".join(table(out, rule=False)))

    def _show(self, product):
        out = [("from", "terms", "term", "maximum", "guarantors", "loans")]
        counts = selectors.loans_by_version(product)
        for v in product.versions.order_by("-effective_from"):
            out.append((v.effective_from.isoformat(), selectors.terms_summary(v.terms, "en"),
                        rules.term_limits_text(v, "en"), format_baht(v.max_amount),
                        selectors.bands_summary(v.guarantor_bands, "en") or "-", str(counts.get(v.pk, 0))))
        self.stdout.write(f"{product.code} {product.name_th}")
        self.stdout.write("\n".join(table(out, rule=False)))
