"""A guarantor's consent (หนังสือยินยอมค้ำประกัน) on the web: the group's staff record it from the
signed form on the loan's page (checked, then confirmed), and the guarantor, signed in as a
member, gives or declines it from their own page (also confirmed); staff put another member
on an application instead of a guarantor who declined. Thin: parse, call
``services.guarantor_consent``, render; its rules say who may and when."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omboon.core import fields, language
from omboon.core.errors import Problem, RuleViolation, problems_of
from omboon.core.thaidate import format_date
from omboon.loans import forms, rules, services, views
from omboon.loans.models import Guarantor, Loan
from omboon.loans.pages import group_only as _group_only
from omboon.loans.pages import loan_of as _loan
from omboon.loans.pages import url as _url
from omboon.members import selectors as member_selectors
from omboon.orgs import scoping
from omboon.orgs.decorators import org_view

DECISIONS = (Guarantor.Consent.GIVEN, Guarantor.Consent.DECLINED)


def _decision(request, problems: list[Problem]) -> str:
    decision = request.POST.get("decision", "")
    if decision not in DECISIONS:
        problems.append(Problem("consent", "เลือกยินยอมหรือไม่ยินยอม", "choose consent or decline", value=decision))
    return decision


def _done(g: Guarantor, decision: str) -> str:
    who = f"{g.member.number} {g.member.full_name}"
    if decision == Guarantor.Consent.GIVEN:
        return _("บันทึกแล้ว: ผู้ค้ำ %(who)s ยินยอมค้ำประกันสัญญา %(number)s") % {"who": who, "number": g.loan.number}
    return _("บันทึกแล้ว: ผู้ค้ำ %(who)s ไม่ยินยอมค้ำประกันสัญญา %(number)s") % {"who": who, "number": g.loan.number}


def _picked(request, loan):
    """The loan's guarantor the form names by member id (``guarantor``), or None."""
    picked = request.POST.get("guarantor") or ""
    return loan.guarantors.select_related("member", "loan").filter(member_id=int(picked)).first() \
        if picked.isdigit() else None


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def consent(request, loan_id: int):
    """Staff record a guarantor's answer from the signed form: ``guarantor`` (member id),
    ``decision`` given | declined, ``date`` signed; first checked and shown back, then
    ``action=confirm`` records it."""
    loan = _loan(request, loan_id)
    if request.method != "POST":
        return redirect(_url("detail", request, loan_id=loan.pk))
    g = _picked(request, loan)
    problems: list[Problem] = []
    if g is None:
        problems.append(Problem("guarantor", "เลือกผู้ค้ำประกันของสัญญานี้", "choose a guarantor of this loan"))
    decision = _decision(request, problems)
    typed = request.POST.get("date", "")
    on = fields.date_field(typed, "date", problems, default=timezone.localdate())
    if not problems:
        problems = problems_of(rules.GUARANTOR_CONSENT, rules.ConsentAct(g, request.user, decision, on,
                                                                          today=timezone.localdate()))
    if problems:
        return views._detail(request, loan, problems, status=422)
    if request.POST.get("action") != "confirm":
        shown = format_date(on, lang=language.current())
        return views._detail(request, loan, consent={"guarantor": g, "decision": decision, "date": typed,
                                                     "date_shown": shown})
    try:
        g = services.guarantor_consent(actor=request.user, guarantor=g, consent=decision == Guarantor.Consent.GIVEN,
                                       on=on)
    except RuleViolation as exc:
        return views._detail(request, _loan(request, loan_id), exc.problems, status=422)
    messages.success(request, _done(g, decision))
    return redirect(_url("detail", request, loan_id=loan.pk))


@org_view(scoping.VIEW)
def guarantee(request, loan_id: int):
    """The guarantor themself, signed in: gives or declines their consent to an application
    they are named on (``decision``), shown back first, recorded with ``action=confirm``. Only
    their own: a loan they do not guarantee is a 404."""
    _group_only(request)
    loan = _loan(request, loan_id)  # another group's loan is a 404, also for a GET
    home = reverse("org-home", kwargs={"org": request.access.organisation.code})
    if request.method != "POST":
        return redirect(home)
    g = loan.guarantors.select_related("member", "loan__member").filter(member__user=request.user).first() \
        if request.user.is_authenticated else None
    if g is None:
        raise Http404("ไม่พบ / not found")
    problems: list[Problem] = []
    decision = _decision(request, problems)
    if not problems and request.POST.get("action") == "confirm":
        try:
            services.guarantor_consent(actor=request.user, guarantor=g, consent=decision == Guarantor.Consent.GIVEN)
        except RuleViolation as exc:
            problems = exc.problems
        else:
            messages.success(request, _done(g, decision))
            return redirect(home)
    elif not problems:
        problems = problems_of(rules.GUARANTOR_CONSENT, rules.ConsentAct(
            g, request.user, decision, timezone.localdate(), today=timezone.localdate()))
    return render(request, "loans/guarantee_confirm.html", {
        "loan": loan, "g": g, "decision": decision, "problems": problems, "home": home,
        "asked": loan.status == Loan.Status.APPLIED,
    }, status=422 if problems else 200)


@org_view(scoping.RECORDS, write_need=scoping.WRITE)
def guarantor_replace(request, loan_id: int):
    """Staff put another member on an application instead of a guarantor (one who declined):
    ``guarantor`` (the member id now on it), ``member`` (the new one's number as typed),
    ``consented`` ticked when their signed form came."""
    loan = _loan(request, loan_id)
    if request.method != "POST":
        return redirect(_url("detail", request, loan_id=loan.pk))
    old = _picked(request, loan)
    typed = request.POST.get("member", "")
    member = forms.member_by_number(member_selectors.members_of(request.access.organisation), typed)
    problems: list[Problem] = []
    if old is None:
        problems.append(Problem("guarantor", "เลือกผู้ค้ำประกันของสัญญานี้", "choose a guarantor of this loan"))
    if member is None:
        problems.append(Problem("member", "ไม่พบสมาชิกเลขที่นี้ในกลุ่ม", "no member with this number in the group",
                                value=typed))
    if not problems:
        try:
            was = old.member
            made = services.guarantor_replace(actor=request.user, guarantor=old, member=member,
                                              consented=request.POST.get("consented") == "1")
        except RuleViolation as exc:
            problems = exc.problems
    if problems:
        return views._detail(request, _loan(request, loan_id), problems, status=422)
    messages.success(request, _("เปลี่ยนผู้ค้ำแล้ว: %(new)s แทน %(old)s") % {
        "new": f"{made.member.number} {made.member.full_name}", "old": f"{was.number} {was.full_name}"})
    return redirect(_url("detail", request, loan_id=loan.pk))
