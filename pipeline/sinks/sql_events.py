"""Events in the SQL output: rows of document events and linked events, writing them, reading them back.

Document events are written by the SQL sink with their document, in the same batch
transaction, and upserted like mention records (new ids inserted, changed records
updated, those a rewritten document no longer has deleted). Linked events are written
by the linking pass (``newsevents link``), which reads the document events and the
clusters already stored and writes back every cluster that changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa

from pipeline.events.timespan import day_span, published_day
from pipeline.records import DocumentEvent, DocumentRecord, EventRecord, LinkedEvent, Participant, Record
from pipeline.sinks import sql_schema as schema
from pipeline.sinks.sql_bulk import BulkWriter, Row, make_bulk_writer
from pipeline.sinks.sql_database import describe_connect_error, make_engine
from pipeline.sinks.sql_text import decode_text, encode_json, encode_text, needs_escape, stored_json

__all__ = [
    "LinkWrite",
    "doc_event_rows",
    "documents_without_doc_events",
    "read_doc_events",
    "read_linked_events",
    "read_links",
    "write_doc_event_rows",
    "write_doc_events",
    "write_links",
]

#: Parameters per ``IN (...)`` list.
_IN_CHUNK = 500


def _same(value: str) -> str:
    return value


def _codec(escape: bool, record_json: str) -> Callable[[str], str]:
    return encode_text if escape and needs_escape(record_json) else _same


def _opt(t: Callable[[str], str], value: str | None) -> str | None:
    return None if value is None else t(value)


def _chunks(values: Sequence[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), _IN_CHUNK):
        yield list(values[start : start + _IN_CHUNK])


def _time_days(value: str | None) -> tuple[int | None, int | None]:
    span = day_span(value)
    return (None, None) if span is None else (span.first, span.last)


def _participant_row(prefix: tuple[object, ...], p: Participant, t: Callable[[str], str]) -> Row:
    return (*prefix, p.role, t(p.name), _opt(t, p.key), _opt(t, p.entity_id), _opt(t, p.entity_type), p.country_code)


def doc_event_rows(event: DocumentEvent, stored_doc_id: str, escape: bool) -> tuple[Row, list[Row]]:
    """The ``doc_events`` row of a document event and its ``doc_event_participants`` rows.

    Args:
        event: the document event.
        stored_doc_id: its document's id as stored (escaped on PostgreSQL).
        escape: escape NUL (PostgreSQL).
    """
    record_json = event.model_dump_json()
    t = _codec(escape, record_json)
    first, last = _time_days(event.time.value if event.time else None)
    place = event.place
    event_id = t(event.id)
    row = (
        event_id,
        stored_doc_id,
        event.type,
        event.modality,
        _opt(t, event.time.value if event.time else None),
        event.time.granularity if event.time else None,
        first,
        last,
        _opt(t, place.name if place else None),
        place.country_code if place else None,
        len(event.mention_ids),
        encode_json(record_json) if t is not _same else record_json,
    )
    participants = [_participant_row((event_id, n, stored_doc_id), p, t) for n, p in enumerate(event.participants)]
    return row, participants


def write_doc_event_rows(
    conn: sa.Connection, bulk: BulkWriter, document_ids: Sequence[str], rows: Sequence[Row], participants: Sequence[Row]
) -> None:
    """Write the document events of a batch of documents: insert new, update changed, delete the stale.

    Args:
        conn: a connection inside the batch's transaction.
        bulk: the bulk writer of the database.
        document_ids: the stored ids of the batch's documents.
        rows: their ``doc_events`` rows.
        participants: the ``doc_event_participants`` rows of those events.
    """
    table = schema.doc_events
    stored: dict[str, str] = {}
    for chunk in _chunks(document_ids):
        query = sa.select(table.c.id, sa.cast(table.c.record, sa.Text)).where(table.c.document_id.in_(chunk))
        stored.update((i, r) for i, r in conn.execute(query))
    changed = {row[0] for row in rows if row[0] in stored and stored[row[0]] != row[-1]}
    stale = set(stored) - {row[0] for row in rows}
    for chunk in _chunks(sorted(changed | stale)):
        conn.execute(
            schema.doc_event_participants.delete().where(schema.doc_event_participants.c.doc_event_id.in_(chunk))
        )
    for chunk in _chunks(sorted(stale)):
        conn.execute(table.delete().where(table.c.id.in_(chunk)))
    bulk.insert(conn, table, [row for row in rows if row[0] not in stored])
    bulk.upsert(conn, table, [row for row in rows if row[0] in changed], "update")
    written = {row[0] for row in rows if row[0] not in stored} | changed
    bulk.insert(conn, schema.doc_event_participants, [row for row in participants if row[0] in written])


_R = TypeVar("_R", bound=Record)


def _read_records(dest: str, model: type[_R], table: sa.Table, *order: sa.Column[Any]) -> Iterator[_R]:
    """Yield the records stored as JSON in ``table``'s ``record`` column, in ``order``."""
    engine = make_engine(dest)
    escape = engine.url.get_backend_name() == "postgresql"
    query = sa.select(sa.cast(table.c.record, sa.Text)).order_by(*order)
    try:
        with engine.connect() as conn:
            for (record,) in conn.execute(query):
                yield model.model_validate_json(stored_json(record, escape))
    except sa.exc.DBAPIError as e:
        raise describe_connect_error(engine.url, e) from e
    finally:
        engine.dispose()


