"""Sinks: where records go (JSONL, SQLite, PostgreSQL), all behind one interface."""

from __future__ import annotations

from types import ModuleType
from typing import Literal

from pipeline.errors import DatabaseError, SinkError
from pipeline.sinks.base import Sink
from pipeline.sinks.jsonl import JsonlSink

__all__ = ["DATABASE_URLS", "SQL_SCHEMES", "JsonlSink", "Sink", "load_sql", "make_sink", "sink_kind"]

#: URL schemes of the SQL sink (each also with a driver: ``postgresql+psycopg://``).
SQL_SCHEMES = ("sqlite", "postgresql", "postgres")
#: The database URLs the SQL sink takes, for help texts and messages (docs/databases.md).
DATABASE_URLS = "sqlite:///FILE.db or postgresql://USER@HOST:PORT/DB"


def sink_kind(dest: str) -> Literal["jsonl", "sql"]:
    """Return which sink writes to ``dest``: ``jsonl`` (a path or ``-``) or ``sql`` (a database URL).

    Raises:
        SinkError: ``dest`` is a URL with a scheme no sink supports (``mysql://...``).
    """
    if "://" not in dest:
        return "jsonl"
    scheme = dest.split("://", 1)[0].lower()
    if scheme.split("+", 1)[0] in SQL_SCHEMES:
        return "sql"
    raise SinkError(
        f"Unsupported output URL scheme {scheme!r}: use a JSONL path, '-' (stdout), or a database URL: "
        f"{DATABASE_URLS} (supported schemes: {', '.join(SQL_SCHEMES)})."
    )


def load_sql() -> ModuleType:
    """Return :mod:`pipeline.sinks.sql`, or explain how to install what it needs.

    SQLAlchemy is imported only when a database is used.

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


def make_sink(dest: str, documents: str | None = None, rejects: str | None = None) -> Sink:
    """Return the sink for ``dest``: a JSONL path, ``-`` for stdout, or a database URL.

    Args:
        dest: output destination given with ``-o``: ``sqlite:///events.db`` and
            ``postgresql://user@host:port/db`` select the SQL sink (docs/databases.md).
        documents: optional path for document records (JSONL only).
        rejects: optional path for rejection records (JSONL only).

    Raises:
        SinkError: an unsupported URL scheme, or SQLAlchemy is not installed.
    """
    if sink_kind(dest) == "sql":
        sink: Sink = load_sql().make_sql_sink(dest, documents=documents, rejects=rejects)
        return sink
    return JsonlSink(dest, documents=documents, rejects=rejects)
