"""The back office. Organisations are created and changed only through ``orgs.services`` (path,
depth, chart of accounts and funds, audit): the form's rules are the services' rules, and
saving calls ``organisation_create`` or ``organisation_update``, never ``Model.save``."""

from django import forms
from django.contrib import admin

from omboon.core import language
from omboon.core.errors import RuleViolation
from omboon.orgs import rules, services
from omboon.orgs.models import Organisation, RoleAssignment


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ("code", "kind", "group_type", "name_th", "name_en", "parent", "founded_on",
                  "house_no", "moo", "street", "province_code", "district_code", "subdistrict_code",
                  "postcode", "fiscal_year_start_month", "bylaws")

    def clean(self):
        data = super().clean()
        kind = data.get("kind") or self.instance.kind or ""
        checks = [
            *rules.check_parent(kind, data.get("parent", self.instance.parent)),
            *rules.check_group_type(kind, data.get("group_type") or ""),
            *rules.check_founded_on(data.get("founded_on")),
            *rules.check_geography(data.get("province_code") or "", data.get("district_code") or "",
                                   data.get("subdistrict_code") or ""),
            *rules.check_fiscal_month(data.get("fiscal_year_start_month") or 1),
            *rules.check_name_th(data.get("name_th") or ""),
        ]
        if self.instance.pk is None:
            checks = [*rules.check_code(data.get("code") or ""), *checks]
        for problem in checks:
            field = problem.field if problem.field in self.fields else None
            self.add_error(field, problem.message(language.current()))
        return data


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    list_display = ("code", "name_th", "kind", "group_type", "parent", "province_code")
    list_filter = ("kind", "group_type", "province_code")
    search_fields = ("code", "name_th", "name_en")
    readonly_fields = ("path", "depth")

    def get_readonly_fields(self, request, obj=None):
        # The code, kind and place in the tree are fixed once made (paths and charts hang on them).
        return (*self.readonly_fields, "code", "kind", "parent") if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.cleaned_data}
        try:
            if change:
                changes = {k: v for k, v in data.items() if k in services.UPDATABLE}
                saved = services.organisation_update(actor=request.user, organisation=obj, **changes)
            else:
                data["group_type"] = data.get("group_type") or ""
                data["bylaws"] = data.get("bylaws") or {}
                saved = services.organisation_create(actor=request.user, **data)
        except RuleViolation as exc:  # the form ran the same rules; a race is all that is left
            raise ValueError(str(exc)) from exc
        obj.pk, obj.path, obj.depth = saved.pk, saved.path, saved.depth

    def has_delete_permission(self, request, obj=None):
        return False  # books and members hang on it: a group is closed, never deleted


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "organisation__code")
