"""/o/<org>/settings/: the group's own settings as a form, not JSON — its names, address,
fiscal-year start and bylaw settings (how many years a leaver's personal fields are kept,
whether one person may post a journal voucher that moves no cash) — for whoever has
``manage``. The write is ``orgs.services.organisation_update`` (its rules, one audit event
with before and after: the history is the audit trail). The contribution plan and the welfare
schemes are set on their own apps' pages, linked from here."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from omboon.core.errors import RuleViolation
from omboon.core.language import of_request
from omboon.orgs import rules, scoping, services
from omboon.orgs.decorators import org_view

DEFAULT_RETENTION_YEARS = 5  # as members.rules reads a group that never set it


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
    retention_years = forms.IntegerField(label=_("เก็บข้อมูลส่วนบุคคลของผู้ที่ออกแล้วกี่ปี"))
    journal_single_person = forms.BooleanField(
        label=_("ให้คนเดียวลงรายการปรับปรุงที่ไม่มีเงินสดเข้าออกได้"), required=False)

    ORG_FIELDS = ("name_th", "name_en", "house_no", "moo", "street", "province_code", "district_code",
                  "subdistrict_code", "postcode", "fiscal_year_start_month")


def _initial(org) -> dict:
    bylaws = org.bylaws or {}
    return {**{f: getattr(org, f) for f in SettingsForm.ORG_FIELDS},
            "retention_years": bylaws.get("retention_years", DEFAULT_RETENTION_YEARS),
            "journal_single_person": bool(bylaws.get("journal_single_person", False))}


@org_view(scoping.MANAGE)
def org_settings(request):
    org = request.access.organisation
    form = SettingsForm(request.POST or None, initial=_initial(org))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {f: data[f] if data[f] is not None else (None if f == "moo" else "") for f in SettingsForm.ORG_FIELDS}
        changes["bylaws"] = {**(org.bylaws or {}), "retention_years": data["retention_years"],
                             "journal_single_person": data["journal_single_person"]}
        try:
            services.organisation_update(actor=request.user, organisation=org, **changes)
        except RuleViolation as exc:
            for problem in exc.problems:
                form.add_error(problem.field if problem.field in form.fields else None,
                               problem.message(of_request(request)))
        else:
            messages.success(request, gettext("บันทึกการตั้งค่าของกลุ่มแล้ว"))
            return redirect("org-settings", org=org.code)
    return render(request, "web/org_settings.html", {"form": form, "max_retention": rules.MAX_RETENTION_YEARS},
                  status=422 if form.errors else 200)
