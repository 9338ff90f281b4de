from django.urls import path

from omboon.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
