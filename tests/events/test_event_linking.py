"""Cross-document linking: name keys, time windows, countries, incremental and idempotent clusters."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.events.linking import Linker, link_events, linking_keys
from pipeline.events.merge import document_events
from pipeline.records import DocumentEvent
from tests.records_factory import make_document, make_event


def report(
    doc_id: str,
    text: str,
    trigger: str,
    *,
    event_type: str = "arrest",
    published: str = "2008-01-30",
    person: str | None = None,
    entities: dict[str, str] | None = None,
    time: tuple[str, str, str] | None = None,
    modality: str = "asserted",
    place: str | None = None,
) -> DocumentEvent:
    """The single document event of a one-mention document."""
    document = make_document(text, doc_id=doc_id, published=published, entities=entities or {})
    args = [("person", person)] if person else []
    if place:
        args.append(("place", place))
    mention = make_event(document, event_type, trigger, arguments=args, time=time, modality=modality)
    (event,) = document_events([mention], document)
    return event


def kerviel(doc_id: str, name: str, published: str, **kw: object) -> DocumentEvent:
    text = f"Police detained {name} for questioning."
    return report(doc_id, text, "detained", person=name, published=published, entities={name: "PERSON"}, **kw)  # type: ignore[arg-type]


def clusters_of(events: Sequence[DocumentEvent]) -> list[set[str]]:
    return [{e.provenance.doc_id for e in events if e.id in set(c.doc_event_ids)} for c in link_events(events)]


def test_name_variants_link_across_documents() -> None:
    events = [
        kerviel("a", "Jérôme Kerviel", "2008-01-26"),
        kerviel("b", "Jerome Kerviel", "2008-01-27"),
        kerviel("c", "Mr. Kerviel", "2008-01-28"),
        kerviel("d", "Delcy Rodríguez", "2008-01-28"),
    ]
    assert sorted(map(sorted, clusters_of(events))) == [["a", "b", "c"], ["d"]]


def test_linked_event_merges_provenance() -> None:
    events = [kerviel("b", "Jerome Kerviel", "2008-01-28"), kerviel("a", "Jérôme Kerviel", "2008-01-26")]
    (linked,) = link_events(events)
    assert linked.id == events[1].id  # founded by the first published
    assert [d.doc_id for d in linked.documents] == ["a", "b"]
    assert (linked.first_reported, linked.last_reported) == ("2008-01-26", "2008-01-28")
    assert {p.key for p in linked.participants} == {"person:jerome kerviel"}


def test_dates_far_apart_are_different_events_and_close_ones_stay_claims() -> None:
    text = "Police detained Jerome Kerviel on Saturday."
    entities = {"Jerome Kerviel": "PERSON"}
    sat = report(
        "a", text, "detained", person="Jerome Kerviel", entities=entities, time=("Saturday", "2008-01-26", "day")
    )
    sun = report(
        "b", text, "detained", person="Jerome Kerviel", entities=entities, time=("Saturday", "2008-01-27", "day")
    )
    later = report(
        "c", text, "detained", person="Jerome Kerviel", entities=entities, time=("Saturday", "2008-06-07", "day")
    )
    linked = link_events([sat, sun, later])
    assert len(linked) == 2
    both = next(c for c in linked if len(c.doc_event_ids) == 2)
    assert sorted(c.value for c in both.time_claims) == ["2008-01-26", "2008-01-27"]


def test_undated_events_use_the_publication_date() -> None:
    recent = kerviel("a", "Jerome Kerviel", "2008-01-28")
    follow_up = kerviel("b", "Jerome Kerviel", "2008-06-01")
    years_later = kerviel("c", "Jerome Kerviel", "2012-06-01")
    assert sorted(map(sorted, clusters_of([recent, follow_up, years_later]))) == [["a", "b"], ["c"]]


def test_common_words_never_link_across_countries() -> None:
    text_ve = "The government released 10 prisoners in Caracas on Monday."
    text_by = "The government released 10 prisoners in Minsk on Monday."
    kw = {"event_type": "release", "person": "10 prisoners", "time": ("Monday", "2008-01-28", "day")}
    ve = report("a", text_ve, "released", place="Caracas", entities={"Caracas": "GPE"}, **kw)  # type: ignore[arg-type]
    ve2 = report("b", text_ve, "released", place="Caracas", entities={"Caracas": "GPE"}, **kw)  # type: ignore[arg-type]
    by = report("c", text_by, "released", place="Minsk", entities={"Minsk": "GPE"}, **kw)  # type: ignore[arg-type]
    assert linking_keys(ve) == ["nominal:prisoners@VE"] and linking_keys(by) == ["nominal:prisoners@BY"]
    assert sorted(map(sorted, clusters_of([ve, ve2, by]))) == [["a", "b"], ["c"]]


def test_events_without_participants_link_only_within_their_document() -> None:
    text = "The arrests were made on Monday."
    a = report("a", text, "arrests", time=("Monday", "2008-01-28", "day"))
    b = report("b", text, "arrests", time=("Monday", "2008-01-28", "day"))
    assert linking_keys(a) == []
    assert len(link_events([a, b])) == 2


def test_incremental_runs_keep_ids_and_are_idempotent() -> None:
    first = [kerviel("a", "Jerome Kerviel", "2008-01-26"), kerviel("d", "Anna Smith", "2008-01-26")]
    linked = link_events(first)
    ids = {c.id for c in linked}
    existing = [(c.id, [e for e in first if e.id in c.doc_event_ids]) for c in linked]
    later = kerviel("b", "Mr. Kerviel", "2008-01-29")
    again = link_events([*first, later], existing)
    assert {c.id for c in again} == ids
    grown = next(c for c in again if len(c.doc_event_ids) == 2)
    assert grown.id == first[0].id
    existing = [(c.id, [e for e in [*first, later] if e.id in c.doc_event_ids]) for c in again]
    assert link_events([*first, later], existing) == again  # nothing new: nothing changes


def test_one_event_per_document_in_a_cluster() -> None:
    a = kerviel("a", "Jerome Kerviel", "2008-01-26")
    linker = Linker()
    assert linker.add(a) == a.id
    assert linker.add(a) == a.id  # already a member
    assert len(linker) == 1
