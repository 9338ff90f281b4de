"""Shared fixtures: organisations, users with roles, and a logged-in client per role."""
import os

os.environ.setdefault("OMBOON_FAST_HASHER", "1")
# A fixed key for the suite, inherited by the commands and servers that tests start in
# subprocesses (a server, DATABASE_URL set, refuses to start without one).
os.environ.setdefault("OMBOON_SECRET_KEY", "test-only-" + "k" * 50)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in browser tests

from omboon.testing.properties import load_profile  # noqa: E402

load_profile()  # Hypothesis: "dev", "ci" when CI=true, or $HYPOTHESIS_PROFILE

pytest_plugins = ["omboon.testing.fixtures", "omboon.testing.browser", "omboon.testing.i18n"]
