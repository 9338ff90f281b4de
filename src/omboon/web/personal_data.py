"""The member's right of access (PDPA): everything Omboon holds about one member, as JSON or
PDF, for the member themself or the group's chair (``manage``) — never for a coordinator of a
network above, an auditor or the committee. Every download is audited."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse

from omboon.members import privacy, selectors, services
from omboon.orgs.decorators import org_view
from omboon.reports import personal_data
from omboon.reports import render as renderers

FORMATS = ("json", "pdf")


@org_view()
def member_personal_data(request, member_id: int, fmt: str):
    access = request.access
    if fmt not in FORMATS:
        raise Http404("ไม่รู้จักรูปแบบ / unknown format")
    member = selectors.visible_member(access, request.user, member_id)
    if not privacy.may_download_data(access, member, request.user):
        raise PermissionDenied("เฉพาะสมาชิกเองหรือประธานกลุ่ม / only the member or the group's chair")
    data = personal_data.member_data(member)
    services.member_data_exported(actor=request.user, member=member, fmt=fmt)
    name = f"member-{member.organisation.code}-{member.number}-data"
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False, indent=2).encode()
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    else:
        lang = "en" if getattr(request, "LANGUAGE_CODE", "th") == "en" else "th"
        body = renderers.to_pdf(personal_data.member_data_result(member, data), lang=lang)
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
