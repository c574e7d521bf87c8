"""Gold event mentions as mention records, so that coreference can group them like predicted ones.

The gold gives triggers, types, modalities, argument spans, time and count values; the
entities its arguments name are resolved as the pipeline resolves them: from the
document record's entities when the pipeline ran on the text (names, "Mr. Guanipa" ->
Juan Pablo Guanipa, pronouns to their antecedent), otherwise from the argument texts
alone (a pronoun then stands for the person named last before it).
"""

from __future__ import annotations

from pipeline import __version__
from pipeline.evaluation.matching import sentence_around
from pipeline.events.coref import PRONOUNS
from pipeline.events.names import fold
from pipeline.events.timespan import day_span
from pipeline.gold import GoldDocument, GoldEvent
from pipeline.normalize import resolve_participant
from pipeline.normalize.actors import NominalActors, Resolution, resolve_actors
from pipeline.normalize.referents import Referents
from pipeline.records import (
    Argument,
    CountValue,
    DocumentRecord,
    Entity,
    EntityMention,
    EventRecord,
    InputRef,
    Provenance,
    SentenceRef,
    Span,
    TimeValue,
    make_event_id,
)

__all__ = ["GOLD_EXTRACTOR", "gold_mention_records"]

#: The extractor named in the provenance of gold mentions.
GOLD_EXTRACTOR = "gold"
#: Roles whose pronouns stand for a participant.
_PRONOUN_ROLES = frozenset({"person", "agent", "speaker", "source"})


class _TextResolver:
    """Names from argument texts alone: a pronoun is the person named last before it."""

    def __init__(self) -> None:
        self.last_person: str | None = None

    def resolve(self, role: str, text: str) -> tuple[str | None, str | None]:
        words = fold(text).split()
        if words and " ".join(words) in PRONOUNS:
            if role in _PRONOUN_ROLES and self.last_person is not None:
                return self.last_person, "PERSON"
            return None, None
        if role in _PRONOUN_ROLES and text[:1].isupper() and words and words[0] not in PRONOUNS:
            self.last_person = text
        return None, None


class _DocumentResolver:
    """Names from the entities the pipeline found in the document, resolved as normalization does."""

    def __init__(self, document: DocumentRecord) -> None:
        mentions = sorted(
            (
                EntityMention(text=span.text, start=span.start, end=span.end, label=entity.label)
                for entity in document.entities
                if entity.label != "NOMINAL"
                for span in entity.mentions
            ),
            key=lambda m: (m.start, m.end),
        )
        self.resolution: Resolution = resolve_actors(document.id, mentions, document.text)
        self.nominals = NominalActors(document.id, document.text, self.resolution)
        self.referents = Referents(document.text, self.resolution)

    def entity(self, role: str, start: int, end: int, text: str) -> Entity | None:
        span = Span(text=text, start=start, end=end)
        return resolve_participant(role, span, self.resolution, self.nominals, self.referents)


def _arguments(event: GoldEvent, resolver: _TextResolver | _DocumentResolver) -> list[Argument]:
    out = []
    for arg in sorted(event.arguments, key=lambda a: (a.start, a.end)):
        entity_type = entity_id = entity_name = None
        if isinstance(resolver, _DocumentResolver):
            entity = resolver.entity(arg.role, arg.start, arg.end, arg.text)
            if entity is not None:
                entity_type, entity_id, entity_name = entity.label, entity.entity_id, entity.name
        else:
            entity_name, entity_type = resolver.resolve(arg.role, arg.text)
        out.append(
            Argument(
                role=arg.role,
                text=arg.text,
                start=arg.start,
                end=arg.end,
                entity_type=entity_type,
                entity_id=entity_id,
                entity_name=entity_name,
            )
        )
    return out


def _span_of(event: GoldEvent, role: str) -> tuple[str, int, int]:
    for arg in event.arguments:
        if arg.role == role:
            return arg.text, arg.start, arg.end
    return "", event.trigger_start, event.trigger_start


def gold_mention_records(doc: GoldDocument, document: DocumentRecord | None = None) -> list[EventRecord]:
    """Turn the gold mentions of one document into mention records (one per gold mention, in gold order).

    Args:
        doc: the gold document.
        document: the pipeline's document record of the same text, for entity resolution;
            None resolves names from the argument texts.

    Returns:
        Records whose ``event_id`` is the id the pipeline gives the same trigger span and
        type; time and count carry the gold values (a value known from context or the
        publication date has an empty span at the trigger).
    """
    if document is not None and document.text != doc.text:
        document = None
    resolver: _TextResolver | _DocumentResolver = (
        _DocumentResolver(document) if document is not None else _TextResolver()
    )
    order = sorted(range(len(doc.events)), key=lambda i: doc.events[i].trigger_start)
    records: dict[int, EventRecord] = {}
    for i in order:
        event = doc.events[i]
        sentence = sentence_around(doc.text, event.trigger_start, event.trigger_end)
        time = None
        if event.time_value is not None:
            text, start, end = _span_of(event, "time")
            span = day_span(event.time_value)
            granularity = span.granularity if span is not None else None
            time = TimeValue(
                text=text,
                start=start,
                end=end,
                value=event.time_value,
                granularity=granularity,
                anchor=f"published:{doc.published}" if doc.published else None,
            )
        count = None
        if event.count_value is not None:
            text, start, end = _span_of(event, "count")
            count = CountValue(
                text=text, start=start, end=end, value=event.count_value, approximate=bool(event.count_approximate)
            )
        records[i] = EventRecord(
            event_id=make_event_id(doc.id, event.type, event.trigger_start, event.trigger_end),
            type=event.type,
            trigger=Span(text=event.trigger, start=event.trigger_start, end=event.trigger_end),
            modality=event.modality,
            arguments=_arguments(event, resolver),
            time=time,
            count=count,
            confidence=1.0,
            provenance=Provenance(
                doc_id=doc.id,
                source=doc.source,
                url=doc.url,
                title=doc.title,
                published=doc.published,
                input=InputRef(path=f"gold:{doc.id}"),
                sentence_index=0,
                sentence=SentenceRef(start=sentence[0], end=sentence[1]),
                extractor=GOLD_EXTRACTOR,
                pipeline_version=__version__,
                model_versions={},
            ),
        )
    return [records[i] for i in range(len(doc.events))]
