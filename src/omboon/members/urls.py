from django.urls import path

from omboon.members import views

urlpatterns = [
    path("", views.member_list, name="member-list"),
    path("new/", views.member_new, name="member-new"),
    path("duplicates/", views.member_duplicates, name="member-duplicates"),
    path("<int:member_id>/", views.member_detail, name="member-detail"),
    path("<int:member_id>/edit/", views.member_edit, name="member-edit"),
    path("<int:member_id>/status/", views.member_status, name="member-status"),
    path("<int:member_id>/beneficiaries/", views.member_beneficiaries, name="member-beneficiaries"),
    path("<int:member_id>/reveal-id/", views.member_reveal_id, name="member-reveal-id"),
    path("<int:member_id>/erase/", views.member_erase, name="member-erase"),
]
