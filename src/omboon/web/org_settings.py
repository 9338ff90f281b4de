"""/o/<org>/settings/: the group's own settings as forms, not JSON, for whoever has ``manage``.

Two forms: its names, address and fiscal-year start (``orgs.services.organisation_update``,
one audit event with before and after), and its bylaw settings from a date — the
administration cap, which roles approve claims, vouchers, withdrawals and loans (the rules
read them: ``orgs.scoping.may_approve``), how many years a leaver's personal fields are kept,
whether one person may post a journal voucher that moves no cash, after how many months
without movement a savings account is dormant, the committee approvals a loan needs, the
allowance for doubtful loans by aging bucket at month-end — each saved as a dated
version (``orgs.services.bylaws_set``), the versions listed as the history. The contribution
plan and the welfare schemes are set on their own apps' pages (dated versions too), linked
from here."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from omboon.core.errors import Problem, RuleViolation
from omboon.core.fields import date_field
from omboon.core.language import of_request
from omboon.core.thaidate import format_date
from omboon.orgs import rules, scoping, selectors, services
from omboon.orgs.decorators import org_view
from omboon.orgs.models import Role

DEFAULT_RETENTION_YEARS = 5  # as members.rules reads a group that never set it
DORMANT_MONTHS = 12  # as savings.services reads a group that never set it


class SettingsForm(forms.Form):
    name_th = forms.CharField(label=_("ชื่อกลุ่ม (ภาษาไทย)"), max_length=200)
    name_en = forms.CharField(label=_("ชื่อภาษาอังกฤษ (ถ้ามี)"), max_length=200, required=False)
    house_no = forms.CharField(label=_("บ้านเลขที่"), max_length=32, required=False)
    moo = forms.IntegerField(label=_("หมู่ที่"), min_value=1, max_value=99, required=False)
    street = forms.CharField(label=_("ถนน"), max_length=100, required=False)
    province_code = forms.CharField(label=_("รหัสจังหวัด (เช่น 52)"), max_length=2, required=False)
    district_code = forms.CharField(label=_("รหัสอำเภอ (เช่น 5204)"), max_length=4, required=False)
    subdistrict_code = forms.CharField(label=_("รหัสตำบล (เช่น 520401)"), max_length=6, required=False)
    postcode = forms.CharField(label=_("รหัสไปรษณีย์"), max_length=5, required=False)
    fiscal_year_start_month = forms.IntegerField(label=_("เดือนเริ่มปีบัญชี (1–12)"))

    ORG_FIELDS = ("name_th", "name_en", "house_no", "moo", "street", "province_code", "district_code",
                  "subdistrict_code", "postcode", "fiscal_year_start_month")


APPROVAL_LABELS = {"claims": _("ผู้อนุมัติคำขอสวัสดิการ"), "vouchers": _("ผู้อนุมัติใบสำคัญจ่าย"),
                   "withdrawals": _("ผู้อนุมัติการถอนเงินออม"), "loans": _("ผู้อนุมัติเงินกู้")}


class BylawsForm(forms.Form):
    effective_from = forms.CharField(label=_("เริ่มใช้ตั้งแต่วันที่ (วว/ดด/ปปปป)"), max_length=20)
    admin_cap_percent = forms.IntegerField(
        label=_("เพดานค่าบริหาร (ร้อยละของเงินสมทบในปี ว่าง = ไม่กำหนด)"), required=False)
    retention_years = forms.IntegerField(label=_("เก็บข้อมูลส่วนบุคคลของผู้ที่ออกแล้วกี่ปี"))
    journal_single_person = forms.BooleanField(
        label=_("ให้คนเดียวลงรายการปรับปรุงที่ไม่มีเงินสดเข้าออกได้"), required=False)
    savings_dormant_months = forms.IntegerField(
        label=_("บัญชีเงินฝากที่ไม่เคลื่อนไหวกี่เดือนจึงเป็นบัญชีพัก (ว่าง = 12 เดือน)"), required=False)
    loan_quorum = forms.IntegerField(label=_("จำนวนกรรมการที่ต้องอนุมัติเงินกู้ (คน)"), min_value=1, required=False)
    loan_spouse_not_guarantor = forms.BooleanField(label=_("คู่สมรสของผู้กู้ค้ำประกันไม่ได้"), required=False)
    note = forms.CharField(label=_("หมายเหตุ (เช่น มติที่ประชุมใหญ่)"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        roles = [(r.value, r.label) for r in rules.APPROVER_ROLES]
        for what in rules.APPROVALS:
            self.fields[f"approvers_{what}"] = forms.MultipleChoiceField(
                label=APPROVAL_LABELS[what], choices=roles, widget=forms.CheckboxSelectMultiple, required=False)
        # the allowance for doubtful loans at each month-end: a percentage per aging bucket (all
        # blank: none); the rule checks 0–100 and names the bucket
        for n, days in enumerate(rules.ALLOWANCE_BUCKETS, start=1):
            self.fields[f"loan_allowance_{n}"] = forms.IntegerField(
                label=format_lazy(_("ค่าเผื่อหนี้สงสัยจะสูญสิ้นเดือน: ค้าง {days} วัน (ร้อยละ ว่างทุกช่อง = ไม่ตั้ง)"),
                                  days=days), required=False)


def _initial(org) -> dict:
    return {f: getattr(org, f) for f in SettingsForm.ORG_FIELDS}


def _bylaws_initial(org) -> dict:
    now = selectors.bylaws_on(org)
    approvers = now.get("approvers") or {}
    every = [r.value for r in rules.APPROVER_ROLES]
    return {"retention_years": now.get("retention_years", DEFAULT_RETENTION_YEARS),
            "journal_single_person": bool(now.get("journal_single_person", False)),
            "admin_cap_percent": now.get("admin_cap_percent"),
            "savings_dormant_months": now.get("savings_dormant_months", DORMANT_MONTHS),
            "loan_quorum": now.get("loan_quorum", 1),
            "loan_spouse_not_guarantor": bool(now.get("loan_spouse_not_guarantor", False)),
            **{f"loan_allowance_{n}": pct for n, pct in enumerate(now.get("loan_allowance") or [], start=1)},
            **{f"approvers_{w}": approvers.get(w) or every for w in rules.APPROVALS}}


def bylaws_summary(bylaws: dict, lang: str) -> list[str]:
    """A version's settings in words, for the history."""
    en = lang == "en"
    cap = bylaws.get("admin_cap_percent")
    lines = [(f"Administration cap {cap} % of the year's contributions" if en else
              f"เพดานค่าบริหาร ร้อยละ {cap} ของเงินสมทบในปี") if cap is not None else
             ("No administration cap" if en else "ไม่กำหนดเพดานค่าบริหาร")]
    for what, (th, en_word) in rules.APPROVALS.items():
        roles = (bylaws.get("approvers") or {}).get(what)
        if roles:
            names = ", ".join(str(Role(r).label) for r in roles)
            lines.append(f"{en_word}: {names}" if en else f"{th}: {names}")
    if "retention_years" in bylaws:
        years = bylaws["retention_years"]
        lines.append(f"Personal data kept {years} years" if en else f"เก็บข้อมูลส่วนบุคคล {years} ปี")
    if bylaws.get("savings_dormant_months") is not None:
        n = bylaws["savings_dormant_months"]
        lines.append(f"A savings account is dormant after {n} months without movement" if en else
                     f"บัญชีเงินฝากไม่เคลื่อนไหว {n} เดือนเป็นบัญชีพัก")
    if (bylaws.get("loan_quorum") or 1) > 1:
        n = bylaws["loan_quorum"]
        lines.append(f"A loan needs {n} committee approvals" if en else f"เงินกู้ต้องมีกรรมการอนุมัติ {n} คน")
    if bylaws.get("loan_spouse_not_guarantor"):
        lines.append("A borrower's spouse may not guarantee" if en else "คู่สมรสของผู้กู้ค้ำประกันไม่ได้")
    allowance = bylaws.get("loan_allowance")
    if allowance:
        parts = ", ".join(f"{days}: {pct}%" for days, pct in zip(rules.ALLOWANCE_BUCKETS, allowance))
        lines.append(f"Allowance for doubtful loans at month-end by days overdue: {parts}" if en
                     else f"ตั้งค่าเผื่อหนี้สงสัยจะสูญสิ้นเดือน ตามจำนวนวันค้าง: {parts}")
    if bylaws.get("journal_single_person"):
        lines.append("One person may post a no-cash journal" if en else "ลงรายการปรับปรุงได้คนเดียว")
    return lines


