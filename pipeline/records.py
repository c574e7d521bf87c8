"""The typed records that flow between stages.

Every stage exchanges these frozen pydantic models and nothing else: spaCy objects stay
inside :mod:`pipeline.ner`, so normalization, sinks and evaluation never import spaCy.
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

EventType = Literal["arrest", "release", "announcement"]
EVENT_TYPES: tuple[EventType, ...] = ("arrest", "release", "announcement")

Modality = Literal["asserted", "planned", "negated", "hypothetical", "generic", "uncertain"]
MODALITIES: tuple[Modality, ...] = (
    "asserted",
    "planned",
    "negated",
    "hypothetical",
    "generic",
    "uncertain",
)

Role = Literal[
    "agent",
    "person",
    "place",
    "time",
    "crime",
    "count",
    "speaker",
    "content",
    "medium",
    "source",
]

#: Which argument roles each event type may carry (``source`` is allowed for all).
ROLES_BY_TYPE: dict[str, frozenset[str]] = {
    "arrest": frozenset({"agent", "person", "place", "time", "crime", "count", "source"}),
    "release": frozenset({"agent", "person", "place", "time", "count", "source"}),
    "announcement": frozenset({"speaker", "content", "medium", "place", "time", "source"}),
}

Granularity = Literal["day", "week", "month", "year"]
#: How an event's time was known: its sentence's own expression, the discourse (an earlier
#: mention of the same event, the date the narrative is at), or the publication date.
TimeBasis = Literal["explicit", "context", "published"]
Tense = Literal["past", "present", "future"]

#: Version of the record contract (EventRecord, DocumentRecord); bumped when it changes.
#: 2: ``time.basis``; ``time`` text and offsets are null when the basis is the publication date;
#: ``arguments[].pronoun``.
RECORD_SCHEMA_VERSION = 2


class Record(BaseModel):
    """Base of every record: frozen, unknown fields rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def content_hash(*parts: str, length: int = 16) -> str:
    """Return a stable hex digest of ``parts``.

    Args:
        parts: strings joined with a separator that cannot occur in text.
        length: number of hex characters kept.

    Returns:
        The first ``length`` hex characters of the SHA-256 digest.
    """
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:length]


class InputRef(Record):
    """Where an article came from: a path plus line number or archive member."""

    path: str
    line: int | None = None
    member: str | None = None

    def label(self) -> str:
        """Return ``path``, ``path:line`` or ``path!member`` for messages."""
        out = self.path
        if self.member is not None:
            out += f"!{self.member}"
        if self.line is not None:
            out += f":{self.line}"
        return out


class Article(Record):
    """One news article as read by ingestion; offsets everywhere refer to ``text``."""

    id: str
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = Field(default=None, description="ISO 8601 date or datetime of publication, if known.")
    metadata: dict[str, Any] = Field(default_factory=dict)
    input: InputRef


class Rejection(Record):
    """An input that could not be processed, with a machine-readable reason code."""

    input: InputRef
    stage: str
    reason: str
    detail: str = ""


