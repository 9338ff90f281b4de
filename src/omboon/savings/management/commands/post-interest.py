"""omboon post-interest --org CODE --through YYYY-MM-DD [--user USERNAME]: post the savings
interest of every period that ends on or before the date and is not posted yet (one entry a
product and period: 5400 Dr, the members' accounts Cr). Running it again posts nothing twice;
a period ending in a closed month is refused."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from omboon.core import console
from omboon.core.errors import RuleViolation
from omboon.core.money import format_baht
from omboon.core.thaidate import parse_date
from omboon.orgs.models import Organisation
from omboon.savings import services


class Command(BaseCommand):
    help = ("ลงดอกเบี้ยเงินฝากของงวดที่สิ้นสุดแล้ว (ไม่ลงซ้ำ)\n"
            "Post savings interest for the periods ended so far (never twice)")

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="รหัสกลุ่ม / group code")
        parser.add_argument("--through", required=True, help="ถึงวันที่ (พ.ศ. หรือ ค.ศ.) / through a date")
        parser.add_argument("--user", "--as", dest="user", default="", help="ชื่อผู้ใช้ผู้บันทึก / acting username")

    def handle(self, *args, org, through, user, **options):
        organisation = Organisation.objects.filter(code=org, is_active=True).first()
        if organisation is None or not organisation.is_group:
            raise CommandError(f"ไม่พบกลุ่ม {org!r} ดูรายชื่อด้วย omboon orgs / no group {org!r}; see omboon orgs")
        try:
            day = parse_date(through)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        actor = get_user_model().objects.filter(username=user).first() if user else None
        if user and actor is None:
            raise CommandError(f"ไม่พบผู้ใช้ {user} / no user {user}")
        try:
            runs = services.interest_post(actor=actor, organisation=organisation, through=day)
        except RuleViolation as exc:
            raise CommandError("\n".join(f"{p.message_th} / {p.message_en}" for p in exc.problems)) from exc
        if not runs:
            self.stdout.write("ไม่มีงวดที่ต้องลงดอกเบี้ย / no period left to post")
            return
        rows = [["ผลิตภัณฑ์ / product", "งวด / period", "บัญชี / accounts", "ดอกเบี้ย / interest", "เอกสาร / entry"]]
        rows += [[r.product.code, f"{r.period_start.isoformat()} – {r.period_end.isoformat()}", str(r.accounts),
                  format_baht(r.total), r.entry.document_number if r.entry_id else "–"] for r in runs]
        self.stdout.write("\n".join(console.table(rows, right=(2, 3))))
