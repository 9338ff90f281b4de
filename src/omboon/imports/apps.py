from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "omboon.imports"
    label = "imports"
    verbose_name = "นำเข้าข้อมูล / imports"
