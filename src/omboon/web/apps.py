from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "omboon.web"
    label = "web"