def read_doc_events(dest: str) -> Iterator[DocumentEvent]:
    """Yield every document event of an output database, as written."""
    table = schema.doc_events
    return _read_records(dest, DocumentEvent, table, table.c.document_id, table.c.id)


def read_linked_events(dest: str) -> Iterator[LinkedEvent]:
    """Yield every linked event of an output database, as written."""
    table = schema.linked_events
    return _read_records(dest, LinkedEvent, table, table.c.event_day, table.c.id)


def read_links(dest: str) -> list[tuple[str, list[str]]]:
    """Return the stored clusters: (linked event id, its document event ids in the order they joined)."""
    engine = make_engine(dest)
    escape = engine.url.get_backend_name() == "postgresql"
    members = schema.linked_event_members
    order = sa.select(schema.linked_events.c.id).order_by(schema.linked_events.c.id)
    query = sa.select(members.c.linked_event_id, members.c.doc_event_id).order_by(
        members.c.linked_event_id, members.c.ordinal
    )
    clusters: dict[str, list[str]] = {}
    decode = decode_text if escape else _same
    try:
        with engine.connect() as conn:
            for (cluster_id,) in conn.execute(order):
                clusters[decode(cluster_id)] = []
            for cluster_id, event_id in conn.execute(query):
                clusters.setdefault(decode(cluster_id), []).append(decode(event_id))
    except sa.exc.DBAPIError as e:
        raise describe_connect_error(engine.url, e) from e
    finally:
        engine.dispose()
    return list(clusters.items())


def documents_without_doc_events(dest: str) -> Iterator[tuple[DocumentRecord, list[EventRecord]]]:
    """Yield the documents (with their mention records) that have mentions but no document events.

    Documents written before schema version 2 have none; the linking pass builds them.
    """
    engine = make_engine(dest)
    escape = engine.url.get_backend_name() == "postgresql"
    docs, events = schema.documents, schema.events
    has_events = sa.select(events.c.document_id).distinct()
    has_doc_events = sa.select(schema.doc_events.c.document_id).distinct()
    query = (
        sa.select(docs.c.id, docs.c.text, sa.cast(docs.c.record, sa.Text))
        .where(docs.c.id.in_(has_events), docs.c.id.not_in(has_doc_events))
        .order_by(docs.c.id)
    )
    try:
        with engine.connect() as conn:
            for doc_id, text, record in conn.execute(query):
                fields = json.loads(stored_json(record, escape))
                fields["text"] = decode_text(text) if escape else text
                document = DocumentRecord.model_validate(fields)
                rows = conn.execute(
                    sa.select(sa.cast(events.c.record, sa.Text))
                    .where(events.c.document_id == doc_id)
                    .order_by(events.c.event_id)
                )
                yield document, [EventRecord.model_validate_json(stored_json(r, escape)) for (r,) in rows]
    except sa.exc.DBAPIError as e:
        raise describe_connect_error(engine.url, e) from e
    finally:
        engine.dispose()


