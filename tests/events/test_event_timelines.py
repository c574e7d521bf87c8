"""Person timelines from linked events: order, dating, status as of the latest report, claims."""

from __future__ import annotations

from pipeline.events.linking import link_events
from pipeline.events.merge import document_events
from pipeline.events.timelines import build_timelines
from pipeline.records import DocumentEvent
from tests.records_factory import make_document, make_event


def report(
    n: int,
    published: str,
    trigger: str,
    event_type: str,
    name: str = "Maria Kolesnikova",
    time: tuple[str, str, str] | None = None,
    modality: str = "asserted",
    count: tuple[str, int, bool] | None = None,
    source: str | None = None,
) -> list[DocumentEvent]:
    text = f"Story {n}. Police {trigger} {name} in Minsk. Officials counted 3 or 5 people, rights groups said."
    doc = make_document(text, published=published, entities={name: "PERSON", "Minsk": "GPE"})
    args = [("person", name), ("place", "Minsk")] + ([("source", source)] if source else [])
    mention = make_event(doc, event_type, trigger, arguments=args, time=time, modality=modality, count=count)
    return document_events([mention], doc)


def test_status_follows_the_latest_asserted_change() -> None:
    events = [
        *report(1, "2025-05-02", "arrested", "arrest", time=("Minsk", "2025-05-01", "day")),
        *report(2, "2025-05-03", "arrested", "arrest"),  # a follow-up: the same arrest
        *report(3, "2025-06-10", "released", "release", time=("Minsk", "2025-06-09", "day")),
        *report(4, "2025-07-15", "release", "release", modality="negated"),  # not decisive
        *report(5, "2025-05-02", "detained", "arrest", name="Ales Bialiatski"),
    ]
    (maria, ales) = build_timelines(link_events(events), events)
    assert (maria.name, maria.status, maria.status_since, maria.as_of) == (
        "Maria Kolesnikova",
        "released",
        "2025-06-09",
        "2025-07-15",
    )
    assert [(c.type, c.modality, c.date, c.dated_by) for c in maria.changes] == [
        ("arrest", "asserted", "2025-05-01", "event"),
        ("release", "asserted", "2025-06-09", "event"),
        ("release", "negated", "2025-07-15", "published"),
    ]
    assert len(maria.changes[0].documents) == 2  # one arrest, reported twice
    assert (ales.status, ales.status_since) == ("held", "2025-05-02")


def test_conflicting_counts_stay_claims() -> None:
    events = [
        *report(1, "2025-06-10", "released", "release", count=("3", 3, False), source="Officials"),
        *report(2, "2025-06-10", "released", "release", count=("5", 5, False), source="rights groups"),
    ]
    (timeline,) = build_timelines(link_events(events))
    (change,) = timeline.changes
    assert change.conflicting == ["count"]
    assert sorted((c.value, c.source) for c in change.count_claims) == [(3, "Officials"), (5, "rights groups")]


def test_a_surname_joins_the_only_full_name() -> None:
    events = [
        *report(1, "2025-05-02", "arrested", "arrest", time=("Minsk", "2025-05-01", "day")),
        *report(2, "2026-01-02", "freed", "release", name="Ms. Kolesnikova"),
    ]
    (timeline,) = build_timelines(link_events(events))
    assert timeline.person_key == "person:maria kolesnikova"
    assert timeline.status == "released"
    assert set(timeline.names) == {"Maria Kolesnikova", "Ms. Kolesnikova"}


def test_no_decisive_change_is_unknown() -> None:
    events = report(1, "2025-05-02", "arrested", "arrest", modality="hypothetical")
    (timeline,) = build_timelines(link_events(events))
    assert (timeline.status, timeline.status_since) == ("unknown", None)
