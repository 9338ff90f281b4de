from django.urls import path

from omboon.members import views

urlpatterns = [
    path("", views.member_list, name="member-list"),
    path("<int:member_id>/", views.member_detail, name="member-detail"),
]
