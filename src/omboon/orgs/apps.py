from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "omboon.orgs"
    label = "orgs"
    verbose_name = "Organisations"
