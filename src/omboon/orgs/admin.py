from django.contrib import admin

from omboon.orgs.models import Organisation, RoleAssignment


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("code", "name_th", "kind", "group_type", "parent", "province_code")
    list_filter = ("kind", "group_type", "province_code")
    search_fields = ("code", "name_th", "name_en")
    readonly_fields = ("path", "depth")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "organisation__code")
