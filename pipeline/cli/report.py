"""``newsevents report``: an HTML dashboard of an extraction run, from its output files or database."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from pipeline.cli.common import Subparsers, add_command, read_extract_output
from pipeline.errors import ConfigError
from pipeline.events.linking import link_events
from pipeline.events.merge import document_events
from pipeline.events.timelines import build_timelines
from pipeline.records import DocumentEvent, DocumentRecord, EventRecord, LinkedEvent, Rejection
from pipeline.sinks import DATABASE_URLS, load_sql, sink_kind
from pipeline.sinks.jsonl import doc_events_path, linked_path
from pipeline.sinks.linked import read_clusters, read_doc_events, read_linked
from pipeline.views.page import write_page
from pipeline.views.report import DEFAULT_PEOPLE, render_report, summarize

__all__ = ["register", "run"]


def register(sub: Subparsers[argparse.ArgumentParser]) -> None:
    """Add ``report`` to the subcommands."""
    p = add_command(
        sub,
        "report",
        run,
        help="write an HTML dashboard of an extraction run",
        description="Summarize what newsevents extract wrote, a JSONL output (and optional documents and rejects "
        "files) or a database, as a self-contained HTML dashboard (docs/views.md).",
    )
    p.add_argument(
        "events", metavar="EVENTS", help=f"the events JSONL written by newsevents extract, or {DATABASE_URLS}"
    )
    p.add_argument("--documents", metavar="DOCS.jsonl", help="document records (people's mention counts; JSONL only)")
    p.add_argument(
        "--rejects", metavar="REJECTS.jsonl", help="rejections file (default: EVENTS.rejects.jsonl if present)"
    )
    p.add_argument(
        "--html", metavar="FILE", help="the HTML file to write (default: EVENTS.html; report.html for a database)"
    )
    p.add_argument("--people", type=int, default=DEFAULT_PEOPLE, help=f"people listed ({DEFAULT_PEOPLE})")


def _grouped(events: Iterable[EventRecord], documents: dict[str, DocumentRecord]) -> Iterator[DocumentEvent]:
    """Document events built from the mentions (an output written before they were)."""
    by_doc: dict[str, list[EventRecord]] = {}
    for event in events:
        by_doc.setdefault(event.provenance.doc_id, []).append(event)
    for doc_id, records in by_doc.items():
        yield from document_events(records, documents.get(doc_id))


def run(args: argparse.Namespace) -> int:
    """Run ``newsevents report`` from parsed arguments and return the exit code."""
    if args.people < 0:
        raise ConfigError("--people must be 0 or more.")
    source = args.events
    if sink_kind(source) == "sql":
        sql = load_sql()
        events: list[EventRecord] = list(sql.read_events(source))
        documents: list[DocumentRecord] | None = list(sql.read_documents(source))
        rejections: list[Rejection] | None = list(sql.read_rejections(source))
        html_path = args.html or "report.html"
        title = f"newsevents report: {sql.make_engine(source).url.render_as_string(hide_password=True)}"
    else:
        rejects = args.rejects
        if rejects is None and Path(source + ".rejects.jsonl").is_file():
            rejects = source + ".rejects.jsonl"
        events = list(read_extract_output(source, EventRecord, "events file"))
        documents = (
            list(read_extract_output(args.documents, DocumentRecord, "documents file")) if args.documents else None
        )
        rejections = list(read_extract_output(rejects, Rejection, "rejects file")) if rejects else None
        html_path = args.html or str(Path(source).with_suffix(".html"))
        title = f"newsevents report: {Path(source).name}"
    data = summarize(events, documents, rejections)
    stored_doc_events = sink_kind(source) == "sql" or Path(doc_events_path(source)).is_file()
    if stored_doc_events:
        doc_events = list(read_doc_events(source))
    else:
        doc_events = list(_grouped(events, {d.id: d for d in documents or []}))
    linked: list[LinkedEvent]
    if (sink_kind(source) == "sql" and read_clusters(source)) or Path(linked_path(source)).is_file():
        linked = list(read_linked(source))
    else:
        linked = link_events(doc_events)
    timelines = build_timelines(linked, doc_events)
    page = render_report(data, title=title, people=args.people, timelines=timelines, linked=linked)
    path = write_page(html_path, page)
    print(f"wrote {path} ({data.events} mentions, {len(linked)} events, {len(timelines)} people)", file=sys.stderr)
    return 0
