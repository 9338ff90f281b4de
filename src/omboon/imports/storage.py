"""Where an import's file lives, and the parse and check kept beside it.

An upload is stored once in the group's upload directory, named by its SHA-256
(``<sha>.xlsx`` / ``<sha>.csv``). Beside it:

- ``<sha>.sheet.pickle``: the parsed ``Sheet`` — the file is parsed once, whoever views the
  job, its errors file or its mapping afterwards. The key is the file's content (its SHA-256)
  and ``READER_VERSION``: a file is parsed again only when the reader changes.
- ``<sha>.checked-<key>.pickle``: the last ``Checked`` result of the file, where ``key`` is a
  digest of the kind, the job's mapping, the group's remembered mapping, the day, and the id
  of the group's latest audit event (every write of every service records one, in the same
  transaction): a cached check is used only while none of those changed, so a new mapping —
  or a member added, a month closed — checks the file again. Only the latest is kept.

The pickles are written by this code into the server's own data directory (written to a
temporary name and renamed, so a reader never sees half a file) and read back only from there.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import pickle
import threading
from pathlib import Path

from django.conf import settings

READER_VERSION = 2  # bump when readers.py gives different rows for the same bytes


def upload_dir(organisation) -> Path:
    base = Path(getattr(settings, "OMBOON_IMPORTS_DIR", None) or Path(settings.DATA_DIR) / "imports")
    path = base / organisation.code
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_upload(organisation, data: bytes, sha: str) -> Path:
    suffix = ".xlsx" if data[:4] == b"PK\x03\x04" else ".csv"
    target = upload_dir(organisation) / f"{sha}{suffix}"
    if not target.exists() or target.stat().st_size != len(data):
        _write(target, data)
    return target


def _write(path: Path, content: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, path)


def _dump(path: Path, obj) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(tmp, "wb") as out:
        pickle.dump(obj, out, protocol=5)
    os.replace(tmp, path)


def _load(path: Path):
    enabled = gc.isenabled()
    gc.disable()  # no cycles in a sheet; the collector's passes would cost more than the load
    try:
        with open(path, "rb") as stream:
            return pickle.load(stream)
    finally:
        if enabled:
            gc.enable()


def sheet_cache_path(file_path: str | Path, sha: str) -> Path:
    return Path(file_path).with_name(f"{sha}.sheet.pickle")


def load_sheet(file_path: str | Path, sha: str):
    path = sheet_cache_path(file_path, sha)
    try:
        version, sheet = _load(path)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
        return None
    return sheet if version == READER_VERSION else None


def save_sheet(file_path: str | Path, sha: str, sheet) -> None:
    with contextlib.suppress(OSError):  # a cache: the file is parsed again next time
        _dump(sheet_cache_path(file_path, sha), (READER_VERSION, sheet))


def check_key(**parts) -> str:
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _checked_path(file_path: str | Path, sha: str, key: str) -> Path:
    return Path(file_path).with_name(f"{sha}.checked-{key}.pickle")


def load_checked(file_path: str | Path, sha: str, key: str):
    try:
        version, checked = _load(_checked_path(file_path, sha, key))
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
        return None
    return checked if version == READER_VERSION else None


def save_checked(file_path: str | Path, sha: str, key: str, checked) -> None:
    path = _checked_path(file_path, sha, key)
    try:
        for old in path.parent.glob(f"{sha}.checked-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
        _dump(path, (READER_VERSION, checked))
    except OSError:
        pass
