import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from omboon.cli import command_name
from omboon.members.models import Member
from omboon.orgs.models import Organisation


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_demo_builds_with_progress_then_refuses_a_second_build():
    out, _ = _run("demo", "--seed", "5", "--members", "30", "--groups", "6", "--end", "2025-06-30")
    assert "BDC" in out and "LNU" in out and "omboon-demo" in out
    assert Organisation.objects.filter(kind="group").count() == 6
    assert 6 * 15 <= Member.objects.count() <= 6 * 45
    with pytest.raises(CommandError, match="--fresh"):
        _run("demo", "--members", "30")


@pytest.mark.django_db(transaction=True)
def test_demo_fresh_flushes_and_builds_again_identically():
    _run("demo", "--seed", "4", "--members", "20", "--groups", "3", "--end", "2025-06-30")
    first = list(Member.objects.order_by("organisation__code", "number")
                 .values_list("organisation__code", "number", "national_id", "first_name"))
    out, _ = _run("demo", "--seed", "4", "--members", "20", "--groups", "3", "--end", "2025-06-30",
                  "--fresh")
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
