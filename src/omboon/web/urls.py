from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from omboon.web import first_setup, views

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("setup/", first_setup.first_setup, name="first-setup"),
    path("switch/", views.org_switch, name="org-switch"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password-change-done"),
    # browsers ask for /favicon.ico whatever the page says: the same local icon
    path("favicon.ico", RedirectView.as_view(url=static("omboon/favicon.svg"), permanent=True)),
]
