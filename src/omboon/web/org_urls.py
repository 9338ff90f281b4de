"""Pages of one organisation that belong to the shell itself: /o/<org>/, its audit trail
and its locked sign-ins."""

from django.urls import path

from omboon.web import group_new, org_settings, personal_data, tokens, users, views

urlpatterns = [
    path("", views.org_home, name="org-home"),
    path("audit/", views.audit_trail, name="audit-trail"),
    path("members/<int:member_id>/personal-data.<str:fmt>", personal_data.member_personal_data,
         name="member-personal-data"),
    path("sign-ins/", views.signin_locks, name="signin-locks"),
    path("sign-ins/<int:user_id>/unlock/", views.signin_unlock, name="signin-unlock"),
    path("settings/", org_settings.org_settings, name="org-settings"),
    path("groups/new/", group_new.group_new, name="group-new"),
    path("users/", users.users_page, name="people"),
    path("users/<int:user_id>/", users.user_detail, name="user-detail"),
    path("users/<int:user_id>/edit/", users.user_edit, name="user-edit"),
    path("users/<int:user_id>/grant/", users.user_grant, name="user-grant"),
    path("users/<int:user_id>/revoke/", users.user_revoke, name="user-revoke"),
    path("users/<int:user_id>/password/", users.user_password, name="user-password"),
    path("users/<int:user_id>/deactivate/", users.user_deactivate, name="user-deactivate"),
    path("tokens/", tokens.tokens_page, name="api-tokens"),
    path("tokens/service-users/", tokens.service_user_add, name="service-user-add"),
    path("tokens/<int:token_id>/revoke/", tokens.token_revoke, name="api-token-revoke"),
]
