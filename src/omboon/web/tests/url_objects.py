"""Values for the URL walker (``test_url_walker``) of the shell's own pages."""

from omboon.orgs.models import Role
from omboon.testing.factories import make_user

URL_VALUES = {
    "user_id": lambda org, built: make_user(org, Role.TREASURER).pk,  # a user holding a role there
}
