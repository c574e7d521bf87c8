"""The database schema of the SQL sinks, its version and the ordered migrations to it.

One SQLAlchemy Core ``MetaData`` describes the tables for SQLite and PostgreSQL alike:
``documents``, ``entities`` and ``mentions`` (the resolved entities of a document),
``events`` and ``arguments``, ``rejects``, ``runs`` (one report per run) and
``schema_version`` (one row per applied migration); since version 3 also the event
tables (``doc_events`` and their participants, ``linked_events`` with their members and
participants) and the views ``person_events`` and ``person_status``.

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
SCHEMA_VERSION = 3


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

# -- version 3: events (one per real-world event) and their links across documents ---------
# Days (``*_day``) are proleptic ordinals (Python's date.toordinal), so that both databases
# subtract them alike: ``rel.event_day - arr.event_day`` is a number of days.

doc_events = sa.Table(
    "doc_events",
    metadata,
    sa.Column("id", sa.Text, primary_key=True, comment="content hash of document id, type and mention ids"),
    sa.Column("document_id", sa.Text, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("modality", sa.Text, nullable=False),
    sa.Column("time_value", sa.Text),
    sa.Column("time_granularity", sa.Text),
    sa.Column("time_first_day", sa.Integer),
    sa.Column("time_last_day", sa.Integer),
    sa.Column("place_name", sa.Text),
    sa.Column("place_country", sa.Text),
    sa.Column("mentions", sa.Integer, nullable=False),
    sa.Column("record", JsonText, nullable=False, comment="the full document event record"),
    sa.Index("ix_doc_events_document_id", "document_id"),
    sa.Index("ix_doc_events_type_day", "type", "time_first_day"),
)

doc_event_participants = sa.Table(
    "doc_event_participants",
    metadata,
    sa.Column("doc_event_id", sa.Text, sa.ForeignKey("doc_events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("ordinal", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("document_id", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_key", sa.Text),
    sa.Column("entity_id", sa.Text),
    sa.Column("entity_type", sa.Text),
    sa.Column("country_code", sa.Text),
    sa.Index("ix_doc_event_participants_key_role", "name_key", "role"),
)

linked_events = sa.Table(
    "linked_events",
    metadata,
    sa.Column("id", sa.Text, primary_key=True, comment="the id of the document event that founded it"),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("modality", sa.Text, nullable=False),
    sa.Column("time_value", sa.Text),
    sa.Column("time_granularity", sa.Text),
    sa.Column("time_first_day", sa.Integer),
    sa.Column("time_last_day", sa.Integer),
    sa.Column("event_day", sa.Integer, comment="time_first_day, else the day it was first reported"),
    sa.Column("place_name", sa.Text),
    sa.Column("place_country", sa.Text),
    sa.Column("first_reported", sa.Text),
    sa.Column("last_reported", sa.Text),
    sa.Column("last_reported_day", sa.Integer),
    sa.Column("documents", sa.Integer, nullable=False),
    sa.Column("record", JsonText, nullable=False, comment="the full linked event record"),
    sa.Index("ix_linked_events_type_day", "type", "event_day"),
)

linked_event_members = sa.Table(
    "linked_event_members",
    metadata,
    sa.Column("doc_event_id", sa.Text, sa.ForeignKey("doc_events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("linked_event_id", sa.Text, sa.ForeignKey("linked_events.id", ondelete="CASCADE"), nullable=False),
    sa.Column("ordinal", sa.Integer, nullable=False, comment="the order it joined its linked event"),
    sa.Index("ix_linked_event_members_linked", "linked_event_id"),
)

linked_participants = sa.Table(
    "linked_participants",
    metadata,
    sa.Column("linked_event_id", sa.Text, sa.ForeignKey("linked_events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("ordinal", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_key", sa.Text),
    sa.Column("entity_type", sa.Text),
    sa.Column("country_code", sa.Text),
    sa.Index("ix_linked_participants_key_role", "name_key", "role"),
)

#: People and their arrests, releases and announcements about them, one row per linked event.
PERSON_EVENTS_VIEW = """
CREATE VIEW person_events AS
SELECT p.name_key AS person_key, p.name AS person, e.id AS event_id, e.type, e.modality,
       e.time_value, e.time_granularity, e.event_day, e.place_name, e.place_country,
       e.first_reported, e.last_reported, e.last_reported_day, e.documents
