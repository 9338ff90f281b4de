"""``omboon recompute-facts`` stopped by Ctrl-C (or SIGTERM) says how many groups it finished
and the ``--after`` that continues with the next one; exit code 130."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from omboon.core.progress import EXIT_INTERRUPTED
from omboon.network import services

pytestmark = pytest.mark.django_db


def test_stopped_recompute_says_where_to_continue(tree, monkeypatch):
    seen = []

    def recompute(*, organisation, **kw):
        if organisation.code == "MPA" and "--after" not in seen:
            raise KeyboardInterrupt
        seen.append(organisation.code)
        return 0

    monkeypatch.setattr(services, "facts_recompute", recompute)
    with pytest.raises(CommandError) as stopped:
        call_command("recompute_facts", "--through", "2025-01", stdout=io.StringIO())
    assert stopped.value.returncode == EXIT_INTERRUPTED
    message = str(stopped.value)
    assert "คำนวณเสร็จ 1/3 กลุ่ม ถึง BDC" in message and "recomputed 1/3 groups, through BDC" in message
    assert "omboon recompute-facts --through 2025-01 --after BDC" in message
    assert seen == ["BDC"]

    seen.append("--after")
    call_command("recompute_facts", "--through", "2025-01", "--after", "BDC", stdout=io.StringIO())
    assert seen[2:] == ["MPA", "NGA"]
