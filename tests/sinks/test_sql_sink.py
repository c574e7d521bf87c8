"""The SQL sink on SQLite and PostgreSQL alike: every test runs against both databases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pipeline.cli import main
from pipeline.errors import DatabaseError, SinkError
from pipeline.records import InputRef, Rejection, RunReport
from pipeline.sinks import JsonlSink, make_sink
from pipeline.sinks import sql_schema as schema
from pipeline.sinks.sql import (
    SqlSink,
    decode_text,
    encode_text,
    make_engine,
    read_documents,
    read_events,
)
from tests.records_factory import make_document, make_event

TEXT = "Police arrested Maria Kolesnikova in Minsk on May 1. Officials said 3 people were held."


def _corpus(n: int = 3) -> list[tuple[Any, Any]]:
    out = []
    for i in range(n):
        doc = make_document(
            f"{TEXT} Story {i}.",
            entities={"Maria Kolesnikova": "PERSON", "Minsk": "GPE"},
            source=f"source-{i % 2}",
        )
        events = [
            make_event(
                doc,
                "arrest",
                "arrested",
                arguments=[("person", "Maria Kolesnikova"), ("place", "Minsk"), ("agent", "Police")],
                time=("May 1", "2025-05-01", "day"),
                count=("3 people", 3, False),
            ),
            make_event(doc, "announcement", "said", arguments=[("speaker", "Officials")]),
        ]
        out.append((doc, events))
    return out


def _write(url: str, corpus: list[tuple[Any, Any]], **options: Any) -> None:
    with SqlSink(url, **options) as sink:
        for doc, events in corpus:
            sink.write(doc, events)


def _snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            out = {}
            for table in schema.DATA_TABLES:
                if table is schema.runs:
                    continue
                order = list(table.primary_key.columns)
                out[table.name] = [tuple(row) for row in conn.execute(sa.select(table).order_by(*order))]
            return out
    finally:
        engine.dispose()


def _count(url: str, table: sa.Table) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
    finally:
        engine.dispose()


def test_records_read_back_equal(db_url: str) -> None:
    corpus = _corpus()
    _write(db_url, corpus)
    assert sorted(read_documents(db_url), key=lambda d: d.id) == sorted((d for d, _ in corpus), key=lambda d: d.id)
    expected = sorted((e for _, events in corpus for e in events), key=lambda e: (e.provenance.doc_id, e.event_id))
    assert list(read_events(db_url)) == expected
    counts = {table.name: _count(db_url, table) for table in schema.DATA_TABLES}
    assert counts == {
        "documents": 3,
        "entities": 6,
        "mentions": 6,
        "events": 6,
        "arguments": 12,
        "rejects": 0,
        "runs": 0,
    }


def test_every_column_holds_its_field(db_url: str) -> None:
    doc, (arrest, _) = _corpus(n=1)[0]
    rejection = Rejection(
        input=InputRef(path="corpus/b.jsonl", line=7, member="m.txt"), stage="ingest", reason="empty", detail="d"
    )
    with SqlSink(db_url) as sink:
        sink.write(doc, [arrest])
        sink.write_rejection(rejection)
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:

            def rows(table: sa.Table) -> list[dict[str, Any]]:
                order = list(table.primary_key.columns)
                return [dict(row) for row in conn.execute(sa.select(table).order_by(*order)).mappings()]

            documents, entities, mentions = rows(schema.documents), rows(schema.entities), rows(schema.mentions)
            events, arguments, rejects = rows(schema.events), rows(schema.arguments), rows(schema.rejects)
    finally:
        engine.dispose()
    for row in (*documents, *events):
        row.pop("record")
    assert documents == [
        {
            "id": doc.id,
            "source": "source-0",
            "url": "https://example.org/a",
            "title": "A title",
            "published": "2025-05-02",
            "input_path": "corpus/a.jsonl",
            "input_line": 1,
            "input_member": None,
            "text": doc.text,
        }
    ]
    person = next(e for e in doc.entities if e.name == "Maria Kolesnikova")
    assert {"document_id": doc.id, "entity_id": person.entity_id, "name": "Maria Kolesnikova", "label": "PERSON"} in (
        entities
    )
    assert {
        "document_id": doc.id,
        "entity_id": person.entity_id,
        "ordinal": 0,
        "text": "Maria Kolesnikova",
        "start_char": person.mentions[0].start,
        "end_char": person.mentions[0].end,
    } in mentions
    assert len(entities) == 2 and len(mentions) == 2
    assert arrest.time is not None
    assert events == [
        {
            "event_id": arrest.event_id,
            "document_id": doc.id,
            "type": "arrest",
            "modality": "asserted",
            "trigger_text": "arrested",
            "trigger_start": arrest.trigger.start,
            "trigger_end": arrest.trigger.end,
            "time_text": "May 1",
            "time_start": arrest.time.start,
            "time_end": arrest.time.end,
            "time_value": "2025-05-01",
            "time_granularity": "day",
            "time_anchor": "published:2025-05-02",
            "count_text": "3 people",
            "count_start": doc.text.find("3 people"),
            "count_end": doc.text.find("3 people") + 8,
            "count_value": 3,
            "count_approximate": False,
            "confidence": 0.9,
            "sentence_index": 0,
            "sentence_start": arrest.provenance.sentence.start,
            "sentence_end": arrest.provenance.sentence.end,
            "extractor": "rules.v1",
            "pipeline_version": "0.1.0",
        }
    ]
    assert arguments[1] == {
        "event_id": arrest.event_id,
        "ordinal": 1,
        "document_id": doc.id,
        "role": "place",
        "text": "Minsk",
        "start_char": doc.text.find("Minsk"),
        "end_char": doc.text.find("Minsk") + 5,
        "entity_type": "GPE",
        "entity_id": next(e.entity_id for e in doc.entities if e.name == "Minsk"),
        "entity_name": "Minsk",
    }
    assert [(a["role"], a["entity_name"]) for a in arguments] == [
        ("person", "Maria Kolesnikova"),
        ("place", "Minsk"),
        ("agent", None),
    ]
    assert [{k: v for k, v in r.items() if k != "id"} for r in rejects] == [
        {
            "input_path": "corpus/b.jsonl",
            "input_line": 7,
            "input_member": "m.txt",
            "stage": "ingest",
            "reason": "empty",
            "detail": "d",
        }
    ]


def test_rerun_leaves_the_database_unchanged(db_url: str) -> None:
    corpus = _corpus()
    rejection = Rejection(input=InputRef(path="corpus/b.jsonl", line=7), stage="ingest", reason="empty")
    snapshots = []
    for _ in range(2):
        with SqlSink(db_url, batch_size=2) as sink:
            for doc, events in corpus:
                sink.write(doc, events)
            sink.write_rejection(rejection)
            sink.write_rejection(rejection)
        snapshots.append(_snapshot(db_url))
    first = snapshots[0]
    assert snapshots[1] == first
    assert len(first["rejects"]) == 1


def test_rewriting_a_document_replaces_its_events(db_url: str) -> None:
    doc, (arrest, announcement) = _corpus(n=1)[0]
    _write(db_url, [(doc, [arrest, announcement])])
    fewer_arguments = make_event(doc, "arrest", "arrested", arguments=[("person", "Maria Kolesnikova")])
    _write(db_url, [(doc, [fewer_arguments])])
    assert list(read_events(db_url)) == [fewer_arguments]
    assert _count(db_url, schema.arguments) == 1
    fewer_entities = make_document(doc.text, source=doc.source, entities={"Minsk": "GPE"})
    assert fewer_entities.id == doc.id
    _write(db_url, [(fewer_entities, [fewer_arguments])])
    assert list(read_documents(db_url)) == [fewer_entities]
    assert (_count(db_url, schema.entities), _count(db_url, schema.mentions)) == (1, 1)


def test_same_document_twice_in_a_batch_is_written_once(db_url: str) -> None:
    doc, events = _corpus(n=1)[0]
    _write(db_url, [(doc, events), (doc, events + events)])
    assert _count(db_url, schema.documents) == 1
    assert _count(db_url, schema.events) == 2


def test_batches_commit_every_n_documents(db_url: str) -> None:
    corpus = _corpus(n=5)
    with SqlSink(db_url, batch_size=2) as sink:
        for doc, events in corpus:
            sink.write(doc, events)
        # Two full batches are committed; the fifth document waits in the buffer.
        assert sink.done_ids() == {doc.id for doc, _ in corpus[:4]}
        assert sink.committed == 4
        sink.flush()
        assert sink.done_ids() == {doc.id for doc, _ in corpus}
    with SqlSink(db_url) as sink:
        assert sink.done_ids() == {doc.id for doc, _ in corpus}


def test_reports_are_kept_per_run(db_url: str) -> None:
    report = RunReport(read=3, processed=3, events=6, pipeline_version="0.1.0", extractor="rules.v1")
    for _ in range(2):
        with SqlSink(db_url) as sink:
            for doc, events in _corpus():
                sink.write(doc, events)
            sink.write_report(report)
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(schema.runs).order_by(schema.runs.c.run_id)).mappings().all()
    finally:
        engine.dispose()
    assert [(r["documents_committed"], r["read"], r["events"], r["interrupted"]) for r in rows] == [
        (3, 3, 6, False),
        (3, 3, 6, False),
    ]


AWKWARD = [
    "quotes ' \" `; DROP TABLE events; -- and \\ backslashes",
    "NUL \x00 inside, \x00\x00 twice, at the end \x00",
    "the escape character itself \ue000 and \ue0000 and \ue000\ue000",
    "a literal backslash-u0000: \\u0000 and \\\\u0000",
    "emoji 🧑‍⚖️👮🏽 and accents ÀÉÎ, CJK 中文, RTL עברית",
    "x" * 1_000_000 + "\x00" + "🎉" * 1000,
]


@pytest.mark.parametrize("awkward", AWKWARD, ids=["quotes", "nul", "escape", "backslash-u", "emoji", "1mb"])
def test_text_is_stored_byte_exact(db_url: str, awkward: str) -> None:
    text = f"Police arrested Maria Kolesnikova. {awkward}"
    doc = make_document(
        text,
        title=awkward,
        source=awkward[:100],
        entities={"Maria Kolesnikova": "PERSON"},
        metadata={"note": awkward, awkward[:50]: [awkward[:10]]},
    )
    event = make_event(doc, "arrest", "arrested", arguments=[("person", "Maria Kolesnikova"), ("crime", awkward)])
    _write(db_url, [(doc, [event])])
    assert list(read_documents(db_url)) == [doc]
    assert list(read_events(db_url)) == [event]
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            stored_text, title = conn.execute(sa.select(schema.documents.c.text, schema.documents.c.title)).one()
            crime = conn.execute(
                sa.select(schema.arguments.c.text).where(schema.arguments.c.role == "crime")
            ).scalar_one()
    finally:
        engine.dispose()
    if db_url.startswith("postgresql"):
        assert (stored_text, title, crime) == (encode_text(text), encode_text(awkward), encode_text(awkward))
    else:
        assert (stored_text, title, crime) == (text, awkward, awkward)
    assert (decode_text(encode_text(stored_text)), decode_text(encode_text(crime))) == (stored_text, crime)


def test_escape_round_trips() -> None:
    for value in [*AWKWARD, "", "\ue000", "\x00", "\ue0000", "0\ue000"]:
        assert decode_text(encode_text(value)) == value
        assert "\x00" not in encode_text(value)


def test_open_creates_the_schema(db_url: str) -> None:
    with SqlSink(db_url) as sink:
        assert sink.done_ids() == set()
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            assert schema.read_version(conn) == schema.SCHEMA_VERSION
            names = set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert names == {table.name for table in schema.metadata.sorted_tables}


def test_schema_version_is_the_last_migration() -> None:
    versions = [migration.version for migration in schema.MIGRATIONS]
    assert versions == list(range(1, len(versions) + 1))
    assert versions[-1] == schema.SCHEMA_VERSION


def _set_version(url: str, version: int) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(schema.schema_version.update().values(version=version))
    finally:
        engine.dispose()


@pytest.mark.parametrize(("version", "advice"), [(schema.SCHEMA_VERSION + 1, "Upgrade newsevents"), (0, "db upgrade")])
def test_open_refuses_another_schema_version(db_url: str, version: int, advice: str) -> None:
    with SqlSink(db_url):
        pass
    _set_version(db_url, version)
    sink = SqlSink(db_url)
    with pytest.raises(DatabaseError, match=advice) as info:
        sink.open()
    assert info.value.exit_code == 8
    assert isinstance(info.value, SinkError)


def test_open_refuses_tables_that_are_not_ours(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE events (id INTEGER)")
    finally:
        engine.dispose()
    with pytest.raises(DatabaseError, match="not created by newsevents"), SqlSink(db_url):
        pass


def test_db_init_and_upgrade_commands(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["db", "init", db_url]) == 0
    assert "Created the newsevents schema (version 1)" in capsys.readouterr().out
    assert main(["db", "init", db_url]) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert main(["db", "upgrade", db_url]) == 0
    assert "up to date" in capsys.readouterr().out

    def add_language(conn: sa.Connection) -> None:
        conn.exec_driver_sql("ALTER TABLE documents ADD COLUMN language TEXT")

    migration = schema.Migration(2, "documents.language", add_language)
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, migration])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    with pytest.raises(DatabaseError, match="db upgrade"), SqlSink(db_url):
        pass
    assert main(["db", "upgrade", db_url]) == 0
    assert "Applied migration 2: documents.language" in capsys.readouterr().out
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            assert schema.read_version(conn) == 2
            columns = {column["name"] for column in sa.inspect(conn).get_columns("documents")}
    finally:
        engine.dispose()
    assert "language" in columns
    with SqlSink(db_url):
        pass


def test_db_upgrade_creates_the_schema_in_an_empty_database(db_url: str) -> None:
    assert main(["db", "upgrade", db_url]) == 0
    with SqlSink(db_url, create=False) as sink:
        assert sink.done_ids() == set()


def test_make_sink_dispatches_on_the_scheme(tmp_path: Path, sqlite_url: str) -> None:
    assert isinstance(make_sink(sqlite_url), SqlSink)
    assert isinstance(make_sink("postgresql://u@127.0.0.1:5432/db"), SqlSink)
    assert isinstance(make_sink("postgres://u@127.0.0.1/db"), SqlSink)
    assert isinstance(make_sink(str(tmp_path / "events.jsonl")), JsonlSink)
    # A database keeps documents and rejections in its tables: JSONL paths are not used.
    assert isinstance(make_sink(sqlite_url, documents="d.jsonl", rejects="r.jsonl"), SqlSink)
    with pytest.raises(DatabaseError, match="Unsupported database URL"):
        make_sink("sqlite+aiosqlite:///x.db")
    with pytest.raises(SinkError, match="Unsupported output URL"):
        make_sink("mysql://u@host/db")
    with pytest.raises(DatabaseError, match="names no database file"):
        make_sink("sqlite://")


def test_events_of_another_document_are_refused(db_url: str) -> None:
    (_, events), (other, _) = _corpus(n=2)
    with pytest.raises(SinkError, match="write each document with its own events"), SqlSink(db_url) as sink:
        sink.write(other, events)
        sink.flush()
    with SqlSink(db_url) as sink:
        assert sink.done_ids() == set()
