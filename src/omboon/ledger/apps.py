from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "omboon.ledger"
    label = "ledger"
