"""Person timelines: linked events -> for each person, their arrests, releases and announcements about them.

A person is a name key (``person:jerome kerviel``); a bare surname joins the full name of
that surname when there is only one. A change is dated by the event's own time, else by
the day it was first reported (``dated_by`` says which), and keeps every time and count
claim; ``conflicting`` names what the claims disagree on. The status, as of the latest
report about the person, comes from the latest asserted arrest or release (ordered by
date, then by when it was last reported): ``held`` after an arrest, ``released`` after a
release, ``unknown`` without either. The SQL view ``person_status`` applies the same rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pipeline.events.names import key_kind, key_name, surname
from pipeline.events.timespan import GRANULARITY_RANK, day_span
from pipeline.records import DocumentEvent, LinkedEvent, PersonStatus, PersonTimeline, StatusChange

__all__ = ["build_timelines", "change_of", "person_keys", "status_of"]

_SUBJECT_ROLES = {"arrest": ("person",), "release": ("person",), "announcement": ()}


def person_keys(event: LinkedEvent) -> list[str]:
    """The people an arrest or release is about (its ``person`` participants with a person key)."""
    roles = _SUBJECT_ROLES[event.type]
    return sorted({p.key for p in event.participants if p.role in roles and p.key and key_kind(p.key) == "person"})


def _conflicts(event: LinkedEvent) -> list[str]:
    out = []
    spans = {c.value for c in event.time_claims}
    parsed = [s for s in (day_span(v) for v in spans) if s is not None]
    if any(not a.overlaps(b) for i, a in enumerate(parsed) for b in parsed[i + 1 :]):
        out.append("time")
    if len({c.value for c in event.count_claims if c.value is not None}) > 1:
        out.append("count")
    return out


def change_of(event: LinkedEvent) -> StatusChange:
    """The timeline entry of a linked event."""
    if event.time is not None:
        date, granularity, dated_by = event.time.value, event.time.granularity, "event"
    elif event.first_reported:
        date, granularity, dated_by = event.first_reported[:10], "day", "published"
    else:
        date, granularity, dated_by = None, None, "none"
    return StatusChange(
        event_id=event.id,
        type=event.type,
        modality=event.modality,
        date=date,
        granularity=granularity,
        dated_by=dated_by,
        place=event.place.name if event.place else None,
        country_code=event.place.country_code if event.place else None,
        sources=list(event.sources),
        documents=list(event.documents),
        first_reported=event.first_reported,
        last_reported=event.last_reported,
        time_claims=list(event.time_claims),
        count_claims=list(event.count_claims),
        conflicting=_conflicts(event),
    )


def _sort_key(change: StatusChange) -> tuple[int, int, str, str]:
    span = day_span(change.date)
    first = span.first if span is not None else 10**9
    return first, GRANULARITY_RANK.get(change.granularity or "year", 3), change.last_reported or "", change.event_id


def status_of(changes: Sequence[StatusChange]) -> tuple[PersonStatus, StatusChange | None]:
    """The status after the latest asserted arrest or release, and that change."""
    decisive = [c for c in changes if c.modality == "asserted" and c.type in ("arrest", "release")]
    if not decisive:
        return "unknown", None
    latest = max(decisive, key=lambda c: (_sort_key(c)[0], c.last_reported or "", c.event_id))
    return ("held" if latest.type == "arrest" else "released"), latest


def _canonical(keys: Iterable[str]) -> dict[str, str]:
    """Map each person key to the key it is filed under: a bare surname to the only full name of it."""
    keys = set(keys)
    full_by_surname: dict[str, set[str]] = {}
    for key in keys:
        if " " in key_name(key):
            full_by_surname.setdefault(surname(key), set()).add(key)
    mapping = {}
    for key in keys:
        fulls = full_by_surname.get(surname(key), set())
        mapping[key] = next(iter(fulls)) if " " not in key_name(key) and len(fulls) == 1 else key
    return mapping


def build_timelines(linked: Iterable[LinkedEvent], doc_events: Iterable[DocumentEvent] = ()) -> list[PersonTimeline]:
    """Build every person's timeline.

    Args:
        linked: the linked events of an output.
        doc_events: its document events, when available: an announcement whose mentions
            report one of a person's arrests or releases joins that person's timeline.

    Returns:
        The timelines, people with the most changes first, then by name.
    """
    events = list(linked)
    cluster_of = {member: e.id for e in events for member in e.doc_event_ids}
    reported: dict[str, set[str]] = {}  # announcement linked id -> linked ids it reports
    for doc_event in doc_events:
        if doc_event.type == "announcement" and doc_event.id in cluster_of:
            targets = {cluster_of[r] for r in doc_event.reports if r in cluster_of}
            reported.setdefault(cluster_of[doc_event.id], set()).update(targets)
    people: dict[str, list[LinkedEvent]] = {}
    names: dict[str, list[str]] = {}
    canonical = _canonical(k for e in events for k in person_keys(e))
    by_id = {e.id: e for e in events}
    for event in events:
        for key in person_keys(event):
            person = canonical[key]
            people.setdefault(person, []).append(event)
            names.setdefault(person, []).extend(p.name for p in event.participants if p.key == key)
    for announcement_id, targets in reported.items():
        for target in targets:
            for key in person_keys(by_id[target]):
                bucket = people.setdefault(canonical[key], [])
                if by_id[announcement_id] not in bucket:
                    bucket.append(by_id[announcement_id])
    timelines = []
    for key, person_events in people.items():
        changes = sorted((change_of(e) for e in person_events), key=_sort_key)
        status, decisive = status_of(changes)
        reported_on = [c.last_reported for c in changes if c.last_reported]
        person_names = list(dict.fromkeys(names.get(key, [])))
        timelines.append(
            PersonTimeline(
                person_key=key,
                name=max(person_names, key=len) if person_names else key_name(key),
                names=person_names,
                status=status,
                status_since=decisive.date if decisive else None,
                status_event_id=decisive.event_id if decisive else None,
                as_of=max(reported_on)[:10] if reported_on else None,
                changes=changes,
            )
        )
    return sorted(timelines, key=lambda t: (-len(t.changes), t.name))
