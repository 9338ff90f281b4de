from django.apps import AppConfig


class WelfareConfig(AppConfig):
    name = "omboon.welfare"
    label = "welfare"
    verbose_name = "Welfare benefits"

    def ready(self) -> None:
        # imported here, once every app is loaded: Django's way to connect an app's receivers
        from omboon.welfare import receivers  # noqa: F401  (members.signals.member_erased)
