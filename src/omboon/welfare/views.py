"""Pages under /o/<org>/welfare/: schemes and their rule versions, claims (list, form,
detail with the Thai explanation, approve / reject / pay / reverse, payment voucher),
what-if and the fund projection.

Thin: parse the form, call a service or selector, render. Every page passes ``org_view``;
objects come through ``scoping.get_in_scope``.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from omboon.core import fields, language
from omboon.core.bahttext import amount_words
from omboon.core.errors import Problem, RuleViolation, problems_of
from omboon.core.money import format_baht
from omboon.core.thaidate import format_date
from omboon.members.models import Member
from omboon.orgs import scoping
from omboon.orgs.decorators import org_view
from omboon.welfare import engine, forms, presets, rules, schema, selectors, services, whatif
from omboon.welfare import projection as proj
from omboon.welfare.models import Category, Claim, category_label

PAGE_SIZE = 50


def _typed(day: dt.date | None, lang: str) -> str:
    """A date for a form field: Thai as "1 ม.ค. 2568", English as "01/01/2025" (both read back)."""
    return forms.thai_date(day) if lang == "th" else format_date(day, "numeric", lang="en") if day else ""


def _url(name: str, request, **kw) -> str:
    return reverse(f"welfare:{name}", kwargs={"org": request.access.organisation.code, **kw})


def _group_only(request) -> None:
    if not request.access.organisation.is_group:
        raise Http404("หน้านี้ใช้กับกลุ่มเท่านั้น / this page is for a group")


def _rule_context(rule_form: forms.RuleForm) -> dict:
    return {
        "rf": rule_form,
        "amount_kinds": [(k, *schema.AMOUNT_KIND_LABELS[k]) for k in schema.AMOUNT_KINDS],
        "statuses": [(v, label) for v, label in Member.Status.choices],
        "sexes": [(v, label) for v, label in Member.Sex.choices],
    }


def _claim(request, claim_id: int) -> Claim:
    org = request.access.organisation
    return scoping.get_in_scope(selectors.claims(org), org, claim_id)


# --- schemes -------------------------------------------------------------------------------

@org_view(scoping.RECORDS)
def index(request):
    org = request.access.organisation
    lang = language.current()
    today = timezone.localdate()
    rows = []
    for scheme in selectors.schemes(org).select_related("organisation"):
        version = selectors.current_version(scheme, today)
        rows.append({"scheme": scheme, "category": scheme.category_name(lang), "version": version,
                     "summary": forms.describe(version.parsed, lang) if version else []})
    year_start = today.replace(month=1, day=1)
    return render(request, "welfare/index.html", {
        "rows": rows, "pending": selectors.pending_claims(org).count(),
        "totals": selectors.benefits_by_category(org, year_start, today), "year_start": year_start,
        "can_write": request.access.can(scoping.WRITE) and org.is_group,
        "can_manage": request.access.can(scoping.MANAGE) and org.is_group,
    })


@org_view(scoping.RECORDS, write_need=scoping.MANAGE)
def scheme_new(request):
    _group_only(request)
    org = request.access.organisation
    problems: list[Problem] = []
    values = {"category": request.POST.get("category", Category.SICKNESS), "name_th": "", "name_en": "",
              "custom_label": "", "effective_from": ""}
    rule_form = forms.RuleForm()
    offered = presets.presets(paid_up=True)
    chosen = next((p for p in offered if p.category == request.GET.get("preset")), None)
    if chosen is not None and request.method != "POST":  # a preset fills the form; the group changes what it wants
        values.update(category=chosen.category, name_th=chosen.name_th, name_en=chosen.name_en)
        rule_form = forms.RuleForm.from_rule(schema.rule_from_json(chosen.rule))
    if request.method == "POST":
        values.update({k: request.POST.get(k, "").strip() for k in values})
        rule_form = forms.RuleForm.from_post(request.POST)
        rule, problems = forms.rule_from_post(request.POST)
        effective_from = fields.date_field(values["effective_from"], "effective_from", problems,
                                          default=timezone.localdate())
        if not problems:
            try:
                scheme = services.scheme_create(
                    actor=request.user, organisation=org, category=values["category"], name_th=values["name_th"],
                    name_en=values["name_en"], custom_label=values["custom_label"], rule=rule,
                    effective_from=effective_from)
            except RuleViolation as exc:
                problems = exc.problems
            else:
                messages.success(request, _("เพิ่มสวัสดิการ %(name)s แล้ว") % {"name": scheme.name(language.current())})
                return redirect(_url("scheme", request, scheme_id=scheme.pk))
    lang = language.current()
    return render(request, "welfare/scheme_new.html", {
        "values": values, "problems": problems, "categories": Category.choices, **_rule_context(rule_form),
        "presets": [(p.category, p.name_en if lang == "en" else p.name_th) for p in offered],
        "preset": chosen.category if chosen else "",
    }, status=422 if problems else 200)


@org_view(scoping.RECORDS, write_need=scoping.MANAGE)
def scheme_detail(request, scheme_id: int):
    org = request.access.organisation
    lang = language.current()
    scheme = scoping.get_in_scope(selectors.schemes(org), org, scheme_id)
    problems: list[Problem] = []
    versions = list(scheme.versions.order_by("-effective_from"))
    today = timezone.localdate()
    current = selectors.current_version(scheme, today) or (versions[0] if versions else None)
    rule_form = forms.RuleForm.from_rule(current.parsed) if current else forms.RuleForm()
    effective_text, note = "", ""
    if request.method == "POST":
        if request.POST.get("action") == "active":
            services.scheme_set_active(actor=request.user, scheme=scheme, is_active=request.POST.get("on") == "1")
            return redirect(_url("scheme", request, scheme_id=scheme.pk))
        rule_form = forms.RuleForm.from_post(request.POST)
        effective_text, note = request.POST.get("effective_from", ""), request.POST.get("note", "")
        rule, problems = forms.rule_from_post(request.POST)
        effective_from = fields.date_field(effective_text, "effective_from", problems)
        if effective_from is None and not problems:
            problems.append(Problem("effective_from", "ต้องระบุวันที่เริ่มใช้", "the date it takes effect is required"))
        if not problems:
            try:
                version = services.rule_version_create(actor=request.user, scheme=scheme,
                                                       effective_from=effective_from, rule=rule, note=note)
            except RuleViolation as exc:
                problems = exc.problems
            else:
                messages.success(request, _("บันทึกกติกาใหม่ เริ่มใช้ %(date)s") % {
                    "date": format_date(version.effective_from, lang=language.current())})
                return redirect(_url("scheme", request, scheme_id=scheme.pk))
    rows = [{"version": v, "summary": forms.describe(v.parsed, lang), "current": current and v.pk == current.pk,
             "claims": v.claims.count()} for v in versions]
    return render(request, "welfare/scheme_detail.html", {
        "scheme": scheme, "category": scheme.category_name(lang), "rows": rows, "problems": problems,
        "effective_from": effective_text, "note": note,
        "can_manage": request.access.can(scoping.MANAGE) and org.is_group, **_rule_context(rule_form),
    }, status=422 if problems else 200)


# --- claims ---------------------------------------------------------------------------------

STATUS_FILTERS = {
    "pending": [Claim.Status.SUBMITTED, Claim.Status.APPROVED],
    "submitted": [Claim.Status.SUBMITTED],
    "approved": [Claim.Status.APPROVED],
    "paid": [Claim.Status.PAID],
    "rejected": [Claim.Status.REJECTED],
    "reversed": [Claim.Status.REVERSED],
}


@org_view(scoping.RECORDS)
def claim_list(request):
    org = request.access.organisation
    status = request.GET.get("status", "pending")
    qs = selectors.claims(org)
    if status in STATUS_FILTERS:
        qs = qs.filter(status__in=STATUS_FILTERS[status])
    scheme = request.GET.get("scheme", "")
    if scheme.isdigit():
        qs = qs.filter(scheme_id=int(scheme))
    page = Paginator(qs.order_by("-event_date", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "welfare/claims.html", {
        "page": page, "status": status, "filters": [
            ("pending", _("รอดำเนินการ")), ("submitted", _("รออนุมัติ")),
            ("approved", _("รอจ่าย")), ("paid", _("จ่ายแล้ว")), ("rejected", pgettext("claims", "ไม่อนุมัติ")),
            ("reversed", pgettext("claims", "กลับรายการ")), ("all", _("ทั้งหมด"))],
        "can_write": request.access.can(scoping.WRITE) and org.is_group,
    })


def _find_member(org, text: str) -> Member | None:
    text = (text or "").strip()
    if not text:
        return None
    qs = selectors.members(org)
    found = qs.filter(number=text).first()
    if found is None and text.isdigit():
        found = qs.filter(number=text.zfill(4)).first()
    return found


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def claim_new(request):
    """Two steps without JavaScript: choose the scheme (its documents and fields follow),
    then fill in the claim. "Check" shows the engine's verdict without saving."""
    _group_only(request)
    org = request.access.organisation
    lang = language.current()
    schemes = list(selectors.schemes(org).filter(is_active=True))
    data = request.POST if request.method == "POST" else request.GET
    scheme_id = data.get("scheme", "")
    scheme = next((s for s in schemes if str(s.pk) == scheme_id), None)
    problems: list[Problem] = []
    preview = None
    today = timezone.localdate()
    version = selectors.version_on(scheme, today) if scheme else None
    values = {k: data.get(k, "") for k in ("member", "event_date", "event_key", "nights", "cost", "details")}
    payees = [{"name": data.get(f"payee_name_{i}", ""), "relation": data.get(f"payee_relation_{i}", ""),
               "share": data.get(f"payee_share_{i}", "")} for i in range(1, 5)]
    checked = data.getlist("documents")
    if request.method == "POST" and scheme is not None:
        member = _find_member(org, values["member"])
        if member is None:
            problems.append(Problem("member", "ไม่พบสมาชิกเลขที่นี้ในกลุ่ม ขอสวัสดิการได้เฉพาะสมาชิก",
                                    "no member with this number in the group; only members may claim",
                                    value=values["member"]))
        event_date = fields.date_field(values["event_date"], "event_date", problems)
        if event_date is None and not any(p.field == "event_date" for p in problems):
            problems.append(Problem("event_date", "ต้องระบุวันที่เกิดเหตุ", "the event date is required"))
        nights = forms.int_field(values["nights"], "nights", problems) or 0
        cost = fields.money_field(values["cost"], "cost", problems) or 0
        payee_rows = []
        for _i, p in enumerate(payees, start=1):
            if not (p["name"].strip() or p["share"].strip()):
                continue
            payee_rows.append({"name": p["name"], "relation": p["relation"],
                               "share": forms.int_field(p["share"], "payees", problems)})
        if not problems:
            if request.POST.get("action") == "check":
                _version_then, _facts, decision, problems = services.assess(
                    scheme=scheme, member=member, event_date=event_date, event_key=values["event_key"],
                    nights=nights, cost=cost, documents=checked)
                preview = decision
            else:
                try:
                    claim = services.claim_submit(
                        actor=request.user, organisation=org, member=member, scheme=scheme, event_date=event_date,
                        event_key=values["event_key"], nights=nights, cost=cost, details=values["details"],
                        documents=checked, payees=payee_rows)
                except RuleViolation as exc:
                    problems = exc.problems
                else:
                    messages.success(request, _("บันทึกคำขอแล้ว รอกรรมการอนุมัติ จำนวน %(amount)s บาท") % {
                        "amount": format_baht(claim.amount)})
                    return redirect(_url("claim", request, claim_id=claim.pk))
    return render(request, "welfare/claim_new.html", {
        "schemes": [(s, s.name(lang)) for s in schemes], "scheme": scheme, "version": version,
        "documents": version.parsed.documents if version else (), "checked": checked, "values": values,
        "payees": payees, "problems": problems, "preview": preview,
        "is_death": scheme is not None and scheme.category == Category.DEATH,
        "amount_kind": version.parsed.amount.kind if version else "",
        "summary": forms.describe(version.parsed, lang) if version else [],
    }, status=422 if problems else 200)


