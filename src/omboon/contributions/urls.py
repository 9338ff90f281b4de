from django.urls import path

from omboon.contributions import collect_views, views

app_name = "contributions"

urlpatterns = [
    path("", views.index, name="index"),
    path("collect/", collect_views.collect, name="collect"),
    path("collect/confirm/", collect_views.collect_confirm, name="collect-confirm"),
    path("collect/<int:day_id>/", collect_views.collection_day, name="collection-day"),
    path("pay/", views.pay, name="pay"),
    path("receipts/", views.receipt_list, name="receipts"),
    path("receipts/<int:receipt_id>/", views.receipt_detail, name="receipt"),
    path("receipts/<int:receipt_id>/void/", views.receipt_void, name="receipt-void"),
    path("receipts/<int:receipt_id>/print/<str:size>/", views.receipt_print, name="receipt-print"),
    path("receipts/<int:receipt_id>/pdf/<str:size>/", views.receipt_pdf, name="receipt-pdf"),
    path("arrears/", views.arrears, name="arrears"),
    path("plans/", views.plans, name="plans"),
    path("grants/", views.grants, name="grants"),
    path("passbook/", views.my_passbook, name="my-passbook"),
    path("passbook/<int:member_id>/", views.passbook, name="passbook"),
    path("passbook/<int:member_id>/pdf/", views.passbook_pdf, name="passbook-pdf"),
]
