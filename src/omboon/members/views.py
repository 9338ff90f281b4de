"""Member pages: the list with search and status filter, one member, and the forms that change
members (new, edit, status, beneficiaries, show the full national ID), plus a network's
duplicates.

Every page goes through ``org_view`` and ``omboon.orgs.scoping``: the list and the forms need
the ``records`` capability (and ``write`` to post); a member-role user may open only their own
member page (404 for any other). The forms work without JavaScript: a refused form comes back
with each problem under its field, in Thai and English. The national ID is shown only through
``members.privacy.shown_id``: masked, except to the member themself and after a writer's
"show full ID", which is audited every time. A search by ID matches only a whole, valid ID
and is audited too.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from omboon.core import thaidate
from omboon.core.errors import Problem, RuleViolation
from omboon.members import forms, privacy, rules, selectors, services
from omboon.members.models import LEFT_STATUSES, Member
from omboon.orgs import scoping
from omboon.orgs.decorators import org_view

PAGE_SIZE = 50


@org_view(scoping.RECORDS)
def member_list(request):
    org = request.access.organisation
    query = (request.GET.get("q") or "").strip()
    status = request.GET.get("status") or ""
    if status not in Member.Status.values:
        status = ""
    members = selectors.member_list(organisation=org, query=query, status=status)
    # the columns of the page only (a member row has some thirty); the group only for a network
    members = members.only("id", "organisation_id", "number", "title", "first_name", "last_name", "national_id",
                           "moo", "status", "join_date")
    if org.is_network:
        members = members.select_related("organisation")
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    whole_ids, id_fragments = selectors.id_terms(query)
    if whole_ids:
        # Audited, then the same search by the ID's keyed hash: no page, link or history entry
        # after this one carries the ID itself.
        services.member_id_searched(actor=request.user, organisation=org, found=page.paginator.count)
        params = request.GET.copy()
        params["q"] = selectors.hashed_query(query)
        url = f"{request.path}?{params.urlencode()}"
        # htmx would push the typed URL into the history: send the browser to the hashed one
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    return render(request, "members/member_list.html", {
        "page": page,
        "id_fragments": bool(id_fragments),
        "query": query,
        "status": status,
        "statuses": Member.Status.choices,
        "show_group": org.is_network,
    })


@org_view()
def member_detail(request, member_id: int):
    return _detail(request, selectors.visible_member(request.access, request.user, member_id))


def _detail(request, member: Member, *, full_id: str = "", status_problems=(), status_values=None,
            beneficiary_problems=(), beneficiary_values=None, erase_problems=(), status=200):
    access = request.access
    own = privacy.is_own(request.user, member)
    can_write = access.can(scoping.WRITE) and member.organisation_id == access.organisation.pk
    beneficiaries = beneficiary_values if beneficiary_values is not None else [
        {"name": b.name, "relation": b.relation, "share_percent": b.share_percent, "phone": b.phone}
        for b in member.beneficiaries.all()
    ]
    today = timezone.localdate()
    return render(request, "members/member_detail.html", {
        "member": member,
        "age": member.age_on(today),
        "elderly": member.is_elderly(today),
        "shown_id": privacy.shown_id(member, user=request.user, revealed=full_id),
        "id_in_full": bool(full_id) or own,
        "may_reveal": privacy.may_reveal(access, member),
        "can_list": access.can(scoping.RECORDS),
        "can_write": can_write,
        # what the treasurer does next from here: a payment (not for a member who left), a claim
        "may_pay": can_write and member.status not in LEFT_STATUSES and not member.is_anonymised,
        "may_claim": can_write and not member.is_anonymised,
        "history": member.status_changes.select_related("actor"),
        "moves": [(v, Member.Status(v).label) for v in rules.STATUS_MOVES.get(member.status, ())],
        "status_problems": list(status_problems),
        "status_values": status_values or {"date": today, "status": "", "reason": ""},
        "beneficiaries": beneficiaries,
        "beneficiary_lines": _lines(beneficiaries),
        "beneficiary_problems": list(beneficiary_problems),
        "may_download_data": privacy.may_download_data(access, member, request.user),
        "erasable_from": rules.erasable_from(member) if privacy.manages(access, member) else None,
        "erasable_now": privacy.manages(access, member) and not rules.check_erase(member, today),
        "erase_problems": list(erase_problems),
    }, status=status)


def _lines(rows: list[dict]) -> list[tuple[int, dict]]:
    """The beneficiary rows and spare lines to fill in (at least 3 lines, one spare)."""
    shown = [*rows, *([{}] * max(1, 3 - len(rows)))]
    return list(enumerate(shown, start=1))


def _member_to_write(request, member_id: int) -> Member:
    """A member of this very group (a network reads its groups' members, never writes them)."""
    org = request.access.organisation
    return scoping.get_in_scope(Member.objects.select_related("organisation"), org, member_id)


def _group_only(request) -> None:
    if not request.access.organisation.is_group:
        raise Http404("สมาชิกสังกัดกลุ่ม ไม่ใช่เครือข่าย / members belong to a group")


def _detail_url(member: Member) -> str:
    return reverse("member-detail", kwargs={"org": member.organisation.code, "member_id": member.pk})


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def member_new(request):
    org = request.access.organisation
    _group_only(request)
    problems: list[Problem] = []
    if request.method == "POST":
        values = forms.values_from_post(request.POST, creating=True)
        try:
            member = services.member_create(actor=request.user, organisation=org, **values)
        except RuleViolation as exc:
            problems = exc.problems
        else:
            messages.success(request, f"บันทึกสมาชิกเลขที่ {member.number} แล้ว / member {member.number} saved")
            return redirect(_detail_url(member))
    else:
        values = {"status": Member.Status.ACTIVE, "province_code": org.province_code,
                  "district_code": org.district_code, "subdistrict_code": org.subdistrict_code,
                  "join_date": thaidate.format_date(timezone.localdate(), style="numeric")}
    return _form(request, values, problems, member=None)


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def member_edit(request, member_id: int):
    member = _member_to_write(request, member_id)
    scoping.require(request.access, scoping.WRITE)  # the form itself, not only its save (after the 404)
    problems: list[Problem] = []
    if request.method == "POST":
        values = forms.values_from_post(request.POST, creating=False)
        try:
            member = services.member_update(actor=request.user, member=member, **values)
        except RuleViolation as exc:
            problems = exc.problems
        else:
            messages.success(request, "บันทึกการแก้ไขแล้ว / changes saved")
            return redirect(_detail_url(member))
    else:
        values = forms.values_from_member(member)
    return _form(request, values, problems, member=member)


def _form(request, values: dict, problems: list[Problem], *, member: Member | None):
    """The member form, new (``member`` None) or editing; 422 when it comes back with problems."""
    creating = member is None
    fields, other = forms.member_fields(values, problems, creating=creating, member=member)
    return render(request, "members/member_form.html", {
        "fields": fields, "problems": other, "member": member, "creating": creating,
    }, status=422 if problems else 200)


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def member_status(request, member_id: int):
    member = _member_to_write(request, member_id)
    if request.method != "POST":
        return redirect(_detail_url(member) + "#status")
    values = {k: request.POST.get(k, "") for k in ("status", "date", "reason")}
    try:
        services.member_status_change(actor=request.user, member=member, status=values["status"],
                                      on=values["date"], reason=values["reason"])
    except RuleViolation as exc:
        return _detail(request, member, status_problems=exc.problems, status_values=values, status=422)
    messages.success(request, "บันทึกการเปลี่ยนสถานะแล้ว / status changed")
    return redirect(_detail_url(member))


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def member_beneficiaries(request, member_id: int):
    member = _member_to_write(request, member_id)
    if request.method != "POST":
        return redirect(_detail_url(member) + "#beneficiaries")
    rows = forms.beneficiary_rows(request.POST)
    try:
        services.beneficiaries_set(actor=request.user, member=member, rows=rows)
    except RuleViolation as exc:
        return _detail(request, member, beneficiary_problems=exc.problems, beneficiary_values=rows,
                       status=422)
    messages.success(request, "บันทึกผู้รับผลประโยชน์แล้ว / beneficiaries saved")
    return redirect(_detail_url(member) + "#beneficiaries")


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def member_reveal_id(request, member_id: int):
    member = _member_to_write(request, member_id)
    if request.method != "POST":
        return redirect(_detail_url(member))
    full_id = services.member_reveal_id(actor=request.user, member=member)
    response = _detail(request, member, full_id=full_id)
    response["Cache-Control"] = "no-store"
    return response


@org_view(scoping.RECORDS, write_need=scoping.MANAGE)
def member_erase(request, member_id: int):
    """The chair erases the personal data of a member who left, past the retention years; the
    form asks to confirm (a ticked box), since it cannot be undone."""
    member = _member_to_write(request, member_id)
    if request.method != "POST":
        return redirect(_detail_url(member) + "#erase")
    if request.POST.get("confirm") != "yes":
        problems = [Problem("confirm", "ติ๊กยืนยันก่อนลบข้อมูลส่วนบุคคล (ย้อนกลับไม่ได้)",
                            "tick the box to confirm: erasing cannot be undone")]
        return _detail(request, member, erase_problems=problems, status=422)
    try:
        services.member_erase(actor=request.user, member=member)
    except RuleViolation as exc:
        return _detail(request, member, erase_problems=exc.problems, status=422)
    messages.success(request, f"ลบข้อมูลส่วนบุคคลของสมาชิกเลขที่ {member.number} แล้ว ยอดเงินในบัญชียังอยู่ครบ / "
                              f"member {member.number}'s personal data erased; their money stays in the books")
    return redirect(_detail_url(member))


@org_view(scoping.RECORDS)
def member_duplicates(request):
    """A network's people registered in more than one of its groups (no national IDs shown)."""
    org = request.access.organisation
    if not org.is_network:
        raise Http404("หน้านี้สำหรับเครือข่าย / this page is for a network")
    return render(request, "members/duplicates.html", {
        "duplicates": selectors.duplicates_in_network(org),
    })
