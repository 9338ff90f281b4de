import datetime as dt
import io
import sqlite3
import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from omboon.core import backups
from omboon.demo import generator
from omboon.members.models import Member
from omboon.orgs.models import Organisation
from omboon.testing.factories import make_network


@pytest.fixture
def data_dir(tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


def _make_db(path, people=("ก", "ข")):
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT, name TEXT)")
    db.execute("INSERT INTO django_migrations (app, name) VALUES ('members', '0001_initial')")
    db.execute("CREATE TABLE members_member (id INTEGER PRIMARY KEY, first_name TEXT)")
    db.executemany("INSERT INTO members_member (first_name) VALUES (?)", [(p,) for p in people])
    db.commit()
    db.close()


def _names(path):
    db = sqlite3.connect(path)
    try:
        return [r[0] for r in db.execute("SELECT first_name FROM members_member ORDER BY id")]
    finally:
        db.close()


def test_sqlite_backup_and_verified_restore_round_trip(tmp_path, data_dir):
    live = tmp_path / "live.sqlite3"
    _make_db(live)
    check = backups.sqlite_backup(src=live)
    assert check.ok and check.counts["members_member"] == 2 and check.migrations == 1
    assert check.path.parent == tmp_path / "live-backups" and check.path.name.startswith("omboon-")
    assert not (check.path.parent / (check.path.name + "-wal")).exists()

    db = sqlite3.connect(live)
    db.execute("INSERT INTO members_member (first_name) VALUES ('ค')")
    db.commit()
    db.close()
    assert _names(live) == ["ก", "ข", "ค"]

    after, kept = backups.sqlite_restore(check.path, live=live)
    assert _names(live) == ["ก", "ข"]
    assert after.counts["members_member"] == 2
    assert _names(kept) == ["ก", "ข", "ค"]  # the previous database is kept aside


def test_restore_refuses_a_broken_or_foreign_file_and_leaves_the_database(tmp_path, data_dir):
    live = tmp_path / "live.sqlite3"
    _make_db(live)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(backups.BackupError, match="not a SQLite database"):
        backups.sqlite_restore(junk, live=live)
    foreign = tmp_path / "foreign.sqlite3"
    db = sqlite3.connect(foreign)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    with pytest.raises(backups.BackupError, match="django_migrations"):
        backups.sqlite_restore(foreign, live=live)
    with pytest.raises(backups.BackupError, match="no such file"):
        backups.sqlite_restore(tmp_path / "missing.sqlite3", live=live)
    assert _names(live) == ["ก", "ข"]


def test_backup_will_not_overwrite_a_file(tmp_path, data_dir):
    live = tmp_path / "live.sqlite3"
    _make_db(live)
    target = tmp_path / "b.sqlite3"
    backups.sqlite_backup(target, src=live)
    with pytest.raises(backups.BackupError, match="exists"):
        backups.sqlite_backup(target, src=live)


@pytest.mark.django_db
def test_restore_command_fails_with_a_message_and_non_zero_exit(tmp_path, data_dir):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not sqlite" * 50)
    with pytest.raises(CommandError, match="restore failed"):
        call_command("restore", str(junk), stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_json_backup_and_restore_into_an_empty_database(tmp_path, data_dir):
    generator.build(seed=1, groups=2, members=15, end=dt.date(2025, 6, 30), populate=False)
    members = list(Member.objects.order_by("organisation__code", "number")
                   .values_list("organisation__code", "number", "national_id"))
    out = io.StringIO()
    target = tmp_path / "all.json.gz"
    call_command("backup", "--json", "-o", str(target), stdout=out)
    assert "backed up" in out.getvalue() and target.stat().st_size > 0
    counts = backups.json_counts(target)
    assert counts["members.member"] == len(members)

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(target), stdout=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)
    assert not Organisation.objects.exists()
    out = io.StringIO()
    call_command("restore", str(target), stdout=out)
    assert "restored" in out.getvalue()
    assert list(Member.objects.order_by("organisation__code", "number")
                .values_list("organisation__code", "number", "national_id")) == members
    assert get_user_model().objects.get(username="treasurer").check_password("omboon-demo")
    # new rows still get fresh ids after a restore (sequences reset)
    fresh = make_network("NEW", "เครือข่ายใหม่")
    assert fresh.pk > Organisation.objects.get(code="BDC").pk


# --- the install's key travels with the backup ---------------------------------------------


@pytest.mark.django_db
def test_a_backup_carries_the_installs_key_beside_it(tmp_path, data_dir, settings):
    target = tmp_path / "all.json.gz"
    out = io.StringIO()
    call_command("backup", "--json", "-o", str(target), stdout=out)
    key_file = tmp_path / "all.json.gz.secret_key"
    assert key_file.read_text().strip() == settings.SECRET_KEY
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert str(key_file) in out.getvalue()


