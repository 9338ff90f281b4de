from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "omboon.ledger"
    label = "ledger"
    verbose_name = "Ledger"

    def ready(self) -> None:
        # imported here, once every app is loaded: Django's way to connect an app's receivers
        from django.db.models.signals import post_migrate

        from omboon.ledger import guards, receivers
        from omboon.orgs.signals import organisation_created

        organisation_created.connect(receivers.create_chart, dispatch_uid="ledger.create_chart")
        post_migrate.connect(guards.arm_after_migrate, dispatch_uid="ledger.arm_guard")
