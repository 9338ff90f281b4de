"""/api/v1/… is the API. What stays at the unversioned /api/… for clients written before it:

- the sync protocol's three calls (``network/sync/enrol``, ``status``, ``push``), answered by
  the same views, because laptops already deployed send them there and Python's urllib does not
  follow a redirect of a POST;
- every other /api/<path> answers 308 to /api/v1/<path> (method and body kept), so a script
  that followed the redirect keeps working, and /api/docs and /api/openapi.json lead to v1's;
- an /api/v1/ path that names no endpoint answers 404 with the Problem list, not an HTML page.
"""

from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from omboon.api.errors import http_problem
from omboon.api.main import api
from omboon.core.contract import problems_body
from omboon.network import api as network_api


def not_found(request, rest: str = ""):
    return JsonResponse(problems_body([http_problem(404, "ไม่มีที่อยู่นี้ใน API / no such API path")]), status=404)


def to_v1(request, rest: str):
    target = f"/api/v1/{rest}"
    if request.META.get("QUERY_STRING"):
        target += "?" + request.META["QUERY_STRING"]
    response = HttpResponsePermanentRedirect(target)
    response.status_code = 308  # keeps the method and the body
    return response


def _legacy(view, method: str):
    def legacy(request):
        if request.method != method:
            return JsonResponse(problems_body([http_problem(405)]), status=405)
        return view(request)

    return csrf_exempt(legacy)


urlpatterns = [
    path("v1/", api.urls),
    re_path(r"^v1/(?P<rest>.*)$", not_found),
    path("network/sync/enrol", _legacy(network_api.sync_enrol, "POST")),
    path("network/sync/status", _legacy(network_api.sync_status, "GET")),
    path("network/sync/push", _legacy(network_api.sync_push, "POST")),
    re_path(r"^(?P<rest>.*)$", to_v1),
]
