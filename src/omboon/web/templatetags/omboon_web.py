"""Small template helpers of the web shell."""

import functools
import json
from pathlib import Path

from django import template
from django.contrib.staticfiles import finders
from django.utils.safestring import mark_safe

from omboon.core import language, thaidate
from omboon.orgs import geography
from omboon.orgs.models import Role, RoleAssignment
from omboon.web import audit_labels

register = template.Library()


@register.simple_tag
def inline_static(path: str) -> str:
    """A stylesheet under static written into the page, for a page that may become a PDF
    (which fetches no URL): ``<style>{% inline_static "omboon/print.css" %}</style>``."""
    return mark_safe(_static_text(path))  # our own file under static, not input


@functools.cache
def _static_text(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(f"no static file {path}")
    return Path(found).read_text(encoding="utf-8")


@register.filter
def org_name(org) -> str:
    """The name of an organisation (or of anything with ``name(lang)``: a fund, an account) in
    the active language, Thai when no English name is set."""
    if org is None:
        return ""
    return org.name(language.current())


@register.filter
def person(user) -> str:
    """A user's display name: full name, else the username."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


@register.filter
def signer(user, org=None) -> str:
    """Who signed a document, as it is printed on it: the person's name and the role they hold
    in the document's group, "นางสมศรี ใจดี — เหรัญญิก" (the highest of their roles there, the
    chair before the treasurer); the name alone where they hold none."""
    if user is None:
        return "—"
    role = role_in(user, org)
    return f"{person(user)} — {role}" if role else person(user)


@register.filter
def role_in(user, org) -> str:
    """The title a person signs with in a group: their highest role there ("" for none)."""
    if user is None or org is None:
        return ""
    held = set(RoleAssignment.objects.filter(user=user, organisation=org).values_list("role", flat=True))
    return next((str(r.label) for r in Role if r.value in held), "")


def _shown(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


@register.filter
def audit_changes(event, people=None) -> list[tuple[str, object, object]]:
    """(field, before, after) of an audit event: the changed fields, or every field of a
    creation or deletion, labelled and shown in the page's language (money in baht, dates in
    พ.ศ.: ``web.audit_labels``). A value that is absent on one side is None. ``people``: the
    names of the logins the page's events name (``audit_labels.people_of``, one query a page)."""
    lang = language.current()
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    rows = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if before and after and old == new:
            continue
        rows.append((audit_labels.key_label(key, lang),
                     _shown(audit_labels.shown(key, old, lang, people)) if key in before else None,
                     _shown(audit_labels.shown(key, new, lang, people)) if key in after else None))
    return rows


@register.filter
def audit_object(object_type: str) -> str:
    return audit_labels.object_label(object_type, language.current())


@register.filter
def audit_action(action: str) -> str:
    """An audit action's name in the page's language (its code when it has none)."""
    return audit_labels.action_label(action, language.current())


@register.filter
def place(code) -> str:
    """A DOPA province/district/subdistrict code as its name in the active language."""
    if not code:
        return ""
    return geography.place_name(str(code), language.current()) or str(code)


@register.filter
def year_shown(year) -> str:
    """A Gregorian year as people read it: พ.ศ. in Thai (2026 → 2569), as is in English."""
    return thaidate.year_shown(year)
