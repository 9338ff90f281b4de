"""Template context for the shell: the current organisation, its sections and the switcher.

Everything here is lazy: a page that never shows the switcher never queries for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import gettext_lazy as _

from omboon.orgs import scoping, selectors


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    active: bool


GROUP, NETWORK, ANY = "group", "network", None

# (label, capability needed, a URL name of ours or a path prefix served by another app,
#  the kind of organisation the section is for). A member who sees only their own records
#  gets MEMBER_SECTIONS instead: the group's figures and lists are the staff's.
SECTIONS = [
    (_("หน้าแรก"), scoping.VIEW, "org-home", None, ANY),
    (_("ภาพรวม"), scoping.VIEW, None, "dashboard/", GROUP),
    (_("สมาชิก"), scoping.RECORDS, "member-list", None, ANY),
    (_("รับเงิน"), scoping.RECORDS, None, "contributions/", GROUP),
    (_("สวัสดิการ"), scoping.RECORDS, None, "welfare/", GROUP),
    (_("เงินกู้"), scoping.RECORDS, None, "loans/", GROUP),
    (_("เงินฝาก"), scoping.RECORDS, None, "savings/", GROUP),
    (_("บัญชี"), scoping.RECORDS, None, "ledger/", GROUP),
    (_("เครือข่าย"), scoping.VIEW, None, "network/", NETWORK),
    (_("รายงาน"), scoping.RECORDS, None, "reports/", ANY),
    (_("นำเข้าข้อมูล"), scoping.WRITE, None, "imports/", GROUP),
    (_("บันทึกการตรวจสอบ"), scoping.AUDIT, "audit-trail", None, ANY),
    (_("ตั้งค่ากลุ่ม"), scoping.MANAGE, "org-settings", None, GROUP),
    (_("ตั้งกลุ่มใหม่"), scoping.MANAGE, "group-new", None, NETWORK),
    (_("ผู้ใช้และบทบาท"), scoping.MANAGE, "people", None, ANY),
    (_("โทเคน API"), scoping.MANAGE, "api-tokens", None, ANY),
]
MEMBER_SECTIONS = [
    (_("หน้าแรก"), scoping.VIEW, "org-home", None, ANY),
    (_("สมุดของฉัน"), scoping.VIEW, "contributions:my-passbook", None, GROUP),
]


def _section_url(org_code: str, name: str | None, suffix: str | None) -> str | None:
    if name:
        try:
            return reverse(name, kwargs={"org": org_code})
        except NoReverseMatch:
            return None
    url = f"/o/{org_code}/{suffix}"
    try:  # shown only once the app serves an index page there
        resolve(url)
    except Resolver404:
        return None
    return url


class Shell:
    """Lazily computed pieces of the page frame."""

    def __init__(self, request):
        self.request = request
        self.access = getattr(request, "access", None)

    @cached_property
    def nav(self) -> list[NavItem]:
        if self.access is None:
            return []
        code = self.access.organisation.code
        path = self.request.path
        home = f"/o/{code}/"
        items = []
        kind = self.access.organisation.kind
        sections = SECTIONS if self.access.may.staff else MEMBER_SECTIONS
        for label, need, name, suffix, for_kind in sections:
            if not self.access.can(need) or for_kind not in (ANY, kind):
                continue
            url = _section_url(code, name, suffix)
            if url is None:
                continue
            active = path == url if url == home else path.startswith(url)
            items.append(NavItem(url, label, active))
        return items

    @cached_property
    def organisations(self) -> list:
        """Every organisation the user may open, in tree order, with an indent level."""
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return []
        rows = selectors.tree_rows(scoping.visible_organisations(user))
        top = min((o.depth for o in rows), default=0)
        for o in rows:
            o.indent = "\u2003" * (o.depth - top)
        return rows


def shell(request):
    access = getattr(request, "access", None)
    return {
        "access": access,
        "org": access.organisation if access else None,
        "may": access.may if access else scoping.NOTHING,
        "shell": Shell(request),
    }
