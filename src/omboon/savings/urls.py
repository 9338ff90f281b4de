from django.urls import path

from omboon.savings import views

app_name = "savings"

urlpatterns = [
    path("", views.account_list, name="list"),
    path("accounts/new/", views.account_new, name="account-new"),
    path("accounts/<int:account_id>/", views.account_detail, name="account"),
    path("accounts/<int:account_id>/deposit/", views.deposit, name="deposit"),
    path("accounts/<int:account_id>/withdraw/", views.withdraw, name="withdraw"),
    path("accounts/<int:account_id>/reverse/", views.account_reverse, name="reverse"),
    path("accounts/<int:account_id>/close/", views.account_close, name="close"),
    path("accounts/<int:account_id>/transfer/", views.share_transfer, name="transfer"),
    path("transfers/<int:transfer_id>/approve/", views.share_transfer_approve, name="transfer-approve"),
    path("transfers/<int:transfer_id>/reject/", views.share_transfer_reject, name="transfer-reject"),
    path("accounts/<int:account_id>/passbook/", views.passbook_page, name="passbook"),
    path("accounts/<int:account_id>/passbook.pdf", views.passbook_pdf, name="passbook-pdf"),
    path("accounts/<int:account_id>/passbook/print/", views.passbook_print, name="passbook-print"),
    path("accounts/<int:account_id>/statement/", views.statement, name="statement"),
    path("accounts/<int:account_id>/statement.pdf", views.statement_pdf, name="statement-pdf"),
    path("products/", views.product_list, name="products"),
    path("products/<int:product_id>/", views.product_detail, name="product"),
    path("products/<int:product_id>/opening/", views.product_opening, name="product-opening"),
    path("members/<int:member_id>/payout/", views.member_payout, name="member-payout"),
    path("withdrawals/", views.withdrawal_list, name="withdrawals"),
    path("withdrawals/<int:withdrawal_id>/approve/", views.withdrawal_approve, name="withdrawal-approve"),
    path("withdrawals/<int:withdrawal_id>/reject/", views.withdrawal_reject, name="withdrawal-reject"),
    path("withdrawals/<int:withdrawal_id>/cancel/", views.withdrawal_cancel, name="withdrawal-cancel"),
    path("interest/", views.interest_page, name="interest"),
]
