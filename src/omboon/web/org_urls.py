"""Pages of one organisation that belong to the shell itself: /o/<org>/ and its audit trail."""

from django.urls import path

from omboon.web import views

urlpatterns = [
    path("", views.org_home, name="org-home"),
    path("audit/", views.audit_trail, name="audit-trail"),
]
