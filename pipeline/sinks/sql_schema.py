"""The database schema of the SQL sinks, its version and the ordered migrations to it.

One SQLAlchemy Core ``MetaData`` describes the tables for SQLite and PostgreSQL alike:
``documents``, ``entities`` and ``mentions`` (the resolved entities of a document),
``events`` and ``arguments``, ``rejects``, ``runs`` (one report per run) and
``schema_version`` (one row per applied migration).

How the schema changes (see docs/databases.md):

1. edit the tables below so that they describe the new schema;
2. bump :data:`SCHEMA_VERSION`;
3. append a :class:`Migration` with that version to :data:`MIGRATIONS` whose ``apply``
   takes a database of the previous version to the new one (plain, portable DDL);
4. add a test that upgrades a database of the previous version.

``newsevents db init`` creates the latest schema directly and stamps every version;
``newsevents db upgrade`` applies the missing migrations in order, each in its own
transaction together with its ``schema_version`` row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

#: The version of the schema described by :data:`metadata`.
SCHEMA_VERSION = 2


class JsonText(sa.types.UserDefinedType[str]):
    """A JSON document bound as already-serialized text, in a column of type JSON.

    Records are serialized once by pydantic (fast, exact). PostgreSQL's ``json`` keeps the
    text as written and only validates it, which costs far less per row than building
    ``jsonb``; both support ``->`` and ``->>``. Reading returns text on SQLite and parsed
    objects on PostgreSQL (cast to text to get the stored document).
    """

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        """Return the column type used in DDL."""
        return "JSON"

    def bind_processor(self, dialect: sa.Dialect) -> None:
        """Bind values as they are: already-serialized JSON text."""
        return None

    def result_processor(self, dialect: sa.Dialect, coltype: object) -> None:
        """Return values as the driver gives them (text on SQLite, objects on PostgreSQL)."""
        return None


metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("applied_at", sa.Text, nullable=False),
)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("source", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("published", sa.Text, comment="ISO 8601 date or datetime, as in the record"),
    sa.Column("input_path", sa.Text, nullable=False),
    sa.Column("input_line", sa.Integer),
    sa.Column("input_member", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("record", JsonText, nullable=False, comment="the document record without its text"),
    sa.Index("ix_documents_source", "source"),
    sa.Index("ix_documents_published", "published"),
)

entities = sa.Table(
    "entities",
    metadata,
    sa.Column("document_id", sa.Text, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("entity_id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("label", sa.Text, nullable=False),
    sa.Index("ix_entities_name", "name"),
)

mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column("document_id", sa.Text, primary_key=True),
    sa.Column("entity_id", sa.Text, primary_key=True),
    sa.Column("ordinal", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("start_char", sa.Integer, nullable=False),
    sa.Column("end_char", sa.Integer, nullable=False),
    sa.ForeignKeyConstraint(
        ["document_id", "entity_id"],
        ["entities.document_id", "entities.entity_id"],
        ondelete="CASCADE",
    ),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("event_id", sa.Text, primary_key=True),
    sa.Column("document_id", sa.Text, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("modality", sa.Text, nullable=False),
    sa.Column("trigger_text", sa.Text, nullable=False),
    sa.Column("trigger_start", sa.Integer, nullable=False),
    sa.Column("trigger_end", sa.Integer, nullable=False),
    sa.Column("time_text", sa.Text),
    sa.Column("time_start", sa.Integer),
    sa.Column("time_end", sa.Integer),
    sa.Column("time_value", sa.Text, comment="ISO 8601: 2025-05, 2026-01-08, 2026-W02"),
    sa.Column("time_granularity", sa.Text),
    sa.Column("time_anchor", sa.Text),
    sa.Column("time_basis", sa.Text, comment="explicit, context or published (schema 2)"),
    sa.Column("count_text", sa.Text),
    sa.Column("count_start", sa.Integer),
    sa.Column("count_end", sa.Integer),
    sa.Column("count_value", sa.Integer),
    sa.Column("count_approximate", sa.Boolean),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("sentence_index", sa.Integer, nullable=False),
    sa.Column("sentence_start", sa.Integer, nullable=False),
    sa.Column("sentence_end", sa.Integer, nullable=False),
    sa.Column("extractor", sa.Text, nullable=False),
    sa.Column("pipeline_version", sa.Text, nullable=False),
    sa.Column("record", JsonText, nullable=False, comment="the full event record"),
    sa.Index("ix_events_document_id", "document_id"),
    sa.Index("ix_events_type_time", "type", "time_value"),
    sa.Index("ix_events_time_value", "time_value"),
)

arguments = sa.Table(
    "arguments",
    metadata,
    sa.Column("event_id", sa.Text, sa.ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("ordinal", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("document_id", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("start_char", sa.Integer, nullable=False),
    sa.Column("end_char", sa.Integer, nullable=False),
    sa.Column("entity_type", sa.Text),
    sa.Column("entity_id", sa.Text),
    sa.Column("entity_name", sa.Text),
    sa.Index("ix_arguments_entity_name_role", "entity_name", "role"),
)

rejects = sa.Table(
    "rejects",
    metadata,
    sa.Column("id", sa.Text, primary_key=True, comment="content hash of input, stage, reason, detail"),
    sa.Column("input_path", sa.Text, nullable=False),
    sa.Column("input_line", sa.Integer),
    sa.Column("input_member", sa.Text),
    sa.Column("stage", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Index("ix_rejects_reason", "reason"),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("run_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("finished_at", sa.Text, nullable=False, comment="UTC, ISO 8601"),
    sa.Column("documents_committed", sa.Integer, nullable=False),
    sa.Column("read", sa.Integer, nullable=False),
    sa.Column("processed", sa.Integer, nullable=False),
    sa.Column("duplicates", sa.Integer, nullable=False),
    sa.Column("rejected", sa.Integer, nullable=False),
    sa.Column("events", sa.Integer, nullable=False),
    sa.Column("seconds", sa.Float, nullable=False),
    sa.Column("pipeline_version", sa.Text, nullable=False),
    sa.Column("extractor", sa.Text, nullable=False),
    sa.Column("interrupted", sa.Boolean, nullable=False),
    sa.Column("report", JsonText, nullable=False, comment="the full run report"),
)

#: Tables written by the sink, parents first (the order of inserts in a batch).
DATA_TABLES: tuple[sa.Table, ...] = (documents, entities, mentions, events, arguments, rejects, runs)


@dataclass(frozen=True)
class Migration:
    """One ordered schema change: ``apply`` takes version ``version - 1`` to ``version``."""

    version: int
    description: str
    apply: Callable[[sa.Connection], None]


def _create_v1(conn: sa.Connection) -> None:
    metadata.create_all(conn, tables=list(DATA_TABLES))


def _add_time_basis(conn: sa.Connection) -> None:
    # Version 1's tables are created from today's metadata, which already has the column.
    if "time_basis" not in {c["name"] for c in sa.inspect(conn).get_columns(events.name)}:
        conn.execute(sa.text("ALTER TABLE events ADD COLUMN time_basis TEXT"))


#: Every schema change in order. Version 1 creates the tables; later steps alter them.
MIGRATIONS: list[Migration] = [
    Migration(1, "documents, entities, mentions, events, arguments, rejects, runs", _create_v1),
    Migration(2, "events.time_basis: how the event's time was known (record schema 2)", _add_time_basis),
]


def utc_now() -> str:
    """Return the current UTC time as ISO 8601 (seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _stamp(conn: sa.Connection, migration: Migration) -> None:
    conn.execute(
        schema_version.insert().values(
            version=migration.version, description=migration.description, applied_at=utc_now()
        )
    )


def read_version(conn: sa.Connection) -> int | None:
    """Return the schema version of the database, or ``None`` when it has no version table.

    Args:
        conn: an open connection.

    Returns:
        The highest applied version (0 for an empty version table), or ``None``.
    """
    if not sa.inspect(conn).has_table(schema_version.name):
        return None
    version = conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar()
    return int(version) if version is not None else 0


def foreign_tables(conn: sa.Connection) -> list[str]:
    """Return the names of our data tables that exist in the database."""
    existing = set(sa.inspect(conn).get_table_names())
    return sorted(table.name for table in DATA_TABLES if table.name in existing)


def create_schema(conn: sa.Connection) -> None:
    """Create the latest schema in an empty database and stamp every migration as applied.

    Args:
        conn: a connection inside a transaction.
    """
    metadata.create_all(conn)
    for migration in MIGRATIONS:
        _stamp(conn, migration)


def pending_migrations(version: int) -> list[Migration]:
    """Return the migrations a database at ``version`` still needs, in order."""
    return [migration for migration in MIGRATIONS if migration.version > version]


def apply_migration(conn: sa.Connection, migration: Migration) -> None:
    """Apply one migration and record it (call inside one transaction per migration).

    Args:
        conn: a connection inside a transaction.
        migration: the step to apply.
    """
    migration.apply(conn)
    _stamp(conn, migration)