def _add_problems(form, problems, lang):
    for problem in problems:
        form.add_error(problem.field if problem.field in form.fields else None, problem.message(lang))


def _save_bylaws(request, org, form) -> bool:
    lang = of_request(request)
    problems: list[Problem] = []
    data = form.cleaned_data
    day = date_field(data["effective_from"], "effective_from", problems)
    if problems:
        _add_problems(form, problems, lang)
        return False
    every = {r.value for r in rules.APPROVER_ROLES}
    approvers = {w: data[f"approvers_{w}"] for w in rules.APPROVALS if set(data[f"approvers_{w}"]) != every}
    settings = {"retention_years": data["retention_years"], "journal_single_person": data["journal_single_person"],
                "admin_cap_percent": data["admin_cap_percent"], "approvers": approvers}
    if data["savings_dormant_months"] is not None:
        settings["savings_dormant_months"] = data["savings_dormant_months"]
    if (data["loan_quorum"] or 1) > 1:  # absent: one approval
        settings["loan_quorum"] = data["loan_quorum"]
    if data["loan_spouse_not_guarantor"]:  # absent: a spouse may guarantee
        settings["loan_spouse_not_guarantor"] = True
    allowance = [data[f"loan_allowance_{n}"] for n in range(1, len(rules.ALLOWANCE_BUCKETS) + 1)]
    if any(pct is not None for pct in allowance):  # all blank: no allowance
        settings["loan_allowance"] = [pct or 0 for pct in allowance]
    try:
        services.bylaws_set(actor=request.user, organisation=org, effective_from=day, settings=settings,
                            note=data["note"])
    except RuleViolation as exc:
        _add_problems(form, exc.problems, lang)
        return False
    messages.success(request, gettext("บันทึกข้อบังคับ เริ่มใช้ %(date)s") % {"date": format_date(day, lang=lang)})
    return True


