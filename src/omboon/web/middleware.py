"""The shell's middleware: Thai first, a request-size limit, and no caching of private pages.

Thai first: the language is Thai unless the user chose English with the switch.

Django's ``LocaleMiddleware`` also follows the browser's Accept-Language, so a phone set to
English would open the shell in English although the group works in Thai. This one reads
only the language cookie that the switch (``django.views.i18n.set_language``) sets.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from omboon.core.contract import problems_body
from omboon.core.errors import Problem


class ThaiFirstLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or settings.LANGUAGE_CODE
        try:
            language = translation.get_supported_language_variant(chosen)
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class RequestSizeLimitMiddleware:
    """A request larger than Omboon accepts is answered 413 with a Thai/English page before
    anything reads its body: a multipart upload up to ``OMBOON_MAX_UPLOAD_BYTES`` (an import's
    24 MB file and its form), any other body up to ``DATA_UPLOAD_MAX_MEMORY_SIZE``. Django's
    own ``RequestDataTooBig`` (a body without a Content-Length read past the limit) is 413 too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit(request):
            return self.too_large(request)
        return self.get_response(request)

    @staticmethod
    def limit(request) -> int:
        if request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data"):
            return settings.OMBOON_MAX_UPLOAD_BYTES
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2**63

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig):
            return self.too_large(request)
        return None

    def too_large(self, request):
        megabytes = self.limit(request) / (1024 * 1024)
        shown = f"{megabytes:.1f}".rstrip("0").rstrip(".")
        if request.path.startswith("/api/"):  # an API client reads the Problem list, not a page
            problem = Problem("body", f"ข้อมูลที่ส่งมาใหญ่เกิน {shown} MB", f"the request body is over {shown} MB",
                              code="too_large")
            return JsonResponse(problems_body([problem]), status=413)
        return render(request, "413.html", {"megabytes": f"{megabytes:.1f}".rstrip("0").rstrip(".")},
                      status=413)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response of Omboon's own pages, PDFs and exports:
    they hold members' names and money, and a shared computer's browser must not keep them.
    Static files (served by WhiteNoise before this runs) and the public transparency pages,
    seen without a login, stay cacheable."""

    PUBLIC_PREFIXES = ("/public/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        anonymous = not getattr(user, "is_authenticated", False)
        if not (anonymous and request.path.startswith(self.PUBLIC_PREFIXES)):
            add_never_cache_headers(response)
        return response
