"""SQL sinks: SQLite (embedded, the default database) and PostgreSQL, through SQLAlchemy Core.

``-o sqlite:///events.db`` or ``-o postgresql://user@host:port/db``. Documents are buffered
and written in one transaction per batch (``batch_size`` documents, default 200). Writes
are upserts on the content-hash ids: new rows are inserted, rows whose stored record
differs are updated (their arguments, entities and mentions replaced), identical rows are
left alone, so writing the same input twice leaves the database as it was. ``done_ids``
returns the committed document ids for ``--resume``. Lost connections are retried with
backoff; then the sink stops with a :class:`DatabaseError` saying what was committed.

PostgreSQL rejects NUL (U+0000) in text, and in JSON strings that ``->>`` extracts, so on
PostgreSQL every stored string is escaped reversibly with the private-use character
U+E000: ``NUL -> U+E000 '0'`` and ``U+E000 -> U+E000 U+E000``. :func:`decode_text` undoes
it; :func:`read_documents` and :func:`read_events` return the original records. SQLite
stores strings unchanged.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from pipeline.errors import DatabaseError, SinkError
from pipeline.events.merge import document_events
from pipeline.records import DocumentRecord, EventRecord, InputRef, Rejection, RunReport, content_hash
from pipeline.sinks import sql_schema as schema
from pipeline.sinks.base import Sink
from pipeline.sinks.sql_bulk import BulkWriter, Row, make_bulk_writer
from pipeline.sinks.sql_database import (
    check_schema,
    database_url,
    describe_connect_error,
    driver_message,
    init_database,
    is_transient,
    make_engine,
    upgrade_database,
)
from pipeline.sinks.sql_events import doc_event_rows, write_doc_event_rows
from pipeline.sinks.sql_text import ESC, decode_text, encode_json, encode_text, stored_json

__all__ = [
    "SqlSink",
    "decode_text",
    "encode_text",
    "init_database",
    "make_engine",
    "make_sql_sink",
    "read_documents",
    "read_events",
    "read_rejections",
    "schema",
    "upgrade_database",
]

DEFAULT_BATCH_SIZE = 200
#: Attempts after the first when a batch fails on a lost connection, and the first pause (doubled).
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF_SECONDS = 0.5
#: Parameters per ``IN (...)`` list, well below SQLite's and PostgreSQL's limits.
_IN_CHUNK = 500

_ESC = ESC
_encode_json = encode_json


def _same(value: str) -> str:
    return value


@dataclass
class _Rows:
    """The rows of one batch, tuples in table column order, built once and reused by retries."""

    event_ids: set[str] = field(default_factory=set)
    documents: list[Row] = field(default_factory=list)
    entities: list[Row] = field(default_factory=list)
    mentions: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    arguments: list[Row] = field(default_factory=list)
    rejects: list[Row] = field(default_factory=list)
    doc_events: list[Row] = field(default_factory=list)
    doc_event_participants: list[Row] = field(default_factory=list)


def _chunks(values: Sequence[str], size: int = _IN_CHUNK) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


class SqlSink(Sink):
    """Write documents, events, rejections and run reports to SQLite or PostgreSQL.

    Args:
        dest: ``sqlite:///PATH`` or ``postgresql://USER@HOST:PORT/DB``.
        batch_size: documents per transaction.
        retries: attempts after the first when a batch fails on a lost connection.
        backoff: seconds before the first retry, doubled for each further one.
        create: create the schema when the database is empty.
    """

    def __init__(
        self,
        dest: str,
        batch_size: int = DEFAULT_BATCH_SIZE,
        retries: int = DEFAULT_RETRIES,
        backoff: float = DEFAULT_BACKOFF_SECONDS,
        create: bool = True,
    ) -> None:
        if batch_size < 1:
            raise SinkError(f"batch_size must be at least 1, got {batch_size}.")
        self.dest = dest
        self.url = database_url(dest)
        self.batch_size = batch_size
        self.retries = retries
        self.backoff = backoff
        self.create = create
        #: Documents committed by this sink since it was opened.
        self.committed = 0
        self._engine: sa.Engine | None = None
        self._escape = self.url.get_backend_name() == "postgresql"
        self._pending: dict[str, tuple[DocumentRecord, list[EventRecord]]] = {}
        self._pending_rejects: dict[str, Rejection] = {}
        self._failed = False
        self._bulk: BulkWriter | None = None

    def __enter__(self) -> SqlSink:
        self.open()
        return self

    @property
    def where(self) -> str:
        """The database URL without its password, for messages."""
        return self.url.render_as_string(hide_password=True)

    def open(self) -> None:
        """Connect and check the schema (created in an empty database) before any article is read.

        Raises:
            DatabaseError: unreachable server, refused credentials, or another schema version.
        """
        if self.url.get_backend_name() == "sqlite" and self.url.database:
            folder = Path(self.url.database).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise DatabaseError(
                    f"Cannot create the folder {folder} for the SQLite database: {e.strerror}. Choose a writable path."
                ) from e
        self._engine = make_engine(self.dest)
        self._bulk = make_bulk_writer(self._engine.dialect)
        try:
            with self._engine.begin() as conn:
                check_schema(conn, create=self.create)
        except sa.exc.DBAPIError as e:
            self._engine.dispose()
            self._engine = None
            raise describe_connect_error(self.url, e) from e
        except DatabaseError:
            self._engine.dispose()
            self._engine = None
            raise

    def _require_engine(self) -> sa.Engine:
        if self._engine is None:
            raise SinkError("SqlSink used before open(); use the sink as a context manager.")
        if self._failed:
            raise SinkError(f"The database sink for {self.where} has stopped after an error.")
        return self._engine

    def write(self, document: DocumentRecord, events: Iterable[EventRecord]) -> None:
        """Buffer one document and its events; commit when the batch is full."""
        self._require_engine()
        self._pending[document.id] = (document, list(events))
        if len(self._pending) >= self.batch_size:
            self.flush()

    def write_rejection(self, rejection: Rejection) -> None:
        """Buffer one rejection; it is committed with the next batch."""
        self._require_engine()
        key = content_hash(rejection.input.label(), rejection.stage, rejection.reason, rejection.detail)
        self._pending_rejects[key] = rejection

    def write_report(self, report: RunReport) -> None:
        """Commit what is buffered, then store the run report as a new row of ``runs``."""
        self.flush()
        row = {
            "finished_at": schema.utc_now(),
            "documents_committed": self.committed,
            "read": report.read,
            "processed": report.processed,
            "duplicates": report.duplicates,
            "rejected": report.rejected,
            "events": report.events,
            "seconds": report.seconds,
            "pipeline_version": self._text(report.pipeline_version),
            "extractor": self._text(report.extractor),
            "interrupted": report.interrupted,
            "report": self._json(report.model_dump_json()),
        }
        self._transaction(lambda conn: conn.execute(schema.runs.insert(), [row]), "the run report")

    def flush(self) -> None:
        """Commit the buffered documents and rejections in one transaction.

        Raises:
            DatabaseError: the batch could not be committed after the retries.
        """
        if not self._pending and not self._pending_rejects:
            return
        try:
            rows = self._build_rows()
        except BaseException:
            self._stop()
            raise
        count = len(self._pending)
        self._transaction(lambda conn: self._write_rows(conn, rows), f"a batch of {count} documents")
        self.committed += count
        self._pending.clear()
        self._pending_rejects.clear()

    def done_ids(self) -> set[str]:
        """Return the ids of the documents committed to the database (for ``--resume``)."""
        engine = self._require_engine()
        try:
            with engine.connect() as conn:
                ids = conn.execute(sa.select(schema.documents.c.id)).scalars().all()
        except sa.exc.DBAPIError as e:
            raise describe_connect_error(self.url, e) from e
        return {decode_text(i) for i in ids} if self._escape else set(ids)

    def close(self) -> None:
        """Commit what is buffered and release the connections."""
        if self._engine is None:
            return
        try:
            if not self._failed:
                self.flush()
        finally:
            self._engine.dispose()
            self._engine = None

    # -- writing -------------------------------------------------------------------------

    def _text(self, value: str) -> str:
        return encode_text(value) if self._escape else value

    def _opt(self, value: str | None) -> str | None:
        return None if value is None else self._text(value)

    def _json(self, value: str) -> str:
        return _encode_json(value) if self._escape else value

    def _stop(self) -> None:
        """After an error nothing more is written, and close() does not retry the batch."""
        self._failed = True
        self._pending.clear()
        self._pending_rejects.clear()

    def _transaction(self, work: Callable[[sa.Connection], object], what: str) -> None:
        """Run ``work`` in one transaction, retrying lost connections with backoff."""
        engine = self._require_engine()
        backend = self.url.get_backend_name()
        attempt = 0
        while True:
            try:
                with engine.begin() as conn:
                    work(conn)
                return
            except sa.exc.DBAPIError as e:
                if is_transient(e, backend) and attempt < self.retries:
                    time.sleep(self.backoff * 2**attempt)
                    attempt += 1
                    continue
                self._stop()
                tries = f"after {attempt + 1} attempts" if attempt else "on the first attempt"
                raise DatabaseError(
                    f"Writing {what} to {self.where} failed {tries}: {driver_message(e)}. "
                    f"{self.committed} documents were committed in this run and the failed batch "
                    "was rolled back; fix the database and rerun with --resume to continue."
                ) from e
            except BaseException:
                self._stop()
                raise

    def _build_rows(self) -> _Rows:
        rows = _Rows()
        for document, events in self._pending.values():
            self._document_rows(rows, document, events)
        t = self._text
        for key, rejection in self._pending_rejects.items():
            # Columns of ``rejects``, in order.
            rows.rejects.append(
                (
                    key,
                    t(rejection.input.path),
                    rejection.input.line,
                    self._opt(rejection.input.member),
                    t(rejection.stage),
                    t(rejection.reason),
                    t(rejection.detail),
                )
            )
        return rows

    def _document_rows(self, rows: _Rows, document: DocumentRecord, events: list[EventRecord]) -> None:
        record_json = document.model_dump_json(exclude={"text"})
        # Every column value except the text is part of the record JSON: one check decides.
        clean = not self._escape or ("\\u0000" not in record_json and _ESC not in record_json)
        t = _same if clean else self._text
        doc_id = document.id
        stored_id = t(doc_id)
        source, url, title, published = document.source, document.url, document.title, document.published
        member = document.input.member
        # Columns of ``documents``, in order.
        rows.documents.append(
            (
                stored_id,
                None if source is None else t(source),
                None if url is None else t(url),
                None if title is None else t(title),
                None if published is None else t(published),
                t(document.input.path),
                document.input.line,
                None if member is None else t(member),
                self._text(document.text),
                record_json if clean else _encode_json(record_json),
            )
        )
        seen_entities: set[str] = set()
        for entity in document.entities:
            if entity.entity_id in seen_entities:
                continue
            seen_entities.add(entity.entity_id)
            entity_id = t(entity.entity_id)
            rows.entities.append((stored_id, entity_id, t(entity.name), t(entity.label)))
            rows.mentions.extend(
                (stored_id, entity_id, ordinal, t(span.text), span.start, span.end)
                for ordinal, span in enumerate(entity.mentions)
            )
        for record in events:
            self._event_rows(rows, doc_id, stored_id, record)
        # One record per real-world event of the document (pipeline.events), with its mentions.
        unique = list({record.event_id: record for record in events}.values())
        for doc_event in document_events(unique, document):
            row, participants = doc_event_rows(doc_event, stored_id, self._escape)
            rows.doc_events.append(row)
            rows.doc_event_participants.extend(participants)

    def _event_rows(self, rows: _Rows, doc_id: str, stored_doc_id: str, record: EventRecord) -> None:
        if record.provenance.doc_id != doc_id:
            raise SinkError(
                f"Event {record.event_id} names document {record.provenance.doc_id} but was written "
                f"with document {doc_id}: write each document with its own events."
            )
        if record.event_id in rows.event_ids:
            return
        rows.event_ids.add(record.event_id)
        record_json = record.model_dump_json()
        clean = not self._escape or ("\\u0000" not in record_json and _ESC not in record_json)
        t = _same if clean else self._text
        tm, ct, prov, trigger = record.time, record.count, record.provenance, record.trigger
        event_id = t(record.event_id)
        # Columns of ``events``, in order.
        rows.events.append(
            (
                event_id,
                stored_doc_id,
                record.type,
                record.modality,
                t(trigger.text),
                trigger.start,
                trigger.end,
                None if tm is None or tm.text is None else t(tm.text),
                None if tm is None else tm.start,
                None if tm is None else tm.end,
                None if tm is None or tm.value is None else t(tm.value),
                None if tm is None else tm.granularity,
                None if tm is None or tm.anchor is None else t(tm.anchor),
                None if tm is None else tm.basis,
                None if ct is None else t(ct.text),
                None if ct is None else ct.start,
                None if ct is None else ct.end,
                None if ct is None else ct.value,
                None if ct is None else ct.approximate,
                record.confidence,
                prov.sentence_index,
                prov.sentence.start,
                prov.sentence.end,
                t(prov.extractor),
                t(prov.pipeline_version),
                record_json if clean else _encode_json(record_json),
            )
        )
        # Columns of ``arguments``, in order.
        rows.arguments.extend(
            (
                event_id,
                ordinal,
                stored_doc_id,
                argument.role,
                t(argument.text),
                argument.start,
                argument.end,
                None if argument.entity_type is None else t(argument.entity_type),
                None if argument.entity_id is None else t(argument.entity_id),
                None if argument.entity_name is None else t(argument.entity_name),
            )
            for ordinal, argument in enumerate(record.arguments)
        )

    def _write_rows(self, conn: sa.Connection, rows: _Rows) -> None:
        """Write one batch: insert new rows, upsert changed ones, leave identical ones alone."""
        bulk = self._bulk
        if bulk is None:
            raise SinkError("SqlSink used before open(); use the sink as a context manager.")
        documents, events, arguments = schema.documents, schema.events, schema.arguments
        stored: dict[str, str] = {}  # document id -> stored record JSON
        stored_events: dict[str, str] = {}  # event id -> stored record JSON
        for chunk in _chunks([row[0] for row in rows.documents]):
            query = sa.select(documents.c.id, sa.cast(documents.c.record, sa.Text))
            stored.update((i, r) for i, r in conn.execute(query.where(documents.c.id.in_(chunk))))
            query = sa.select(events.c.event_id, sa.cast(events.c.record, sa.Text))
            stored_events.update((i, r) for i, r in conn.execute(query.where(events.c.document_id.in_(chunk))))
        # Ids are content hashes of source and text, so an equal record JSON is an equal row.
        changed = {row[0] for row in rows.documents if row[0] in stored and stored[row[0]] != row[-1]}
        bulk.insert(conn, documents, [row for row in rows.documents if row[0] not in stored])
        bulk.upsert(conn, documents, [row for row in rows.documents if row[0] in changed], "update")
        for chunk in _chunks(sorted(changed)):
            # Children without a content-hash id of their own are replaced with their document.
            for table in (schema.mentions, schema.entities):
                conn.execute(table.delete().where(table.c.document_id.in_(chunk)))
        written = {row[0] for row in rows.documents if row[0] not in stored} | changed
        bulk.insert(conn, schema.entities, [row for row in rows.entities if row[0] in written])
        bulk.insert(conn, schema.mentions, [row for row in rows.mentions if row[0] in written])

        changed_events = {row[0] for row in rows.events if row[0] in stored_events and stored_events[row[0]] != row[-1]}
        stale = set(stored_events) - {row[0] for row in rows.events}
        for chunk in _chunks(sorted(changed_events | stale)):
            conn.execute(arguments.delete().where(arguments.c.event_id.in_(chunk)))
        for chunk in _chunks(sorted(stale)):
            conn.execute(events.delete().where(events.c.event_id.in_(chunk)))
        bulk.insert(conn, events, [row for row in rows.events if row[0] not in stored_events])
        bulk.upsert(conn, events, [row for row in rows.events if row[0] in changed_events], "update")
        written_events = {row[0] for row in rows.events if row[0] not in stored_events} | changed_events
        bulk.insert(conn, arguments, [row for row in rows.arguments if row[0] in written_events])
        document_ids = [row[0] for row in rows.documents]
        write_doc_event_rows(conn, bulk, document_ids, rows.doc_events, rows.doc_event_participants)
        bulk.upsert(conn, schema.rejects, rows.rejects, "ignore")


def make_sql_sink(dest: str, documents: str | None = None, rejects: str | None = None) -> SqlSink:
    """Return the SQL sink for a database URL (the ``make_sink`` entry point).

    Args:
        dest: ``sqlite:///PATH`` or ``postgresql://USER@HOST:PORT/DB``.
        documents: ignored: the database keeps documents in its ``documents`` table.
        rejects: ignored: the database keeps rejections in its ``rejects`` table.
    """
    return SqlSink(dest)


# -- reading ---------------------------------------------------------------------------------


def read_documents(dest: str) -> Iterator[DocumentRecord]:
    """Yield every document record of an output database, as written (NUL escapes undone).

    Args:
        dest: the database URL.
    """
    engine = make_engine(dest)
    escape = engine.url.get_backend_name() == "postgresql"
    table = schema.documents
    query = sa.select(table.c.text, sa.cast(table.c.record, sa.Text)).order_by(table.c.id)
    try:
        with engine.connect() as conn:
            for text, record in conn.execute(query):
                fields = json.loads(stored_json(record, escape))
                fields["text"] = decode_text(text) if escape else text
                yield DocumentRecord.model_validate(fields)
    finally:
        engine.dispose()


def read_events(dest: str, document_id: str | None = None) -> Iterator[EventRecord]:
    """Yield the event records of an output database (of one document if given), as written.

    Args:
        dest: the database URL.
        document_id: only the events of this document.
    """
    engine = make_engine(dest)
    escape = engine.url.get_backend_name() == "postgresql"
    table = schema.events
    query = sa.select(sa.cast(table.c.record, sa.Text)).order_by(table.c.document_id, table.c.event_id)
    if document_id is not None:
        query = query.where(table.c.document_id == (encode_text(document_id) if escape else document_id))
    try:
        with engine.connect() as conn:
            for (record,) in conn.execute(query):
                yield EventRecord.model_validate_json(stored_json(record, escape))
    finally:
        engine.dispose()


def read_rejections(dest: str) -> Iterator[Rejection]:
    """Yield the rejections of an output database, as written (NUL escapes undone).

    Args:
        dest: the database URL.
    """
    engine = make_engine(dest)
    escape = engine.url.get_backend_name() == "postgresql"
    t = schema.rejects
    query = sa.select(t.c.input_path, t.c.input_line, t.c.input_member, t.c.stage, t.c.reason, t.c.detail).order_by(
        t.c.id
    )
    d = decode_text if escape else _same
    try:
        with engine.connect() as conn:
            for path, line, member, stage, reason, detail in conn.execute(query):
                yield Rejection(
                    input=InputRef(path=d(path), line=line, member=None if member is None else d(member)),
                    stage=d(stage),
                    reason=d(reason),
                    detail=d(detail),
                )
    finally:
        engine.dispose()
