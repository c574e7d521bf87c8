"""Fixtures for the sink tests: hand-built records, and SQLite and PostgreSQL databases.

PostgreSQL tests use a throwaway server (initdb + pg_ctl on 127.0.0.1) from Debian's
binaries in /usr/lib/postgresql/*/bin, started once per session and stopped at the end.
Without the binaries they skip, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from pipeline.records import (
    Argument,
    CountValue,
    DocumentRecord,
    Entity,
    EventRecord,
    InputRef,
    Provenance,
    SentenceRef,
    Span,
    TimeValue,
    content_hash,
    make_event_id,
)
from pipeline.sinks.pgtemp import TemporaryPostgres, find_postgres_bindir

_database_numbers = itertools.count()


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[TemporaryPostgres]:
    """A PostgreSQL server for the whole session, removed at the end."""
    bindir = find_postgres_bindir()
    if bindir is None:
        message = (
            "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin: "
            "`apt-get install postgresql` to run the PostgreSQL sink tests."
        )
        if _in_ci():
            pytest.fail(message + " CI must run them (.ci/run installs the package).")
        pytest.skip(message)
    server = TemporaryPostgres(bindir)
    try:
        server.initialize()
        server.start()
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def postgres_url(postgres_server: TemporaryPostgres) -> str:
    """The URL of a new, empty PostgreSQL database."""
    return postgres_server.create_database(f"test_{next(_database_numbers)}")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """The URL of a new SQLite database file."""
    return f"sqlite:///{tmp_path / 'events.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """The URL of a new, empty database: the same test runs on SQLite and PostgreSQL."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


def build_document(
    text: str,
    *,
    source: str | None = "Reuters",
    published: str | None = "2025-05-02",
    title: str | None = "A title",
    url: str | None = "https://example.org/a",
    path: str = "corpus/a.jsonl",
    entities: dict[str, str] | None = None,
    metadata: dict[str, Any] | None = None,
) -> DocumentRecord:
    """A document; ``entities`` maps names to labels, with every occurrence as a mention."""
    doc_id = content_hash(source or "", text)
    resolved = []
    for name, label in (entities or {}).items():
        mentions = []
        start = text.find(name)
        while start >= 0:
            mentions.append(Span(text=name, start=start, end=start + len(name)))
            start = text.find(name, start + 1)
        resolved.append(
            Entity(entity_id=content_hash(doc_id, name, length=8), name=name, label=label, mentions=mentions)
        )
    return DocumentRecord(
        id=doc_id,
        title=title,
        source=source,
        url=url,
        published=published,
        input=InputRef(path=path, line=1),
        text=text,
        entities=resolved,
        counts={"sentences": 1},
        metadata=metadata or {},
    )


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.find(needle)
    if start < 0:
        raise ValueError(f"{needle!r} not in document text")
    return start, start + len(needle)


def build_event(
    document: DocumentRecord,
    event_type: str,
    trigger: str,
    *,
    arguments: Sequence[tuple[str, str]] = (),
    time: tuple[str, str | None, str | None] | None = None,
    count: tuple[str, int | None, bool] | None = None,
    modality: str = "asserted",
    confidence: float = 0.9,
) -> EventRecord:
    """An event of ``document``: arguments are (role, text); a text naming an entity resolves."""
    text = document.text
    start, end = _span(text, trigger)
    names = {entity.name: entity for entity in document.entities}
    args = []
    for role, arg_text in arguments:
        a_start, a_end = _span(text, arg_text)
        entity = names.get(arg_text)
        args.append(
            Argument(
                role=role,
                text=arg_text,
                start=a_start,
                end=a_end,
                entity_type=entity.label if entity else None,
                entity_id=entity.entity_id if entity else None,
                entity_name=entity.name if entity else None,
            )
        )
    time_value = None
    if time is not None:
        t_start, t_end = _span(text, time[0])
        time_value = TimeValue(
            text=time[0],
            start=t_start,
            end=t_end,
            value=time[1],
            granularity=time[2],
            anchor=f"published:{document.published}",
        )
    count_value = None
    if count is not None:
        c_start, c_end = _span(text, count[0])
        count_value = CountValue(text=count[0], start=c_start, end=c_end, value=count[1], approximate=count[2])
    return EventRecord(
        event_id=make_event_id(document.id, event_type, start, end),
        type=event_type,
        trigger=Span(text=trigger, start=start, end=end),
        modality=modality,
        arguments=args,
        time=time_value,
        count=count_value,
        confidence=confidence,
        provenance=Provenance(
            doc_id=document.id,
            source=document.source,
            url=document.url,
            title=document.title,
            published=document.published,
            input=document.input,
            sentence_index=0,
            sentence=SentenceRef(start=0, end=len(text)),
            extractor="rules.v1",
            pipeline_version="0.1.0",
            model_versions={"spacy": "3.8.0"},
        ),
    )


@pytest.fixture
def make_document() -> Callable[..., DocumentRecord]:
    """The :func:`build_document` builder."""
    return build_document


@pytest.fixture
def make_event() -> Callable[..., EventRecord]:
    """The :func:`build_event` builder."""
    return build_event
