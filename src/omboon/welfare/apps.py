from django.apps import AppConfig


class WelfareConfig(AppConfig):
    name = "omboon.welfare"
    label = "welfare"
    verbose_name = "Welfare benefits"
