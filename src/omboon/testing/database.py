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
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
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
        return str(Path(tempfile.gettempdir()) / f"omboon-test-template-{run}.sqlite3")
    return f"test_{settings_dict['NAME']}"[:40] + f"_tpl_{run}"


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
        if connection.vendor == "sqlite":
            for path in (template, f"{template}.part"):
                if os.path.exists(path):
                    os.remove(path)
        else:
            with config.stash[blocking_manager_key].unblock(), connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(template)}")
        lock = Path(tempfile.gettempdir()) / f"omboon-test-template-{run}.lock"
        lock.unlink(missing_ok=True)
    except Exception as exc:  # a leftover template must not fail a green run
        config.issue_config_time_warning(pytest.PytestWarning(f"test template not dropped: {exc!r}"), 2)
