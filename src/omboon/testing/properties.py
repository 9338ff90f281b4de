"""Hypothesis profiles for the whole suite, and how many examples each property runs.

``HYPOTHESIS_PROFILE`` picks a profile; without it CI (``CI=true``) runs "ci" and everyone
else "dev":

- "dev": no deadline. The suite has no timed asserts, and on a busy 2-core machine a property
  would otherwise fail on time alone (Hypothesis's default is 200 ms an example).
- "ci": as "dev", but the same examples on every run (derandomized, like Hypothesis's own CI
  profile), so a submission is never judged by the luck of the draw; the developers' runs
  ("dev") draw new examples every time and keep failures in .hypothesis/. A failure prints its
  ``@reproduce_failure`` line, as CI's clone is thrown away after the run.
- "thorough": ten times the examples of every property, for a deliberate long run (after a
  change to money, rules or the ledger; ``HYPOTHESIS_PROFILE=thorough make test``).

A property states its number of examples for an ordinary run with ``examples(n)``, with the
reason for that number beside it; the profile scales it. Properties that state none run the
profile's ``max_examples`` (100, or 1,000 when thorough).
"""

from __future__ import annotations

import os

from hypothesis import settings

SCALE = {"dev": 1, "ci": 1, "thorough": 10}

# Each from Hypothesis's defaults, not from whatever profile is loaded when this is imported.
_DEFAULT = settings.get_profile("default")
settings.register_profile("dev", parent=_DEFAULT, deadline=None)
settings.register_profile("ci", parent=_DEFAULT, deadline=None, derandomize=True, database=None,
                          print_blob=True)
settings.register_profile("thorough", parent=_DEFAULT, deadline=None,
                          max_examples=100 * SCALE["thorough"])


def profile_name() -> str:
    return os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev")


def load_profile() -> None:
    settings.load_profile(profile_name())


def examples(n: int) -> int:
    """``n`` examples in an ordinary run, scaled by the profile (ten times when thorough)."""
    return n * SCALE.get(profile_name(), 1)
