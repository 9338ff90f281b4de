"""Pages of one organisation that belong to the shell itself: /o/<org>/, its audit trail
and its locked sign-ins."""

from django.urls import path

from omboon.web import views

urlpatterns = [
    path("", views.org_home, name="org-home"),
    path("audit/", views.audit_trail, name="audit-trail"),
    path("sign-ins/", views.signin_locks, name="signin-locks"),
    path("sign-ins/<int:user_id>/unlock/", views.signin_unlock, name="signin-unlock"),
]
