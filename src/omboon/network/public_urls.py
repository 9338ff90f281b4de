from django.urls import path

from omboon.network import public

app_name = "public"

urlpatterns = [
    path("province/<str:code>/", public.province_page, name="province"),
    path("<str:code>/", public.network_page, name="network"),
]
