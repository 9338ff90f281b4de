from django.apps import AppConfig


class SavingsConfig(AppConfig):
    name = "omboon.savings"
    label = "savings"
    verbose_name = "Savings"

    def ready(self) -> None:
        # imported here, once every app is loaded: Django's way to connect an app's receivers
        from omboon.ledger import signals as ledger_signals
        from omboon.ledger.collection import register_part
        from omboon.ledger.holdings import register_savings_accounts, register_savings_balance
        from omboon.members import signals as member_signals
        from omboon.savings import receivers, selectors
        from omboon.savings.collection import SavingsPart

        ledger_signals.period_closed.connect(receivers.on_period_closed, dispatch_uid="savings.period_closed")
        ledger_signals.period_reopened.connect(receivers.on_period_reopened,
                                               dispatch_uid="savings.period_reopened")
        # the savings part of the collection day (``ledger.collection``): contributions' page takes
        # deposits through it without importing savings
        register_part(SavingsPart())
        # a member's own savings, for loans' "at most N times own savings" (``ledger.holdings``)
        register_savings_balance(selectors.member_savings)
        # a pledged account as loans reads it when it checks a lien (``ledger.holdings``)
        register_savings_accounts(selectors.pledgeable)
        member_signals.member_joined.connect(receivers.on_member_joined, dispatch_uid="savings.member_joined")
