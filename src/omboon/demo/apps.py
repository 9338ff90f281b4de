from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo network's commands (demo, demo-logins, demo-node); no models."""

    name = "omboon.demo"
    label = "demo"
    verbose_name = "Omboon demo"