def _detail(request, claim: Claim, problems=(), status: int = 200, confirm: dict | None = None):
    org = request.access.organisation
    e = claim.eligibility or {}
    user = request.user
    # the actions the services' own rules would let this person take (pages of a group only)
    act = rules.ClaimAct(claim, user, reason="-", date=max(timezone.localdate(), claim.event_date))

    def may(checks) -> bool:
        return org.is_group and not problems_of(checks, act)

    return render(request, "welfare/claim_detail.html", {
        "claim": claim, "conditions": e.get("conditions", []), "steps": e.get("steps", []),
        "key_typed": engine.typed_key(claim.event_key),
        "facts": e.get("facts", {}), "payees": list(claim.payees.all()), "problems": list(problems),
        "category": claim.scheme.category_name(language.current()),
        "documents": [(d, d.code in (claim.documents or [])) for d in claim.rule_version.parsed.documents],
        "can_approve": may(rules.CLAIM_APPROVE),
        "own_claim": claim.submitted_by_id == user.pk,
        "can_reject": may(rules.CLAIM_REJECT),
        "can_pay": may(rules.CLAIM_PAY),
        "can_reverse": may(rules.CLAIM_REVERSE),
        "cash": selectors.welfare_cash(claim.organisation) if claim.status == Claim.Status.APPROVED else None,
        "today": timezone.localdate(),
        "confirm": confirm,
    }, status=status)


