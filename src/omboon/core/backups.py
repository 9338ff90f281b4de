"""Whole-database backup and verified restore, behind ``omboon backup`` / ``omboon restore``.

SQLite (a group's laptop): the sqlite3 online backup API copies a consistent snapshot while
the app keeps running; a restore checks the file first (integrity, migrations, row counts),
sets the current database aside as a backup of its own, then copies the file in.

PostgreSQL (a network's server), or ``--json`` anywhere: Django's dumpdata to compressed JSON;
a restore loads it into an empty, migrated database and checks every table's row count.

Either way the install's SECRET_KEY goes beside the backup as ``<backup>.secret_key`` (0600):
it signs sessions and keys the national-ID hashes in the data, so a restore on a laptop puts
it back (``DATA_DIR/secret_key``), and a server's restore checks it against OMBOON_SECRET_KEY.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from omboon.core import secret_key

# Not worth keeping: rebuilt by migrate (content types, permissions) or transient (sessions).
JSON_EXCLUDE = ("contenttypes", "auth.permission", "sessions", "admin.logentry")


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, in Thai and English."""


@dataclass
class Check:
    path: Path
    ok: bool
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    migrations: int = 0


def backup_dir(database: Path | None = None) -> Path:
    """Where backups go unless told (``--to``): beside the database in use. The default database
    in DATA_DIR keeps ``DATA_DIR/backups``; a database elsewhere (``OMBOON_SQLITE=$HOME/omboon-
    myo.sqlite3``) gets ``$HOME/omboon-myo-backups``; PostgreSQL, ``DATA_DIR/backups``."""
    data = Path(settings.DATA_DIR)
    if database is None:
        if not is_sqlite():
            return data / "backups"
        database = live_sqlite_path()
    database = Path(database)
    if not database.is_absolute() or "memory" in str(database) or database.parent.resolve() == data.resolve():
        return data / "backups"
    return database.parent / f"{database.stem}-backups"


def timestamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def default_path(suffix: str, folder: Path | None = None) -> Path:
    return (folder or backup_dir()) / f"omboon-{timestamp()}{suffix}"


BACKUP_SUFFIXES = (".sqlite3", ".json.gz")


@dataclass
class Listed:
    path: Path
    size: int
    fingerprint: str


def listed(folder: Path) -> list[Listed]:
    """The backups in ``folder``, oldest first, with their size and trial-balance fingerprint."""
    if not folder.is_dir():
        return []
    found = sorted(p for p in folder.iterdir() if p.name.startswith("omboon-") and p.name.endswith(BACKUP_SUFFIXES))
    return [Listed(p, p.stat().st_size, file_fingerprint(p)) for p in found]


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups in ``folder`` (with their key files)."""
    found = [item.path for item in listed(folder)] if keep >= 0 else []
    gone = found[:-keep] if keep else found
    for path in gone:
        path.unlink()
        key_path(path).unlink(missing_ok=True)
    return gone


# --- the trial-balance fingerprint ----------------------------------------------------------
# The books of every group in one short hash: each (group, account) with its debits and
# credits. The same books give the same fingerprint in the live database, a SQLite backup or a
# JSON one, so a listing shows which backup holds the books as they are now.

# The journal lines' table read as a table (backups know no model of the ledger's: core is the
# lowest layer), the same statement for the live database and a SQLite backup file.
_SUMS_SQL = ("SELECT organisation_id, account_id, SUM(debit), SUM(credit) "
             "FROM ledger_journalline GROUP BY organisation_id, account_id")


def _fingerprint(rows) -> str:
    text = "\n".join(f"{o}:{a}:{d}:{c}" for o, a, d, c in sorted(rows) if d or c)
    return hashlib.sha256(text.encode()).hexdigest()[:12] if text else "—"


def live_fingerprint() -> str:
    with connection.cursor() as cursor:
        cursor.execute(_SUMS_SQL)
        rows = cursor.fetchall()
    return _fingerprint((o, a, d or 0, c or 0) for o, a, d, c in rows)


def file_fingerprint(path: Path) -> str:
    try:
        if path.name.endswith(".sqlite3"):
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                rows = db.execute(_SUMS_SQL).fetchall()
            finally:
                db.close()
            return _fingerprint(rows)
        sums: Counter = Counter()
        with _open(path) as fh:
            for obj in json.load(fh):
                if obj.get("model") == "ledger.journalline":
                    f = obj["fields"]
                    sums[(f["organisation"], f["account"], "d")] += f["debit"]
                    sums[(f["organisation"], f["account"], "c")] += f["credit"]
        keys = {(o, a) for o, a, _ in sums}
        return _fingerprint((o, a, sums[(o, a, "d")], sums[(o, a, "c")]) for o, a in keys)
    except (sqlite3.Error, OSError, ValueError, KeyError, TypeError):
        return "?"


def is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def live_sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


# --- SQLite ---------------------------------------------------------------------------------

def sqlite_copy(src: Path, dst: Path, *, journal_mode: str = "DELETE") -> None:
    """Copy one SQLite database onto another with the online backup API (consistent, WAL-safe).

    A backup file is left in rollback-journal mode: one self-contained file, no -wal/-shm."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(dst, timeout=30)
    try:
        source.backup(target)
        target.execute(f"PRAGMA journal_mode={journal_mode}")
    finally:
        target.close()
        source.close()


