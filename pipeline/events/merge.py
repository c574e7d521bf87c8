"""Building event records from groups: document events from mention records, linked events from document events.

The rules, each documented in docs/events.md:

- **modality**: any asserted member makes the event asserted; otherwise the strongest cue
  wins, in the order of :data:`MODALITY_STRENGTH` (negated, planned, uncertain,
  hypothetical, generic);
- **time**: the most specific value (day, then week, month, year); among equally specific
  values, the one most members give, then the earliest in the text (or publication);
  every value stays a claim in ``time_claims``;
- **counts**: one claim per mention that gives a number, with the source that mention
  attributes it to; never averaged;
- **participants**: one per role and resolved entity (or name key), with every mention that
  names it; the name is the longest resolved name;
- **place**: the first place resolved to a country, else the first place.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from pipeline.events.coref import PARTICIPANT_ROLES, argument_key, cluster_mentions
from pipeline.events.names import fold, given_names_compatible, key_kind
from pipeline.events.timespan import GRANULARITY_RANK
from pipeline.normalize.places import country_code
from pipeline.records import (
    Argument,
    CountClaim,
    DocumentEvent,
    DocumentRecord,
    DocumentRef,
    EventProvenance,
    EventRecord,
    LinkedEvent,
    Modality,
    Participant,
    TimeClaim,
    TriggerRef,
    content_hash,
)

__all__ = [
    "MODALITY_STRENGTH",
    "document_events",
    "make_document_event",
    "make_linked_event",
    "merge_linked_participants",
    "merge_modality",
    "merge_participants",
    "preferred_time",
]

#: After ``asserted``, which modality of a group's members wins (the first present).
MODALITY_STRENGTH: tuple[Modality, ...] = ("asserted", "negated", "planned", "uncertain", "hypothetical", "generic")


def merge_modality(modalities: Iterable[Modality]) -> Modality:
    """Return the modality of an event from its members': asserted if any is, else the strongest cue."""
    present = set(modalities)
    for modality in MODALITY_STRENGTH:
        if modality in present:
            return modality
    return "asserted"


def preferred_time(claims: Sequence[TimeClaim]) -> TimeClaim | None:
    """Return the most specific time claim; ties go to the value most claims give, then the first claim.

    A claim that is only the publication date (basis ``published``) is chosen only when no
    mention states a time of its own.
    """
    if not claims:
        return None
    support = Counter(c.value for c in claims)
    ranked = sorted(
        enumerate(claims),
        key=lambda ic: (
            ic[1].basis == "published",
            GRANULARITY_RANK.get(ic[1].granularity or "year", 3),
            -support[ic[1].value],
            ic[0],
        ),
    )
    return ranked[0][1]


def _participant_identity(argument: Argument) -> str | None:
    if argument.entity_id:
        return "id:" + argument.entity_id
    key = argument_key(argument)
    return None if key is None else "key:" + key


def merge_participants(items: Iterable[tuple[Argument, str]]) -> list[Participant]:
    """Merge (argument, mention id) pairs into participants, one per role and identity.

    Arguments that name nobody (unresolved pronouns) are left out.
    """
    merged: dict[tuple[str, str], dict[str, object]] = {}
    order: list[tuple[str, str]] = []
    for argument, mention_id in items:
        identity = _participant_identity(argument)
        if identity is None:
            continue
        slot = (argument.role, identity)
        name = argument.entity_name or argument.text
        if slot not in merged:
            order.append(slot)
            merged[slot] = {
                "role": argument.role,
                "name": name,
                "key": argument_key(argument),
                "entity_id": argument.entity_id,
                "entity_type": argument.entity_type,
                "country_code": argument.country_code,
                "mention_ids": [mention_id],
            }
            continue
        entry = merged[slot]
        if len(name) > len(str(entry["name"])) and argument.entity_name is None and entry["entity_id"] is None:
            entry["name"] = name
        if entry["country_code"] is None:
            entry["country_code"] = argument.country_code
        ids = entry["mention_ids"]
        if isinstance(ids, list) and mention_id not in ids:
            ids.append(mention_id)
    return [Participant.model_validate(merged[slot]) for slot in order]


def _source_of(record: EventRecord) -> str | None:
    for argument in record.arguments:
        if argument.role == "source":
            return argument.entity_name or argument.text
    return None


