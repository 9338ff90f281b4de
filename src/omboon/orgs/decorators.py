"""``org_view``: the one door for every page under /o/<org>/.

It resolves the organisation from the URL through ``omboon.orgs.scoping`` (404 for an
organisation the user may not see, 403 for a capability the user lacks), and puts the result
on ``request.access``. Views then fetch objects with ``scoping.get_in_scope``.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required

from omboon.orgs import scoping


def org_view(need: str = scoping.VIEW, *, write_need: str | None = None):
    """``need`` is required for every request; ``write_need`` in addition for POST."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, org: str, *args, **kwargs):
            access = scoping.access_org(request.user, org, need)
            if request.method not in ("GET", "HEAD", "OPTIONS") and write_need:
                scoping.require(access, write_need)
            request.access = access
            if request.session.get("org") != access.organisation.code:  # no write per page
                request.session["org"] = access.organisation.code
            return view(request, *args, **kwargs)

        wrapper.omboon_need = need
        wrapper.omboon_write_need = write_need
        return wrapper

    return decorate
