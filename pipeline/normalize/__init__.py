"""Normalization: event candidates -> EventRecords (dates, counts, actors, provenance)."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline import __version__
from pipeline.normalize.actors import NominalActors, Resolution, resolve_actors
from pipeline.normalize.counts import parse_count
from pipeline.normalize.participants import dateline_end, is_count, keep_argument
from pipeline.normalize.places import country_code
from pipeline.normalize.referents import Referents
from pipeline.normalize.timeline import PARTICIPANT_ROLES, assign_times, participant_words
from pipeline.records import (
    AnalyzedArticle,
    Argument,
    CountValue,
    DocumentRecord,
    Entity,
    EventCandidate,
    EventRecord,
    Provenance,
    SentenceRef,
    Span,
    make_event_id,
)

__all__ = ["build_records", "check_offsets"]

#: Roles whose pronouns are resolved to a person ("dragging him off" -> who "him" is).
PRONOUN_ROLES = frozenset({"person", "agent", "speaker", "source"})
PRONOUNS = frozenset(
    {"he", "him", "his", "she", "her", "hers", "it", "its", "they", "them", "their", "we", "us", "our", "i", "me"}
)
#: Entity labels that are places and get a country code.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


class OffsetError(ValueError):
    """A span does not match the document text: a bug, never bad input."""


def check_offsets(text: str, spans: Sequence[Span | Argument]) -> None:
    """Raise OffsetError unless ``text[start:end] == span.text`` for every span."""
    for span in spans:
        if text[span.start : span.end] != span.text:
            raise OffsetError(f"span {span.start}:{span.end} is {text[span.start : span.end]!r}, not {span.text!r}")


def resolve_participant(
    role: str, span: Span, resolution: Resolution, nominals: NominalActors, referents: Referents
) -> Entity | None:
    """The entity an argument names or stands for.

    A name is its own entity; a relational phrase in apposition to a name is that person
    ("his father Juan Pablo Guanipa"); a pronoun or description is what the learned
    chooser picks among the article's entities (:mod:`pipeline.normalize.referents`);
    otherwise a description of a recurring actor ("the government") is one entity per article.
    """
    entity = resolution.entity_for(span.start, span.end)
    if entity is None and role in PRONOUN_ROLES:
        entity = (
            nominals.apposition(span.text)
            or referents.resolve(span.start, span.end, span.text, role)
            or nominals.resolve(span.start, span.end)
        )
    return entity


def _argument(
    cand_arg: Span, role: str, resolution: Resolution, nominals: NominalActors, referents: Referents
) -> Argument:
    entity = resolve_participant(role, cand_arg, resolution, nominals, referents)
    folded = cand_arg.text.strip().lower()
    code = None
    if role == "place" or (entity is not None and entity.label in PLACE_LABELS):
        code = country_code(entity.name if entity is not None else cand_arg.text)
    return Argument(
        role=role,
        text=cand_arg.text,
        start=cand_arg.start,
        end=cand_arg.end,
        entity_type=entity.label if entity else None,
        entity_id=entity.entity_id if entity else None,
        entity_name=entity.name if entity else None,
        country_code=code,
        pronoun=folded in PRONOUNS,
    )


def _count(candidate: EventCandidate) -> CountValue | None:
    if candidate.count is None or not is_count(candidate.count.text):
        return None
    value, approximate = parse_count(candidate.count.text)
    return CountValue(
        text=candidate.count.text,
        start=candidate.count.start,
        end=candidate.count.end,
        value=value,
        approximate=approximate,
    )


def participant_keys(analyzed: AnalyzedArticle, candidates: Sequence[EventCandidate]) -> list[frozenset[str]]:
    """Per candidate, the keys of its participants, as :func:`build_records` computes them."""
    resolution = resolve_actors(analyzed.article.id, analyzed.entities, analyzed.article.text)
    nominals = NominalActors(analyzed.article.id, analyzed.article.text, resolution)
    return arguments_and_participants(analyzed, candidates, resolution, nominals)[1]


def arguments_and_participants(
    analyzed: AnalyzedArticle,
    candidates: Sequence[EventCandidate],
    resolution: Resolution,
    nominals: NominalActors,
    referents: Referents | None = None,
) -> tuple[list[list[Argument]], list[frozenset[str]]]:
    """Per candidate, its kept arguments (actors resolved) and the keys of its participants.

    Mentions of one event share resolved participants ("Mr. Guanipa" ... "his detention"):
    the keys are the resolved entity ids of its person, speaker and agent, or their words.
    """
    text = analyzed.article.text
    referents = referents or Referents(text, resolution)
    dateline = dateline_end(text)
    all_arguments = [
        [
            arg
            for a in c.arguments
            if keep_argument(
                arg := _argument(Span(text=a.text, start=a.start, end=a.end), a.role, resolution, nominals, referents),
                dateline,
            )
        ]
        for c in candidates
    ]
    participants = [
        frozenset(a.entity_id for a in args if a.role in PARTICIPANT_ROLES and a.entity_id) or participant_words(c)
        for c, args in zip(candidates, all_arguments, strict=True)
    ]
    return all_arguments, participants


def build_records(
    analyzed: AnalyzedArticle, candidates: list[EventCandidate]
) -> tuple[DocumentRecord, list[EventRecord]]:
    """Turn the candidates of one article into event records and a document record.

    Args:
        analyzed: the article with its sentences and entity mentions.
        candidates: the classifier's output for it (``reports`` index into this list).

    Returns:
        The document record and its events in text order (one per trigger span and type).

    Raises:
        OffsetError: if a span does not match the text (a bug in a classifier).
    """
    article = analyzed.article
    text = article.text
    sentences = {s.index: s for s in analyzed.sentences}
    ids = [make_event_id(article.id, c.type, c.trigger.start, c.trigger.end) for c in candidates]
    reported_by: dict[int, list[str]] = {}
    for i, cand in enumerate(candidates):
        for j in cand.reports:
            reported_by.setdefault(j, []).append(ids[i])

    resolution = resolve_actors(article.id, analyzed.entities, text)
    nominals = NominalActors(article.id, text, resolution)
    all_arguments, participants = arguments_and_participants(analyzed, candidates, resolution, nominals)
    times = assign_times(analyzed, candidates, participants)
    records: list[EventRecord] = []
    seen: set[str] = set()
    for i, cand in enumerate(candidates):
        if ids[i] in seen:
            continue
        seen.add(ids[i])
        sent = sentences[cand.sentence_index]
        arguments = all_arguments[i]
        check_offsets(text, [cand.trigger, *arguments])
        record = EventRecord(
            event_id=ids[i],
            type=cand.type,
            trigger=cand.trigger,
            modality=cand.modality,
            arguments=arguments,
            time=times[i],
            count=_count(cand),
            confidence=cand.confidence,
            reports_event_ids=[ids[j] for j in cand.reports if j < len(ids)],
            reported_by_event_ids=reported_by.get(i, []),
            provenance=Provenance(
                doc_id=article.id,
                source=article.source,
                url=article.url,
                title=article.title,
                published=article.published,
                input=article.input,
                sentence_index=cand.sentence_index,
                sentence=SentenceRef(start=sent.start, end=sent.end),
                extractor=cand.extractor,
                pipeline_version=__version__,
                model_versions=analyzed.model_versions,
            ),
        )
        records.append(record)
    records.sort(key=lambda r: (r.trigger.start, r.type))

    counts: dict[str, int] = {"sentences": len(analyzed.sentences), "entities": len(resolution.entities)}
    counts["events"] = len(records)
    for r in records:
        counts[r.type] = counts.get(r.type, 0) + 1
    document = DocumentRecord(
        id=article.id,
        title=article.title,
        source=article.source,
        url=article.url,
        published=article.published,
        input=article.input,
        text=text,
        entities=[*resolution.entities, *nominals.entities()],
        counts=counts,
        metadata=article.metadata,
    )
    return document, records
