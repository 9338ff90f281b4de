from django.urls import path

from omboon.imports import views

urlpatterns = [
    path("", views.import_home, name="imports-home"),
    path("templates/<str:kind>.<str:fmt>", views.template_download, name="imports-template"),
    path("quality/", views.quality_page, name="imports-quality"),
    path("export/members.csv", views.members_export, name="imports-export-members"),
    path("<int:job_id>/", views.job_detail, name="imports-job"),
    path("<int:job_id>/approve/", views.job_approve, name="imports-approve"),
    path("<int:job_id>/progress/", views.job_progress, name="imports-progress"),
    path("<int:job_id>/errors.xlsx", views.job_errors, name="imports-errors"),
    path("<int:job_id>/mapping.json", views.job_mapping, name="imports-mapping"),
    path("<int:job_id>/values.json", views.job_values, name="imports-values"),
]
