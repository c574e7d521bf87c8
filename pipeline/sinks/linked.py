"""Where the linking pass reads document events and writes linked events: beside a JSONL output, or in its database.

For ``-o out/events.jsonl`` the document events are in ``out/events.jsonl.doc_events.jsonl``
(written by the sink during extraction) and the linked events go to
``out/events.jsonl.linked.jsonl`` (rewritten whole, atomically). For a database URL both
live in tables (:mod:`pipeline.sinks.sql_events`); documents written before schema
version 2 get their document events built from their stored mentions first.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from pipeline.errors import InputError, SinkError
from pipeline.events.merge import document_events
from pipeline.jsonl_reader import read_records
from pipeline.records import DocumentEvent, LinkedEvent
from pipeline.sinks import load_sql, sink_kind
from pipeline.sinks.jsonl import doc_events_path, linked_path

__all__ = ["ClusterWrite", "backfill_doc_events", "read_clusters", "read_doc_events", "read_linked", "write_clusters"]


@dataclass(frozen=True)
class ClusterWrite:
    """What writing the clusters changed: linked events inserted, updated, deleted, left as they were."""

    inserted: int
    updated: int
    deleted: int
    unchanged: int


def _sql_events() -> ModuleType:
    """:mod:`pipeline.sinks.sql_events`, imported only when a database is used (as :func:`load_sql`)."""
    load_sql()
    from pipeline.sinks import sql_events

    return sql_events


def _require(path: str, what: str, hint: str) -> Path:
    target = Path(path)
    if not target.is_file():
        raise InputError(f"No {what} at {target}. {hint}")
    return target


def backfill_doc_events(dest: str) -> int:
    """Build the document events of documents stored without them (databases written before version 2).

    Args:
        dest: a database URL (JSONL outputs always have them: nothing to do).

    Returns:
        The number of document events written.
    """
    if sink_kind(dest) != "sql":
        return 0
    store = _sql_events()
    items = [
        (document, document_events(records, document)) for document, records in store.documents_without_doc_events(dest)
    ]
    return int(store.write_doc_events(dest, items)) if items else 0


def read_doc_events(dest: str) -> Iterator[DocumentEvent]:
    """Yield the document events of an extraction output (a JSONL path or a database URL).

    Raises:
        InputError: a JSONL output without its document events file.
    """
    if sink_kind(dest) == "sql":
        yield from _sql_events().read_doc_events(dest)
        return
    path = _require(
        doc_events_path(dest),
        "document events",
        f"Document events are written beside the output by newsevents extract -o {dest}; run it again "
        "(an output of an older newsevents has none).",
    )
    yield from read_records(path, DocumentEvent, "document events file")


def read_linked(dest: str) -> Iterator[LinkedEvent]:
    """Yield the linked events of an extraction output (written by ``newsevents link``).

    Raises:
        InputError: a JSONL output that was never linked.
    """
    if sink_kind(dest) == "sql":
        yield from _sql_events().read_linked_events(dest)
        return
    path = _require(linked_path(dest), "linked events", f"Run newsevents link {dest} first.")
    yield from read_records(path, LinkedEvent, "linked events file")


def read_clusters(dest: str) -> list[tuple[str, list[str]]]:
    """Return the clusters written by an earlier linking pass: (linked event id, member ids in order)."""
    if sink_kind(dest) == "sql":
        clusters: list[tuple[str, list[str]]] = _sql_events().read_links(dest)
        return clusters
    if not Path(linked_path(dest)).is_file():
        return []
    return [(event.id, list(event.doc_event_ids)) for event in read_linked(dest)]


def write_clusters(dest: str, linked: Sequence[LinkedEvent]) -> ClusterWrite:
    """Write every linked event (the full set: clusters left out are removed).

    Raises:
        SinkError: the file or database cannot be written.
    """
    if sink_kind(dest) == "sql":
        done = _sql_events().write_links(dest, linked)
        return ClusterWrite(done.inserted, done.updated, done.deleted, done.unchanged)
    target = Path(linked_path(dest))
    before = {event.id: event for event in read_linked(dest)} if target.is_file() else {}
    temporary = target.with_name(target.name + ".tmp")
    try:
        with temporary.open("w", encoding="utf-8") as fh:
            for event in linked:
                fh.write(event.model_dump_json() + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temporary, target)
    except OSError as e:
        raise SinkError(f"Cannot write {target}: {e.strerror}. Choose a writable output folder.") from e
    now = {event.id for event in linked}
    inserted = sum(1 for event in linked if event.id not in before)
    updated = sum(1 for event in linked if event.id in before and before[event.id] != event)
    return ClusterWrite(
        inserted=inserted,
        updated=updated,
        deleted=len(set(before) - now),
        unchanged=len(linked) - inserted - updated,
    )
