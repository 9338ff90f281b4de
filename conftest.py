"""Shared fixtures: organisations, users with roles, and a logged-in client per role."""
import os

os.environ.setdefault("OMBOON_FAST_HASHER", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in browser tests

from omboon.testing.properties import load_profile

load_profile()  # Hypothesis: "dev", "ci" when CI=true, or $HYPOTHESIS_PROFILE

pytest_plugins = ["omboon.testing.database", "omboon.testing.fixtures", "omboon.testing.browser", "omboon.testing.i18n"]
