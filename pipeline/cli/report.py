"""``newsevents report``: an HTML dashboard of an extraction run, from its output files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.cli.common import Subparsers, add_command, read_extract_output
from pipeline.errors import ConfigError
from pipeline.records import DocumentRecord, EventRecord, Rejection
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
        description="Summarize an events JSONL (and optional documents and rejects files) as a "
        "self-contained HTML dashboard (docs/views.md).",
    )
    p.add_argument("events", metavar="EVENTS", help="events JSONL written by newsevents extract")
    p.add_argument("--documents", metavar="DOCS.jsonl", help="document records (people's mention counts)")
    p.add_argument(
        "--rejects", metavar="REJECTS.jsonl", help="rejections file (default: EVENTS.rejects.jsonl if present)"
    )
    p.add_argument("--html", metavar="FILE", help="the HTML file to write (default: EVENTS.html)")
    p.add_argument("--people", type=int, default=DEFAULT_PEOPLE, help=f"people listed ({DEFAULT_PEOPLE})")


def run(args: argparse.Namespace) -> int:
    """Run ``newsevents report`` from parsed arguments and return the exit code."""
    if args.people < 0:
        raise ConfigError("--people must be 0 or more.")
    rejects = args.rejects
    if rejects is None and Path(args.events + ".rejects.jsonl").is_file():
        rejects = args.events + ".rejects.jsonl"
    data = summarize(
        read_extract_output(args.events, EventRecord, "events file"),
        read_extract_output(args.documents, DocumentRecord, "documents file") if args.documents else None,
        read_extract_output(rejects, Rejection, "rejects file") if rejects else None,
    )
    html_path = args.html or str(Path(args.events).with_suffix(".html"))
    path = write_page(
        html_path, render_report(data, title=f"newsevents report: {Path(args.events).name}", people=args.people)
    )
    print(f"wrote {path} ({data.events} events)", file=sys.stderr)
    return 0
