from django.urls import path

from omboon.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/", views.detail, name="detail"),
    path("<slug:code>/<str:fmt>/", views.download, name="download"),
]
