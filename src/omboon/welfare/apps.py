from django.apps import AppConfig


class WelfareConfig(AppConfig):
    name = "omboon.welfare"
    label = "welfare"
    verbose_name = "Welfare benefits"

    def ready(self) -> None:
        from omboon.welfare import receivers  # noqa: F401  (members.signals.member_erased)
