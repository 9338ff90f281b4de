"""/o/<network>/groups/new/: whoever has ``manage`` on a network (its admin, a system admin)
sets up a group under it from the web — the same form and the same door as the first page of
an empty install and ``omboon setup --under``: ``orgs.services.organisation_setup`` (path below
the network, chart, funds, the group's chair, audit, one transaction)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from omboon.core.language import of_request
from omboon.orgs import scoping
from omboon.orgs.decorators import org_view
from omboon.web.first_setup import SetupForm, setup_from_form


@org_view(scoping.MANAGE)
def group_new(request):
    network = request.access.organisation
    if not network.is_network:
        raise Http404("ตั้งกลุ่มได้ใต้เครือข่ายเท่านั้น / groups are set up under a network")
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = setup_from_form(form, actor=request.user, parent=network, lang=of_request(request))
        if made:
            group, chair = made
            messages.success(request, _("ตั้งกลุ่ม %(code)s ใต้ %(network)s แล้ว ประธานเข้าสู่ระบบด้วยชื่อผู้ใช้ %(user)s")
                             % {"code": group.code, "network": network.code, "user": chair.username})
            return redirect("org-home", org=group.code)
    return render(request, "web/group_new.html", {"form": form}, status=422 if form.errors else 200)