@org_view(scoping.RECORDS)
def claim_detail(request, claim_id: int):
    return _detail(request, _claim(request, claim_id))


def _act(request, claim_id: int, do, done):
    """Do ``do(claim)``; the result message is ``done(claim)`` — it names the claim or the voucher."""
    claim = _claim(request, claim_id)
    try:
        claim = do(claim)
    except RuleViolation as exc:
        return _detail(request, _claim(request, claim_id), exc.problems, status=422)
    messages.success(request, done(claim))
    return redirect(_url("claim", request, claim_id=claim.pk))


def _confirmed(request) -> bool:
    return request.POST.get("confirmed") == "1"


def _ask(request, claim: Claim, *, kind: str, what: str, button: str, action: str, fields: dict,
         amount: int | None = None, lines=()):
    """The claim's page again with a confirmation of the money action on top: what will happen,
    the baht in figures and words, one button that does it (the same form, ``confirmed=1``)."""
    return _detail(request, claim, confirm={
        "kind": kind, "what": what, "button": button, "amount": amount, "lines": list(lines),
        "action": _url(action, request, claim_id=claim.pk), "fields": fields,
        "cancel": _url("claim", request, claim_id=claim.pk)})


def _who(claim: Claim) -> dict:
    return {"number": claim.pk, "member": f"{claim.member.number} {claim.member.full_name}",
            "scheme": claim.scheme.name(language.current())}