class Span(Record):
    """A character span of the document text."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before start {self.start}")
        return self


class EntityMention(Span):
    """A named-entity mention found by spaCy."""

    label: str
    entity_id: str | None = None


class Entity(Record):
    """A document-level entity: all mentions that refer to one actor, place or thing."""

    entity_id: str
    name: str
    label: str
    mentions: list[Span]


class Sentence(Record):
    """A sentence with its tokens as parallel columns (cheap to build, easy to ship).

    Token offsets are absolute character offsets into the document text; ``heads`` are
    token indices relative to the sentence start.
    """

    index: int
    start: int
    end: int
    words: tuple[str, ...] = ()
    starts: tuple[int, ...] = ()
    lemmas: tuple[str, ...] = ()
    pos: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    deps: tuple[str, ...] = ()
    heads: tuple[int, ...] = ()
    ent_types: tuple[str, ...] = ()
    ent_iobs: tuple[str, ...] = ()
    morphs: tuple[str, ...] = ()

    @property
    def parsed(self) -> bool:
        """True when token columns are present."""
        return bool(self.words)


class SentenceText(Record):
    """A sentence before the parse, as the NLP stage offers it to the trigger detector.

    The detector decides from these which sentences are parsed (a model may tag them
    first); offsets are absolute in the article text.
    """

    article_id: str
    start: int
    end: int
    text: str
    words: tuple[str, ...] = Field(description="The sentence's words, lower-cased.")


class AnalyzedArticle(Record):
    """An article with the output of the NLP stage."""

    article: Article
    sentences: list[Sentence]
    entities: list[EntityMention]
    model_versions: dict[str, str] = Field(default_factory=dict)


class ArgumentCandidate(Record):
    """An argument found by a classifier: a role and a span."""

    role: Role
    start: int
    end: int
    text: str


class EventCandidate(Record):
    """An event mention found by a classifier, before normalization."""

    type: EventType
    trigger: Span
    sentence_index: int
    modality: Modality = "asserted"
    arguments: list[ArgumentCandidate] = Field(default_factory=list)
    time: Span | None = None
    count: Span | None = None
    confidence: float = Field(ge=0.0, le=1.0)
    extractor: str
    reports: list[int] = Field(
        default_factory=list,
        description="Indices (in the candidate list) of events this announcement reports.",
    )
    tense: Tense | None = Field(
        default=None, description="Grammatical tense of the trigger clause, when the parse tells it."
    )


class Argument(Record):
    """A normalized argument of an event record."""

    role: Role
    text: str
    start: int
    end: int
    entity_type: str | None = None
    entity_id: str | None = None
    entity_name: str | None = Field(default=None, description="The most informative name of the resolved entity.")
    country_code: str | None = Field(
        default=None, description="ISO 3166-1 alpha-2 code of a place (offline gazetteer)."
    )
    pronoun: bool = Field(
        default=False,
        description="The span is a pronoun; with a null entity_id its referent is unknown: leave it out of aggregates.",
    )


class TimeValue(Record):
    """The time of an event: the expression it was read from, its ISO 8601 value and how it was known.

    With basis ``explicit`` the span is the time expression of the event's own sentence;
    with ``context`` it is the expression elsewhere in the article that dates the event
    (an earlier mention of the same event, or the date the narrative is at); with
    ``published`` there is no expression and ``text``, ``start`` and ``end`` are null.
    """

    text: str | None
    start: int | None
    end: int | None
    value: str | None = Field(description="ISO 8601 (2025-05, 2026-01-08, 2026-W02), or null.")
    granularity: Granularity | None = None
    anchor: str | None = Field(
        default=None, description="What the value was resolved against, e.g. 'published:2026-01-12'."
    )
    basis: TimeBasis = Field(
        default="explicit", description="explicit (own sentence), context (the discourse) or published."
    )


class CountValue(Record):
    """The number of people an event concerns."""

    text: str
    start: int
    end: int
    value: int | None
    approximate: bool = False


class SentenceRef(Record):
    """Character offsets of the sentence an event was found in."""

    start: int
    end: int


class Provenance(Record):
    """Exactly where an event record came from and what produced it."""

    doc_id: str
    source: str | None
    url: str | None
    title: str | None
    published: str | None
    input: InputRef
    sentence_index: int
    sentence: SentenceRef
    extractor: str
    pipeline_version: str
    model_versions: dict[str, str]


class EventRecord(Record):
    """One event mention, normalized: the contract downstream users rely on."""

    schema_version: int = Field(default=RECORD_SCHEMA_VERSION, description="Version of this record contract.")
    event_id: str
    type: EventType
    trigger: Span
    modality: Modality
    arguments: list[Argument]
    time: TimeValue | None
    count: CountValue | None
    confidence: float = Field(ge=0.0, le=1.0)
    reports_event_ids: list[str] = Field(default_factory=list)
    reported_by_event_ids: list[str] = Field(default_factory=list)
    provenance: Provenance


class DocumentRecord(Record):
    """One processed document: metadata, text, resolved entities and counts."""

    id: str
    title: str | None
    source: str | None
    url: str | None
    published: str | None
    input: InputRef
    text: str
    entities: list[Entity]
    counts: dict[str, int]
    metadata: dict[str, Any] = Field(default_factory=dict)


def make_event_id(doc_id: str, event_type: str, start: int, end: int) -> str:
    """Return the content-hash id of an event (document id, type and trigger span)."""
    return content_hash(doc_id, event_type, str(start), str(end))


class RunReport(Record):
    """What a run did: read = processed + duplicates + rejected (already_done: skipped by --resume, not read)."""

    read: int = 0
    processed: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejected_by_reason: dict[str, int] = Field(default_factory=dict)
    events: int = 0
    events_by_type: dict[str, int] = Field(default_factory=dict)
    seconds: float = 0.0
    articles_per_second: float = 0.0
    pipeline_version: str = ""
    extractor: str = ""
    interrupted: bool = False
    already_done: int = Field(default=0, description="Documents skipped by --resume: written by an earlier run.")
    engine: str = Field(default="local", description="'local' (one process or a worker pool) or 'dask'.")
    workers: int = Field(default=1, description="Processes that ran the NLP stage.")


# -- events: one record per real-world event (issue 13) ------------------------------------
#
# The mention records above (``EventRecord``) keep their contract. A ``DocumentEvent``
# groups the mentions of one document that denote the same real-world event; a
# ``LinkedEvent`` groups the document events of several documents that report it.


class TriggerRef(Record):
    """One mention of an event: its record id, trigger span, sentence and modality."""

    mention_id: str
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    sentence_index: int
    modality: Modality


class Participant(Record):
    """A participant of an event in one role, merged over the mentions that name it."""

    role: Role
    name: str = Field(description="The most informative name (the resolved entity's, else the text).")
    key: str | None = Field(
        default=None,
        description="Cross-document name key (accents, case, titles and aliases folded); null: not linkable.",
    )
    entity_id: str | None = Field(default=None, description="The entity id within its document, if resolved.")
    entity_type: str | None = None
    country_code: str | None = None
    mention_ids: list[str] = Field(default_factory=list)


class TimeClaim(Record):
    """A time a mention gives for the event, with where it comes from."""

    value: str = Field(description="ISO 8601 (2025-05, 2026-01-08, 2026-W02).")
    granularity: Granularity | None = None
    text: str | None = Field(description="The time expression; null when the basis is the publication date.")
    anchor: str | None = None
    basis: TimeBasis = "explicit"
    doc_id: str
    mention_id: str


class CountClaim(Record):
    """A number of people a mention gives for the event, and according to whom: never averaged."""

    value: int | None
    approximate: bool = False
    text: str
    source: str | None = Field(default=None, description="Who the text attributes the count to, if anyone.")
    doc_id: str
    mention_id: str


class DocumentRef(Record):
    """The document an event was reported in: id, publisher, URL, title and publication date."""

    doc_id: str
    source: str | None
    url: str | None
    title: str | None
    published: str | None


class EventProvenance(Record):
    """Where a document event came from: its document, input and what produced its mentions."""

    doc_id: str
    source: str | None
    url: str | None
    title: str | None
    published: str | None
    input: InputRef
    extractor: str
    pipeline_version: str


class DocumentEvent(Record):
    """One real-world event as one document reports it: the mentions that denote it, grouped.

    Modality rule: any asserted mention makes the event asserted; otherwise the strongest
    cue wins, in the order negated, planned, uncertain, hypothetical, generic.
    """

    id: str = Field(description="Content hash of the document id, the type and the sorted mention ids.")
    type: EventType
    modality: Modality
    participants: list[Participant]
    time: TimeClaim | None = Field(description="The most specific time among the mentions.")
    time_claims: list[TimeClaim] = Field(default_factory=list, description="Every distinct time of the mentions.")
    place: Participant | None = None
    count_claims: list[CountClaim] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list, description="Who the mentions attribute the event to.")
    mention_ids: list[str]
    triggers: list[TriggerRef]
    reports: list[str] = Field(default_factory=list, description="Document events this announcement reports.")
    reported_by: list[str] = Field(default_factory=list, description="Announcements that report this event.")
    provenance: EventProvenance

    @model_validator(mode="after")
    def _mentions_agree(self) -> DocumentEvent:
        if self.mention_ids != [t.mention_id for t in self.triggers]:
            raise ValueError("mention_ids must list the mention ids of triggers, in the same order")
        return self


class LinkedEvent(Record):
    """One real-world event across documents: the document events that report it, with merged provenance.

    Its ``id`` is the id of the document event that founded it, so a later run that adds
    documents keeps it. Times and counts stay claims, one per document event: contradictory
    dates are never averaged into a compromise.
    """

    id: str
    type: EventType
    modality: Modality
    participants: list[Participant]
    time: TimeClaim | None = Field(
        description="The most specific time of its document events (ties: the value most give)."
    )
    time_claims: list[TimeClaim] = Field(default_factory=list)
    place: Participant | None = None
    count_claims: list[CountClaim] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    doc_event_ids: list[str]
    documents: list[DocumentRef]
    first_reported: str | None = Field(default=None, description="The earliest publication date of its documents.")
    last_reported: str | None = Field(default=None, description="The latest publication date of its documents.")


PersonStatus = Literal["held", "released", "unknown"]


class StatusChange(Record):
    """One event in a person's timeline: an arrest, a release, or an announcement about them."""

    event_id: str = Field(description="The linked event's id.")
    type: EventType
    modality: Modality
    date: str | None = Field(description="ISO 8601: the event's own time, else the day it was first reported.")
    granularity: str | None = Field(default=None, description="day, week, month or year of ``date``.")
    dated_by: Literal["event", "published", "none"]
    place: str | None = None
    country_code: str | None = None
    sources: list[str] = Field(default_factory=list, description="Who the articles attribute it to.")
    documents: list[DocumentRef]
    first_reported: str | None = None
    last_reported: str | None = None
    time_claims: list[TimeClaim] = Field(default_factory=list, description="Every time the articles give.")
    count_claims: list[CountClaim] = Field(default_factory=list)
    conflicting: list[str] = Field(
        default_factory=list, description="What the claims disagree on: 'time', 'count' (the claims stay separate)."
    )


class PersonTimeline(Record):
    """A person's arrests, releases and the announcements about them, in order, and their status."""

    person_key: str
    name: str
    names: list[str] = Field(default_factory=list, description="Every name the articles use.")
    status: PersonStatus = Field(description="As of the latest report: the latest asserted arrest or release decides.")
    status_since: str | None = None
    status_event_id: str | None = None
    as_of: str | None = Field(default=None, description="The publication date of the latest report about them.")
    changes: list[StatusChange]