FROM linked_events AS e
JOIN linked_participants AS p
  ON p.linked_event_id = e.id AND p.role IN ('person', 'speaker')
WHERE substr(p.name_key, 1, 7) = 'person:'
"""

#: Each person's status as of the latest report: the latest asserted arrest or release decides.
PERSON_STATUS_VIEW = """
CREATE VIEW person_status AS
WITH changes AS (
  SELECT person_key, person, type, time_value, event_day, event_id,
         ROW_NUMBER() OVER (PARTITION BY person_key
                            ORDER BY event_day DESC, last_reported DESC, event_id) AS latest
  FROM person_events
  WHERE modality = 'asserted' AND type IN ('arrest', 'release')
), reports AS (
  SELECT person_key, MIN(person) AS person, MAX(last_reported) AS as_of, COUNT(*) AS events
  FROM person_events
  GROUP BY person_key
)
SELECT r.person_key, COALESCE(c.person, r.person) AS person,
       CASE c.type WHEN 'arrest' THEN 'held' WHEN 'release' THEN 'released' ELSE 'unknown' END AS status,
       c.time_value AS since, c.event_day AS since_day, c.event_id, r.as_of, r.events
FROM reports AS r
LEFT JOIN changes AS c ON c.person_key = r.person_key AND c.latest = 1
"""
VIEWS = {"person_events": PERSON_EVENTS_VIEW, "person_status": PERSON_STATUS_VIEW}

#: The tables of version 1.
_V1_TABLES: tuple[sa.Table, ...] = (documents, entities, mentions, events, arguments, rejects, runs)
#: The tables version 3 adds, parents first.
EVENT_TABLES: tuple[sa.Table, ...] = (
    doc_events,
    doc_event_participants,
    linked_events,
    linked_event_members,
    linked_participants,
)
#: Tables written by the sink, parents first (the order of inserts in a batch).
DATA_TABLES: tuple[sa.Table, ...] = (*_V1_TABLES, *EVENT_TABLES)


@dataclass(frozen=True)
class Migration:
    """One ordered schema change: ``apply`` takes version ``version - 1`` to ``version``."""

    version: int
    description: str
    apply: Callable[[sa.Connection], None]


def _create_v1(conn: sa.Connection) -> None:
    metadata.create_all(conn, tables=list(_V1_TABLES))


def create_views(conn: sa.Connection) -> None:
    """Create the views (they read the event tables; SQLite and PostgreSQL take the same SQL)."""
    for view in VIEWS.values():
        conn.exec_driver_sql(view.strip())


def _create_events(conn: sa.Connection) -> None:
    """Version 3: the event tables and the person views (self-contained: only new tables)."""
    metadata.create_all(conn, tables=list(EVENT_TABLES))
    create_views(conn)


def _add_time_basis(conn: sa.Connection) -> None:
    # Version 1's tables are created from today's metadata, which already has the column.
    if "time_basis" not in {c["name"] for c in sa.inspect(conn).get_columns(events.name)}:
        conn.execute(sa.text("ALTER TABLE events ADD COLUMN time_basis TEXT"))


#: Every schema change in order. Version 1 creates the tables; later steps alter them.
MIGRATIONS: list[Migration] = [
    Migration(1, "documents, entities, mentions, events, arguments, rejects, runs", _create_v1),
    Migration(2, "events.time_basis: how the event's time was known (record schema 2)", _add_time_basis),
    Migration(3, "doc_events, linked_events (with participants and members), person views", _create_events),
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
    create_views(conn)
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
