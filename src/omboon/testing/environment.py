"""The test suite's environment, set before Django's settings are read.

Loaded as a plugin (``-p omboon.testing.environment`` in pyproject's pytest addopts), so it
runs before pytest-django imports ``omboon.settings`` — the root conftest is too late for
that. What is set here is inherited by the commands and servers tests start in subprocesses.
"""

import os

# A fixed key: a server (DATABASE_URL set, as in `make test`'s PostgreSQL run) refuses to
# start without one, and a laptop run must not write data/secret_key into the work tree.
os.environ.setdefault("OMBOON_SECRET_KEY", "test-only-" + "k" * 50)
