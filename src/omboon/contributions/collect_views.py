"""The collection day's pages under /o/<org>/contributions/collect/: the day's list of
members a page at a time (search, หมู่, only who has not paid), saved in pieces into the draft day
(``drafts``) as the treasurer ticks, the confirmation of the count and total, and a posted day.

Thin, like ``views``: parse, call ``drafts`` / ``selectors``, render.
"""

from __future__ import annotations

import datetime as dt
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRedirect

from omboon.contributions import drafts, selectors, services
from omboon.contributions.views import date_field, group_only, page_url
from omboon.core import language
from omboon.core.errors import Problem, RuleViolation
from omboon.core.money import format_baht
from omboon.ledger import collection
from omboon.members import selectors as member_selectors
from omboon.members import services as member_services
from omboon.orgs import scoping
from omboon.orgs.decorators import org_view

PAGE_SIZE = 50


def _collect_filters(source) -> dict:
    """The collection page's filters, from the query string (or the form's hidden copies)."""
    moo = (source.get("moo") or "").strip()
    try:
        page = max(int(source.get("page") or 1), 1)
    except ValueError:
        page = 1
    return {"q": (source.get("q") or "").strip()[:100], "moo": int(moo) if moo.isdigit() else None,
            "unpaid": source.get("unpaid") in ("1", "on", "true"), "page": page}


def _collect_query(filters: dict, as_of: dt.date, today: dt.date, **change) -> str:
    f = {**filters, **change}
    params = {}
    if as_of != today:
        params["date"] = as_of.isoformat()
    if f["q"]:
        params["q"] = f["q"]
    if f["moo"] is not None:
        params["moo"] = f["moo"]
    if f["unpaid"]:
        params["unpaid"] = "1"
    if f["page"] and f["page"] > 1:
        params["page"] = f["page"]
    return ("?" + urlencode(params)) if params else ""


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _piece_rows(post) -> list[dict]:
    """The rows of one piece: every member of the page (``m``), ticked or not; a row's other
    parts come as ``pt-<member>-<part>-<ref>`` (a savings account, a loan)."""
    parts: dict[str, dict[str, dict[str, str]]] = {}
    for name in post:
        bits = name.split("-", 3)
        if len(bits) == 4 and bits[0] == "pt" and bits[1].isdigit():
            parts.setdefault(bits[1], {}).setdefault(bits[2], {})[bits[3]] = post.get(name, "")
    rows = []
    for value in post.getlist("m"):
        if not value.isdigit():
            continue
        row = {"member": int(value), "paid": bool(post.get(f"paid-{value}")), "amount": post.get(f"amt-{value}", "")}
        if value in parts:
            row["parts"] = parts[value]
        rows.append(row)
    return rows


def _part_fields(member_id: int, targets: list[tuple], typed: dict | None, saved: dict | None) -> list[dict]:
    """The inputs of a row's other parts: as typed (a refused row shown again), as saved in the
    draft, or pre-filled with what is due."""
    en = language.current() == "en"
    out = []
    for part, target in targets:
        if typed is not None:
            value = (typed.get(part.code) or {}).get(target.ref, "")
        elif saved is not None:
            amount = (saved.get(part.code) or {}).get(target.ref)
            value = format_baht(amount) if amount else ""
        else:
            value = format_baht(target.due) if target.due else ""
        out.append({"name": f"pt-{member_id}-{part.code}-{target.ref}", "value": value, "due": target.due,
                    "part": part.code, "label": target.label_en if en else target.label_th})
    return out


def _row_total(contribution: str, fields: list[dict]) -> int:
    total = 0
    for text in [contribution, *(f["value"] for f in fields)]:
        if text:
            amount, bad = services.row_amount(text, None)
            total += 0 if bad else amount
    return total


def page_size(organisation) -> int:
    """Rows a page: 100 (3 fields each), or 50 where the group also takes savings or loan
    repayments (a few more fields a row), so a page's form stays far below Django's 1,000 fields."""
    if any(part.in_use(organisation) for part in collection.parts()):
        return selectors.COLLECT_PAGE_SIZE_WITH_PARTS
    return selectors.COLLECT_PAGE_SIZE


def _problem_text(p: Problem) -> str:
    return p.message_en if language.current() == "en" else f"{p.message_th} / {p.message_en}"


def _notice_text(n: collection.Notice) -> str:
    """A notice in the page's language alone."""
    return n.message_en if language.current() == "en" else n.message_th


