from django.contrib import admin

from omboon.members.models import Member


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("number", "first_name", "last_name", "organisation", "status", "join_date")
    list_filter = ("status", "organisation")
    search_fields = ("number", "first_name", "last_name")
