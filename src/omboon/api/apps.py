from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "omboon.api"
    label = "api"
