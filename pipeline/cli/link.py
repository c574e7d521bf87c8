"""``newsevents link DEST``: link the document events of an extraction output across documents."""

from __future__ import annotations

import argparse
import sys

from pipeline.cli.common import Subparsers, add_command, output_dest
from pipeline.errors import ConfigError
from pipeline.sinks import DATABASE_URLS

__all__ = ["register", "run"]


def register(sub: Subparsers[argparse.ArgumentParser]) -> None:
    """Add ``link`` to the subcommands."""
    p = add_command(
        sub,
        "link",
        run,
        help="link the events of an extraction output across documents (second pass)",
        description="Read the document events newsevents extract wrote to DEST, link those of different "
        "documents that report the same real-world event, and write the linked events beside them "
        "(DEST.linked.jsonl, or the linked_events tables). Incremental: existing links and their ids are "
        "kept, new documents join them; running it again changes nothing (docs/events.md).",
    )
    p.add_argument(
        "dest",
        metavar="DEST",
        type=output_dest,
        help=f"what extract wrote: a JSONL file or a database URL, {DATABASE_URLS}",
    )


def run(args: argparse.Namespace) -> int:
    """Run ``newsevents link`` and print what it did; return the exit code."""
    from pipeline.link_pass import link_output

    if args.dest == "-":
        raise ConfigError("link reads what extract wrote: give the output file or database, not -.")
    report = link_output(args.dest)
    print(report.summary(), file=sys.stderr)
    return 0
