from django.apps import AppConfig


class SavingsConfig(AppConfig):
    name = "omboon.savings"
    label = "savings"
    verbose_name = "Savings"
