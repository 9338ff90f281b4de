from django.urls import path

from omboon.network import views

app_name = "network"

urlpatterns = [
    path("", views.status, name="status"),
    path("area/", views.area, name="area"),
    path("fund-status/", views.fund_status, name="fund-status"),
    path("statements/", views.statements, name="statements"),
    path("reporting-rate/", views.reporting_rate, name="reporting-rate"),
    path("quality/", views.quality, name="quality"),
    path("sharing/", views.sharing, name="sharing"),
]
