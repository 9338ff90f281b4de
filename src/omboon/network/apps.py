from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "omboon.network"
    label = "network"
    verbose_name = "Network"

    def ready(self) -> None:
        # imported here, once every app is loaded: Django's way to connect an app's receivers
        from django.db.models.signals import pre_delete, pre_save

        from omboon.ledger import signals as ledger_signals
        from omboon.network import receivers
        from omboon.orgs import scoping

        ledger_signals.period_closed.connect(receivers.on_period_closed, dispatch_uid="network.period_closed")
        ledger_signals.period_reopened.connect(receivers.on_period_reopened,
                                               dispatch_uid="network.period_reopened")
        scoping.register_sharing_policy(receivers.NetworkSharingPolicy())
        from django.apps import apps

        for model in apps.get_models():  # only a group's own rows: other deletes stay fast
            if model._meta.app_label in receivers.GUARDED_APPS and any(
                    f.name == "organisation" for f in model._meta.concrete_fields):
                label = model._meta.label_lower
                pre_save.connect(receivers.refuse_remote_write, sender=model, dispatch_uid=f"network.save.{label}")
                pre_delete.connect(receivers.refuse_remote_write, sender=model,
                                   dispatch_uid=f"network.delete.{label}")
