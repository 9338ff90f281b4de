from django.urls import path

from omboon.loans import views, views_consent, views_reschedule
from omboon.loans.year_end import views as year_end

app_name = "loans"

urlpatterns = [
    path("", views.loan_list, name="list"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("new/", views.loan_new, name="new"),
    path("products/", views.product_list, name="products"),
    path("products/new/", views.product_new, name="product-new"),
    path("products/<int:loan_product_id>/", views.product_detail, name="product"),
    path("reschedules/", views_reschedule.reschedule_queue, name="reschedules"),
    path("<int:loan_id>/", views.loan_detail, name="detail"),
    path("<int:loan_id>/consent/", views_consent.consent, name="consent"),
    path("<int:loan_id>/guarantee/", views_consent.guarantee, name="guarantee"),
    path("<int:loan_id>/guarantor-replace/", views_consent.guarantor_replace, name="guarantor-replace"),
    path("<int:loan_id>/approve/", views.loan_approve, name="approve"),
    path("<int:loan_id>/reject/", views.loan_reject, name="reject"),
    path("<int:loan_id>/withdraw/", views.loan_withdraw, name="withdraw"),
    path("<int:loan_id>/disburse/", views.loan_disburse, name="disburse"),
    path("<int:loan_id>/voucher/", views.loan_voucher, name="voucher"),
    path("<int:loan_id>/repay/", views.loan_repay, name="repay"),
    path("<int:loan_id>/reverse/", views.repayment_reverse, name="reverse"),
    path("<int:loan_id>/write-off/", views.write_off, name="write-off"),
    path("<int:loan_id>/recover/", views.recover, name="recover"),
    path("<int:loan_id>/penalty/", views.penalty, name="penalty"),
    path("<int:loan_id>/waive/", views.waive, name="waive"),
    path("<int:loan_id>/adjustment/", views.adjustment_decide, name="adjustment"),
    path("<int:loan_id>/reschedule/", views_reschedule.reschedule_new, name="reschedule-new"),
    path("<int:loan_id>/reschedules/<int:reschedule_id>/", views_reschedule.reschedule_detail, name="reschedule"),
    path("<int:loan_id>/reschedules/<int:reschedule_id>/decide/", views_reschedule.reschedule_decide,
         name="reschedule-decide"),
    path("year-end/", year_end.year_end_list, name="year-end"),
    path("year-end/<int:allocation_id>/", year_end.year_end_detail, name="year-end-detail"),
    path("year-end/<int:allocation_id>/approve/", year_end.year_end_approve, name="year-end-approve"),
    path("year-end/<int:allocation_id>/post/", year_end.year_end_post, name="year-end-post"),
    path("year-end/<int:allocation_id>/pay/", year_end.year_end_pay, name="year-end-pay"),
    path("year-end/<int:allocation_id>/reverse/", year_end.year_end_reverse, name="year-end-reverse"),
]
