from django.urls import path

from omboon.api.main import api

urlpatterns = [path("", api.urls)]
