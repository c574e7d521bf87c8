"""Person timelines to files: JSON Lines (one timeline per line) and CSV (one status change per row)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from pipeline.errors import SinkError
from pipeline.records import DocumentRef, PersonTimeline

__all__ = ["CSV_COLUMNS", "write_timelines_csv", "write_timelines_jsonl"]

#: The columns of the CSV, one row per status change.
CSV_COLUMNS = (
    "person",
    "person_key",
    "status",
    "status_since",
    "as_of",
    "date",
    "granularity",
    "dated_by",
    "type",
    "modality",
    "place",
    "country_code",
    "sources",
    "documents",
    "first_reported",
    "last_reported",
    "conflicting",
    "time_claims",
    "count_claims",
    "event_id",
)


def _open(path: str | Path) -> Path:
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise SinkError(f"Cannot create the folder of {target}: {e.strerror}. Choose a writable path.") from e
    return target


def _document(ref: DocumentRef) -> str:
    return f"{ref.published or '?'} {ref.source or ''} {ref.url or ref.doc_id}"


def write_timelines_jsonl(path: str | Path, timelines: Sequence[PersonTimeline]) -> Path:
    """Write one timeline per line.

    Raises:
        SinkError: the file cannot be written.
    """
    target = _open(path)
    try:
        with target.open("w", encoding="utf-8") as fh:
            for timeline in timelines:
                fh.write(timeline.model_dump_json() + "\n")
    except OSError as e:
        raise SinkError(f"Cannot write {target}: {e.strerror}. Choose a writable path.") from e
    return target


def write_timelines_csv(path: str | Path, timelines: Sequence[PersonTimeline]) -> Path:
    """Write one row per status change; claims are joined as ``value (source; document)``.

    Raises:
        SinkError: the file cannot be written.
    """
    target = _open(path)
    try:
        with target.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(CSV_COLUMNS)
            for t in timelines:
                for c in t.changes:
                    writer.writerow(
                        [
                            t.name,
                            t.person_key,
                            t.status,
                            t.status_since or "",
                            t.as_of or "",
                            c.date or "",
                            c.granularity or "",
                            c.dated_by,
                            c.type,
                            c.modality,
                            c.place or "",
                            c.country_code or "",
                            "; ".join(c.sources),
                            "; ".join(
                                f"{d.published or '?'} {d.source or ''} {d.url or d.doc_id}" for d in c.documents
                            ),
                            c.first_reported or "",
                            c.last_reported or "",
                            " ".join(c.conflicting),
                            "; ".join(f"{x.value} ({x.doc_id})" for x in c.time_claims),
                            "; ".join(f"{x.value} ({x.source or 'unattributed'}; {x.doc_id})" for x in c.count_claims),
                            c.event_id,
                        ]
                    )
    except OSError as e:
        raise SinkError(f"Cannot write {target}: {e.strerror}. Choose a writable path.") from e
    return target
