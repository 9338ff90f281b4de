"""Values for the URL walker (``test_url_walker``) of the shell's own pages."""

import datetime as dt

from omboon.orgs import services
from omboon.orgs.models import Role
from omboon.testing.factories import make_user


def _token(org, built):
    """A token of the organisation (its chair's own)."""
    chair = make_user(org, Role.CHAIR)
    token, _ = services.token_create(actor=chair, holder=chair, organisations=[org], name="walker",
                                     expires_on=dt.date.today() + dt.timedelta(days=30))
    return token.pk


URL_VALUES = {
    "user_id": lambda org, built: make_user(org, Role.TREASURER).pk,  # a user holding a role there
    "token_id": _token,
}
