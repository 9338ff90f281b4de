from django.contrib import admin

from omboon.welfare.models import BenefitScheme, Claim, ClaimPayee, RuleVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    """Schemes, rules and claims change only through the services (audited, maker-checker);
    the back office only shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """Rows shown under their parent, never added, changed or deleted here."""
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class VersionInline(ReadOnlyInline):
    model = RuleVersion
    fields = ("effective_from", "rule", "note", "created_by")


@admin.register(BenefitScheme)
class SchemeAdmin(ReadOnlyAdmin):
    list_display = ("name_th", "category", "organisation", "expense_account", "is_active")
    list_filter = ("category", "is_active")
    inlines = [VersionInline]


class PayeeInline(ReadOnlyInline):
    model = ClaimPayee
    fields = ("name", "relation", "share", "amount")


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ("event_date", "member", "scheme", "status", "amount", "organisation")
    list_filter = ("status", "scheme__category")
    search_fields = ("member__number", "member__first_name", "member__last_name")
    inlines = [PayeeInline]
