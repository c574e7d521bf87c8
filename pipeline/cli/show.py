"""``newsevents show``: an HTML page of articles with entities, triggers and event cards."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator

from pipeline.cli.common import (
    Subparsers,
    add_command,
    add_config_option,
    add_published_option,
    read_extract_output,
)
from pipeline.config import load_config, parse_published, resolve_config_path
from pipeline.errors import ConfigError
from pipeline.events.merge import document_events
from pipeline.records import DocumentRecord, EventRecord, Rejection
from pipeline.views.article import render_article_page
from pipeline.views.page import write_page

__all__ = ["DEFAULT_LIMIT", "register", "run"]

#: Articles drawn at most by one ``newsevents show`` (the page is meant to be read).
DEFAULT_LIMIT = 50


def register(sub: Subparsers[argparse.ArgumentParser]) -> None:
    """Add ``show`` to the subcommands."""
    p = add_command(
        sub,
        "show",
        run,
        help="write an HTML view of articles with entities, triggers and event cards",
        description="Run the pipeline on INPUT (or read saved --documents and --events) and write a "
        "self-contained HTML page (docs/views.md).",
    )
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="article files or directories (.txt, .jsonl)")
    p.add_argument("--html", required=True, metavar="FILE", help="the HTML file to write")
    add_config_option(p)
    add_published_option(p)
    p.add_argument("--documents", metavar="DOCS.jsonl", help="show saved document records instead of running")
    p.add_argument("--events", metavar="EVENTS.jsonl", help="the events of --documents")
    p.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help=f"articles shown at most ({DEFAULT_LIMIT})")


def _from_pipeline(args: argparse.Namespace) -> Iterator[tuple[DocumentRecord, list[EventRecord]]]:
    from pipeline.ingest import read_inputs
    from pipeline.runner import process_articles

    cfg = load_config(resolve_config_path(args.config))
    published = parse_published(args.published)
    for item in process_articles(read_inputs(args.inputs, cfg.ingest, published), cfg):
        if isinstance(item, Rejection):
            print(f"rejected {item.input.label()}: {item.reason} ({item.detail})", file=sys.stderr)
            continue
        yield item


def _from_files(documents: str, events: str) -> Iterator[tuple[DocumentRecord, list[EventRecord]]]:
    by_doc: dict[str, list[EventRecord]] = {}
    for event in read_extract_output(events, EventRecord, "events file"):
        by_doc.setdefault(event.provenance.doc_id, []).append(event)
    for document in read_extract_output(documents, DocumentRecord, "documents file"):
        yield document, by_doc.get(document.id, [])


def run(args: argparse.Namespace) -> int:
    """Run ``newsevents show`` from parsed arguments and return the exit code."""
    if args.limit < 1:
        raise ConfigError("--limit must be at least 1.")
    if args.documents or args.events:
        if not (args.documents and args.events) or args.inputs:
            raise ConfigError("Pass either INPUT files, or both --documents and --events (from newsevents extract).")
        stream = _from_files(args.documents, args.events)
    elif args.inputs:
        stream = _from_pipeline(args)
    else:
        raise ConfigError("Nothing to show: pass INPUT files, or --documents DOCS.jsonl --events EVENTS.jsonl.")
    results: list[tuple[DocumentRecord, list[EventRecord]]] = []
    for item in stream:
        if len(results) == args.limit:
            print(f"showing the first {args.limit} articles (--limit)", file=sys.stderr)
            break
        results.append(item)
    grouped = {document.id: document_events(events, document) for document, events in results}
    path = write_page(args.html, render_article_page(results, grouped))
    n_events = sum(len(events) for _, events in results)
    print(f"wrote {path} ({len(results)} articles, {n_events} events)", file=sys.stderr)
    return 0
