import pytest

from omboon.orgs.models import Role
from omboon.testing.factories import make_user


@pytest.fixture
def group(tree):
    return tree.group_a


@pytest.fixture
def actor(tree):
    return make_user(tree.group_a, Role.TREASURER, username="imp-treasurer")
