from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "omboon.reports"
    label = "reports"

    def ready(self):
        from omboon.core import reporting  # an AppConfig imports its code once apps are loaded
        from omboon.reports import render

        reporting.set_renderer(render.render)
