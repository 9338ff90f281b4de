"""The language a person reads: "th" (the source language) or "en".

``web.middleware.ThaiFirstLocaleMiddleware`` activates a request's language; everything that
shows words asks here rather than reading Django's language code itself.
"""

from __future__ import annotations

from django.utils.translation import get_language


def current() -> str:
    """The active language: "en" or "th"."""
    return "en" if (get_language() or "th").startswith("en") else "th"


def of_request(request) -> str:
    """A report's language: ``?lang=en`` or ``?lang=th`` when the link says (a download), else
    the active one."""
    lang = request.GET.get("lang") or get_language() or "th"
    return "en" if lang.startswith("en") else "th"
