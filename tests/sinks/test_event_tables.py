"""Document events and linked events in SQLite and PostgreSQL: written, linked, upgraded from version 1."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from pipeline.cli import main
from pipeline.events.merge import document_events
from pipeline.link_pass import link_output
from pipeline.records import DocumentRecord, EventRecord
from pipeline.sinks import sql_schema as schema
from pipeline.sinks.sql import SqlSink, make_engine
from pipeline.sinks.sql_events import read_doc_events, read_linked_events, read_links
from tests.records_factory import make_document, make_event


def story(n: int, published: str, name: str = "Jérôme Kerviel") -> tuple[DocumentRecord, list[EventRecord]]:
    text = f"Police detained {name} in Paris on Saturday. His detention lasted two days. Story {n}."
    doc = make_document(text, published=published, entities={name: "PERSON", "Paris": "GPE"})
    events = [
        make_event(doc, "arrest", "detained", arguments=[("person", name), ("place", "Paris")]),
        make_event(doc, "arrest", "detention", arguments=[("person", name)]),
    ]
    return doc, events


def write(url: str, stories: list[tuple[DocumentRecord, list[EventRecord]]]) -> None:
    with SqlSink(url) as sink:
        for doc, events in stories:
            sink.write(doc, events)


def rows(url: str, query: str) -> list[tuple[Any, ...]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.exec_driver_sql(query)]
    finally:
        engine.dispose()


def test_document_events_are_written_with_their_document(db_url: str) -> None:
    stories = [story(1, "2008-01-26"), story(2, "2008-01-27")]
    write(db_url, stories)
    expected = sorted((e for doc, events in stories for e in document_events(events, doc)), key=lambda e: e.id)
    assert sorted(read_doc_events(db_url), key=lambda e: e.id) == expected
    assert all(len(e.mention_ids) == 2 for e in expected)
    write(db_url, stories)  # the same input again: nothing changes
    assert sorted(read_doc_events(db_url), key=lambda e: e.id) == expected


def test_link_is_incremental_and_idempotent(db_url: str) -> None:
    write(db_url, [story(1, "2008-01-26"), story(2, "2008-01-27")])
    first = link_output(db_url)
    assert (first.linked_events, first.multi_document) == (1, 1)
    ((cluster_id, members),) = read_links(db_url)
    write(db_url, [story(3, "2008-01-29", "Mr. Kerviel"), story(4, "2008-01-29", "Anna Smith")])
    second = link_output(db_url)
    assert (second.new_doc_events, second.written.updated, second.written.inserted) == (2, 1, 1)
    clusters = dict(read_links(db_url))
    assert clusters[cluster_id][:2] == members and len(clusters[cluster_id]) == 3
    third = link_output(db_url)
    assert (third.new_doc_events, third.written.unchanged) == (0, 2)
    linked = {e.id: e for e in read_linked_events(db_url)}
    kerviel = linked[cluster_id]
    assert [d.published for d in kerviel.documents] == ["2008-01-26", "2008-01-27", "2008-01-29"]
    assert (kerviel.first_reported, kerviel.last_reported) == ("2008-01-26", "2008-01-29")
    status = rows(db_url, "SELECT person_key, status, as_of FROM person_status ORDER BY person_key")
    assert status == [("person:anna smith", "held", "2008-01-29"), ("person:jerome kerviel", "held", "2008-01-29")]


def test_a_rewritten_document_leaves_its_links(db_url: str) -> None:
    write(db_url, [story(1, "2008-01-26"), story(2, "2008-01-27")])
    link_output(db_url)
    doc, _ = story(2, "2008-01-27")
    write(db_url, [(doc, [make_event(doc, "arrest", "detention")])])  # another extractor: one bare mention
    assert rows(db_url, "SELECT COUNT(*) FROM doc_events") == [(2,)]
    report = link_output(db_url)
    assert (report.linked_events, report.multi_document) == (2, 0)  # the new event has no participant
    assert rows(db_url, "SELECT COUNT(*) FROM linked_event_members") == [(2,)]


def downgrade_to_v1(url: str) -> None:
    """Make a version-1 database out of a current one: drop what versions 2 and 3 added."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for view in reversed(list(schema.VIEWS)):
                conn.exec_driver_sql(f"DROP VIEW {view}")
            for table in reversed(schema.EVENT_TABLES):
                table.drop(conn)
            conn.exec_driver_sql("ALTER TABLE events DROP COLUMN time_basis")
            conn.execute(schema.schema_version.delete().where(schema.schema_version.c.version > 1))
    finally:
        engine.dispose()


def test_db_upgrade_from_version_1_then_link_builds_the_events(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    write(db_url, [story(1, "2008-01-26"), story(2, "2008-01-27")])
    downgrade_to_v1(db_url)
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            assert schema.read_version(conn) == 1
            assert not sa.inspect(conn).has_table("doc_events")
    finally:
        engine.dispose()
    assert main(["db", "upgrade", db_url]) == 0
    out = capsys.readouterr().out
    assert "Applied migration 2: events.time_basis" in out
    assert "Applied migration 3: doc_events, linked_events" in out
    assert rows(db_url, "SELECT COUNT(*) FROM documents") == [(2,)]  # the data survives
    assert rows(db_url, "SELECT COUNT(*) FROM doc_events") == [(0,)]
    assert main(["link", db_url]) == 0
    assert "2 document events (2 built for documents written before)" in capsys.readouterr().err
    assert rows(db_url, "SELECT documents FROM linked_events") == [(2,)]
    assert rows(db_url, "SELECT person, status FROM person_status") == [("Jérôme Kerviel", "held")]
    write(db_url, [story(3, "2008-01-28")])  # the upgraded database takes new runs
    assert main(["link", db_url]) == 0