@org_view(scoping.RECORDS, write_need=scoping.APPROVE)
def claim_approve(request, claim_id: int):
    claim = _claim(request, claim_id)  # another group's claim is a 404, also for a GET
    if request.method != "POST":
        return redirect(_url("claim", request, claim_id=claim_id))
    if not _confirmed(request) and claim.status == Claim.Status.SUBMITTED:
        return _ask(request, claim, kind="approve", action="claim-approve", fields={}, amount=claim.amount,
                    what=_("อนุมัติคำขอเลขที่ %(number)s: %(scheme)s ของ %(member)s") % _who(claim),
                    button=_("ยืนยัน อนุมัติ %(amount)s บาท") % {"amount": format_baht(claim.amount)},
                    lines=[_("เมื่ออนุมัติแล้ว เหรัญญิกจ่ายเงินได้ ยังไม่มีเงินออกจากกองทุนในขั้นนี้")])
    return _act(request, claim_id, lambda c: services.claim_approve(actor=request.user, claim=c),
                lambda c: _("อนุมัติคำขอเลขที่ %(number)s แล้ว %(amount)s บาท รอเหรัญญิกจ่ายเงิน") % {
                    "number": c.pk, "amount": format_baht(c.amount)})


@org_view(scoping.RECORDS, write_need=scoping.APPROVE)
def claim_reject(request, claim_id: int):
    claim = _claim(request, claim_id)  # another group's claim is a 404, also for a GET
    if request.method != "POST":
        return redirect(_url("claim", request, claim_id=claim_id))
    reason = request.POST.get("reason", "")
    if not _confirmed(request) and claim.status == Claim.Status.SUBMITTED and reason.strip():
        return _ask(request, claim, kind="reject", action="claim-reject", fields={"reason": reason},
                    amount=claim.amount,
                    what=_("ไม่อนุมัติคำขอเลขที่ %(number)s: %(scheme)s ของ %(member)s") % _who(claim),
                    button=_("ยืนยัน ไม่อนุมัติ"),
                    lines=[_("เหตุผล: %(reason)s") % {"reason": reason},
                           _("ไม่มีเงินออกจากกองทุน สมาชิกยื่นคำขอใหม่ได้")])
    return _act(request, claim_id,
                lambda c: services.claim_reject(actor=request.user, claim=c, reason=reason),
                lambda c: _("บันทึกการไม่อนุมัติคำขอเลขที่ %(number)s แล้ว") % {"number": c.pk})