def test_a_laptop_restore_puts_the_backups_key_back(tmp_path, data_dir):
    backup = tmp_path / "omboon-20260101.sqlite3"
    backups.key_backup(backup, key="the-key-of-the-backup")

    # The laptop lost its data folder: the key comes back with the database.
    assert "is in place" in backups.key_restore(backup, environ={})
    assert (data_dir / "secret_key").read_text().strip() == "the-key-of-the-backup"
    assert "matches" in backups.key_restore(backup, environ={})

    # A laptop that made a new key since: the backup's key goes back (the data's national-ID
    # hashes were made with it), the other is kept aside.
    (data_dir / "secret_key").write_text("a-newer-key\n")
    done = backups.key_restore(backup, environ={})
    assert "kept at" in done
    assert (data_dir / "secret_key").read_text().strip() == "the-key-of-the-backup"
    kept = [p for p in data_dir.iterdir() if p.name.startswith("secret_key.before-restore-")]
    assert [p.read_text().strip() for p in kept] == ["a-newer-key"]


def test_a_server_restore_checks_the_key_against_the_environment(tmp_path, data_dir):
    backup = tmp_path / "omboon-20260101.json.gz"
    backups.key_backup(backup, key="server-key")
    assert "matches" in backups.key_restore(backup, environ={"OMBOON_SECRET_KEY": "server-key"})
    warning = backups.key_restore(backup, environ={"OMBOON_SECRET_KEY": "another"})
    assert "คำเตือน" in warning and "set OMBOON_SECRET_KEY" in warning and "server-key" not in warning
    assert not (data_dir / "secret_key").exists()  # a server keeps no key file


def test_an_old_backup_without_a_key_restores_with_the_installs_own(tmp_path, data_dir):
    assert "no key file beside the backup" in backups.key_restore(tmp_path / "old.sqlite3", environ={})


def _make_books(path, lines):
    """A database file with journal lines (organisation, account, debit, credit)."""
    _make_db(path)
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE ledger_journalline (id INTEGER PRIMARY KEY, organisation_id INT, account_id INT, "
               "debit INT, credit INT)")
    db.executemany("INSERT INTO ledger_journalline (organisation_id, account_id, debit, credit) VALUES (?, ?, ?, ?)",
                   lines)
    db.commit()
    db.close()


def test_backups_go_beside_the_database_in_use(tmp_path, data_dir):
    """The laptop walkthrough's OMBOON_SQLITE=$HOME/omboon-myo.sqlite3 backs up to
    $HOME/omboon-myo-backups, not into the checkout; the default database keeps data/backups."""
    home = tmp_path / "home"
    home.mkdir()
    assert backups.backup_dir(home / "omboon-myo.sqlite3") == home / "omboon-myo-backups"
    assert backups.backup_dir(data_dir / "omboon.sqlite3") == data_dir / "backups"
    live = home / "omboon-myo.sqlite3"
    _make_db(live)
    assert backups.sqlite_backup(src=live).path.parent == home / "omboon-myo-backups"
    usb = tmp_path / "usb"
    assert backups.sqlite_backup(src=live, folder=usb).path.parent == usb


@pytest.mark.django_db
def test_the_listing_shows_size_and_trial_balance_fingerprint_and_keep_prunes(tmp_path, data_dir):
    live = tmp_path / "books.sqlite3"
    _make_books(live, [(1, 10, 500, 0), (1, 20, 0, 500)])
    folder = tmp_path / "usb"
    first = backups.sqlite_backup(src=live, folder=folder, dst=folder / "omboon-20260101-000000.sqlite3")
    db = sqlite3.connect(live)
    db.executemany("INSERT INTO ledger_journalline (organisation_id, account_id, debit, credit) VALUES (?, ?, ?, ?)",
                   [(1, 10, 100, 0), (1, 30, 0, 100)])
    db.commit()
    db.close()
    second = backups.sqlite_backup(src=live, folder=folder, dst=folder / "omboon-20260102-000000.sqlite3")
    backups.key_backup(first.path, key="k" * 50)
    items = backups.listed(folder)
    assert [i.path for i in items] == [first.path, second.path]
    assert items[0].size == first.path.stat().st_size
    assert items[0].fingerprint != items[1].fingerprint and len(items[0].fingerprint) == 12
    # the same books give the same fingerprint
    assert backups.file_fingerprint(live) == items[1].fingerprint

    out = io.StringIO()
    call_command("backup", "--list", "--to", str(folder), stdout=out)
    text = out.getvalue()
    assert f"{first.path.name}" in text and items[0].fingerprint in text and f"{items[0].size:,}" in text

    gone = backups.prune(folder, 1)
    assert gone == [first.path] and not backups.key_path(first.path).exists()
    assert [i.path for i in backups.listed(folder)] == [second.path]


def test_keep_must_be_positive(data_dir):
    with pytest.raises(CommandError, match="--keep"):
        call_command("backup", "--keep", "0")


def test_the_nightly_unit_runs_the_backup_with_a_retention_count():
    from pathlib import Path

    from django.conf import settings

    deploy = Path(settings.REPO_DIR) / "deploy"
    service = (deploy / "omboon-backup.service").read_text()
    timer = (deploy / "omboon-backup.timer").read_text()
    assert "omboon backup --keep" in service and "OnCalendar=" in timer
