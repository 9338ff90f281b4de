from django.apps import AppConfig


class SavingsConfig(AppConfig):
    name = "omboon.savings"
    label = "savings"
    verbose_name = "Savings"

    def ready(self) -> None:
        # imported here, once every app is loaded: Django's way to connect an app's receivers
        from omboon.ledger import signals as ledger_signals
        from omboon.savings import receivers

        ledger_signals.period_closed.connect(receivers.on_period_closed, dispatch_uid="savings.period_closed")
        ledger_signals.period_reopened.connect(receivers.on_period_reopened,
                                               dispatch_uid="savings.period_reopened")
