"""Within-document coreference: mention records -> groups and document events (no model)."""

from __future__ import annotations

from pipeline.events.coref import cluster_mentions, mention_features, pair_score
from pipeline.events.merge import document_events, merge_modality, preferred_time
from pipeline.records import DocumentEvent, DocumentRecord, EventRecord, TimeClaim
from tests.records_factory import make_document, make_event

TEXT = (
    "Police arrested Jerome Kerviel in Paris on Monday. "
    "Mr. Kerviel's arrest followed a fraud. "
    "The government said it had released 116 prisoners. "
    "Rights groups counted only 41 releases. "
    "Police also detained Anna Smith on Tuesday."
)


def seed_like() -> tuple[DocumentRecord, list[EventRecord]]:
    document = make_document(
        TEXT,
        published="2008-01-30",
        entities={"Jerome Kerviel": "PERSON", "Anna Smith": "PERSON", "Paris": "GPE"},
        mentions={"Jerome Kerviel": ["Jerome Kerviel", "Kerviel"]},
    )
    events = [
        make_event(
            document,
            "arrest",
            "arrested",
            arguments=[("person", "Jerome Kerviel"), ("place", "Paris")],
            time=("Monday", "2008-01-28", "day"),
        ),
        make_event(document, "arrest", "arrest", arguments=[("person", "Jerome Kerviel")]),
        make_event(
            document,
            "release",
            "released",
            arguments=[("source", "The government"), ("person", "116 prisoners")],
            count=("116", 116, False),
        ),
        make_event(document, "release", "releases", arguments=[("source", "Rights groups")], count=("41", 41, False)),
        make_event(
            document,
            "arrest",
            "detained",
            arguments=[("person", "Anna Smith")],
            time=("Tuesday", "2008-01-29", "day"),
        ),
    ]
    return document, events


def test_one_event_per_real_world_event() -> None:
    document, events = seed_like()
    groups = cluster_mentions(events, document)
    triggers = [[m.trigger.text for m in g] for g in groups]
    assert triggers == [["arrested", "arrest"], ["released", "releases"], ["detained"]]


def test_different_people_or_days_never_share_an_event() -> None:
    _, events = seed_like()
    kerviel, _, _, _, smith = (mention_features(e) for e in events)
    assert pair_score(kerviel, smith) is None


def test_counts_stay_claims_with_their_sources() -> None:
    document, events = seed_like()
    built = document_events(events, document)
    (release,) = [e for e in built if e.type == "release"]
    assert [(c.value, c.source) for c in release.count_claims] == [(116, "The government"), (41, "Rights groups")]
    assert release.sources == ["The government", "Rights groups"]
    assert release.mention_ids == [m.event_id for m in events[2:4]]


def test_document_event_fields() -> None:
    document, events = seed_like()
    arrest = document_events(events, document)[0]
    assert isinstance(arrest, DocumentEvent)
    assert arrest.time is not None and arrest.time.value == "2008-01-28"
    assert [(p.role, p.name, p.key) for p in arrest.participants] == [
        ("person", "Jerome Kerviel", "person:jerome kerviel")
    ]
    assert arrest.place is not None and arrest.place.name == "Paris"
    assert len(arrest.participants[0].mention_ids) == 2
    assert arrest.provenance.doc_id == document.id
    # Content-hash ids: the same input gives the same ids, in any order.
    again = document_events(list(reversed(events)), document)
    assert sorted(e.id for e in again) == sorted(e.id for e in document_events(events, document))


def test_modality_rule() -> None:
    assert merge_modality(["planned", "asserted", "negated"]) == "asserted"
    assert merge_modality(["hypothetical", "planned"]) == "planned"
    assert merge_modality(["generic", "negated", "uncertain"]) == "negated"
    assert merge_modality(["generic"]) == "generic"


def test_most_specific_time() -> None:
    def claim(value: str, granularity: str, mention: str) -> TimeClaim:
        return TimeClaim.model_validate(
            {"value": value, "granularity": granularity, "text": value, "doc_id": "d", "mention_id": mention}
        )

    claims = [claim("2025-05", "month", "a"), claim("2025-05-03", "day", "b"), claim("2025", "year", "c")]
    chosen = preferred_time(claims)
    assert chosen is not None and chosen.value == "2025-05-03"
    assert preferred_time([]) is None


def test_no_mentions_no_events() -> None:
    assert document_events([]) == []
