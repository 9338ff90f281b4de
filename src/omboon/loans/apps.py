from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "omboon.loans"
    label = "loans"
    verbose_name = "Loans"
