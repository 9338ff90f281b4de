"""``omboon bylaws``: a group's bylaw settings from a date, and their history (as the settings
page: ``orgs.services.bylaws_set``, audited)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from omboon.core.errors import RuleViolation
from omboon.core.thaidate import parse_date
from omboon.orgs import rules, selectors, services
from omboon.orgs.models import Organisation


class Command(BaseCommand):
    help = (
        "ข้อบังคับของกลุ่ม: show (ฉบับที่ใช้อยู่และประวัติ) | set (ฉบับใหม่ตั้งแต่ --from)\n"
        "a group's bylaws: show (in force and history) | set (a new version from --from). "
        "--approvers WHAT=ROLE,ROLE (WHAT: claims, vouchers, withdrawals, loans; ROLE: chair, "
        "treasurer, secretary, committee), repeatable; what set leaves out keeps today's value."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=("show", "set"))
        parser.add_argument("--org", required=True, help="รหัสกลุ่ม / the group's code")
        parser.add_argument("--from", dest="effective_from", default="", help="เริ่มใช้ / in force from (dd/mm/yyyy)")
        parser.add_argument("--admin-cap", default=None, help="เพดานค่าบริหาร ร้อยละ / administration cap %% ('none')")
        parser.add_argument("--approvers", action="append", default=[], help="WHAT=ROLE,ROLE")
        parser.add_argument("--retention-years", type=int, default=None, help="ปีที่เก็บข้อมูล / retention years")
        parser.add_argument("--journal-single-person", choices=("yes", "no"), default=None)
        parser.add_argument("--savings-dormant-months", type=int, default=None,
                            help="บัญชีเงินฝากไม่เคลื่อนไหวกี่เดือนเป็นบัญชีพัก / months without movement before "
                                 "a savings account is dormant (default 12)")
        parser.add_argument("--loan-quorum", type=int, default=None,
                            help="กรรมการที่ต้องอนุมัติเงินกู้ (คน) / committee approvals a loan needs (default 1)")
        parser.add_argument("--loan-spouse-not-guarantor", choices=("yes", "no"), default=None,
                            help="คู่สมรสของผู้กู้ค้ำประกันไม่ได้ / a borrower's spouse may not guarantee")
        parser.add_argument("--loan-allowance", default=None,
                            help="ค่าเผื่อหนี้สงสัยจะสูญ ร้อยละต่อช่วงอายุหนี้ 1–30,31–60,61–90,91–180,181–365,>365 วัน "
                                 "เช่น 1,2,20,50,100,100 หรือ none (ไม่ตั้ง) / the allowance for doubtful loans at "
                                 "month-end, a percentage per aging bucket, e.g. 1,2,20,50,100,100, or none (off)")
        parser.add_argument("--note", default="", help="หมายเหตุ / note")

    def handle(self, *args, action, org, **o):
        organisation = Organisation.objects.filter(code=org).first()
        if organisation is None:
            raise CommandError(f"ไม่พบองค์กร {org} / no organisation {org}")
        if action == "set":
            self._set(organisation, o)
        self.stdout.write(f"ใช้อยู่ / in force: {selectors.bylaws_on(organisation)}")
        for v in selectors.bylaw_history(organisation):
            self.stdout.write(f"{v.effective_from.isoformat()}  {v.bylaws}  {v.note}")

    def _set(self, organisation, o):
        try:
            day = parse_date(o["effective_from"])
        except ValueError as exc:
            raise CommandError(f"--from: {exc}") from None
        settings = selectors.bylaws_on(organisation, day)
        if o["admin_cap"] is not None:
            cap = o["admin_cap"].strip().lower()
            settings["admin_cap_percent"] = None if cap in ("", "none") else (int(cap) if cap.isdigit() else cap)
        if o["retention_years"] is not None:
            settings["retention_years"] = o["retention_years"]
        if o["savings_dormant_months"] is not None:
            settings["savings_dormant_months"] = o["savings_dormant_months"]
        if o["loan_quorum"] is not None:
            settings["loan_quorum"] = o["loan_quorum"]
        if o["loan_spouse_not_guarantor"] is not None:
            settings["loan_spouse_not_guarantor"] = o["loan_spouse_not_guarantor"] == "yes"
        if o["loan_allowance"] is not None:
            given = o["loan_allowance"].strip().lower()
            settings["loan_allowance"] = None if given in ("", "none") else [
                int(p) if p.strip().isdigit() else p.strip() for p in given.split(",")]
            if settings["loan_allowance"] is None:
                del settings["loan_allowance"]
        if o["journal_single_person"] is not None:
            settings["journal_single_person"] = o["journal_single_person"] == "yes"
        approvers = dict(settings.get("approvers") or {})
        for given in o["approvers"]:
            what, _, roles = given.partition("=")
            approvers[what.strip()] = [r.strip() for r in roles.split(",") if r.strip()]
        settings["approvers"] = {w: r for w, r in approvers.items()
                                 if set(r) != set(rules.APPROVER_ROLES) or w not in rules.APPROVALS}
        try:
            services.bylaws_set(actor=None, organisation=organisation, effective_from=day, settings=settings,
                                note=o["note"])
        except RuleViolation as exc:
            raise CommandError("\n".join(p.text() for p in exc.problems)) from None