def _running_total(count: int, total: int) -> str:
    return ngettext("ในรายการวันนี้ %(count)d คน รวม %(total)s บาท (ยังไม่บันทึกบัญชี)",
                    "ในรายการวันนี้ %(count)d คน รวม %(total)s บาท (ยังไม่บันทึกบัญชี)",
                    count) % {"count": count, "total": format_baht(total)}


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def collect(request):
    """Collection day for a group of any size, a page of members at a time.

    GET: the page (search by name or number, one village, only who has not paid yet), with what
    is already saved in the day's draft ticked and the running total. POST: one piece — the
    rows of the page shown — saved into the draft (``drafts.collection_draft_save``); then
    back to the page, the next page or the confirmation. With JavaScript the page saves the rows
    as they change (the same POST, answered in JSON). Nothing is in the books until the final
    save on the confirmation page."""
    group_only(request)
    org = request.access.organisation
    today = timezone.localdate()
    source = request.POST if request.method == "POST" else request.GET
    as_of, problems = date_field(source.get("date"), today)
    filters = _collect_filters(source)
    row_problems: dict[int, list[Problem]] = {}
    row_notices: dict[int, list[collection.Notice]] | None = None  # a piece just saved: what its rows do
    typed: dict[int, tuple[bool, str, dict]] = {}
    if request.method == "POST" and as_of is not None:
        rows = _piece_rows(request.POST)
        try:
            result = drafts.collection_draft_save(actor=request.user, organisation=org, date=as_of, rows=rows,
                                                    key=request.POST.get("token", ""))
        except RuleViolation as exc:
            problems = exc.problems
        else:
            if _wants_json(request):
                return JsonResponse({
                    "saved": result.saved, "removed": result.removed, "repeated": result.repeated,
                    "count": result.count, "total": result.total, "total_text": format_baht(result.total),
                    "running": _running_total(result.count, result.total),
                    "problems": {str(k): [_problem_text(p) for p in v] for k, v in result.problems.items()},
                    "notices": {str(k): [_notice_text(n) for n in v] for k, v in result.notices.items()},
                })
            if not result.problems:
                if not result.repeated:
                    messages.success(request, _running_total(result.count, result.total))
                go = request.POST.get("go")
                if go == "confirm":
                    return redirect(page_url("collect-confirm", request) + _collect_query(
                        {"q": "", "moo": None, "unpaid": False, "page": 1}, as_of, today))
                page = filters["page"] + 1 if go == "next" else filters["page"]
                if go == "next" and filters["unpaid"]:
                    # the rows just saved have left the list of who has not paid: the next page
                    # starts after the rows of this page that are still unpaid
                    kept = len(rows) - len(result.saved)
                    size = page_size(org)
                    page = ((filters["page"] - 1) * size + kept) // size + 1
                return redirect(page_url("collect", request) + _collect_query(filters, as_of, today, page=page))
            row_problems = result.problems
            row_notices = result.notices
            problems = result.all_problems
            typed = {r["member"]: (r["paid"], r["amount"], r.get("parts") or {}) for r in rows}
    if problems and _wants_json(request):
        return JsonResponse({"problems": {"": [_problem_text(p) for p in problems]}}, status=422)
    as_of = as_of or today
    if request.method == "GET" and filters["q"]:
        whole_ids = member_selectors.id_terms(filters["q"])[0]
        if whole_ids:
            # as the member list does: audited, then searched by the ID's keyed hash, so no URL
            # or history entry holds the ID itself
            found = selectors.collect_members(org, as_of=as_of, query=filters["q"]).count()
            member_services.member_id_searched(actor=request.user, organisation=org, found=found)
            url = page_url("collect", request) + _collect_query(
                {**filters, "q": member_selectors.hashed_query(filters["q"])}, as_of, today)
            if request.htmx:
                return HttpResponseClientRedirect(url)
            return redirect(url)
    draft = selectors.open_draft(org, as_of)
    members = selectors.collect_members(org, as_of=as_of, query=filters["q"], moo=filters["moo"],
                                        unpaid=filters["unpaid"], draft=draft)
    page = Paginator(members, page_size(org)).get_page(filters["page"])
    shown = list(page.object_list)
    ids = [m.pk for m in shown]
    in_draft = selectors.draft_rows(draft, ids)
    targets: dict[int, list[tuple]] = {}
    for part in collection.parts():  # savings accounts, running loans: registered by their apps
        for member_id, found in part.targets(org, ids, as_of).items():
            targets.setdefault(member_id, []).extend((part, t) for t in found)
    if row_notices is None:  # the page's rows already in the draft: a loan's surplus into savings, by row
        row_notices = {}
        for n in drafts.draft_notices(actor=request.user, organisation=org, draft=draft, member_ids=ids):
            row_notices.setdefault(n.take.member.pk, []).append(n)
    receipted = selectors.receipted_on(org, ids, as_of)
    covs = selectors.coverage_of(shown, org, as_of=as_of)
    lines = []
    for mc in covs:
        m = mc.member
        if m.pk in typed:
            ticked, value, typed_parts = typed[m.pk]
            fields = _part_fields(m.pk, targets.get(m.pk, []), typed_parts, None)
        elif m.pk in in_draft:
            amount, saved_parts = in_draft[m.pk]
            ticked, value = True, format_baht(amount) if amount else ""
            fields = _part_fields(m.pk, targets.get(m.pk, []), None, saved_parts)
        else:
            ticked, value = False, format_baht(mc.due_now) if mc.due_now else ""
            fields = _part_fields(m.pk, targets.get(m.pk, []), None, None)
        lines.append({"member": m, "id": str(m.pk), "name": m.full_name,
                      "moo": _("ม.%(moo)s") % {"moo": m.moo} if m.moo else "",
                      "due": mc.due_now, "months": str(mc.months_behind) if mc.months_behind else "", "value": value,
                      "ticked": ticked, "saved": m.pk in in_draft, "receipt": receipted.get(m.pk),
                      "parts": fields, "row_total": format_baht(_row_total(value, fields)) if fields else "",
                      "problems": [_problem_text(p) for p in row_problems.get(m.pk, [])],
                      "notices": [_notice_text(n) for n in row_notices.get(m.pk, [])]})
    count, total = selectors.draft_totals(draft)
    filters = {**filters, "page": page.number}
    ctx = {
        "lines": lines, "page": page, "as_of": as_of, "filters": filters, "query": filters["q"],
        "problems": problems,
        "draft": draft, "draft_count": count, "draft_total": total,
        "running": _running_total(count, total) if draft else "",
        "token": uuid.uuid4().hex,
        "links": {name: request.path + _collect_query(filters, as_of, today, page=n) for name, n in
                  (("first", 1), ("prev", page.number - 1), ("next", page.number + 1),
                   ("last", page.paginator.num_pages))},
        "date_text": "" if as_of == today else as_of.isoformat(),
    }
    template = "contributions/_collect_list.html"  # htmx asks for the list only
    if not (request.htmx and not request.htmx.history_restore_request and request.method == "GET"):
        template = "contributions/collect.html"
        ctx["villages"] = selectors.villages(org)
        ctx["other_drafts"] = [d for d in selectors.open_drafts(org) if d.date != as_of]
    return render(request, template, ctx, status=422 if problems else 200)


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def collect_confirm(request):
    """The count and the total of the day (in figures and in words) before the final save, and
    what a row does beyond what it names (a loan's overpayment into savings: ``drafts.draft_notices``);
    POST posts the whole draft as one collection day (or discards it)."""
    group_only(request)
    org = request.access.organisation
    today = timezone.localdate()
    source = request.POST if request.method == "POST" else request.GET
    as_of, problems = date_field(source.get("date"), today)
    as_of = as_of or today
    draft = selectors.open_draft(org, as_of)
    if request.method == "POST":
        draft_id = request.POST.get("draft", "")
        draft = scoping.get_in_scope(selectors.collection_drafts(org), org,
                                     int(draft_id) if draft_id.isdigit() else 0)
        if request.POST.get("action") == "discard":
            try:
                drafts.collection_draft_discard(actor=request.user, organisation=org, draft=draft)
            except RuleViolation as exc:
                problems = exc.problems
            else:
                messages.success(request, _("ล้างรายการวันเก็บเงินที่ยังไม่บันทึกบัญชีแล้ว"))
                return redirect(page_url("collect", request))
        else:
            def number(name):
                text = request.POST.get(name, "")
                return int(text) if text.isdigit() else -1
            try:
                day = drafts.collection_draft_post(actor=request.user, organisation=org, draft=draft,
                                                     count=number("count"), total=number("total"))
            except RuleViolation as exc:
                problems = exc.problems
                draft = selectors.open_draft(org, draft.date) if draft.status == draft.Status.OPEN else draft
            else:
                messages.success(request, ngettext(
                    "บันทึก %(count)d ใบเสร็จ รวม %(total)s บาท", "บันทึก %(count)d ใบเสร็จ รวม %(total)s บาท",
                    day.count) % {"count": day.count, "total": format_baht(day.total)})
                return redirect(page_url("collection-day", request, day_id=day.pk))
    count, total = selectors.draft_totals(draft)
    unpayable, notices = [], []
    if draft is not None and draft.status == draft.Status.OPEN:
        unpayable = [ln for ln in selectors.draft_unpayable(draft)
                     if services.rules.check_member_may_pay(org, ln.member, draft.date)]
        notices = [(n.take.member, _notice_text(n))
                   for n in drafts.draft_notices(actor=request.user, organisation=org, draft=draft)]
    return render(request, "contributions/collect_confirm.html", {
        "draft": draft if draft is not None and draft.status == draft.Status.OPEN else None,
        "as_of": as_of, "count": count, "total": total, "problems": problems,
        "villages": selectors.draft_by_village(draft) if draft else [], "unpayable": unpayable, "notices": notices,
        "token": uuid.uuid4().hex, "date_text": "" if as_of == today else as_of.isoformat(),
    }, status=422 if problems else 200)


@org_view(scoping.RECORDS)
def collection_day(request, day_id: int):
    org = request.access.organisation
    day = scoping.get_in_scope(selectors.collection_days(org), org, day_id)
    receipts = day.receipts.select_related("member").prefetch_related("items", "parts").order_by("number")
    page = Paginator(receipts, 100).get_page(request.GET.get("page"))
    return render(request, "contributions/collection_day.html", {"day": day, "receipts": page.object_list,
                                                                 "page": page, "lang": language.current()})


