"""What the loans' pages share (views, views_reschedule, year_end.views): a URL of the app for the
group on the page, the guard for a group's own pages, a loan in scope, a date as it is typed."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.urls import reverse

from omboon.core import language
from omboon.core.thaidate import format_date
from omboon.loans import selectors
from omboon.loans.models import Loan
from omboon.orgs import scoping


def url(name: str, request, **kw) -> str:
    return reverse(f"loans:{name}", kwargs={"org": request.access.organisation.code, **kw})


def group_only(request) -> None:
    if not request.access.organisation.is_group:
        raise Http404("หน้านี้ใช้กับกลุ่มเท่านั้น / this page is for a group")


def loan_of(request, loan_id: int) -> Loan:
    org = request.access.organisation
    return scoping.get_in_scope(selectors.loans_of(org), org, loan_id)


def typed(day: dt.date | None) -> str:
    """A date for a form field as the person reads it (พ.ศ. in Thai)."""
    return format_date(day, "numeric", lang=language.current()) if day else ""
