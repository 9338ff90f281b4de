from django.urls import path

from omboon.ledger import views

urlpatterns = [
    path("", views.ledger_home, name="ledger-home"),
    path("vouchers/", views.voucher_list, name="ledger-vouchers"),
    path("vouchers/new/", views.voucher_create, name="ledger-voucher-create"),
    path("vouchers/<int:voucher_id>/", views.voucher_detail, name="ledger-voucher-detail"),
    path("vouchers/<int:voucher_id>/approve/", views.voucher_approve, name="ledger-voucher-approve"),
    path("vouchers/<int:voucher_id>/post/", views.voucher_post, name="ledger-voucher-post"),
    path("vouchers/<int:voucher_id>/cancel/", views.voucher_cancel, name="ledger-voucher-cancel"),
    path("vouchers/<int:voucher_id>/print/", views.voucher_print, name="ledger-voucher-print"),
    path("entries/", views.entry_list, name="ledger-entries"),
    path("entries/<int:entry_id>/", views.entry_detail, name="ledger-entry-detail"),
    path("entries/<int:entry_id>/reverse/", views.entry_reverse, name="ledger-entry-reverse"),
    path("periods/", views.period_list, name="ledger-periods"),
    path("periods/reopen/", views.period_reopen, name="ledger-period-reopen"),
    path("settings/", views.ledger_settings, name="ledger-settings"),
]
