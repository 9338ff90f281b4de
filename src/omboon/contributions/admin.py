from django.contrib import admin

from omboon.contributions.models import CollectionDay, ContributionPlan, Receipt, ReceiptItem


class ReadOnlyAdmin(admin.ModelAdmin):
    """Receipts change only through the services (issue, void); the admin only shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ContributionPlan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "kind", "amount", "frequency", "effective_from")
    list_filter = ("kind", "organisation")


class ItemInline(admin.TabularInline):
    model = ReceiptItem
    extra = 0
    can_delete = False
    fields = ("kind", "amount", "period_from", "period_to")
    readonly_fields = fields


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ("document_number", "organisation", "date", "payer_name", "total", "status")
    list_filter = ("status", "organisation")
    search_fields = ("document_number", "payer_name")
    inlines = [ItemInline]


@admin.register(CollectionDay)
class CollectionDayAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "date", "count", "total")
