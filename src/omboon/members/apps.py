from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "omboon.members"
    label = "members"
    verbose_name = "Members"
