from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "omboon.reports"
    label = "reports"

    def ready(self):
        # imported here, once every app is loaded: Django's way to hand over an app's parts
        from omboon.core import reporting
        from omboon.reports import render

        reporting.set_renderer(render.render)
