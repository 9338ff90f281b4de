"""omboon collection-day --org CODE --date YYYY-MM-DD: the collection day from the command line,
the same one sitting as the page — each member's contribution, savings deposits and loan
repayments, one receipt per member listing every part, the day posted as one entry, all or
nothing.

``--template [-o FILE]`` writes the day's list as CSV, one line per member and part, pre-filled
with what is due (the contribution, each compulsory savings account's month, each running
loan's instalments due): ``member,name,part,number,label,amount``. Edit the amounts (blank or 0:
nothing for that line) and post it with ``FILE --as USERNAME`` (``--dry-run`` checks only).
Every problem is listed with its line and field; nothing is written if there is one. Before
posting (and in a dry run) it prints what a line does beyond what it names: a loan repayment
above what the loan owes, with the surplus credited to the borrower's savings account. The same
``--key`` twice posts once."""

from __future__ import annotations

import csv
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from omboon.contributions import selectors, services
from omboon.core.errors import RuleViolation
from omboon.core.money import format_baht
from omboon.core.thaidate import parse_date
from omboon.ledger import collection
from omboon.members.models import Member
from omboon.orgs.models import Organisation

COLUMNS = ["member", "name", "part", "number", "label", "amount"]
CONTRIBUTION = "contribution"


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = ("วันเก็บเงินจากบรรทัดคำสั่ง: เงินสมทบ เงินฝาก และชำระเงินกู้ของสมาชิกแต่ละคน ใบเสร็จใบเดียวต่อคน\n"
            "The collection day from the command line: each member's contribution, savings deposits and loan "
            "repayments, one receipt a member (--template writes the day's list pre-filled; FILE posts it)")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="CSV ที่แก้แล้ว / the edited CSV (member,part,number,amount)")
        parser.add_argument("--org", required=True, help="รหัสกลุ่ม / group code")
        parser.add_argument("--date", required=True, help="วันเก็บเงิน (พ.ศ. หรือ ค.ศ.) / the day (BE or CE)")
        parser.add_argument("--template", action="store_true",
                            help="เขียนรายการของวันพร้อมยอดที่ถึงกำหนด / write the day's list, amounts due pre-filled")
        parser.add_argument("-o", "--output", default="", help="ไฟล์ที่เขียน (ไม่ระบุ: หน้าจอ) / file to write")
        parser.add_argument("--as", dest="user", default="", help="ชื่อผู้ใช้เหรัญญิก / the treasurer's username")
        parser.add_argument("--key", default="", help="กุญแจกันบันทึกซ้ำ / idempotency key (the same key posts once)")
        parser.add_argument("--paid-into", default="cash", choices=["cash", "bank"], help="cash | bank")
        parser.add_argument("--dry-run", action="store_true", help="ตรวจอย่างเดียว / check only, write nothing")

    def handle(self, *args, file, org, date, template, output, user, key, paid_into, dry_run, **options):
        organisation = Organisation.objects.filter(code=org, is_active=True).first()
        if organisation is None or not organisation.is_group:
            raise CommandError(f"ไม่พบกลุ่ม {org!r} ดูรายชื่อด้วย omboon orgs / no group {org!r}; see omboon orgs")
        try:
            day = parse_date(date)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if template:
            self._template(organisation, day, output)
            return
        if not file:
            raise CommandError("ระบุไฟล์ หรือ --template / give a FILE, or --template")
        actor = get_user_model().objects.filter(username=user).first() if user else None
        if actor is None:
            raise CommandError(f"ระบุผู้บันทึกด้วย --as (ไม่พบ {user!r}) / name the treasurer with --as (no {user!r})")
        rows, problems = self._rows(organisation, day, file)
        if problems:
            raise CommandError("\n".join(problems))
        # before anything is posted: what a line does beyond what it names (a loan's surplus into savings)
        for n in services.collection_day_notices(actor=actor, organisation=organisation, date=day, rows=rows):
            self.stdout.write(f"บรรทัด/line {n.take.row}, {n.take.member.number}: {n.message_th} / {n.message_en}")
        try:
            with transaction.atomic():
                done = services.collection_day_post(actor=actor, organisation=organisation, date=day, rows=rows,
                                                    idempotency_key=key or None, paid_into=paid_into)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            self.stdout.write(f"ตรวจแล้ว ไม่พบปัญหา {len(rows)} คน / checked, no problem: {len(rows)} members "
                              "(ไม่ได้บันทึก / nothing written)")
            return
        except RuleViolation as exc:
            raise CommandError("\n".join(f"บรรทัด/line {p.row}, {p.field}: {p.message_th} / {p.message_en}"
                                         if p.row is not None else f"{p.field}: {p.message_th} / {p.message_en}"
                                         for p in exc.problems)) from exc
        first = done.receipts.order_by("number").first()
        last = done.receipts.order_by("-number").first()
        self.stdout.write(f"บันทึก {done.count} ใบเสร็จ รวม {format_baht(done.total)} บาท "
                          f"({first.document_number}–{last.document_number}, {first.entry.document_number}) / "
                          f"{done.count} receipts, {format_baht(done.total)} baht")

    def _template(self, organisation, day, output) -> None:
        members = list(selectors.collect_members(organisation, as_of=day))
        ids = [m.pk for m in members]
        covs = {mc.member.pk: mc for mc in selectors.coverage_of(members, organisation, as_of=day)}
        targets: dict[int, list] = {}
        for part in collection.parts():
            for member_id, found in part.targets(organisation, ids, day).items():
                targets.setdefault(member_id, []).extend((part, t) for t in found)
        out = open(output, "w", encoding="utf-8-sig", newline="") if output else sys.stdout  # noqa: SIM115
        try:
            writer = csv.writer(out)
            writer.writerow(COLUMNS)
            for m in members:
                due = covs[m.pk].due_now
                writer.writerow([m.number, m.full_name, CONTRIBUTION, "", "เงินสมทบ", format_baht(due) if due else ""])
                for part, t in targets.get(m.pk, []):
                    writer.writerow([m.number, m.full_name, part.code, t.number, t.label_th,
                                     format_baht(t.due) if t.due else ""])
        finally:
            if output:
                out.close()
        if output:
            self.stdout.write(f"เขียน {len(members)} คน ลง {output} / wrote {len(members)} members to {output}")

    def _rows(self, organisation, day, file) -> tuple[list[dict], list[str]]:
        """The file's lines grouped by member into the day's rows; each row named by its member's
        first line (what the problems say)."""
        try:
            with open(file, encoding="utf-8-sig", newline="") as f:
                lines = list(csv.DictReader(f))
        except OSError as exc:
            raise CommandError(f"อ่านไฟล์ไม่ได้ / cannot read {file}: {exc}") from exc
        if lines and not {"member", "part", "amount"} <= set(lines[0]):
            raise CommandError("ต้องมีคอลัมน์ member, part, number, amount / the columns member, part, number, "
                               "amount are needed (see --template)")
        numbers = {(ln.get("member") or "").strip() for ln in lines}
        members = {m.number: m for m in Member.objects.filter(organisation=organisation, number__in=numbers)}
        targets: dict[tuple[int, str, str], str] = {}
        for part in collection.parts():
            for member_id, found in part.targets(organisation, [m.pk for m in members.values()], day).items():
                for t in found:
                    targets[(member_id, part.code, t.number)] = t.ref
        rows: dict[str, dict] = {}
        problems: list[str] = []
        for n, ln in enumerate(lines, start=2):  # line 1 is the heading
            number, part = (ln.get("member") or "").strip(), (ln.get("part") or "").strip()
            amount = (ln.get("amount") or "").strip()
            if amount in ("", "0", "0.00"):
                continue
            member = members.get(number)
            row = rows.setdefault(number, {"number": number, "row": n, "amount": 0, "parts": {}})
            if part == CONTRIBUTION:
                row["amount"] = amount
                continue
            ref = targets.get((member.pk, part, (ln.get("number") or "").strip())) if member else None
            if member is not None and ref is None:
                problems.append(f"บรรทัด/line {n}, {part}:{ln.get('number')}: ไม่ใช่บัญชีหรือสัญญาที่รับเงินได้ของสมาชิก "
                                f"{number} / not an account or loan of member {number} that takes money now")
                continue
            row["parts"].setdefault(part, {})[ref or ""] = amount
        return list(rows.values()), problems