@org_view(scoping.MANAGE)
def org_settings(request):
    org = request.access.organisation
    lang = of_request(request)
    which = request.POST.get("form") if request.method == "POST" else None
    form = SettingsForm(request.POST if which == "org" else None, initial=_initial(org))
    bylaws_form = BylawsForm(request.POST if which == "bylaws" else None, initial={
        **_bylaws_initial(org), "effective_from": format_date(timezone.localdate(), "numeric", lang=lang)})
    if which == "org" and form.is_valid():
        data = form.cleaned_data
        changes = {f: data[f] if data[f] is not None else (None if f == "moo" else "") for f in SettingsForm.ORG_FIELDS}
        try:
            services.organisation_update(actor=request.user, organisation=org, **changes)
        except RuleViolation as exc:
            _add_problems(form, exc.problems, lang)
        else:
            messages.success(request, gettext("บันทึกการตั้งค่าของกลุ่มแล้ว"))
            return redirect("org-settings", org=org.code)
    if which == "bylaws" and org.is_group and bylaws_form.is_valid() and _save_bylaws(request, org, bylaws_form):
        return redirect("org-settings", org=org.code)
    history = [{"version": v, "lines": bylaws_summary(v.bylaws, lang)} for v in selectors.bylaw_history(org)]
    today = timezone.localdate()
    current = next((h["version"].pk for h in history if h["version"].effective_from <= today), None)
    return render(request, "web/org_settings.html", {
        "form": form, "bylaws_form": bylaws_form, "history": history, "current": current,
        "max_retention": rules.MAX_RETENTION_YEARS,
    }, status=422 if form.errors or bylaws_form.errors else 200)
