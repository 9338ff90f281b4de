"""``omboon users``: a group's users and roles from the command line (audited like the pages)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from omboon.core.console import table
from omboon.core.errors import RuleViolation
from omboon.orgs import services as org_services
from omboon.orgs.models import Organisation, Role
from omboon.web import people

ACTIONS = ("list", "add", "edit", "grant", "revoke", "reset-password", "deactivate")


class Command(BaseCommand):
    help = (
        "ผู้ใช้และบทบาทของกลุ่ม: list | add | edit | grant | revoke | reset-password | deactivate\n"
        "a group's users and roles. add and reset-password take --password-file, else print a "
        "one-time password once; a member login needs --member NUMBER (its member record); "
        "edit changes the name and --phone (list --search WORD --page N shows 50 at a time)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=ACTIONS)
        parser.add_argument("--org", required=True, help="รหัสกลุ่ม / the group's code")
        parser.add_argument("--username", default="", help="ชื่อผู้ใช้ / username")
        parser.add_argument("--role", default="", choices=["", *Role.values], help="บทบาท / role")
        parser.add_argument("--first-name", default="", help="ชื่อ / first name")
        parser.add_argument("--last-name", default="", help="นามสกุล / last name")
        parser.add_argument("--phone", default=None, help="โทรศัพท์ / phone number")
        parser.add_argument("--search", default="", help="list: ค้นหา / only users matching this")
        parser.add_argument("--page", type=int, default=1, help="list: หน้าที่ / page number (50 a page)")
        parser.add_argument("--member", default="", help="เลขสมาชิก (บทบาทสมาชิก) / member number")
        parser.add_argument("--password-file", default="", help="ไฟล์รหัสผ่าน / password file (first line)")

    def handle(self, *args, action, org, **o):
        organisation = Organisation.objects.filter(code=org).first()
        if organisation is None:
            raise CommandError(f"ไม่พบองค์กร {org} / no organisation {org}")
        if action == "list":
            return self._list(organisation, o["search"], o["page"])
        if not o["username"]:
            raise CommandError("ต้องระบุ --username / --username is required")
        try:
            self._do(action, organisation, o)
        except RuleViolation as exc:
            raise CommandError("\n".join(p.text() for p in exc.problems)) from None

    def _list(self, organisation, search, number):
        page, total = people.people_page(organisation, search.strip(), number, 50)
        rows = [("username", "name", "phone", "roles", "member", "active")]
        for p in page.object_list:
            rows.append((p.user.username, p.user.get_full_name() or "-", p.phone or "-", ",".join(p.roles),
                         p.member_number or "-", "yes" if p.user.is_active else "no"))
        self.stdout.write("\n".join(table(rows, rule=False)))
        if page.paginator.num_pages > 1:
            self.stdout.write(f"หน้า / page {page.number}/{page.paginator.num_pages} "
                              f"({page.paginator.count} of {total})")

    def _password(self, o) -> tuple[str, bool]:
        if o["password_file"]:
            try:
                return Path(o["password_file"]).read_text(encoding="utf-8").splitlines()[0].strip(), False
            except (OSError, IndexError) as exc:
                raise CommandError(f"--password-file: อ่านไม่ได้ / cannot read ({exc})") from None
        return people.one_time_password(), True

    def _user(self, organisation, username):
        user = people.user_of(organisation, username)
        if user is None:
            raise CommandError(f"{username} ไม่ได้เป็นผู้ใช้ของ {organisation.code} / "
                               f"{username} is not a user of {organisation.code}")
        return user

    def _do(self, action, organisation, o):
        username = o["username"]
        if action in ("add", "grant", "revoke") and not o["role"]:
            raise CommandError("ต้องระบุ --role / --role is required")
        if action == "add":
            password, shown = self._password(o)
            people.person_add(actor=None, organisation=organisation, username=username,
                              password=password, role=o["role"], first_name=o["first_name"],
                              last_name=o["last_name"], member_number=o["member"], phone=o["phone"] or "")
            self.stdout.write(f"เพิ่ม / added {username} ({o['role']}) @ {organisation.code}")
        elif action == "edit":
            shown = False
            user = self._user(organisation, username)
            org_services.user_update(
                actor=None, user=user, organisation=organisation,
                first_name=o["first_name"] or user.first_name, last_name=o["last_name"] or user.last_name,
                email=user.email, phone=org_services.phone_of(user) if o["phone"] is None else o["phone"])
            self.stdout.write(f"แก้ไข / changed {username} @ {organisation.code}")
        elif action == "reset-password":
            password, shown = self._password(o)
            org_services.user_password_reset(actor=None, user=self._user(organisation, username),
                                             organisation=organisation, password=password)
            self.stdout.write(f"ตั้งรหัสผ่านใหม่ / password reset: {username}")
        else:
            shown = False
            user = self._user(organisation, username) if action != "grant" else \
                people.user_of(organisation, username) or self._any_user(username)
            if action == "grant":
                people.person_grant(actor=None, organisation=organisation, user=user, role=o["role"],
                                    member_number=o["member"])
            elif action == "revoke":
                org_services.role_revoke(actor=None, user=user, organisation=organisation, role=o["role"])
            else:
                org_services.user_deactivate(actor=None, user=user, organisation=organisation)
            self.stdout.write(f"{action}: {username} {o['role']} @ {organisation.code}")
        if shown:
            self.stdout.write(f"รหัสผ่านครั้งเดียว / one-time password: {password}")

    def _any_user(self, username):


        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"ไม่พบผู้ใช้ {username} / no user {username}")
        return user
