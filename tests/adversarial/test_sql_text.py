"""Text crafted as SQL is stored verbatim and leaves every table intact (SQLite and PostgreSQL)."""

from __future__ import annotations

import sqlalchemy as sa

from pipeline.records import InputRef, Rejection
from pipeline.sinks.sql import SqlSink, read_documents, read_events
from tests.records_factory import make_document, make_event

INJECTIONS = [
    "'); DROP TABLE events; --",
    "Robert'); DELETE FROM documents WHERE ('1'='1",
    '" OR 1=1; UPDATE runs SET read = 0; --',
    "$$; DROP SCHEMA public CASCADE; $$ \\x00 \\' \\\\ %s %(name)s :param ?",
]


def test_sql_in_text_is_stored_verbatim(db_url: str) -> None:
    documents = []
    with SqlSink(db_url) as sink:
        for i, injection in enumerate(INJECTIONS):
            text = f"Police arrested {injection} on Monday; nul\x00 kept. Item {i}."
            document = make_document(text, title=injection, source=injection, url=injection)
            sink.write(document, [make_event(document, "arrest", "arrested", arguments=[("person", injection)])])
            documents.append(document)
            sink.write_rejection(
                Rejection(input=InputRef(path=injection), stage="ingest", reason="empty", detail=injection)
            )
    stored = {d.id: d for d in read_documents(db_url)}
    assert stored == {d.id: d for d in documents}
    events = list(read_events(db_url))
    assert sorted(a.text for e in events for a in e.arguments) == sorted(INJECTIONS)
    engine = sa.create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        tables = set(sa.inspect(engine).get_table_names())
        with engine.connect() as conn:
            rejects = conn.execute(sa.text("SELECT COUNT(*) FROM rejects")).scalar_one()
    finally:
        engine.dispose()
    assert {"documents", "events", "arguments", "rejects", "runs", "entities", "mentions"} <= tables
    assert rejects == len(INJECTIONS)
