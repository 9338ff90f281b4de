"""Production is safe by default (omboon.settings), checked the way a server starts: in a
subprocess with the documented environment (README, "Production / เครื่องแม่ข่าย")."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

import pytest

SERVER = {
    "OMBOON_SECRET_KEY": secrets.token_urlsafe(48)[:50],
    "OMBOON_HTTPS": "1",
    "OMBOON_ALLOWED_HOSTS": "example.org",
    "DATABASE_URL": "postgres://omboon@127.0.0.1:5432/omboon",
}
OMBOON = [sys.executable, "-c", "import sys; from omboon.cli import main; main(sys.argv)"]
SHOW = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "omboon.settings"
from django.conf import settings
names = ["DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
         "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER"]
print(json.dumps({n: getattr(settings, n) for n in names}))
"""


def _env(tmp_path, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()  # none of the suite's own settings
           if not k.startswith(("OMBOON_", "DATABASE_URL", "DJANGO_"))}
    env["OMBOON_DATA_DIR"] = str(tmp_path / "data")
    env.update(extra)
    return env


def _run(args, env):
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_in_the_documented_server_configuration(tmp_path):
    result = _run([*OMBOON, "check", "--deploy"], _env(tmp_path, **SERVER))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr


def test_behind_https_cookies_are_secure_and_http_is_redirected(tmp_path):
    result = _run([sys.executable, "-c", SHOW], _env(tmp_path, **SERVER))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,  # a year
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


@pytest.mark.parametrize("server", [{"DATABASE_URL": SERVER["DATABASE_URL"]}, {"OMBOON_ENV": "production"}])
def test_a_server_without_a_secret_key_will_not_start(tmp_path, server):
    result = _run([*OMBOON, "check"], _env(tmp_path, **server))
    assert result.returncode != 0
    assert "ต้องตั้ง OMBOON_SECRET_KEY" in result.stderr and "needs OMBOON_SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr  # the reason, not a stack
    assert not (tmp_path / "data" / "secret_key").exists()


def test_a_laptop_makes_its_own_key_on_first_start(tmp_path):
    result = _run([*OMBOON, "check"], _env(tmp_path))
    assert result.returncode == 0, result.stderr
    key = (tmp_path / "data" / "secret_key").read_text().strip()
    assert len(key) >= 50 and key != "dev-only-not-secret-change-me-on-a-server"
