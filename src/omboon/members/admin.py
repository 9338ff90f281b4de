from django.contrib import admin

from omboon.core import national_id
from omboon.members.models import Member


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    """The back office's view of members. The national ID is shown masked and cannot be edited
    here: the app's member page has the audited reveal and the checked edit."""

    list_display = ("number", "first_name", "last_name", "organisation", "status", "join_date")
    list_filter = ("status", "organisation")
    search_fields = ("number", "first_name", "last_name")
    exclude = ("national_id",)
    readonly_fields = ("masked_national_id",)

    @admin.display(description="เลขประจำตัวประชาชน / national ID")
    def masked_national_id(self, obj: Member) -> str:
        return national_id.masked(obj.national_id)