def _time_claim(record: EventRecord) -> TimeClaim | None:
    tm = record.time
    if tm is None or tm.value is None:
        return None
    return TimeClaim(
        value=tm.value,
        granularity=tm.granularity,
        text=tm.text,
        anchor=tm.anchor,
        basis=tm.basis,
        doc_id=record.provenance.doc_id,
        mention_id=record.event_id,
    )


def _count_claim(record: EventRecord) -> CountClaim | None:
    ct = record.count
    if ct is None:
        return None
    return CountClaim(
        value=ct.value,
        approximate=ct.approximate,
        text=ct.text,
        source=_source_of(record),
        doc_id=record.provenance.doc_id,
        mention_id=record.event_id,
    )


def _place(participants: Sequence[Participant]) -> Participant | None:
    places = [p for p in participants if p.role == "place"]
    return next((p for p in places if p.country_code), places[0] if places else None)


def _distinct(values: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(fold(value).strip(), value)
    return list(seen.values())


def make_document_event(
    mentions: Sequence[EventRecord],
    mention_to_event: dict[str, str] | None = None,
    event_id: str | None = None,
    country: str | None = None,
) -> DocumentEvent:
    """Build the document event of one group of mention records (of one document and type).

    Args:
        mentions: the group, in text order.
        mention_to_event: mention id -> document event id, for every group of the document
            (turns the mentions' ``reports`` links into links between document events).
        event_id: the id, when already computed (default: the content hash of document id,
            type and sorted mention ids).
        country: the document's country (:func:`document_country`): the country of its
            common-noun participants ("the government") whose names do not say one.

    Returns:
        The document event.
    """
    first = mentions[0]
    prov = first.provenance
    mention_ids = [m.event_id for m in mentions]
    event_id = event_id or document_event_id(prov.doc_id, first.type, mention_ids)
    lookup = mention_to_event or {}
    participants = [
        _with_country(p, country)
        for p in merge_participants(
            (argument, m.event_id) for m in mentions for argument in m.arguments if argument.role in PARTICIPANT_ROLES
        )
    ]
    time_claims = [c for c in (_time_claim(m) for m in mentions) if c is not None]
    sources = _distinct(a.entity_name or a.text for m in mentions for a in m.arguments if a.role == "source")
    reports = _distinct(lookup[i] for m in mentions for i in m.reports_event_ids if i in lookup)
    reported_by = _distinct(lookup[i] for m in mentions for i in m.reported_by_event_ids if i in lookup)
    return DocumentEvent(
        id=event_id,
        type=first.type,
        modality=merge_modality(m.modality for m in mentions),
        participants=[p for p in participants if p.role not in ("place", "source")],
        time=preferred_time(time_claims),
        time_claims=time_claims,
        place=_place(participants),
        count_claims=[c for c in (_count_claim(m) for m in mentions) if c is not None],
        sources=sources,
        mention_ids=mention_ids,
        triggers=[
            TriggerRef(
                mention_id=m.event_id,
                text=m.trigger.text,
                start=m.trigger.start,
                end=m.trigger.end,
                sentence_index=m.provenance.sentence_index,
                modality=m.modality,
            )
            for m in mentions
        ],
        reports=[i for i in reports if i != event_id],
        reported_by=[i for i in reported_by if i != event_id],
        provenance=EventProvenance(
            doc_id=prov.doc_id,
            source=prov.source,
            url=prov.url,
            title=prov.title,
            published=prov.published,
            input=prov.input,
            extractor=prov.extractor,
            pipeline_version=prov.pipeline_version,
        ),
    )


def document_event_id(doc_id: str, event_type: str, mention_ids: Iterable[str]) -> str:
    """The content-hash id of a document event: document id, type and its sorted mention ids."""
    return content_hash(doc_id, event_type, *sorted(mention_ids))


#: Share of a document's place mentions one country must have to be "the" country of its common nouns.
DOCUMENT_COUNTRY_SHARE = 0.5
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def document_country(document: DocumentRecord) -> str | None:
    """The country most of a document's place mentions are in (at least half of them), or None."""
    counts: Counter[str] = Counter()
    for entity in document.entities:
        if entity.label in _PLACE_LABELS:
            code = country_code(entity.name)
            if code:
                counts[code] += len(entity.mentions)
    if not counts:
        return None
    code, n = counts.most_common(1)[0]
    return code if n >= DOCUMENT_COUNTRY_SHARE * sum(counts.values()) else None


def _with_country(participant: Participant, fallback: str | None) -> Participant:
    """A common-noun participant's country: the one its name says ("Venezuela's government"), else the document's."""
    if participant.country_code or participant.key is None or key_kind(participant.key) != "nominal":
        return participant
    owner = participant.name.replace("\u2019", "'").split("'s ", 1)
    code = country_code(owner[0]) if len(owner) == 2 else None
    code = code or fallback
    if code is None:
        return participant
    return Participant.model_validate({**participant.model_dump(), "country_code": code})


def document_events(records: Sequence[EventRecord], document: DocumentRecord | None = None) -> list[DocumentEvent]:
    """Group the mention records of one document into document events (the coreference stage).

    Args:
        records: the mention records of one document.
        document: its document record, when available (the people its sentences name help
            to group mentions whose participant is unnamed).

    Returns:
        The document events, ordered by their first mention.
    """
    groups = cluster_mentions(records, document)
    ids = [document_event_id(g[0].provenance.doc_id, g[0].type, [m.event_id for m in g]) for g in groups]
    lookup = {m.event_id: ids[n] for n, group in enumerate(groups) for m in group}
    country = document_country(document) if document is not None else None
    return [make_document_event(group, lookup, ids[n], country) for n, group in enumerate(groups)]


def _document_ref(event: DocumentEvent) -> DocumentRef:
    prov = event.provenance
    return DocumentRef(doc_id=prov.doc_id, source=prov.source, url=prov.url, title=prov.title, published=prov.published)


def _same_participant(a: Participant, b: Participant) -> bool:
    if a.role != b.role:
        return False
    if a.key is None or b.key is None:
        return a.key is None and b.key is None and fold(a.name) == fold(b.name)
    if a.key == b.key:
        return True
    return key_kind(a.key) == key_kind(b.key) == "person" and given_names_compatible(a.key, b.key)


def merge_linked_participants(participants: Iterable[Participant]) -> list[Participant]:
    """Merge the participants of several document events: one per role and person (name key).

    "Mr. Kerviel" (``person:kerviel``) and "Jérôme Kerviel" (``person:jerome kerviel``) are one
    participant named by the fuller name and key; their mention ids are joined.
    """
    merged: list[Participant] = []
    for p in participants:
        index = next((i for i, known in enumerate(merged) if _same_participant(known, p)), None)
        if index is None:
            merged.append(p)
            continue
        known = merged[index]
        fuller = p if len(p.key or "") > len(known.key or "") else known
        merged[index] = Participant(
            role=known.role,
            name=fuller.name,
            key=fuller.key,
            entity_id=fuller.entity_id,
            entity_type=known.entity_type or p.entity_type,
            country_code=known.country_code or p.country_code,
            mention_ids=[*known.mention_ids, *(i for i in p.mention_ids if i not in known.mention_ids)],
        )
    return merged


def make_linked_event(cluster_id: str, members: Sequence[DocumentEvent]) -> LinkedEvent:
    """Build the linked event of document events that report one real-world event.

    Args:
        cluster_id: its stable id (the founding document event's id).
        members: the document events, in the order they joined.

    Returns:
        The linked event: participants merged by name key, every time and count claim kept,
        the documents with first and last publication dates.
    """
    first = members[0]
    participants = merge_linked_participants(p for event in members for p in event.participants)
    time_claims = [c for e in members for c in e.time_claims]
    documents: dict[str, DocumentRef] = {}
    for event in members:
        documents.setdefault(event.provenance.doc_id, _document_ref(event))
    published = sorted(d.published for d in documents.values() if d.published)
    places = [e.place for e in members if e.place is not None]
    return LinkedEvent(
        id=cluster_id,
        type=first.type,
        modality=merge_modality(e.modality for e in members),
        participants=participants,
        time=preferred_time([e.time for e in members if e.time is not None]),
        time_claims=time_claims,
        place=next((p for p in places if p.country_code), places[0] if places else None),
        count_claims=[c for e in members for c in e.count_claims],
        sources=_distinct(s for e in members for s in e.sources),
        doc_event_ids=[e.id for e in members],
        documents=list(documents.values()),
        first_reported=published[0] if published else None,
        last_reported=published[-1] if published else None,
    )