def sqlite_check(path: Path) -> Check:
    """Is this a sound Omboon database? integrity_check, a migrations table, row counts."""
    check = Check(path=path, ok=False)
    if not path.is_file():
        check.problems.append(f"ไม่พบไฟล์ / no such file: {path}")
        return check
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        check.problems.append(f"เปิดไฟล์ไม่ได้ / cannot open: {exc}")
        return check
    try:
        result = db.execute("PRAGMA integrity_check").fetchall()
        if [r[0] for r in result] != ["ok"]:
            check.problems.append("ไฟล์เสียหาย / integrity check failed: "
                                  + "; ".join(str(r[0]) for r in result[:5]))
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        if "django_migrations" not in tables:
            check.problems.append("ไม่ใช่ฐานข้อมูลของ Omboon (ไม่มีตาราง django_migrations) / "
                                  "not an Omboon database (no django_migrations table)")
        else:
            check.migrations = db.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
        for table in tables:
            check.counts[table] = db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    except sqlite3.DatabaseError as exc:
        check.problems.append(f"ไม่ใช่ไฟล์ฐานข้อมูล SQLite / not a SQLite database: {exc}")
    finally:
        db.close()
    check.ok = not check.problems
    return check


def sqlite_backup(dst: Path | None = None, src: Path | None = None, folder: Path | None = None) -> Check:
    src = src or live_sqlite_path()
    dst = dst or default_path(".sqlite3", folder or backup_dir(src))
    if dst.exists():
        raise BackupError(f"มีไฟล์นี้อยู่แล้ว / the file exists already: {dst}")
    sqlite_copy(src, dst)
    check = sqlite_check(dst)
    if not check.ok:
        raise BackupError("สำรองแล้วแต่ตรวจไม่ผ่าน / backup written but failed its check: "
                          + "; ".join(check.problems))
    return check


def sqlite_restore(backup: Path, live: Path | None = None) -> tuple[Check, Path]:
    """Check ``backup``; set the live database aside; copy the backup in. Returns the check
    and where the previous database was kept."""
    live = live or live_sqlite_path()
    check = sqlite_check(backup)
    if not check.ok:
        raise BackupError("ไฟล์สำรองตรวจไม่ผ่าน ไม่ได้กู้คืน / the backup failed its check, "
                          "nothing restored: " + "; ".join(check.problems))
    connection.close()
    kept = backup_dir() / f"before-restore-{timestamp()}.sqlite3"
    if live.exists():
        sqlite_copy(live, kept)
    sqlite_copy(backup, live, journal_mode="WAL")
    after = sqlite_check(live)
    if not after.ok or after.counts != check.counts:
        sqlite_copy(kept, live, journal_mode="WAL")
        raise BackupError("กู้คืนแล้วตรวจไม่ตรง จึงคืนฐานข้อมูลเดิม / the restored database did not "
                          "match the backup; the previous database was put back")
    return after, kept


# --- the secret key beside the backup -------------------------------------------------------

def key_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".secret_key")


def key_backup(backup: Path, key: str | None = None) -> Path:
    """Write the install's key beside ``backup`` (readable by its owner only)."""
    path = key_path(backup)
    if not secret_key.write_new(path, key or settings.SECRET_KEY):
        raise BackupError(f"มีไฟล์นี้อยู่แล้ว / the file exists already: {path}")
    return path


