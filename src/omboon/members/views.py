"""Member pages (read-only for now): the list with search and status filter, and one member.

Both go through ``org_view`` and ``omboon.orgs.scoping``: the list needs the ``records``
capability; a member-role user may open only their own member page (404 for any other).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils import timezone
from django.shortcuts import render

from omboon.members import selectors
from omboon.members.models import Member
from omboon.orgs import scoping
from omboon.web.decorators import org_view

PAGE_SIZE = 50


@org_view(scoping.RECORDS)
def member_list(request):
    org = request.access.organisation
    query = (request.GET.get("q") or "").strip()
    status = request.GET.get("status") or ""
    if status not in Member.Status.values:
        status = ""
    members = selectors.member_list(organisation=org, query=query, status=status)
    members = members.select_related("organisation")
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "members/member_list.html", {
        "page": page,
        "query": query,
        "status": status,
        "statuses": Member.Status.choices,
        "show_group": org.is_network,
    })


@org_view()
def member_detail(request, member_id: int):
    access = request.access
    qs = Member.objects.select_related("organisation", "user")
    if not access.can(scoping.RECORDS):
        qs = qs.filter(user=request.user)
    member = scoping.get_in_scope(qs, access.organisation, member_id)
    today = timezone.localdate()
    born = member.birth_date
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    own = member.user_id is not None and member.user_id == request.user.pk
    return render(request, "members/member_detail.html", {
        "member": member,
        "age": age,
        "show_full_id": own or access.can(scoping.WRITE),
        "can_list": access.can(scoping.RECORDS),
    })