def _dated_act(request, claim_id: int, action, done, ask=None):
    """Pay or reverse: POST only; the date typed (today when blank) goes to ``action(claim, date)``;
    before it is done, ``ask(claim, date)`` may answer a confirmation instead."""
    claim = _claim(request, claim_id)  # another group's claim is a 404, also for a GET
    if request.method != "POST":
        return redirect(_url("claim", request, claim_id=claim_id))
    problems: list[Problem] = []
    date = fields.date_field(request.POST.get("date"), "date", problems, default=timezone.localdate())
    if problems:
        return _detail(request, claim, problems, status=422)
    if ask is not None and not _confirmed(request):
        asked = ask(claim, date)
        if asked is not None:
            return asked
    return _act(request, claim_id, lambda c: action(c, date), done)


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def claim_pay(request, claim_id: int):
    def ask(claim, date):
        if claim.status != Claim.Status.APPROVED:
            return None  # paid already (a second tap) or not payable: the service answers
        return _ask(request, claim, kind="pay", action="claim-pay", fields={"date": format_date(date, "numeric")},
                    amount=claim.amount,
                    what=_("จ่ายเงินคำขอเลขที่ %(number)s: %(scheme)s ของ %(member)s") % _who(claim),
                    button=_("ยืนยัน จ่ายเงิน %(amount)s บาท") % {"amount": format_baht(claim.amount)},
                    lines=[_("จากเงินสดกองทุนสวัสดิการ ลงวันที่ %(date)s ออกใบสำคัญจ่าย") % {
                        "date": format_date(date, "long", lang=language.current())}])

    return _dated_act(request, claim_id,
                      lambda c, date: services.claim_pay(actor=request.user, claim=c, date=date),
                      lambda c: _("จ่ายเงินคำขอเลขที่ %(number)s แล้ว ใบสำคัญจ่าย %(voucher)s %(amount)s บาท "
                                  "พิมพ์ใบสำคัญจ่ายได้ หากผิดให้กรรมการกลับรายการจ่ายด้านล่าง") % {
                          "number": c.pk, "voucher": c.entry.document_number if c.entry else "",
                          "amount": format_baht(c.amount)},
                      ask=ask)


@org_view(scoping.RECORDS, write_need=scoping.APPROVE)
def claim_reverse(request, claim_id: int):
    reason = request.POST.get("reason", "")

    def ask(claim, date):
        if claim.status != Claim.Status.PAID or not reason.strip():
            return None
        return _ask(request, claim, kind="reject", action="claim-reverse",
                    fields={"date": format_date(date, "numeric"), "reason": reason}, amount=claim.amount,
                    what=_("กลับรายการจ่ายคำขอเลขที่ %(number)s (%(voucher)s)") % {
                        "number": claim.pk, "voucher": claim.entry.document_number if claim.entry else ""},
                    button=_("ยืนยัน กลับรายการจ่าย"),
                    lines=[_("เงินกลับเข้ากองทุนสวัสดิการ ลงวันที่ %(date)s") % {
                        "date": format_date(date, "long", lang=language.current())},
                           _("เหตุผล: %(reason)s") % {"reason": reason}])

    return _dated_act(request, claim_id,
                      lambda c, date: services.claim_reverse(actor=request.user, claim=c, date=date, reason=reason),
                      lambda c: _("กลับรายการจ่ายคำขอเลขที่ %(number)s แล้ว เลขที่ %(reversal)s") % {
                          "number": c.pk, "reversal": c.reversal.document_number if c.reversal else ""},
                      ask=ask)


