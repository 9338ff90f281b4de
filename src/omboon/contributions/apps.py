from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "omboon.contributions"
    label = "contributions"
    verbose_name = "Contributions"
