"""``newsevents db``: create and upgrade the schema of an output database.

The work is in :mod:`pipeline.sinks.sql`; SQLAlchemy is imported only when a ``db``
command runs, so the rest of the command line works without the ``db`` extra.
"""

from __future__ import annotations

import argparse
from types import ModuleType

from pipeline.errors import DatabaseError

DEST_HELP = "database URL: sqlite:///events.db or postgresql://USER@HOST:PORT/DB"


def load_sql() -> ModuleType:
    """Return :mod:`pipeline.sinks.sql`, or explain how to install what it needs.

    Raises:
        DatabaseError: SQLAlchemy or psycopg is not installed.
    """
    try:
        from pipeline.sinks import sql
    except ModuleNotFoundError as e:
        raise DatabaseError(
            f"Database output needs {e.name}, a dependency of newsevents: reinstall it (pip install newsevents)."
        ) from e
    return sql


def run_init(args: argparse.Namespace) -> int:
    """Create the schema in ``args.dest``; return the exit code."""
    print(load_sql().init_database(args.dest))
    return 0


def run_upgrade(args: argparse.Namespace) -> int:
    """Apply the missing migrations to ``args.dest``; return the exit code."""
    sql = load_sql()
    applied = sql.upgrade_database(args.dest)
    for line in applied:
        print(line)
    if not applied:
        print(f"The schema is up to date (version {sql.schema.SCHEMA_VERSION}).")
    return 0


def add_cli(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``newsevents db init DEST`` and ``newsevents db upgrade DEST``.

    Args:
        sub: the subparsers of the ``newsevents`` parser.
    """
    parser = sub.add_parser(
        "db",
        help="create or upgrade the schema of an output database",
        description="Create or upgrade the schema of a SQLite or PostgreSQL output database.",
    )
    commands = parser.add_subparsers(dest="db_command", required=True)
    init = commands.add_parser("init", help="create the schema in an empty database")
    init.add_argument("dest", metavar="DEST", help=DEST_HELP)
    init.set_defaults(func=run_init)
    upgrade = commands.add_parser("upgrade", help="apply the missing schema migrations, in order")
    upgrade.add_argument("dest", metavar="DEST", help=DEST_HELP)
    upgrade.set_defaults(func=run_upgrade)
