"""``omboon schemes``: a group's welfare schemes from the command line — list them with their
rule versions, or add one from a preset (as the new-scheme page: ``welfare.services.scheme_create``,
audited); a rule is changed on the scheme's page, as a new version from a date."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from omboon.core.errors import RuleViolation
from omboon.core.thaidate import parse_date
from omboon.orgs.models import Organisation
from omboon.welfare import forms, presets, selectors, services


class Command(BaseCommand):
    help = (
        "สวัสดิการของกลุ่ม: list (พร้อมกติกาแต่ละฉบับ) | presets | add --preset ประเภท --from วันที่\n"
        "a group's welfare schemes: list (with each rule version) | presets (the usual schemes) | "
        "add --preset CATEGORY --from DATE [--name-th NAME] (a scheme from a preset)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=("list", "presets", "add"))
        parser.add_argument("--org", default="", help="รหัสกลุ่ม / the group's code")
        parser.add_argument("--preset", default="", help="ประเภท / category, e.g. death")
        parser.add_argument("--from", dest="effective_from", default="", help="เริ่มใช้ / from (dd/mm/yyyy)")
        parser.add_argument("--name-th", default="", help="ชื่อ (ว่าง = ชื่อของแบบ) / name (blank: the preset's)")

    def handle(self, *args, action, org, **o):
        offered = {p.category: p for p in presets.presets(paid_up=True)}
        if action == "presets":
            for p in offered.values():
                self.stdout.write(f"{p.category:<22} {p.name_th} / {p.name_en}")
            return
        organisation = Organisation.objects.filter(code=org).first()
        if organisation is None or not organisation.is_group:
            raise CommandError(f"ไม่พบกลุ่ม {org} / no group {org}")
        if action == "add":
            preset = offered.get(o["preset"])
            if preset is None:
                raise CommandError(f"ไม่มีแบบ {o['preset']!r} / no preset {o['preset']!r}: {', '.join(offered)}")
            try:
                day = parse_date(o["effective_from"])
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            try:
                services.scheme_create(actor=None, organisation=organisation, category=preset.category,
                                       name_th=o["name_th"] or preset.name_th, name_en=preset.name_en,
                                       rule=preset.rule, effective_from=day)
            except RuleViolation as exc:
                raise CommandError("\n".join(p.text() for p in exc.problems)) from None
        for scheme in selectors.schemes(organisation).order_by("id"):
            self.stdout.write(f"{scheme.pk:>4} {scheme.name_th} ({scheme.category})"
                              f"{'' if scheme.is_active else ' — ปิด / inactive'}")
            for v in scheme.versions.order_by("effective_from"):
                self.stdout.write(f"       {v.effective_from.isoformat()}  {'; '.join(forms.describe(v.parsed, 'en'))}")
