import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from omboon.cli import command_name, main
from omboon.demo import generator
from omboon.members.models import Member
from omboon.orgs.models import Organisation


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# The command tests build one year of history (--years 1): every app's populate step still
# runs through the command; the years of history are each app's test_demo's to check.


@pytest.mark.django_db
def test_demo_builds_with_progress_then_refuses_a_second_build():
    out, _ = _run("demo", "--seed", "5", "--members", "10", "--groups", "6", "--years", "1",
                  "--end", "2025-06-30")
    assert "BDC" in out and "LNU" in out and "omboon-demo" in out
    assert all(f"{app}:" in out for app, _ in generator.populate_modules())  # every app's history
    assert Organisation.objects.filter(kind="group").count() == 6
    assert 6 * 5 <= Member.objects.count() <= 6 * 15  # --members is the average (each group 0.5–1.5×)
    with pytest.raises(CommandError, match="--fresh"):
        _run("demo", "--members", "30")


@pytest.mark.django_db(transaction=True)
def test_demo_fresh_flushes_and_builds_again_identically():
    _run("demo", "--seed", "4", "--members", "20", "--groups", "3", "--years", "1", "--end", "2025-06-30")
    first = list(Member.objects.order_by("organisation__code", "number")
                 .values_list("organisation__code", "number", "national_id", "first_name"))
    out, _ = _run("demo", "--seed", "4", "--members", "20", "--groups", "3", "--years", "1",
                  "--end", "2025-06-30", "--fresh")
    assert "flushing" in out
    again = list(Member.objects.order_by("organisation__code", "number")
                 .values_list("organisation__code", "number", "national_id", "first_name"))
    assert again == first


@pytest.mark.django_db
def test_demo_rejects_nonsense_sizes():
    with pytest.raises(CommandError):
        _run("demo", "--members", "0")


def test_hyphenated_command_names_reach_the_underscored_modules():
    assert command_name("demo-logins") == "demo_logins"
    assert command_name("demo") == "demo"
    assert command_name("no-such-thing") == "no-such-thing"


def test_the_usage_line_names_a_hyphenated_command_as_typed(capsys):
    """``omboon loan-schedule --help`` says ``usage: omboon loan-schedule``, not the module's
    ``loan_schedule``, which nobody types."""
    with pytest.raises(SystemExit) as exit_:
        main(["omboon", "loan-schedule", "--help"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("usage: omboon loan-schedule [-h]")
