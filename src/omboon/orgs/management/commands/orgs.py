"""``omboon orgs``: the organisations, as a list or an indented tree."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from omboon.core.console import table
from omboon.orgs.models import Organisation
from omboon.orgs.selectors import tree_rows


class Command(BaseCommand):
    help = "แสดงรายชื่อองค์กร: รหัส ประเภท ชื่อ องค์กรแม่\nlist organisations: code, kind, name, parent"

    def add_arguments(self, parser):
        parser.add_argument("--tree", action="store_true",
                            help="แสดงเป็นแผนผังตามลำดับชั้น / indent by depth")

    def handle(self, *args, tree, **options):
        orgs = tree_rows(Organisation.objects.filter(is_active=True))
        if not orgs:
            self.stdout.write("ยังไม่มีองค์กร / no organisations yet (omboon demo)")
            return
        rows = [("code", "kind", "name", "parent")]
        for org in orgs:
            kind = org.kind if org.is_network else f"group:{org.group_type}"
            code = ("  " * org.depth + org.code) if tree else org.code
            rows.append((code, kind, org.name_th, org.parent.code if org.parent_id else "-"))
        self.stdout.write("\n".join(table(rows, rule=False)))
        self.stdout.write(f"\n{len(orgs)} องค์กร / organisations")
