"""``newsevents people DEST``: each person's arrests, releases and status, from an extraction output."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.cli.common import Subparsers, add_command, output_dest
from pipeline.errors import ConfigError
from pipeline.sinks import DATABASE_URLS, sink_kind

__all__ = ["register", "run"]


def register(sub: Subparsers[argparse.ArgumentParser]) -> None:
    """Add ``people`` to the subcommands."""
    p = add_command(
        sub,
        "people",
        run,
        help="write person timelines (arrests, releases, status) as JSONL, CSV and HTML",
        description="Build one timeline per person from the linked events of DEST (what newsevents extract wrote; "
        "newsevents link DEST first keeps the links, otherwise they are computed in memory): the ordered "
        "arrests, releases and announcements about them, with dates, places, sources and conflicting claims, "
        "and the status as of the latest report (held, released, unknown). docs/events.md.",
    )
    p.add_argument("dest", metavar="DEST", type=output_dest, help=f"a JSONL output or a database URL, {DATABASE_URLS}")
    p.add_argument("-o", "--jsonl", metavar="PEOPLE.jsonl", help="one timeline per line (default: DEST.people.jsonl)")
    p.add_argument("--csv", metavar="PEOPLE.csv", help="one status change per row (default: DEST.people.csv)")
    p.add_argument("--html", metavar="PEOPLE.html", help="also write the timelines as an HTML page")


def run(args: argparse.Namespace) -> int:
    """Run ``newsevents people`` and return the exit code."""
    from pipeline.events.linking import link_events
    from pipeline.events.timelines import build_timelines
    from pipeline.sinks.linked import read_clusters, read_doc_events, read_linked
    from pipeline.sinks.timelines import write_timelines_csv, write_timelines_jsonl
    from pipeline.views.page import write_page
    from pipeline.views.timeline import render_timeline_page

    if args.dest == "-":
        raise ConfigError("people reads what extract wrote: give the output file or database, not -.")
    database = sink_kind(args.dest) == "sql"
    jsonl = args.jsonl or (None if database else args.dest + ".people.jsonl")
    csv = args.csv or (None if database else args.dest + ".people.csv")
    if not (jsonl or csv or args.html):
        raise ConfigError("For a database, say where the timelines go: -o PEOPLE.jsonl, --csv FILE or --html FILE.")
    doc_events = list(read_doc_events(args.dest))
    if read_clusters(args.dest):
        linked = list(read_linked(args.dest))
    else:
        print(f"not linked yet: linking in memory (newsevents link {args.dest} keeps the links)", file=sys.stderr)
        linked = link_events(doc_events)
    timelines = build_timelines(linked, doc_events)
    written = []
    if jsonl:
        written.append(str(write_timelines_jsonl(jsonl, timelines)))
    if csv:
        written.append(str(write_timelines_csv(csv, timelines)))
    if args.html:
        written.append(str(write_page(Path(args.html), render_timeline_page(timelines))))
    held = sum(1 for t in timelines if t.status == "held")
    print(f"{len(timelines)} people ({held} held as of the latest report): {', '.join(written)}", file=sys.stderr)
    return 0
