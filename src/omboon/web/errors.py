"""The app's own error pages, in the user's language (the language middleware has already
chosen it when any of these runs): 400, 403, 404 and 500 (Django's handlers, named in
``omboon.urls``) and the CSRF failure (``CSRF_FAILURE_VIEW``).

403 and 404 render ``403.html`` and ``404.html`` through Django's own handlers, with the request
and the shell's menu. 400 and 500 render without the request's context processors: a 500 may
come from the database itself, and a 400 from a request whose host cannot be trusted, so those
two pages read nothing but the active language.
"""

from __future__ import annotations

from django.http import HttpResponseBadRequest, HttpResponseServerError
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def bad_request(request, exception=None):
    return HttpResponseBadRequest(loader.get_template("400.html").render())


@requires_csrf_token
def server_error(request):
    return HttpResponseServerError(loader.get_template("500.html").render())


def csrf_failure(request, reason: str = ""):
    """A form sent without a valid token (a page left open past a sign-out, an expired session,
    cookies refused): nothing was done; say so and how to send it again."""
    return render(request, "403_csrf.html", {"no_cookie": reason == REASON_NO_CSRF_COOKIE}, status=403)
