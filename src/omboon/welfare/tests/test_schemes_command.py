"""``omboon schemes``: a scheme from a preset, listed with its rule versions."""

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_a_funeral_scheme_from_its_preset(tree, capsys):
    call_command("schemes", "add", "--org", "BDC", "--preset", "death", "--from", "1/1/2569")
    out = capsys.readouterr().out
    assert "ค่าจัดการศพ (death)" in out and "2026-01-01" in out
    with pytest.raises(CommandError, match="no preset"):
        call_command("schemes", "add", "--org", "BDC", "--preset", "funeral", "--from", "1/1/2569")
