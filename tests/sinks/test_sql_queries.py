"""The example queries of docs/databases.md, run verbatim on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from pipeline.link_pass import link_output
from pipeline.records import DocumentRecord, EventRecord
from pipeline.sinks.sql import SqlSink, make_engine
from tests.records_factory import make_document, make_event

DOC = Path(__file__).resolve().parents[2] / "docs" / "databases.md"
QUERY_BLOCK = re.compile(r"```sql\n(-- query: ([\w-]+)\n.*?)```", re.DOTALL)


def doc_queries() -> dict[str, str]:
    """Return the named SQL blocks of docs/databases.md."""
    text = DOC.read_text(encoding="utf-8")
    queries = {name: sql for sql, name in QUERY_BLOCK.findall(text)}
    assert text.count("```sql") == len(queries), "every SQL block in the doc needs a '-- query: NAME' line"
    return queries


def _news() -> list[tuple[DocumentRecord, list[EventRecord]]]:
    d1 = make_document(
        "Police arrested Maria Kolesnikova in Minsk on May 1. Security forces also detained Ales Bialiatski in May.",
        source="Reuters",
        published="2025-05-02",
        title="Kolesnikova detained",
        entities={"Maria Kolesnikova": "PERSON", "Ales Bialiatski": "PERSON", "Minsk": "GPE"},
    )
    d2 = make_document(
        "Maria Kolesnikova was released on June 9. Ihar Losik was freed the same day, officials said.",
        source="AP",
        published="2025-06-10",
        title="Two freed",
        entities={"Maria Kolesnikova": "PERSON", "Ihar Losik": "PERSON"},
    )
    d3 = make_document(
        "Svetlana Tikhanovskaya announced that 14 prisoners were released. About 20 more were freed "
        "last week. Police arrested Ihar Losik again on July 1.",
        source="Reuters",
        published="2025-07-02",
        title="More releases",
        entities={"Svetlana Tikhanovskaya": "PERSON", "Ihar Losik": "PERSON"},
    )
    d4 = make_document(
        "Svetlana Tikhanovskaya said the releases must go on. Alexander Lukashenko announced a pardon. "
        "Guards did not release Maria Kolesnikova.",
        source="BBC",
        published="2025-07-15",
        title="Pardon",
        entities={
            "Svetlana Tikhanovskaya": "PERSON",
            "Alexander Lukashenko": "PERSON",
            "Maria Kolesnikova": "PERSON",
        },
    )
    return [
        (
            d1,
            [
                make_event(
                    d1,
                    "arrest",
                    "arrested",
                    arguments=[("agent", "Police"), ("person", "Maria Kolesnikova"), ("place", "Minsk")],
                    time=("May 1", "2025-05-01", "day"),
                ),
                make_event(
                    d1,
                    "arrest",
                    "detained",
                    arguments=[("person", "Ales Bialiatski")],
                    time=("May", "2025-05", "month"),
                ),
            ],
        ),
        (
            d2,
            [
                make_event(
                    d2,
                    "release",
                    "released",
                    arguments=[("person", "Maria Kolesnikova")],
                    time=("June 9", "2025-06-09", "day"),
                ),
                make_event(
                    d2,
                    "release",
                    "freed",
                    arguments=[("person", "Ihar Losik")],
                    time=("the same day", "2025-06-09", "day"),
                ),
                make_event(d2, "announcement", "said", arguments=[("speaker", "officials")]),
            ],
        ),
        (
            d3,
            [
                make_event(d3, "announcement", "announced", arguments=[("speaker", "Svetlana Tikhanovskaya")]),
                make_event(d3, "release", "released", count=("14 prisoners", 14, False)),
                make_event(
                    d3,
                    "release",
                    "freed",
                    count=("About 20", 20, True),
                    time=("last week", "2025-W26", "week"),
                ),
                make_event(
                    d3,
                    "arrest",
                    "arrested",
                    arguments=[("person", "Ihar Losik")],
                    time=("July 1", "2025-07-01", "day"),
                ),
            ],
        ),
        (
            d4,
            [
                make_event(d4, "announcement", "said", arguments=[("speaker", "Svetlana Tikhanovskaya")]),
                make_event(d4, "announcement", "announced", arguments=[("speaker", "Alexander Lukashenko")]),
                make_event(d4, "release", "release", arguments=[("person", "Maria Kolesnikova")], modality="negated"),
            ],
        ),
    ]


def _expected(news: list[tuple[DocumentRecord, list[EventRecord]]]) -> dict[str, list[tuple[Any, ...]]]:
    (d1, (arrest, _)), (d2, (release, _, _)), _, (d4, _) = news

    def mentions(doc: DocumentRecord) -> list[tuple[Any, ...]]:
        entity = next(e for e in doc.entities if e.name == "Maria Kolesnikova")
        return [(doc.published, doc.source, doc.title, m.text, m.start, m.end) for m in entity.mentions]

    assert arrest.time is not None and release.time is not None
    return {
        "arrested-then-released": [
            ("Maria Kolesnikova", arrest.time.value, release.time.value, release.event_id),
        ],
        "releases-by-source": [("AP", 2, None, 0), ("Reuters", 2, 34, 1)],
        "announcements-by-speaker": [
            ("Svetlana Tikhanovskaya", 2),
            ("Alexander Lukashenko", 1),
            ("officials", 1),
        ],
        "events-per-month": [
            ("2025-05", "arrest", 2),
            ("2025-06", "announcement", 1),
            ("2025-06", "release", 2),
            ("2025-07", "announcement", 3),
            ("2025-07", "arrest", 1),
            ("2025-07", "release", 3),
        ],
        "still-held": [("Ales Bialiatski", "2025-05", "2025-05-02"), ("Ihar Losik", "2025-07-01", "2025-07-02")],
        "released-within-days": [("Maria Kolesnikova", "2025-05-01", "2025-06-09", 39)],
        "mentions-of-person": mentions(d1) + mentions(d2) + mentions(d4),
    }


def test_the_doc_has_the_queries() -> None:
    assert list(doc_queries()) == [
        "arrested-then-released",
        "releases-by-source",
        "announcements-by-speaker",
        "events-per-month",
        "still-held",
        "released-within-days",
        "mentions-of-person",
    ]


@pytest.mark.parametrize("name", list(doc_queries()))
def test_doc_query(
    db_url: str,
    name: str,
) -> None:
    news = _news()
    with SqlSink(db_url) as sink:
        for doc, events in news:
            sink.write(doc, events)
    link_output(db_url)
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = [tuple(row) for row in conn.exec_driver_sql(doc_queries()[name])]
    finally:
        engine.dispose()
    assert rows == _expected(news)[name]
