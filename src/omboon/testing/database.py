"""One migrated test database per run of the suite, copied for every pytest-xdist worker.

Migrating takes 11–22 s of CPU, and each worker used to migrate its own test database. Now
the first worker to need a database migrates its own as before and keeps a copy of it, the
*template*; every other worker copies the template instead of migrating — what Django's own
parallel runner does (``clone_test_db``):

- PostgreSQL: ``CREATE DATABASE test_…_gwN TEMPLATE test_…_tpl_<run>``;
- SQLite: the worker's in-memory database is written into a file (sqlite3's backup), and the
  next worker reads that file into its own in-memory database.

A file lock makes the second worker wait while the first migrates. The template belongs to one
run (its name carries pytest-xdist's run id), so a new migration can never meet an old copy;
the controller drops it when the run ends. Without xdist, or with ``--reuse-db``,
``--create-db`` or ``--no-migrations``, pytest-django's own set-up runs unchanged.

The tests that start commands in subprocesses (a sync server and a laptop, a crashed import,
processes at once) need a migrated database of their own, a file or a PostgreSQL database:
the ``migrated`` fixture copies the run's template into it (``migrated.sqlite(path)``,
``migrated.postgres(name)``) instead of migrating from zero in the subprocess. Where the run
has no template of that engine (a PostgreSQL run needs SQLite files too; a run without
xdist), the first test to ask migrates one with ``omboon migrate`` in a subprocess, and the
run's others copy it; the controller removes it at the end as it does the template.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import setup_databases, teardown_databases
from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup
from pytest_django.plugin import blocking_manager_key


def _run_id(config) -> str | None:
    """The run's id (pytest-xdist's ``testrunuid``) in a worker of two or more; None outside
    xdist or for a single worker (nobody to copy for)."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None or workerinput.get("workercount", 2) < 2:
        return None
    return workerinput["testrunuid"][:12]


def _template_name(settings_dict: dict, run: str) -> str:
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return _sqlite_template(run)
    return f"test_{settings_dict['NAME']}"[:40] + f"_tpl_{run}"


def _sqlite_template(run: str) -> str:
    return str(Path(tempfile.gettempdir()) / f"omboon-test-template-{run}.sqlite3")


@contextmanager
def _locked(run: str):
    path = Path(tempfile.gettempdir()) / f"omboon-test-template-{run}.lock"
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _pg_exists(connection, name: str) -> bool:
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _keep_as_template(connection, template: str) -> None:
    """Copy the worker's freshly migrated test database to the template."""
    if connection.vendor == "sqlite":
        partial = f"{template}.part"
        target = sqlite3.connect(partial)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        os.replace(partial, template)
        return
    qn = connection.ops.quote_name
    test_name = connection.settings_dict["NAME"]
    connection.close()  # PostgreSQL copies a database only while nobody is connected to it
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {qn(template)} TEMPLATE {qn(test_name)}")


def _from_template(connection, template: str) -> list:
    """Make the worker's test database a copy of the template; the old-config list that
    Django's ``teardown_databases`` takes."""
    alias = connection.alias
    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation._get_test_db_name()
    connection.close()
    if connection.vendor == "postgresql":
        qn = connection.ops.quote_name
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {qn(test_name)}")
            cursor.execute(f"CREATE DATABASE {qn(test_name)} TEMPLATE {qn(template)}")
    settings.DATABASES[alias]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
        source.backup(connection.connection)
        source.close()
    return [(connection, old_name, True)]


def _supported(connection) -> bool:
    if connection.vendor == "postgresql":
        return True
    return connection.vendor == "sqlite" and connection.creation.is_in_memory_db(
        connection.creation._get_test_db_name())


