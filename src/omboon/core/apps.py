from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "omboon.core"
    label = "core"
    verbose_name = "Omboon core"
