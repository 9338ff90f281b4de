"""Where SECRET_KEY comes from (omboon.core.secret_key): never the public default.

A laptop makes its own random key on its first start and keeps it in its data folder; a
server must be given one and refuses to start without it.
"""

from __future__ import annotations

import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from omboon.core import secret_key


def test_a_laptop_makes_its_key_once_and_keeps_it(tmp_path):
    data = tmp_path / "data"
    first = secret_key.load({}, data)
    path = data / "secret_key"
    assert path.is_file() and len(first) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # only the install's user reads it
    assert secret_key.load({}, data) == first  # the next start reads the same key
    assert secret_key.load({}, tmp_path / "other") != first  # another laptop, another key


def test_the_environment_wins_and_writes_no_file(tmp_path):
    assert secret_key.load({"OMBOON_SECRET_KEY": "k" * 60}, tmp_path) == "k" * 60
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("environ", [
    {"DATABASE_URL": "postgres://omboon@db/omboon"},
    {"OMBOON_ENV": "production"},
])
def test_a_server_without_a_key_refuses_to_start(tmp_path, environ):
    with pytest.raises(ImproperlyConfigured, match=r"ต้องตั้ง OMBOON_SECRET_KEY.*needs OMBOON_SECRET_KEY"):
        secret_key.load(environ, tmp_path)
    assert not (tmp_path / "secret_key").exists()  # a server never makes one itself


def test_a_key_file_another_process_wrote_first_is_kept(tmp_path):
    path = tmp_path / "secret_key"
    assert secret_key.write_new(path, "first") is True
    assert secret_key.write_new(path, "second") is False
    assert secret_key.read(path) == "first"
