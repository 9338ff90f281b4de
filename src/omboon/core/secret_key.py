"""Where Omboon's SECRET_KEY comes from (read by ``omboon.settings``; no Django imports but one).

The key signs sessions and CSRF tokens, and (unless OMBOON_ID_HASH_KEY is set) keys the
national-ID hashes, so it must be secret and must not change under a running install:

- ``OMBOON_SECRET_KEY`` in the environment wins, everywhere;
- a server (``DATABASE_URL`` set, or ``OMBOON_ENV=production``) has no other source: without
  it Omboon refuses to start;
- a laptop install (SQLite) makes a random key on its first start, in ``DATA_DIR/secret_key``
  (mode 0600, inside the git-ignored data folder), and reads it from there ever after.
  ``omboon backup`` carries that file and ``omboon restore`` puts it back.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

FILE_NAME = "secret_key"
ENV_NAME = "OMBOON_SECRET_KEY"
MIN_LENGTH = 50  # Django's check --deploy warns below 50 characters


def is_server(environ: Mapping[str, str]) -> bool:
    return bool(environ.get("DATABASE_URL")) or environ.get("OMBOON_ENV", "").lower() == "production"


def key_file(data_dir: Path) -> Path:
    return Path(data_dir) / FILE_NAME


def generate() -> str:
    return secrets.token_urlsafe(48)  # 64 characters


def write_new(path: Path, key: str) -> bool:
    """Write ``key`` to ``path`` (0600) unless the file exists; True when this call wrote it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False  # another process got there first: use its key
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return True


def read(path: Path) -> str:
    return path.read_text(encoding="ascii").strip()


def load(environ: Mapping[str, str], data_dir: Path) -> str:
    """The key for this install (see the module's docstring)."""
    key = environ.get(ENV_NAME, "").strip()
    if key:
        return key
    if is_server(environ):
        raise ImproperlyConfigured(
            f"เครื่องแม่ข่าย (มี DATABASE_URL หรือ OMBOON_ENV=production) ต้องตั้ง {ENV_NAME} "
            f"เป็นข้อความสุ่มอย่างน้อย {MIN_LENGTH} ตัวอักษร เช่น "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))' / "
            f"a server (DATABASE_URL set, or OMBOON_ENV=production) needs {ENV_NAME}: "
            f"a random string of at least {MIN_LENGTH} characters, e.g. from "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    path = key_file(data_dir)
    if not path.exists():
        write_new(path, generate())
    key = read(path)
    if not key:
        raise ImproperlyConfigured(f"ไฟล์กุญแจว่าง / the key file is empty: {path}")
    return key