def write_doc_events(dest: str, items: Sequence[tuple[DocumentRecord, Sequence[DocumentEvent]]]) -> int:
    """Write the document events of documents already in the database (one transaction).

    Returns:
        The number of document events written.
    """
    engine = make_engine(dest)
    escape = engine.url.get_backend_name() == "postgresql"
    bulk = make_bulk_writer(engine.dialect)
    rows: list[Row] = []
    participants: list[Row] = []
    ids: list[str] = []
    for document, doc_events in items:
        stored_id = encode_text(document.id) if escape else document.id
        ids.append(stored_id)
        for event in doc_events:
            row, parts = doc_event_rows(event, stored_id, escape)
            rows.append(row)
            participants.extend(parts)
    try:
        with engine.begin() as conn:
            write_doc_event_rows(conn, bulk, ids, rows, participants)
    except sa.exc.DBAPIError as e:
        raise describe_connect_error(engine.url, e) from e
    finally:
        engine.dispose()
    return len(rows)


@dataclass(frozen=True)
class LinkWrite:
    """What writing the clusters changed."""

    inserted: int
    updated: int
    deleted: int
    unchanged: int


def _linked_rows(linked: LinkedEvent, escape: bool) -> tuple[Row, list[Row], list[Row]]:
    record_json = linked.model_dump_json()
    t = _codec(escape, record_json)
    first, last = _time_days(linked.time.value if linked.time else None)
    reported = published_day(linked.first_reported)
    place = linked.place
    linked_id = t(linked.id)
    row = (
        linked_id,
        linked.type,
        linked.modality,
        _opt(t, linked.time.value if linked.time else None),
        linked.time.granularity if linked.time else None,
        first,
        last,
        first if first is not None else reported,
        _opt(t, place.name if place else None),
        place.country_code if place else None,
        _opt(t, linked.first_reported),
        _opt(t, linked.last_reported),
        published_day(linked.last_reported),
        len(linked.documents),
        encode_json(record_json) if t is not _same else record_json,
    )
    members = [(t(event_id), linked_id, n) for n, event_id in enumerate(linked.doc_event_ids)]
    # Columns of ``linked_participants``, in order (no entity id: entity ids are per document).
    participants = [
        (linked_id, n, p.role, t(p.name), _opt(t, p.key), _opt(t, p.entity_type), p.country_code)
        for n, p in enumerate(linked.participants)
    ]
    return row, members, participants


def write_links(dest: str, linked: Sequence[LinkedEvent]) -> LinkWrite:
    """Write every cluster of the linking pass: insert new, update changed, delete the ones gone.

    Args:
        dest: the database URL.
        linked: every linked event (clusters left out are deleted).

    Returns:
        What changed.
    """
    engine = make_engine(dest)
    escape = engine.url.get_backend_name() == "postgresql"
    bulk = make_bulk_writer(engine.dialect)
    table = schema.linked_events
    built = [_linked_rows(event, escape) for event in linked]
    try:
        with engine.begin() as conn:
            stored: dict[str, str] = {
                i: r for i, r in conn.execute(sa.select(table.c.id, sa.cast(table.c.record, sa.Text)))
            }
            new = [b for b in built if b[0][0] not in stored]
            changed = [b for b in built if b[0][0] in stored and stored[b[0][0]] != b[0][-1]]
            gone = sorted(set(stored) - {b[0][0] for b in built})
            replaced = sorted([b[0][0] for b in changed] + gone)
            for chunk in _chunks(replaced):
                for child in (schema.linked_event_members, schema.linked_participants):
                    conn.execute(child.delete().where(child.c.linked_event_id.in_(chunk)))
            for chunk in _chunks(gone):
                conn.execute(table.delete().where(table.c.id.in_(chunk)))
            bulk.insert(conn, table, [b[0] for b in new])
            bulk.upsert(conn, table, [b[0] for b in changed], "update")
            written = new + changed
            bulk.upsert(conn, schema.linked_event_members, [m for b in written for m in b[1]], "update")
            bulk.insert(conn, schema.linked_participants, [p for b in written for p in b[2]])
    except sa.exc.DBAPIError as e:
        raise describe_connect_error(engine.url, e) from e
    finally:
        engine.dispose()
    return LinkWrite(
        inserted=len(new), updated=len(changed), deleted=len(gone), unchanged=len(built) - len(new) - len(changed)
    )
