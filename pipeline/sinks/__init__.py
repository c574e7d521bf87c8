"""Sinks: where records go (JSONL, SQLite, PostgreSQL), all behind one interface."""

from __future__ import annotations

from pipeline.errors import SinkError
from pipeline.sinks.base import Sink
from pipeline.sinks.jsonl import JsonlSink

__all__ = ["JsonlSink", "Sink", "make_sink"]


def make_sink(dest: str, documents: str | None = None, rejects: str | None = None) -> Sink:
    """Return the sink for ``dest``: a JSONL path, ``-`` for stdout, or a database URL.

    Args:
        dest: output destination given with ``-o``: ``sqlite:///events.db`` and
            ``postgresql://user@host:port/db`` select the SQL sink (docs/databases.md).
        documents: optional path for document records (JSONL only).
        rejects: optional path for rejection records (JSONL only).

    Raises:
        SinkError: an unsupported URL scheme, or the ``db`` extra is not installed.
    """
    scheme = dest.split("://", 1)[0].lower() if "://" in dest else ""
    if scheme.split("+", 1)[0] in ("sqlite", "postgresql", "postgres"):
        # Imported here: SQLAlchemy is an optional dependency (the ``db`` extra).
        from pipeline.db import load_sql

        sink: Sink = load_sql().make_sql_sink(dest, documents=documents, rejects=rejects)
        return sink
    if scheme:
        raise SinkError(
            f"Unsupported output URL scheme {scheme!r}: use a JSONL path, '-', "
            "sqlite:///FILE or postgresql://USER@HOST:PORT/DB."
        )
    return JsonlSink(dest, documents=documents, rejects=rejects)