_NAMES: dict[str, str] = {}  # the database's name before the test database took its place


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's ``django_db_setup``, with the migrated database copied from the run's
    template when there is one (the module's docstring)."""
    _NAMES.setdefault("default", connections["default"].settings_dict["NAME"])  # before the test's own
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    run = _run_id(request.config)
    plain = (run is None or not django_db_use_migrations or django_db_keepdb or serialized_aliases
             or aliases != {"default"} or not _supported(connections["default"]))
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        if plain:
            if not django_db_use_migrations:
                _disable_migrations()
            db_cfg = setup_databases(verbosity=verbosity, interactive=False, aliases=aliases,
                                     serialized_aliases=serialized_aliases,
                                     keepdb=django_db_keepdb and not django_db_createdb)
            if run is None and django_db_use_migrations and "default" in aliases \
                    and _supported(connections["default"]) \
                    and connections["default"].vendor == "sqlite":  # for ``migrated``: a copy costs nothing
                # (only a database that was set up: a run of tests that use none has an empty one)
                with _locked(_run_key(request.config)):
                    _keep_as_template(connections["default"], _sqlite_template(_run_key(request.config)))
        else:
            connection = connections["default"]
            template = _template_name(connection.settings_dict, run)
            with _locked(run):
                exists = os.path.exists(template) if connection.vendor == "sqlite" else _pg_exists(connection, template)
                if exists:
                    db_cfg = _from_template(connection, template)
                else:
                    db_cfg = setup_databases(verbosity=verbosity, interactive=False, aliases=aliases,
                                             serialized_aliases=serialized_aliases)
                    _keep_as_template(connection, template)
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            try:
                teardown_databases(db_cfg, verbosity=verbosity)
            except Exception as exc:  # as pytest-django's own teardown
                request.node.warn(pytest.PytestWarning(f"Error when trying to teardown test databases: {exc!r}"))


def _run_key(config) -> str:
    """The run's id in a worker, in the controller and without xdist alike."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        return workerinput["testrunuid"][:12]
    if not getattr(config.option, "testrunuid", None):
        config.option.testrunuid = uuid.uuid4().hex
    return config.option.testrunuid[:12]


def _migrate_in_subprocess(env: dict) -> None:
    """``omboon migrate`` from zero into the database ``env`` names (OMBOON_SQLITE or DATABASE_URL)."""
    data_dir = tempfile.mkdtemp(prefix="omboon-test-migrate-")
    env = {**{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "OMBOON_SQLITE")},
           "OMBOON_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "omboon.settings", **env}
    try:
        done = subprocess.run([sys.executable, "-m", "omboon.cli", "migrate", "--noinput", "-v", "0"], env=env,
                              capture_output=True, text=True, timeout=600)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    assert done.returncode == 0, done.stderr[-3000:]


def _pg_url(settings_dict: dict, name: str) -> str:
    user, password = settings_dict["USER"] or "", settings_dict["PASSWORD"] or ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{auth}{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}/{name}"


class Migrated:
    """Migrated databases for the commands a test runs in subprocesses (the module's docstring)."""

    def __init__(self, config, blocker):
        self.run = _run_key(config)
        self.blocker = blocker

    def sqlite(self, path) -> Path:
        """``path`` becomes a migrated SQLite file (a copy of the run's template)."""
        template = _sqlite_template(self.run)
        with _locked(self.run):
            if not os.path.exists(template):
                partial = f"{template}.part"
                for leftover in (partial, f"{partial}-wal", f"{partial}-shm"):
                    Path(leftover).unlink(missing_ok=True)
                _migrate_in_subprocess({"OMBOON_SQLITE": partial})
                with sqlite3.connect(partial) as con:  # one file: the write-ahead log folded in
                    con.execute("PRAGMA journal_mode=DELETE")
                os.replace(partial, template)
            shutil.copyfile(template, path)
        return Path(path)

    def postgres(self, name: str) -> str:
        """A PostgreSQL database ``name`` (dropped first if it exists), a copy of the run's
        template, on the server of the suite's database; its URL."""
        connection = connections["default"]
        assert connection.vendor == "postgresql", "the suite runs on SQLite"
        template = _template_name({**connection.settings_dict, "NAME": _NAMES["default"]}, self.run)
        qn = connection.ops.quote_name
        with self.blocker.unblock(), _locked(self.run):
            if not _pg_exists(connection, template):
                with connection._nodb_cursor() as cursor:
                    cursor.execute(f"CREATE DATABASE {qn(template)}")
                try:
                    _migrate_in_subprocess({"DATABASE_URL": _pg_url(connection.settings_dict, template)})
                except BaseException:
                    with connection._nodb_cursor() as cursor:  # no half-migrated template for the next
                        cursor.execute(f"DROP DATABASE IF EXISTS {qn(template)}")
                    raise
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {qn(name)}")
                cursor.execute(f"CREATE DATABASE {qn(name)} TEMPLATE {qn(template)}")
        return _pg_url(connection.settings_dict, name)


@pytest.fixture(scope="session")
def migrated(request, django_db_setup, django_db_blocker) -> Migrated:
    """``migrated.sqlite(path)`` / ``migrated.postgres(name)``: a migrated database for a
    subprocess, copied from the run's template (the module's docstring)."""
    return Migrated(request.config, django_db_blocker)


def pytest_configure(config) -> None:
    """The controller chooses the run's id itself (xdist would draw one and keep it), so that
    it knows which template to drop at the end."""
    if getattr(config, "workerinput", None) is None and hasattr(config.option, "testrunuid"):
        config.option.testrunuid = config.option.testrunuid or uuid.uuid4().hex


def pytest_sessionfinish(session) -> None:
    """The controller drops the run's template once every worker has finished."""
    config = session.config
    if getattr(config, "workerinput", None) is not None:
        return
    run = (getattr(config.option, "testrunuid", None) or "")[:12]
    if not run:
        return
    try:
        connection = connections["default"]
        template = _template_name(settings.DATABASES["default"], run)
        sqlite_template = _sqlite_template(run)  # a PostgreSQL run's subprocesses' SQLite files too
        for path in (sqlite_template, f"{sqlite_template}.part"):
            if os.path.exists(path):
                os.remove(path)
        if connection.vendor != "sqlite":
            with config.stash[blocking_manager_key].unblock(), connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(template)}")
        lock = Path(tempfile.gettempdir()) / f"omboon-test-template-{run}.lock"
        lock.unlink(missing_ok=True)
    except Exception as exc:  # a leftover template must not fail a green run
        config.issue_config_time_warning(pytest.PytestWarning(f"test template not dropped: {exc!r}"), 2)
