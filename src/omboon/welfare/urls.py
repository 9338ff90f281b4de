from django.urls import path

from omboon.welfare import views

app_name = "welfare"

urlpatterns = [
    path("", views.index, name="index"),
    path("schemes/new/", views.scheme_new, name="scheme-new"),
    path("schemes/<int:scheme_id>/", views.scheme_detail, name="scheme"),
    path("claims/", views.claim_list, name="claims"),
    path("claims/new/", views.claim_new, name="claim-new"),
    path("claims/<int:claim_id>/", views.claim_detail, name="claim"),
    path("claims/<int:claim_id>/approve/", views.claim_approve, name="claim-approve"),
    path("claims/<int:claim_id>/reject/", views.claim_reject, name="claim-reject"),
    path("claims/<int:claim_id>/pay/", views.claim_pay, name="claim-pay"),
    path("claims/<int:claim_id>/reverse/", views.claim_reverse, name="claim-reverse"),
    path("claims/<int:claim_id>/voucher/", views.claim_voucher, name="claim-voucher"),
    path("what-if/", views.what_if, name="what-if"),
    path("projection/", views.projection, name="projection"),
]
