"""``newsevents db init|upgrade DEST``: create or upgrade the schema of an output database.

The work is in :mod:`pipeline.sinks.sql`; SQLAlchemy is imported only when a ``db``
command runs.
"""

from __future__ import annotations

import argparse

from pipeline.cli.common import Subparsers, add_command
from pipeline.sinks import DATABASE_URLS, load_sql

__all__ = ["register", "run_init", "run_upgrade"]


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


def register(sub: Subparsers[argparse.ArgumentParser]) -> None:
    """Add ``db init DEST`` and ``db upgrade DEST`` to the subcommands."""
    parser = sub.add_parser(
        "db",
        help="create or upgrade the schema of an output database",
        description="Create or upgrade the schema of a SQLite or PostgreSQL output database.",
    )
    parser.set_defaults(parser=parser)
    commands = parser.add_subparsers(dest="db_command", required=True)
    dest_help = f"database URL: {DATABASE_URLS}"
    init = add_command(commands, "init", run_init, help="create the schema in an empty database")
    init.add_argument("dest", metavar="DEST", help=dest_help)
    upgrade = add_command(commands, "upgrade", run_upgrade, help="apply the missing schema migrations, in order")
    upgrade.add_argument("dest", metavar="DEST", help=dest_help)
