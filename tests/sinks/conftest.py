"""Fixtures for the sink tests: SQLite and PostgreSQL databases (records: tests/records_factory.py).

PostgreSQL tests use a throwaway server (initdb + pg_ctl on 127.0.0.1) from Debian's
binaries in /usr/lib/postgresql/*/bin, started once per session and stopped at the end.
Without the binaries they skip, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.sinks.pgtemp import TemporaryPostgres, find_postgres_bindir

_database_numbers = itertools.count()


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[TemporaryPostgres]:
    """A PostgreSQL server for the whole session, removed at the end."""
    bindir = find_postgres_bindir()
    if bindir is None:
        message = (
            "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin: "
            "`apt-get install postgresql` to run the PostgreSQL sink tests."
        )
        if _in_ci():
            pytest.fail(message + " CI must run them (.ci/run installs the package).")
        pytest.skip(message)
    server = TemporaryPostgres(bindir)
    try:
        server.initialize()
        server.start()
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def postgres_url(postgres_server: TemporaryPostgres) -> str:
    """The URL of a new, empty PostgreSQL database."""
    return postgres_server.create_database(f"test_{next(_database_numbers)}")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """The URL of a new SQLite database file."""
    return f"sqlite:///{tmp_path / 'events.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """The URL of a new, empty database: the same test runs on SQLite and PostgreSQL."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url
