"""Command line: a thin layer over plain functions. Console script ``newsevents``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline import __version__, db, evaluate
from pipeline.config import DEFAULT_CONFIG_NAME, load_config
from pipeline.errors import ConfigError, PipelineError
from pipeline.views import article as article_view
from pipeline.views import report as report_view


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(prog="newsevents", description=__doc__)
    parser.add_argument("--version", action="version", version=f"newsevents {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_extract(sub)
    _add_schema(sub)
    _add_classifiers(sub)
    # Modules that own a subcommand register it with add_cli(sub).
    evaluate.add_cli(sub)
    db.add_cli(sub)
    article_view.add_cli(sub)
    report_view.add_cli(sub)
    return parser


def _add_extract(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("extract", help="extract event records from articles")
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="files or directories (.txt .jsonl .csv .html .warc, also inside .gz .zip .tar archives); - reads JSONL "
        "from stdin",
    )
    p.add_argument("-o", "--output", required=True, metavar="DEST", help="JSONL file, or - for stdout")
    p.add_argument("--config", metavar="FILE", help="config.yaml (default: ./config.yaml if present)")
    p.add_argument("--published", metavar="DATE", help="publication date (ISO) for inputs that carry none")
    p.add_argument("--documents", metavar="DOCS.jsonl", help="also write one document record per article")
    p.add_argument("--rejects", metavar="FILE", help="rejections file (default: DEST.rejects.jsonl)")
    p.add_argument("--workers", type=int, default=1, metavar="N", help="NLP processes (default 1; docs/scale.md)")
    p.add_argument(
        "--engine", choices=("local", "dask"), default="local", help="run on this machine or on a Dask cluster"
    )
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler (tcp://HOST:8786); default: a local cluster")
    p.add_argument(
        "--resume", action="store_true", help="continue an interrupted run (same arguments): skip written documents"
    )
    p.add_argument("--report", metavar="FILE", help="also write the run report as JSON")
    p.add_argument(
        "--checkpoint-every",
        type=int,
        default=256,
        metavar="N",
        help="flush and checkpoint the output every N documents (default 256; --resume redoes at most N)",
    )
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar (default: when stderr is a terminal; else a log line every 10 s)",
    )
    p.set_defaults(func=_cmd_extract)


def _add_schema(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of the event record")
    p.add_argument("--document", action="store_true", help="print the document record schema instead")
    p.set_defaults(func=_cmd_schema)


def _add_classifiers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("classifiers", help="list the registered event classifiers")
    p.set_defaults(func=_cmd_classifiers)


def resolve_config_path(path: str | None) -> str | None:
    """Return the config file to use: the one given, else ./config.yaml when it exists."""
    if path is not None:
        return path
    default = Path(DEFAULT_CONFIG_NAME)
    return str(default) if default.is_file() else None


def _cmd_extract(args: argparse.Namespace) -> int:
    from pipeline.ingest.common import normalize_published
    from pipeline.runner import RunOptions, exit_code, format_summary, run_extract

    cfg = load_config(resolve_config_path(args.config))
    published = None
    if args.published:
        try:
            published = normalize_published(args.published)
        except ValueError as e:
            raise ConfigError(f"--published: {e}. Use YYYY-MM-DD.") from e
    rejects = args.rejects
    if rejects is None and args.output != "-" and "://" not in args.output:
        rejects = args.output + ".rejects.jsonl"  # a database keeps its rejects in a table
    options = RunOptions(
        workers=args.workers,
        engine=args.engine,
        scheduler=args.scheduler,
        resume=args.resume,
        progress=args.progress,
        report_path=args.report,
        flush_every=args.checkpoint_every,
    )
    report = run_extract(
        args.inputs, args.output, cfg, published=published, documents=args.documents, rejects=rejects, options=options
    )
    print(format_summary(report), file=sys.stderr)
    return exit_code(report)


def _cmd_schema(args: argparse.Namespace) -> int:
    from pipeline.records import DocumentRecord, EventRecord

    model = DocumentRecord if args.document else EventRecord
    print(json.dumps(model.model_json_schema(), indent=2))
    return 0


def _cmd_classifiers(args: argparse.Namespace) -> int:
    from pipeline.classify import registered

    for name in registered():
        print(name)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except PipelineError as e:
        print(f"newsevents: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("newsevents: interrupted", file=sys.stderr)
        return 130
    return code
