"""``omboon plans``: a rate from a date; the earlier rates stay listed."""

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_a_new_daily_saving_rate_keeps_the_earlier_one(tree, capsys):
    call_command("plans", "set", "--org", "BDC", "--kind", "daily_saving", "--amount", "1", "--from", "1/1/2569")
    call_command("plans", "set", "--org", "BDC", "--kind", "daily_saving", "--amount", "2", "--from", "1/1/2570")
    out = capsys.readouterr().out
    assert "2026-01-01" in out and "2027-01-01" in out and "2.00" in out
    with pytest.raises(CommandError):
        call_command("plans", "set", "--org", "BDC", "--kind", "daily_saving", "--amount", "-1", "--from", "1/1/2571")
