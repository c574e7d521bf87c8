"""Within-document event coreference: the mention records of one document -> groups that denote one event.

Pairs of mentions of one type are scored; from the best pair down to
:data:`DEFAULT_WEIGHTS` ``threshold``, each pair joins the groups of its mentions
(:func:`cluster_mentions`). Two mentions can never share a group when

- their main participants (the person of an arrest or release, the speaker of an
  announcement) are named and no name of one can be a name of the other, or
- both have times and the times share no day.

Otherwise the score adds evidence: a shared main participant, agreeing times, shared
other participants (agent, place, source), the same trigger word and modality, both
without a named participant; and subtracts distance and differing counts (which still
may join: "116 released" and "41 releases" counted by someone else are two claims about
one release). Different modalities count against announcements only: a planned
announcement and the one made are different events, a planned release and the release
that happened are often one. The weights were chosen on the train split of the gold
corpus and checked on dev (docs/events.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipeline.events.names import fold, given_names_compatible, key_kind, key_name, name_key
from pipeline.events.timespan import DaySpan, day_span
from pipeline.records import Argument, DocumentRecord, EventRecord

__all__ = [
    "DEFAULT_WEIGHTS",
    "MAIN_ROLES",
    "CorefWeights",
    "MentionFeatures",
    "argument_key",
    "cluster_mentions",
    "keys_compatible",
    "mention_features",
    "pair_score",
    "sentence_entities",
]

#: The role whose participant identifies the event, per type.
MAIN_ROLES: dict[str, frozenset[str]] = {
    "arrest": frozenset({"person"}),
    "release": frozenset({"person"}),
    "announcement": frozenset({"speaker"}),
}
#: Roles that name participants (the others are values or clauses: time, count, crime, content, medium).
PARTICIPANT_ROLES = frozenset({"person", "agent", "speaker", "place", "source"})
#: Words that stand for a participant without naming it (resolved by normalization or not at all).
PRONOUNS = frozenset({
    "he", "him", "his", "himself", "she", "her", "hers", "herself", "they", "them", "their", "theirs",
    "themselves", "it", "its", "itself", "who", "whom", "whose", "i", "me", "my", "we", "us", "our", "you", "your",
    "this", "that", "these", "those", "one", "some", "others", "all", "both",
})  # fmt: skip
#: Following mentions a mention is compared with (bounds the work on huge articles).
MAX_CANDIDATES = 200


@dataclass(frozen=True)
class CorefWeights:
    """The evidence weights of :func:`pair_score` and the threshold a group must reach."""

    shared_main: float = 2.0
    nearby_main: float = 1.0
    same_time: float = 1.5
    shared_other: float = 0.25
    same_trigger: float = 0.5
    same_modality: float = 0.5
    announcement_modality: float = 2.0
    distance: float = 0.5
    both_unnamed: float = 0.5
    count_differs: float = 0.5
    threshold: float = 0.5
    #: Characters over which the distance penalty grows by log(2) * distance.
    distance_scale: float = 200.0


DEFAULT_WEIGHTS = CorefWeights()


@dataclass(frozen=True)
class MentionFeatures:
    """What coreference reads of one mention record."""

    record: EventRecord
    type: str
    main: frozenset[str]
    others: frozenset[str]
    time: DaySpan | None
    count: int | None
    modality: str
    trigger: str
    start: int
    #: Named participants the mention's sentence mentions, when its own main participant is unnamed.
    nearby: frozenset[str] = frozenset()
    #: The main participants that are named (not common nouns).
    named_main: tuple[str, ...] = ()


def _pronoun_like(text: str) -> bool:
    words = fold(text).split()
    if not words:
        return True
    # "his father", "their leader": relational phrases name nobody until resolved.
    return " ".join(words) in PRONOUNS or (words[0] in PRONOUNS and len(words) <= 3)


def argument_key(argument: Argument) -> str | None:
    """The name key of an argument: its resolved entity's name, else its text; None for pronouns."""
    return _argument_key(argument.entity_name, argument.entity_type, argument.text)


@lru_cache(maxsize=65536)
def _argument_key(entity_name: str | None, entity_type: str | None, text: str) -> str | None:
    if entity_name:
        return name_key(entity_name, entity_type)
    if _pronoun_like(text):
        return None
    return name_key(text, entity_type)


def sentence_entities(document: DocumentRecord) -> list[tuple[int, str, str]]:
    """Return (start, label, name key) of every named entity mention of a document, in text order."""
    out: list[tuple[int, str, str]] = []
    for entity in document.entities:
        if entity.label == "NOMINAL":
            continue
        key = name_key(entity.name, entity.label)
        if key is None:
            continue
        out.extend((m.start, entity.label, key) for m in entity.mentions)
    return sorted(out)


def _nearby(record: EventRecord, entities: Sequence[tuple[int, str, str]], main: set[str]) -> frozenset[str]:
    if not entities or _named(frozenset(main)):
        return frozenset()
    sentence = record.provenance.sentence
    labels = ("PERSON",) if record.type != "announcement" else ("PERSON", "ORG", "GPE", "NORP")
    named = frozenset(k for start, label, k in entities if sentence.start <= start < sentence.end and label in labels)
    # Only an unambiguous sentence helps: it names one participant.
    return named if len(named) == 1 else frozenset()


