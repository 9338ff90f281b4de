"""``omboon tokens``: API tokens for scripts from the command line (audited like the page)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from omboon.core.console import table
from omboon.core.errors import RuleViolation
from omboon.orgs import services
from omboon.orgs.models import ApiToken, Organisation, Role, ServiceUser

ACTIONS = ("create", "list", "revoke")
DEFAULT_DAYS = 90


class Command(BaseCommand):
    help = (
        "โทเคน API สำหรับสคริปต์: create | list | revoke\n"
        "API tokens for scripts. create prints the token ONCE (only its hash is kept): for "
        "--user USERNAME, or for --service-user NAME (made with --role if new; it never signs in). "
        "Read-only (view) unless --capabilities says more; never more than the user's roles."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=ACTIONS)
        parser.add_argument("--org", action="append", required=True,
                            help="รหัสองค์กร (ซ้ำได้) / an organisation's code (repeat for more)")
        parser.add_argument("--name", default="", help="ชื่อโทเคน / the token's name")
        parser.add_argument("--user", default="", help="ผู้ใช้เจ้าของโทเคน / the user it acts as")
        parser.add_argument("--service-user", default="",
                            help="ผู้ใช้สำหรับสคริปต์ของกลุ่ม (สร้างถ้ายังไม่มี) / the group's service user (made if new)")
        parser.add_argument("--role", default=Role.AUDITOR, choices=Role.values,
                            help="บทบาทของผู้ใช้สำหรับสคริปต์ใหม่ (ค่าเริ่มต้น auditor) / a new service user's role")
        parser.add_argument("--capabilities", default="view",
                            help="สิทธิ์ คั่นด้วย , (ค่าเริ่มต้น view) / capabilities, comma-separated "
                                 "(view, records, write, approve, manage, audit; default view)")
        parser.add_argument("--expires", default="", help="วันสุดท้ายที่ใช้ได้ ปปปป-ดด-วว / the last day it works, YYYY-MM-DD")
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS,
                            help=f"หรือ อายุเป็นวัน (ค่าเริ่มต้น {DEFAULT_DAYS}, ไม่เกิน 366) / or days to live")
        parser.add_argument("--token", default="",
                            help="โทเคนที่จะยกเลิก: ส่วนต้น (omb_…) / the token to revoke: its prefix")

    def handle(self, *args, action, org, **o):
        organisations = []
        for code in org:
            found = Organisation.objects.filter(code=code, is_active=True).first()
            if found is None:
                raise CommandError(f"ไม่พบองค์กร {code} / no organisation {code}")
            organisations.append(found)
        try:
            if action == "list":
                return self._list(organisations)
            if action == "revoke":
                return self._revoke(organisations, o["token"])
            return self._create(organisations, o)
        except RuleViolation as exc:
            raise CommandError("\n".join(p.text() for p in exc.problems)) from None

    def _list(self, organisations):
        rows = [("token", "name", "user", "capabilities", "expires", "last used", "state")]
        today = timezone.localdate()
        for organisation in organisations:
            for t in services.tokens_of(organisation):
                state = "revoked" if t.revoked_at else ("expired" if t.has_expired(today) else "active")
                used = timezone.localtime(t.last_used_at).strftime("%Y-%m-%d %H:%M") if t.last_used_at else "-"
                rows.append((f"{t.prefix}…", t.name, t.user.username, ",".join(t.capabilities),
                             t.expires_on.isoformat(), used, state))
        self.stdout.write("\n".join(table(rows, rule=False)))

    def _holder(self, organisations, o):
        if bool(o["user"]) == bool(o["service_user"]):
            raise CommandError("ระบุ --user หรือ --service-user อย่างใดอย่างหนึ่ง / give --user or --service-user")
        if o["user"]:
            user = get_user_model().objects.filter(username=o["user"]).first()
            if user is None:
                raise CommandError(f"ไม่พบผู้ใช้ {o['user']} / no user {o['user']}")
            return user
        organisation = organisations[0]
        service = ServiceUser.objects.filter(organisation=organisation, name=o["service_user"]).first()
        if service is None:
            service = services.service_user_create(actor=None, organisation=organisation, name=o["service_user"],
                                                   role=o["role"])
            self.stderr.write(f"สร้างผู้ใช้สำหรับสคริปต์ / service user made: {service.user.username} ({o['role']})")
        return service.user

    def _create(self, organisations, o):
        if o["expires"]:
            try:
                expires_on = dt.date.fromisoformat(o["expires"])
            except ValueError:
                raise CommandError(f"--expires: ใช้ ปปปป-ดด-วว / use YYYY-MM-DD ({o['expires']})") from None
        else:
            expires_on = timezone.localdate() + dt.timedelta(days=o["days"])
        capabilities = [c.strip() for c in o["capabilities"].split(",") if c.strip()]
        token, raw = services.token_create(actor=None, holder=self._holder(organisations, o),
                                           organisations=organisations, name=o["name"],
                                           capabilities=capabilities, expires_on=expires_on)
        self.stderr.write(f"โทเคน {token.name} ของ {token.user.username} หมดอายุ {expires_on} — "
                          "แสดงครั้งเดียว เก็บไว้ให้ดี\n"
                          f"token {token.name} of {token.user.username}, expires {expires_on} — "
                          "shown once, keep it safe:")
        self.stdout.write(raw)

    def _revoke(self, organisations, prefix):
        if not prefix:
            raise CommandError("ต้องระบุ --token / --token is required")
        found = list(ApiToken.objects.filter(organisations__in=organisations, prefix__startswith=prefix[:16])
                     .distinct())
        if len(found) != 1:
            raise CommandError(f"ไม่พบโทเคน {prefix} (หรือพบมากกว่าหนึ่ง) / no single token {prefix}")
        token = services.token_revoke(actor=None, token=found[0])
        self.stdout.write(f"ยกเลิกแล้ว / revoked: {token.prefix}… {token.name}")
