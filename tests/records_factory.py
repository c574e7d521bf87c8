"""Hand-built records for tests: documents and events with exact offsets, no model needed.

Shared by the sink, view and command-line tests: ``from tests.records_factory import
make_document, make_event``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.evaluation.matching import sentence_around
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

__all__ = ["make_document", "make_event"]


def _occurrences(text: str, needle: str) -> list[int]:
    starts = []
    start = text.find(needle)
    while start >= 0:
        starts.append(start)
        start = text.find(needle, start + 1)
    return starts


def _span(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    starts = _occurrences(text, needle)
    if len(starts) <= occurrence:
        raise ValueError(f"{needle!r} does not occur {occurrence + 1} time(s) in the document text")
    return starts[occurrence], starts[occurrence] + len(needle)


def make_document(
    text: str,
    *,
    doc_id: str | None = None,
    title: str | None = "A title",
    source: str | None = "Reuters",
    published: str | None = "2025-05-02",
    url: str | None = "https://example.org/a",
    path: str = "corpus/a.jsonl",
    entities: Mapping[str, str] | None = None,
    mentions: Mapping[str, Sequence[str]] | None = None,
    metadata: dict[str, Any] | None = None,
) -> DocumentRecord:
    """Build a document record.

    Args:
        text: the document text.
        doc_id: its id (default: the content hash of source and text, as the pipeline does).
        title: title.
        source: source.
        published: publication date.
        url: url.
        path: the input path in its provenance (line 1).
        entities: entity name -> label.
        mentions: entity name -> the strings that mention it (default: the name itself);
            every occurrence of each string in ``text`` becomes a mention.
        metadata: document metadata.
    """
    doc_id = doc_id or content_hash(source or "", text)
    built = []
    for name, label in (entities or {}).items():
        spans = sorted(
            (
                Span(text=m, start=s, end=s + len(m))
                for m in (mentions or {}).get(name, [name])
                for s in _occurrences(text, m)
            ),
            key=lambda span: (span.start, span.end),
        )
        built.append(Entity(entity_id=content_hash(doc_id, name, length=8), name=name, label=label, mentions=spans))
    return DocumentRecord(
        id=doc_id,
        title=title,
        source=source,
        url=url,
        published=published,
        input=InputRef(path=path, line=1),
        text=text,
        entities=built,
        counts={"sentences": 1},
        metadata=metadata or {},
    )


def make_event(
    document: DocumentRecord,
    event_type: str,
    trigger: str,
    *,
    occurrence: int = 0,
    arguments: Sequence[tuple[str, str]] = (),
    time: tuple[str, str | None, str | None] | None = None,
    count: tuple[str, int | None, bool] | None = None,
    modality: str = "asserted",
    confidence: float = 0.9,
) -> EventRecord:
    """Build an event of ``document``.

    Args:
        document: the document it is found in.
        event_type: arrest, release or announcement.
        trigger: the trigger text.
        occurrence: which occurrence of ``trigger`` (0: the first).
        arguments: (role, text), each at the text's first occurrence; a text that names
            one of the document's entities carries its type, id and name.
        time: (text, ISO value, granularity), anchored on the publication date.
        count: (text, value, approximate).
        modality: the modality.
        confidence: the confidence.

    Returns:
        The record; its sentence is the one around the trigger, as the evaluation splits it.
    """
    text = document.text
    start, end = _span(text, trigger, occurrence)
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
    sent_start, sent_end = sentence_around(text, start, end)
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
            sentence=SentenceRef(start=sent_start, end=sent_end),
            extractor="rules.v1",
            pipeline_version="0.1.0",
            model_versions={"spacy": "3.8.0"},
        ),
    )
