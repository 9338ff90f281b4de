from django.urls import path

from omboon.reports import dashboard

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("arrears/", dashboard.arrears, name="dashboard-arrears"),
    path("metrics/", dashboard.group_metrics, name="dashboard-metrics"),
]
