from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "omboon.reports"
    label = "reports"