@org_view(scoping.RECORDS)
def claim_voucher(request, claim_id: int):
    """The payment voucher (ใบสำคัญจ่าย): printable on A5/A4, amount in Thai words, signatures."""
    claim = _claim(request, claim_id)
    org = claim.organisation
    payees = list(claim.payees.all())
    return render(request, "welfare/voucher.html", {
        "claim": claim, "org": org, "payees": payees,
        "category": claim.scheme.category_name(language.current()),
        "baht_text": amount_words(claim.amount) if claim.amount else "",
        "printed_on": format_date(timezone.localdate(), lang=language.current()),
        "steps": (claim.eligibility or {}).get("steps", []),
        "paid": claim.status in (Claim.Status.PAID, Claim.Status.REVERSED),
    })


# --- what-if and projection -------------------------------------------------------------------

def _proposal(request, org, lang: str, *, trigger: str = "amount_kind"):
    """(scheme, its current version, the proposed rule form, the proposed rule or None, problems)."""
    schemes = list(selectors.schemes(org))
    data = request.GET
    scheme = next((s for s in schemes if str(s.pk) == data.get("scheme", "")), None)
    if scheme is None:
        scheme = next((s for s in schemes if s.category == Category.DEATH), schemes[0] if schemes else None)
    current = selectors.current_version(scheme, timezone.localdate()) if scheme else None
    problems: list[Problem] = []
    proposed = None
    if scheme is not None and data.get(trigger):
        rule_form = forms.RuleForm.from_post(data)
        rule_json, problems = forms.rule_from_post(data)
        if not problems:
            proposed, problems = schema.parse(rule_json)
    else:
        rule_form = forms.RuleForm.from_rule(current.parsed) if current else forms.RuleForm()
    return schemes, scheme, current, rule_form, proposed, problems


@org_view(scoping.RECORDS)
def what_if(request):
    _group_only(request)
    org = request.access.organisation
    lang = language.current()
    today = timezone.localdate()
    schemes, scheme, current, rule_form, proposed, problems = _proposal(request, org, lang)
    start = fields.date_field(request.GET.get("start"), "start", problems, default=today.replace(year=today.year - 5))
    end = fields.date_field(request.GET.get("end"), "end", problems, default=today)
    result = None
    if proposed is not None and not problems and scheme is not None:
        result = whatif.what_if(org, start=start, end=end, proposals={scheme.pk: proposed})
    return render(request, "welfare/what_if.html", {
        "schemes": [(s, s.name(lang)) for s in schemes], "scheme": scheme, "current": current,
        "current_summary": forms.describe(current.parsed, lang) if current else [],
        "proposed_summary": forms.describe(proposed, lang) if proposed else [],
        "start": _typed(start, lang), "end": _typed(end, lang), "result": result, "problems": problems,
        "category_label": category_label, **_rule_context(rule_form),
    }, status=422 if problems else 200)


@org_view(scoping.RECORDS)
def projection(request):
    _group_only(request)
    org = request.access.organisation
    lang = language.current()
    today = timezone.localdate()
    schemes, scheme, current, rule_form, proposed, problems = _proposal(request, org, lang, trigger="propose")
    observed = proj.observe(org, end=today, years_back=5)
    assumptions, more = proj.Assumptions.from_query(request.GET, observed)
    problems += more
    proposals = {scheme.pk: proposed} if (proposed is not None and scheme is not None) else {}
    result = None
    if not problems:
        result = proj.project(org, observed=observed, assumptions=assumptions, proposals=proposals)
    return render(request, "welfare/projection.html", {
        "schemes": [(s, s.name(lang)) for s in schemes], "scheme": scheme, "current": current,
        "current_summary": forms.describe(current.parsed, lang) if current else [],
        "proposed_summary": forms.describe(proposed, lang) if proposed else [],
        "observed": observed, "a": assumptions, "af": assumptions.as_form(), "result": result,
        "assumption_lines": result.assumption_lines(lang) if result else [],
        "problems": problems, "chart": proj.chart(result, lang) if result else "", **_rule_context(rule_form),
    }, status=422 if problems else 200)
