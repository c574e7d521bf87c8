"""Cross-document linking: document events of different documents that report one real-world event -> clusters.

A document event joins a cluster when

- the type is the same and the cluster has no event of the same document yet;
- a main participant (the person of an arrest or release, the speaker of an
  announcement) matches under the name key (:mod:`pipeline.events.names`: accents,
  titles, given-name aliases, "Kerviel" = "Jérôme Kerviel", but not when a partial name
  fits several clusters); a common-noun participant
  ("the government") matches only in the same country, and an event with neither links
  only within its own document (it stays a cluster of one);
- the places' countries do not differ;
- an event linked only by common nouns carries a time of its own, and so does a member
  of the cluster;
- the times are compatible: an event's time window is its own time when it has one
  (a day widened by :data:`DAY_TOLERANCE`), else the :data:`LOOKBACK_DAYS` before its
  publication date (:data:`ANNOUNCEMENT_LOOKBACK_DAYS` for an announcement; after it, for
  a planned event); the cluster's window is the
  intersection of its members' windows, and the event's must overlap it;
- neither is generic, and a negated event links only with negated ones.

Blocking keeps the cost about linear: clusters are indexed by (type, surname or key,
year), and an event is compared with at most :data:`MAX_BLOCK` clusters of each block it
falls in. Linking is incremental and idempotent: :class:`Linker` starts from the clusters
already written (their ids and members), events already in a cluster stay there, and a
cluster's id is the id of the document event that founded it. Events are added in the
order of publication (:func:`link_order`), so one run and several runs over the same
documents in publication order give the same clusters.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from pipeline.events.merge import make_linked_event
from pipeline.events.names import given_names_compatible, key_kind, key_name, surname
from pipeline.events.timespan import DaySpan, day_span, published_day
from pipeline.records import DocumentEvent, LinkedEvent

__all__ = [
    "ANNOUNCEMENT_LOOKBACK_DAYS",
    "DAY_TOLERANCE",
    "LOOKBACK_DAYS",
    "MAX_BLOCK",
    "Linker",
    "link_events",
    "link_order",
    "linking_keys",
]

#: How long before publication an event without a time of its own may have happened: a year
#: for arrests and releases (follow-up stories recall them), days for announcements (a
#: speaker makes many; an undated one is the news of the day).
LOOKBACK_DAYS = 365
ANNOUNCEMENT_LOOKBACK_DAYS = 3
#: Two day-precise dates this many days apart may still be one event ("Monday" resolved two ways).
DAY_TOLERANCE = 2
#: Clusters compared per block, the most recent first.
MAX_BLOCK = 50
_MAIN_ROLES = {"arrest": "person", "release": "person", "announcement": "speaker"}
#: A window that knows nothing (no time, no publication date).
_OPEN = DaySpan(-(10**9), 10**9, "open")


def linking_keys(event: DocumentEvent) -> list[str]:
    """The keys a document event can link by: its main participants' name keys.

    Names come first: common-noun keys count only for an event without a named main
    participant, bound to the participant's country (``nominal:government@VE``) and left
    out when it is unknown.
    """
    role = _MAIN_ROLES[event.type]
    named: set[str] = set()
    nominal: set[str] = set()
    for participant in event.participants:
        if participant.role != role or participant.key is None:
            continue
        if key_kind(participant.key) != "nominal":
            named.add(participant.key)
        elif participant.country_code:
            nominal.add(f"{participant.key}@{participant.country_code}")
    return sorted(named or nominal)


def _nominal_only(keys: Sequence[str]) -> bool:
    return bool(keys) and all(key_kind(k) == "nominal" for k in keys)


def _window(event: DocumentEvent, lookback: int = LOOKBACK_DAYS) -> DaySpan:
    """The days the event may have happened on: its own time, else a window before its publication."""
    if event.time is not None:
        span = day_span(event.time.value)
        if span is not None:
            if span.granularity == "day":
                span = DaySpan(span.first - DAY_TOLERANCE, span.last + DAY_TOLERANCE, "day")
            return span
    day = published_day(event.provenance.published)
    if day is None:
        return _OPEN
    if event.type == "announcement":
        lookback = min(lookback, ANNOUNCEMENT_LOOKBACK_DAYS)
    if event.modality == "planned":
        return DaySpan(day, day + lookback, "window")
    return DaySpan(day - lookback, day + 1, "window")


def _dated(event: DocumentEvent) -> bool:
    return event.time is not None and day_span(event.time.value) is not None


def _modality_class(event: DocumentEvent) -> str | None:
    if event.modality == "generic":
        return None
    return "negated" if event.modality == "negated" else "factual"


def _country(event: DocumentEvent) -> str | None:
    if event.place is not None and event.place.country_code:
        return event.place.country_code
    return None


def _as_person(key: str) -> str:
    """A one-word organization key read as a surname: NER often labels "Madoff" or "Kerviel" ORG."""
    if key_kind(key) == "named" and " " not in key_name(key):
        return "person:" + key_name(key)
    return key


def _keys_match(a: str, b: str) -> bool:
    if a == b:
        return True
    a, b = _as_person(a), _as_person(b)
    return key_kind(a) == key_kind(b) == "person" and given_names_compatible(a, b)


def _fits(key: str, keys: set[str]) -> bool:
    """True when ``key`` can name a participant the keys name: compatible with every key of that
    surname ("madoff" fits {"bernard madoff", "madoff"}; "ruth madoff" does not)."""
    key = _as_person(key)
    if key_kind(key) != "person":
        return key in keys
    people = [_as_person(other) for other in keys]
    same = [other for other in people if key_kind(other) == "person" and surname(other) == surname(key)]
    return bool(same) and all(_keys_match(key, other) for other in same)


def _block(key: str) -> str:
    key = _as_person(key)
    return "person:" + surname(key) if key_kind(key) == "person" else key


def _years(span: DaySpan) -> list[int | None]:
    if span is _OPEN or span.last - span.first > 3 * 366:
        return [None]
    first = DaySpan(span.first, span.first, "day").iso_first()
    last = DaySpan(span.last, span.last, "day").iso_first()
    return list(range(int(first[:4]), int(last[:4]) + 1))


def link_order(event: DocumentEvent) -> tuple[str, str, int, str]:
    """The order events are linked in: publication date, document, first mention, id."""
    start = event.triggers[0].start if event.triggers else 0
    return (event.provenance.published or "", event.provenance.doc_id, start, event.id)


@dataclass
class _Cluster:
    id: str
    type: str
    members: list[DocumentEvent] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)
    window: DaySpan = _OPEN
    countries: set[str] = field(default_factory=set)
    modality: str | None = "factual"
    dated: bool = False

    def add(self, event: DocumentEvent, keys: Sequence[str], window: DaySpan) -> None:
        self.dated = self.dated or _dated(event)
        if not self.members:
            self.window, self.modality = window, _modality_class(event)
        else:
            self.window = DaySpan(
                max(self.window.first, window.first), min(self.window.last, window.last), self.window.granularity
            )
        self.members.append(event)
        self.keys.update(keys)
        self.documents.add(event.provenance.doc_id)
        country = _country(event)
        if country:
            self.countries.add(country)


class Linker:
    """Links document events into clusters, incrementally.

    Args:
        existing: clusters written by an earlier run: (cluster id, its document events in
            the order they joined). They are kept as they are.
        lookback: days before publication an undated event may have happened.
        max_block: clusters compared per block.
    """

    def __init__(
        self,
        existing: Iterable[tuple[str, Sequence[DocumentEvent]]] = (),
        lookback: int = LOOKBACK_DAYS,
        max_block: int = MAX_BLOCK,
    ) -> None:
        self.lookback = lookback
        self.max_block = max_block
        self._clusters: dict[str, _Cluster] = {}
        self._member_of: dict[str, str] = {}
        self._blocks: dict[tuple[str, str, int | None], list[str]] = {}
        for cluster_id, members in existing:
            for event in members:
                self._join(cluster_id, event)

    def __len__(self) -> int:
        return len(self._clusters)

    def cluster_of(self, event_id: str) -> str | None:
        """The id of the cluster a document event is in, or None."""
        return self._member_of.get(event_id)

    def _join(self, cluster_id: str, event: DocumentEvent) -> None:
        if event.id in self._member_of:
            return
        keys = linking_keys(event)
        cluster = self._clusters.get(cluster_id)
        if cluster is None:
            cluster = self._clusters[cluster_id] = _Cluster(cluster_id, event.type)
        window = _window(event, self.lookback)
        cluster.add(event, keys, window)
        self._member_of[event.id] = cluster_id
        for key in keys:
            for year in _years(window):
                block = self._blocks.setdefault((event.type, _block(key), year), [])
                if not block or block[-1] != cluster_id:
                    block.append(cluster_id)

    def _compatible(
        self, event: DocumentEvent, keys: Sequence[str], window: DaySpan, cluster: _Cluster
    ) -> tuple[int, int]:
        """How many of the event's keys the cluster has, and how many more it has a compatible
        form of ("kerviel" for "jerome kerviel"); (0, 0) when they cannot be one event."""
        if cluster.type != event.type or event.provenance.doc_id in cluster.documents:
            return 0, 0
        if _modality_class(event) is None or cluster.modality != _modality_class(event):
            return 0, 0
        country = _country(event)
        if country and cluster.countries and country not in cluster.countries:
            return 0, 0
        if not window.overlaps(cluster.window):
            return 0, 0
        if _nominal_only(keys) and not (_dated(event) and cluster.dated):
            # "The government released prisoners": only events that both carry a date.
            return 0, 0
        exact = sum(1 for key in keys if key in cluster.keys)
        compatible = sum(1 for key in keys if key not in cluster.keys and _fits(key, cluster.keys))
        return exact, compatible

    def add(self, event: DocumentEvent) -> str:
        """Link one document event; return the id of its cluster (a new one when nothing matches).

        An event that is already a member keeps its cluster.
        """
        known = self._member_of.get(event.id)
        if known is not None:
            return known
        keys = linking_keys(event)
        best: tuple[int, int, int, str] | None = None
        candidates = 0
        if _modality_class(event) is not None:
            window = _window(event, self.lookback)
            seen: set[str] = set()
            for key in keys:
                for year in _years(window):
                    block = self._blocks.get((event.type, _block(key), year), [])
                    for rank, cluster_id in enumerate(reversed(block[-self.max_block :])):
                        if cluster_id in seen:
                            continue
                        seen.add(cluster_id)
                        exact, compatible = self._compatible(event, keys, window, self._clusters[cluster_id])
                        if not exact + compatible:
                            continue
                        candidates += 1
                        if best is None or (exact, compatible, -rank) > best[:3]:
                            best = (exact, compatible, -rank, cluster_id)
        if best is not None and best[0] == 0 and candidates > 1:
            # Only a partial name ("Mr. Madoff") and several people it may be: no link.
            best = None
        cluster_id = best[3] if best is not None else event.id
        self._join(cluster_id, event)
        return cluster_id

    def clusters(self) -> Iterator[LinkedEvent]:
        """Yield every cluster as a linked event, in the order they were founded."""
        for cluster in self._clusters.values():
            yield make_linked_event(cluster.id, cluster.members)


def link_events(
    events: Iterable[DocumentEvent], existing: Iterable[tuple[str, Sequence[DocumentEvent]]] = ()
) -> list[LinkedEvent]:
    """Link document events (in publication order) onto existing clusters and return every cluster.

    Args:
        events: document events; those already in ``existing`` keep their cluster.
        existing: clusters of an earlier run, as (cluster id, members).

    Returns:
        The linked events, existing clusters first.
    """
    linker = Linker(existing)
    for event in sorted(events, key=link_order):
        linker.add(event)
    return list(linker.clusters())
