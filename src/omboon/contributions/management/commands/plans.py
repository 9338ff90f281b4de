"""``omboon plans``: a group's contribution plan from the command line — the rates of the entry
fee, the yearly contribution and the daily saving, each from a date; the earlier ones stay (as
the plans page: ``contributions.services.plan_set``, audited)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from omboon.contributions import selectors, services
from omboon.contributions.models import MEMBER_KINDS, Frequency, kind_label
from omboon.core.errors import RuleViolation
from omboon.core.money import format_baht, parse_baht
from omboon.core.thaidate import parse_date
from omboon.orgs.models import Organisation


class Command(BaseCommand):
    help = (
        "อัตราเงินสมทบของกลุ่ม: list | set --kind entry_fee|annual_fee|daily_saving --amount บาท --from วันที่\n"
        "a group's contribution plan: list (every rate with its date) | set (a new rate from --from; "
        "the daily saving's amount is per day, e.g. 1 for one baht a day)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=("list", "set"))
        parser.add_argument("--org", required=True, help="รหัสกลุ่ม / the group's code")
        parser.add_argument("--kind", choices=[k.value for k in MEMBER_KINDS], default="")
        parser.add_argument("--amount", default="", help="บาท / baht")
        parser.add_argument("--frequency", choices=Frequency.values, default=None,
                            help="ความถี่ / how often (entry fee: once; others: monthly)")
        parser.add_argument("--from", dest="effective_from", default="", help="เริ่มใช้ / from (dd/mm/yyyy)")
        parser.add_argument("--note", default="")

    def handle(self, *args, action, org, **o):
        organisation = Organisation.objects.filter(code=org).first()
        if organisation is None or not organisation.is_group:
            raise CommandError(f"ไม่พบกลุ่ม {org} / no group {org}")
        if action == "set":
            if not o["kind"]:
                raise CommandError("ต้องระบุ --kind / --kind is required")
            try:
                amount, day = parse_baht(o["amount"]), parse_date(o["effective_from"])
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            try:
                services.plan_set(actor=None, organisation=organisation, kind=o["kind"], amount=amount,
                                  effective_from=day, frequency=o["frequency"], note=o["note"])
            except RuleViolation as exc:
                raise CommandError("\n".join(p.text() for p in exc.problems)) from None
        for p in selectors.plans(organisation):
            self.stdout.write(f"{p.effective_from.isoformat()}  {kind_label(p.kind, 'en'):<20} "
                              f"{format_baht(p.amount):>10}  {p.frequency}  {p.note}")