def key_restore(backup: Path, *, data_dir: Path | None = None, environ=None) -> str:
    """Put the backup's key in place on a laptop, or check it on a server. Returns what was
    done, in Thai and English."""
    environ = os.environ if environ is None else environ
    source = key_path(backup)
    if not source.is_file():
        return (f"ไม่มีไฟล์กุญแจคู่กับไฟล์สำรอง ({source.name}) ใช้กุญแจเดิมของเครื่องนี้ / "
                f"no key file beside the backup ({source.name}): this install keeps its own key")
    key = secret_key.read(source)
    if environ.get(secret_key.ENV_NAME, "").strip():
        if environ[secret_key.ENV_NAME].strip() == key:
            return "กุญแจตรงกับ OMBOON_SECRET_KEY / the key matches OMBOON_SECRET_KEY"
        return (f"คำเตือน: ไฟล์สำรองทำด้วยกุญแจอื่น ตั้ง OMBOON_SECRET_KEY เป็นค่าในไฟล์ {source} "
                "มิฉะนั้นการเทียบเลขประจำตัวประชาชนระหว่างกลุ่มจะไม่ตรง / warning: the backup was "
                f"made with another key; set OMBOON_SECRET_KEY to the one in {source}, or national "
                "IDs will not match across groups")
    live = secret_key.key_file(data_dir or settings.DATA_DIR)
    if live.is_file() and secret_key.read(live) == key:
        return f"กุญแจตรงกับไฟล์สำรอง / the key matches the backup's: {live}"
    kept = None
    if live.is_file():
        kept = live.with_name(f"{live.name}.before-restore-{timestamp()}")
        os.replace(live, kept)
    secret_key.write_new(live, key)
    done = f"ใช้กุญแจของไฟล์สำรอง / the backup's key is in place: {live}"
    if kept:
        done += f" (กุญแจเดิมเก็บไว้ที่ / the previous key is kept at {kept})"
    return done


# --- JSON (PostgreSQL, or moving between databases) ----------------------------------------

def _model_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if any(label == x or label.startswith(x + ".") for x in JSON_EXCLUDE):
            continue
        if model._meta.managed and not model._meta.proxy:
            counts[label] = model._base_manager.count()
    return counts


def json_backup(dst: Path | None = None, folder: Path | None = None) -> dict[str, int]:
    dst = dst or default_path(".json.gz", folder)
    if dst.exists():
        raise BackupError(f"มีไฟล์นี้อยู่แล้ว / the file exists already: {dst}")
    dst.parent.mkdir(parents=True, exist_ok=True)
    # dumpdata compresses by the file's extension (.gz)
    call_command("dumpdata", exclude=list(JSON_EXCLUDE), natural_foreign=True,
                 output=str(dst), verbosity=0)
    return json_counts(dst)


def _open(path: Path):
    return gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else open(path, encoding="utf-8")


def json_counts(path: Path) -> dict[str, int]:
    try:
        with _open(path) as fh:
            objects = json.load(fh)
    except (OSError, ValueError, EOFError) as exc:
        raise BackupError(f"อ่านไฟล์สำรองไม่ได้ / cannot read the backup: {exc}") from exc
    if not isinstance(objects, list):
        raise BackupError("ไฟล์สำรองไม่ใช่รูปแบบของ dumpdata / not a dumpdata file")
    return dict(Counter(o.get("model", "?") for o in objects))


def json_restore(path: Path) -> dict[str, int]:
    """Load a JSON backup into an empty (migrated) database and check the counts."""
    if not path.is_file():
        raise BackupError(f"ไม่พบไฟล์ / no such file: {path}")
    expected = json_counts(path)
    present = {label: n for label, n in _model_counts().items() if n}
    if present:
        raise BackupError(
            "ฐานข้อมูลปลายทางไม่ว่าง: กู้คืนจาก JSON ได้เฉพาะฐานข้อมูลว่างที่ migrate แล้ว / "
            "the database is not empty: a JSON backup restores only into an empty, migrated "
            f"database ({', '.join(f'{k}={v}' for k, v in sorted(present.items())[:5])})"
        )
    call_command("loaddata", str(path), verbosity=0)
    actual = {label: n for label, n in _model_counts().items() if n}
    missing = {k: (v, actual.get(k, 0)) for k, v in expected.items() if actual.get(k, 0) != v}
    if missing:
        raise BackupError("จำนวนแถวไม่ตรงกับไฟล์สำรอง / row counts differ from the backup: "
                          + ", ".join(f"{k} {a}≠{b}" for k, (a, b) in missing.items()))
    return actual
