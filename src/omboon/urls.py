from django.contrib import admin
from django.urls import include, path

# Every page about one organisation lives under /o/<org>/ and passes orgs.decorators.org_view.
org_patterns = [
    path("members/", include("omboon.members.urls")),
    path("ledger/", include("omboon.ledger.urls")),
    path("contributions/", include("omboon.contributions.urls")),
    path("welfare/", include("omboon.welfare.urls")),
    path("loans/", include("omboon.loans.urls")),
    path("savings/", include("omboon.savings.urls")),
    path("reports/", include("omboon.reports.urls")),
    path("dashboard/", include("omboon.reports.dashboard_urls")),
    path("imports/", include("omboon.imports.urls")),
    path("network/", include("omboon.network.urls")),
    path("", include("omboon.web.org_urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("omboon.api.urls")),
    path("o/<str:org>/", include(org_patterns)),
    path("public/", include("omboon.network.public_urls")),
    path("", include("omboon.web.urls")),
]

# The app's own error pages in the user's language (403 and 404: Django's handlers, our templates).
handler400 = "omboon.web.errors.bad_request"
handler500 = "omboon.web.errors.server_error"