def mention_features(record: EventRecord, entities: Sequence[tuple[int, str, str]] = ()) -> MentionFeatures:
    """Read the features of one mention record.

    Args:
        record: the mention.
        entities: the document's named entity mentions (:func:`sentence_entities`), so that
            a mention whose participant is unnamed ("the most prominent politician who
            remains in detention") can be tied to the people its sentence names.
    """
    main: set[str] = set()
    others: set[str] = set()
    roles = MAIN_ROLES[record.type]
    for argument in record.arguments:
        if argument.role not in PARTICIPANT_ROLES:
            continue
        key = argument_key(argument)
        if key is None:
            continue
        (main if argument.role in roles else others).add(key)
    return MentionFeatures(
        record=record,
        type=record.type,
        main=frozenset(main),
        others=frozenset(others | main),
        time=day_span(record.time.value) if record.time is not None else None,
        count=record.count.value if record.count is not None else None,
        modality=record.modality,
        trigger=fold(record.trigger.text)[:5],
        start=record.trigger.start,
        nearby=_nearby(record, entities, main),
        named_main=tuple(sorted(_named(frozenset(main)))),
    )


def _named(keys: frozenset[str]) -> list[str]:
    return [k for k in keys if key_kind(k) != "nominal"]


@lru_cache(maxsize=65536)
def keys_compatible(a: str, b: str) -> bool:
    """True when two name keys can name one participant ("Kerviel" and "Jerome Kerviel", "Kingdom" and
    "Kingdom Holding")."""
    if a == b:
        return True
    if key_kind(a) == key_kind(b) == "person":
        return given_names_compatible(a, b)
    ta, tb = key_name(a).split(), key_name(b).split()
    n = min(len(ta), len(tb))
    return ta[:n] == tb[:n] or ta[-n:] == tb[-n:]


def _identity(named_a: Sequence[str], named_b: Sequence[str]) -> bool | None:
    """True: a shared named participant; False: both named, none shared; None: not both named."""
    if not named_a or not named_b:
        return None
    return any(keys_compatible(x, y) for x in named_a for y in named_b)


def _near(a: MentionFeatures, b: MentionFeatures) -> bool:
    """True when ``a``'s sentence names one of ``b``'s named main participants."""
    return any(keys_compatible(x, y) for x in a.nearby for y in b.named_main)


def pair_score(a: MentionFeatures, b: MentionFeatures, weights: CorefWeights = DEFAULT_WEIGHTS) -> float | None:
    """Score the evidence that two mentions of one type denote one event.

    Returns:
        The score, or None when they cannot denote one event (named participants that
        differ, or times that share no day).
    """
    identity = _identity(a.named_main, b.named_main)
    if identity is False:
        return None
    if a.time is not None and b.time is not None and not a.time.overlaps(b.time):
        return None
    score = 0.0
    if identity:
        score += weights.shared_main
    elif _near(a, b) or _near(b, a):
        score += weights.nearby_main
    if a.time is not None and b.time is not None:
        score += weights.same_time
    score += weights.shared_other * min(len(a.others & b.others), 2)
    if a.trigger == b.trigger:
        score += weights.same_trigger
    if a.modality == b.modality:
        score += weights.same_modality
    elif a.type == "announcement":
        score -= weights.announcement_modality
    score -= weights.distance * math.log1p(abs(a.start - b.start) / weights.distance_scale)
    if not a.named_main and not b.named_main:
        score += weights.both_unnamed
    if a.count is not None and b.count is not None and a.count != b.count:
        score -= weights.count_differs
    return score


def cluster_mentions(
    records: Sequence[EventRecord],
    document: DocumentRecord | None = None,
    weights: CorefWeights = DEFAULT_WEIGHTS,
) -> list[list[EventRecord]]:
    """Group the mention records of one document into events.

    Constrained agglomerative clustering: pairs of mentions of one type are taken in order
    of decreasing score (from :data:`CorefWeights.threshold` up), and each joins the
    groups of its two mentions unless some member of one cannot denote the event of some
    member of the other. The result does not depend on the order of ``records``.

    Args:
        records: the mention records of one document (any order).
        document: its document record (the entities its sentences name), when available.
        weights: the evidence weights and threshold.

    Returns:
        Groups of records in text order, ordered by their first mention.
    """
    entities = sentence_entities(document) if document is not None else []
    features = sorted(
        (mention_features(r, entities) for r in records), key=lambda f: (f.start, f.type, f.record.event_id)
    )
    pairs: list[tuple[float, int, int]] = []
    incompatible: set[tuple[int, int]] = set()
    for i, a in enumerate(features):
        for j in range(i + 1, min(len(features), i + 1 + MAX_CANDIDATES)):
            b = features[j]
            if a.type != b.type:
                continue
            score = pair_score(a, b, weights)
            if score is None:
                incompatible.add((i, j))
            elif score >= weights.threshold:
                pairs.append((score, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    group_of = list(range(len(features)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(features))}
    for _, i, j in pairs:
        keep, merged = group_of[i], group_of[j]
        if keep == merged:
            continue
        if any((min(x, y), max(x, y)) in incompatible for x in members[keep] for y in members[merged]):
            continue
        for x in members[merged]:
            group_of[x] = keep
        members[keep] = sorted(members[keep] + members.pop(merged))
    groups = sorted(members.values(), key=lambda m: m[0])
    return [[features[i].record for i in group] for group in groups]
