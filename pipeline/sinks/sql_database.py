"""The output database itself: URLs, engines, connection errors, and creating or upgrading its schema."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from pipeline.errors import DatabaseError
from pipeline.sinks import sql_schema as schema

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT_SECONDS",
    "check_schema",
    "database_url",
    "describe_connect_error",
    "driver_message",
    "init_database",
    "is_transient",
    "make_engine",
    "upgrade_database",
]

DEFAULT_CONNECT_TIMEOUT_SECONDS = 10


def database_url(dest: str) -> sa.URL:
    """Parse ``dest`` into a SQLAlchemy URL with our driver (psycopg 3 for PostgreSQL).

    Args:
        dest: ``sqlite:///PATH`` or ``postgresql://USER[:PASSWORD]@HOST[:PORT]/DB``.

    Returns:
        The URL to create an engine with.

    Raises:
        DatabaseError: the URL is malformed or names another database or driver.
    """
    if dest.lower().startswith("postgres://"):
        dest = "postgresql://" + dest[len("postgres://") :]
    try:
        url = sa.make_url(dest)
    except sa.exc.ArgumentError as e:
        raise DatabaseError(
            f"Cannot parse database URL {dest!r}: use sqlite:///events.db or postgresql://user@host:port/db."
        ) from e
    backend, _, driver = url.drivername.partition("+")
    if backend == "postgresql" and driver in ("", "psycopg"):
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and driver in ("", "pysqlite"):
        if not url.database or url.database == ":memory:":
            raise DatabaseError(
                f"{dest!r} names no database file: give one, e.g. sqlite:///events.db "
                "(relative) or sqlite:////var/lib/events.db (absolute)."
            )
        return url
    raise DatabaseError(
        f"Unsupported database URL {url.render_as_string(hide_password=True)!r}: the SQL sink "
        "supports sqlite:///FILE and postgresql://USER@HOST:PORT/DB (driver psycopg)."
    )


def _sqlite_on_connect(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # A larger page cache keeps index updates of big batches in memory.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def make_engine(dest: str, connect_timeout: int = DEFAULT_CONNECT_TIMEOUT_SECONDS) -> sa.Engine:
    """Return an engine for ``dest`` (no connection is made yet).

    Args:
        dest: a database URL accepted by :func:`database_url`.
        connect_timeout: seconds to wait for a PostgreSQL server.
    """
    url = database_url(dest)
    if url.get_backend_name() == "sqlite":
        engine = sa.create_engine(url)
        sa.event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": connect_timeout})


def driver_message(error: BaseException) -> str:
    orig = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    return " ".join(lines[:2])


def describe_connect_error(url: sa.URL, error: sa.exc.DBAPIError) -> DatabaseError:
    where = url.render_as_string(hide_password=True)
    message = driver_message(error)
    lowered = message.lower()
    if "password authentication failed" in lowered or ("role" in lowered and "does not exist" in lowered):
        hint = "Check the user and password (in the URL, PGPASSWORD or ~/.pgpass)."
        return DatabaseError(f"The database at {where} refused the credentials: {message}. {hint}")
    if "database" in lowered and "does not exist" in lowered:
        hint = "Create it first (createdb), or fix the database name in the URL."
        return DatabaseError(f"The database {where} does not exist: {message}. {hint}")
    if url.get_backend_name() == "sqlite":
        hint = "Check that the folder exists and is writable."
        return DatabaseError(f"Cannot open the SQLite database {url.database}: {message}. {hint}")
    hint = "Start the server or fix the host and port in the URL."
    return DatabaseError(f"Cannot connect to the database at {where}: {message}. {hint}")


def is_transient(error: sa.exc.DBAPIError, backend: str) -> bool:
    """Return True for errors worth retrying: a lost connection, or a locked SQLite file."""
    if error.connection_invalidated:
        return True
    if isinstance(error, sa.exc.IntegrityError):
        # Another writer inserted the same content-hash id meanwhile: the retry upserts it.
        return True
    if backend == "sqlite":
        lowered = str(error.orig).lower()
        return "locked" in lowered or "busy" in lowered
    return isinstance(error, sa.exc.OperationalError | sa.exc.InterfaceError)


def check_schema(conn: sa.Connection, create: bool) -> None:
    """Check that the database holds our schema at :data:`SCHEMA_VERSION`.

    Args:
        conn: a connection inside a transaction.
        create: create the schema when the database has none of our tables.

    Raises:
        DatabaseError: another schema version, or tables that are not ours.
    """
    version = schema.read_version(conn)
    if version is None:
        existing = schema.foreign_tables(conn)
        if existing:
            raise DatabaseError(
                f"The database has tables named {', '.join(existing)} but no schema_version table: "
                "it was not created by newsevents. Use an empty database."
            )
        if not create:
            raise DatabaseError("The database has no newsevents schema: run `newsevents db init DEST`.")
        schema.create_schema(conn)
        return
    if version < schema.SCHEMA_VERSION:
        raise DatabaseError(
            f"The database schema is version {version}; this newsevents writes version "
            f"{schema.SCHEMA_VERSION}. Run `newsevents db upgrade DEST` first."
        )
    if version > schema.SCHEMA_VERSION:
        raise DatabaseError(
            f"The database schema is version {version}, newer than this newsevents "
            f"(version {schema.SCHEMA_VERSION}). Upgrade newsevents, or write to another database."
        )


def init_database(dest: str) -> str:
    """Create the schema in an empty database (``newsevents db init``).

    Args:
        dest: the database URL.

    Returns:
        A one-line summary for the user.

    Raises:
        DatabaseError: unreachable, or holding another schema version.
    """
    engine = make_engine(dest)
    where = engine.url.render_as_string(hide_password=True)
    try:
        with engine.begin() as conn:
            version = schema.read_version(conn)
            check_schema(conn, create=True)
    except sa.exc.DBAPIError as e:
        raise describe_connect_error(engine.url, e) from e
    finally:
        engine.dispose()
    if version is None:
        return f"Created the newsevents schema (version {schema.SCHEMA_VERSION}) in {where}."
    return f"{where} already has the newsevents schema (version {version}); nothing to do."


def upgrade_database(dest: str) -> list[str]:
    """Apply the missing migrations in order, one transaction each (``newsevents db upgrade``).

    Args:
        dest: the database URL.

    Returns:
        One line per applied migration (empty when the schema is current).

    Raises:
        DatabaseError: unreachable, foreign tables, or a schema newer than this newsevents.
    """
    engine = make_engine(dest)
    applied: list[str] = []
    try:
        with engine.begin() as conn:
            version = schema.read_version(conn)
            if version is None:
                existing = schema.foreign_tables(conn)
                if existing:
                    raise DatabaseError(
                        f"The database has tables named {', '.join(existing)} but no schema_version "
                        "table: it was not created by newsevents."
                    )
                schema.schema_version.create(conn)
                version = 0
        if version > schema.SCHEMA_VERSION:
            raise DatabaseError(
                f"The database schema is version {version}, newer than this newsevents "
                f"(version {schema.SCHEMA_VERSION}). Upgrade newsevents."
            )
        for migration in schema.pending_migrations(version):
            with engine.begin() as conn:
                schema.apply_migration(conn, migration)
            applied.append(f"Applied migration {migration.version}: {migration.description}")
    except sa.exc.DBAPIError as e:
        raise describe_connect_error(engine.url, e) from e
    finally:
        engine.dispose()
    return applied
