"""Sinks: where records go (JSONL, SQLite, PostgreSQL, Parquet), all behind one interface."""

from __future__ import annotations

from types import ModuleType
from typing import Literal

from pipeline.errors import DatabaseError, SinkError
from pipeline.sinks.base import Sink
from pipeline.sinks.jsonl import JsonlSink

__all__ = ["DATABASE_URLS", "SQL_SCHEMES", "JsonlSink", "Sink", "is_parquet_dest", "load_sql", "make_sink", "sink_kind"]

#: URL schemes of the SQL sink (each also with a driver: ``postgresql+psycopg://``).
SQL_SCHEMES = ("sqlite", "postgresql", "postgres")
#: The database URLs the SQL sink takes, for help texts and messages (docs/databases.md).
DATABASE_URLS = "sqlite:///FILE.db or postgresql://USER@HOST:PORT/DB"


def is_parquet_dest(dest: str) -> bool:
    """True when ``-o dest`` names a Parquet dataset (``parquet:DIR`` or ``DIR.parquet``)."""
    return dest.startswith("parquet:") or dest.rstrip("/").lower().endswith(".parquet")


def sink_kind(dest: str) -> Literal["jsonl", "sql", "parquet"]:
    """Return which sink writes to ``dest``: ``jsonl`` (a path or ``-``), ``sql`` (a database URL) or
    ``parquet`` (``parquet:DIR`` or ``DIR.parquet``).

    Raises:
        SinkError: ``dest`` is a URL with a scheme no sink supports (``mysql://...``).
    """
    if is_parquet_dest(dest):
        return "parquet"
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


def make_sink(dest: str, documents: str | None = None, rejects: str | None = None, *, resume: bool = False) -> Sink:
    """Return the sink for ``dest``: a JSONL path, ``-`` for stdout, a database URL or a Parquet dataset.

    Args:
        dest: output destination given with ``-o``: ``sqlite:///events.db`` and
            ``postgresql://user@host:port/db`` select the SQL sink (docs/databases.md).
        documents: optional path for document records (JSONL only).
        rejects: optional path for rejection records (JSONL only).
        resume: continue an interrupted run (JSONL and Parquet outputs; a database needs nothing).

    Raises:
        SinkError: an unsupported URL scheme, SQLAlchemy is not installed, or ``--documents``
            or ``--rejects`` with a Parquet dataset (which holds both tables itself).
    """
    kind = sink_kind(dest)
    if kind == "parquet":
        if documents or rejects:
            raise SinkError(
                "A Parquet output holds its documents/ and rejects/ tables itself: drop --documents and --rejects."
            )
        from pipeline.sinks.parquet import ParquetSink

        return ParquetSink(dest, resume=resume)
    if kind == "sql":
        sink: Sink = load_sql().make_sql_sink(dest, documents=documents, rejects=rejects)
        return sink
    return JsonlSink(dest, documents=documents, rejects=rejects, resume=resume)
