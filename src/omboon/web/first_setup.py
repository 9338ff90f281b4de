"""The first page of an empty install: set up a real group (or read how to build the demo).

Open only while the database holds no organisation and no user: the first person at the
laptop becomes the group's chair. Everything goes through ``orgs.services.organisation_setup``
(the same door as ``omboon setup``): path, chart, funds, first user, audit, one transaction.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from omboon.core.errors import RuleViolation
from omboon.core.language import of_request
from omboon.core.thaidate import parse_date
from omboon.orgs import rules, services
from omboon.orgs.models import Organisation


def is_empty_install() -> bool:
    return not Organisation.objects.exists() and not get_user_model().objects.exists()


class SetupForm(forms.Form):
    code = forms.CharField(label=_("รหัสกลุ่ม (อักษรอังกฤษ เช่น DKM)"), max_length=32)
    name_th = forms.CharField(label=_("ชื่อกลุ่ม"), max_length=200)
    group_type = forms.ChoiceField(label=_("ประเภทกลุ่ม"), choices=Organisation.GroupType.choices)
    province_code = forms.CharField(label=_("รหัสจังหวัด (เช่น 52)"), max_length=2, required=False)
    district_code = forms.CharField(label=_("รหัสอำเภอ (เช่น 5204)"), max_length=4, required=False)
    subdistrict_code = forms.CharField(label=_("รหัสตำบล (เช่น 520401)"), max_length=6, required=False)
    founded = forms.CharField(label=_("วันก่อตั้ง (เช่น 15/08/2545)"), max_length=30, required=False)
    fiscal_year_start_month = forms.IntegerField(label=_("เดือนเริ่มปีบัญชี (1–12)"), initial=1)
    first_name = forms.CharField(label=_("ชื่อประธาน"), max_length=150, required=False)
    username = forms.CharField(label=_("ชื่อผู้ใช้ของประธาน"), max_length=150)
    password = forms.CharField(label=_("รหัสผ่าน"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("รหัสผ่านอีกครั้ง"), widget=forms.PasswordInput)

    def clean_founded(self):
        text = self.cleaned_data["founded"].strip()
        try:
            return parse_date(text) if text else None
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


def setup_from_form(form: SetupForm, *, actor, parent: Organisation | None, lang: str):
    """The group of a valid ``form`` through ``organisation_setup``: (group, chair), or None with
    the rules' Problems put on the form's fields (nothing written)."""
    data = form.cleaned_data
    problems = rules.check_password(data["password"], data["password2"])
    try:
        if problems:
            raise RuleViolation(problems)
        return services.organisation_setup(
            actor=actor, username=data["username"], password=data["password"],
            first_name=data["first_name"], code=data["code"], kind=Organisation.Kind.GROUP,
            parent=parent, name_th=data["name_th"], group_type=data["group_type"], founded_on=data["founded"],
            province_code=data["province_code"], district_code=data["district_code"],
            subdistrict_code=data["subdistrict_code"],
            fiscal_year_start_month=data["fiscal_year_start_month"],
        )
    except RuleViolation as exc:
        for problem in exc.problems:
            form.add_error(problem.field if problem.field in form.fields else None, problem.message(lang))
        return None


def first_setup(request):
    if not is_empty_install():
        raise Http404("ตั้งค่าแล้ว / already set up")
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = setup_from_form(form, actor=None, parent=None, lang=of_request(request))
        if made:
            org, user = made
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("org-home", org=org.code)
    return render(request, "web/first_setup.html", {"form": form})
