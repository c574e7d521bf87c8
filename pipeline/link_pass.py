"""The linking pass: an extraction output's document events -> linked events across documents, incrementally.

``newsevents link DEST`` runs it after ``newsevents extract -o DEST`` (any number of
times, after each run that added documents): it reads the document events and the
clusters written by the previous pass, keeps every existing cluster and its id, adds the
new document events in publication order (:mod:`pipeline.events.linking`), drops the
members whose documents were rewritten, and writes the clusters back. Running it twice
changes nothing the second time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from pipeline.events.linking import Linker, link_order
from pipeline.sinks.linked import ClusterWrite, backfill_doc_events, read_clusters, read_doc_events, write_clusters

__all__ = ["LinkReport", "link_output"]


@dataclass(frozen=True)
class LinkReport:
    """What a linking pass did."""

    doc_events: int
    backfilled: int
    new_doc_events: int
    linked_events: int
    multi_document: int
    written: ClusterWrite
    seconds: float

    def summary(self) -> str:
        """A short human-readable summary."""
        w = self.written
        backfilled = f" ({self.backfilled} built for documents written before)" if self.backfilled else ""
        return (
            f"{self.doc_events} document events{backfilled}, {self.new_doc_events} new; "
            f"{self.linked_events} linked events, {self.multi_document} reported by two or more documents; "
            f"{w.inserted} inserted, {w.updated} updated, {w.deleted} removed, {w.unchanged} unchanged; "
            f"{self.seconds:.1f} s"
        )


def link_output(dest: str) -> LinkReport:
    """Link the document events of an extraction output and write the clusters beside it.

    Args:
        dest: what ``newsevents extract -o`` wrote to: a JSONL path or a database URL.

    Returns:
        The report of the pass.

    Raises:
        InputError: a JSONL output without its document events file.
        SinkError: the clusters cannot be written.
    """
    started = time.monotonic()
    backfilled = backfill_doc_events(dest)
    events = {event.id: event for event in read_doc_events(dest)}
    existing = []
    for cluster_id, member_ids in read_clusters(dest):
        members = [events[i] for i in member_ids if i in events]
        if members:  # a cluster whose documents were all rewritten is gone
            existing.append((cluster_id, members))
    linker = Linker(existing)
    new = [event for event in events.values() if linker.cluster_of(event.id) is None]
    for event in sorted(new, key=link_order):
        linker.add(event)
    linked = list(linker.clusters())
    written = write_clusters(dest, linked)
    return LinkReport(
        doc_events=len(events),
        backfilled=backfilled,
        new_doc_events=len(new),
        linked_events=len(linked),
        multi_document=sum(1 for event in linked if len(event.documents) > 1),
        written=written,
        seconds=round(time.monotonic() - started, 3),
    )
