from django.urls import path

from omboon.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("logo/", views.logo, name="logo"),  # before <code>: no report is called "logo"
    path("<slug:code>/", views.detail, name="detail"),
    path("<slug:code>/<str:fmt>/", views.download, name="download"),
]
