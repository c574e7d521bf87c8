"""``newsevents extract``: articles in, event records out (JSONL or a database), with a run summary."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence

from pipeline.cli.common import (
    EXIT_INTERRUPTED,
    OUTPUT_HELP,
    Subparsers,
    add_command,
    add_config_option,
    add_published_option,
    output_dest,
)
from pipeline.config import load_config, parse_published, resolve_config_path
from pipeline.errors import RunInterrupted
from pipeline.sinks import sink_kind

__all__ = ["register", "resume_command", "run"]


def register(sub: Subparsers[argparse.ArgumentParser]) -> None:
    """Add ``extract`` to the subcommands."""
    p = add_command(
        sub,
        "extract",
        run,
        help="extract event records from articles",
        description="Find arrest, release and announcement events in articles and write one record per event, "
        "with its provenance (document, sentence, character offsets). Ends with a summary; the exit code says "
        "whether inputs were rejected (README: Bad input and exit codes).",
    )
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="files or directories (.txt .jsonl .csv .html .warc, also inside .gz .zip .tar archives); - reads JSONL "
        "from stdin",
    )
    p.add_argument("-o", "--output", required=True, metavar="DEST", type=output_dest, help=OUTPUT_HELP)
    add_config_option(p)
    add_published_option(p)
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
        "--shards",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="shard-parallel run: each Dask worker reads, processes and writes its own shards (default: with "
        "--engine dask unless the input is stdin or one unsplittable file; docs/scale.md)",
    )
    p.add_argument(
        "--shard-size", type=int, default=32_000_000, metavar="BYTES", help="input bytes per shard (default 32 MB)"
    )
    p.add_argument(
        "--shard-dir",
        metavar="DIR",
        help="where shards stage their parts and manifest, on storage every worker reaches (default: DEST.shards/)",
    )
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar (default: when stderr is a terminal; else a log line every 10 s)",
    )


def resume_command(argv: Sequence[str], *, resuming: bool = False) -> str:
    """Return the shell command that resumes the run started with ``newsevents ARGV``.

    Args:
        argv: the arguments of the interrupted command, after the program name.
        resuming: the command already resumed a run (``--resume``, perhaps abbreviated).

    Returns:
        ``newsevents ARGV --resume`` (``--resume`` added only when missing), shell-quoted.
    """
    words = ["newsevents", *argv]
    if not resuming and "--resume" not in argv:
        words.append("--resume")
    return shlex.join(words)


def run(args: argparse.Namespace) -> int:
    """Run ``newsevents extract``; print the summary (and after Ctrl-C how to resume); return the exit code."""
    from pipeline.runner import RunOptions, exit_code, format_summary, run_extract
    from pipeline.shards.driver import run_sharded, wants_shards

    cfg = load_config(resolve_config_path(args.config))
    published = parse_published(args.published)
    rejects = args.rejects
    if rejects is None and args.output != "-" and sink_kind(args.output) == "jsonl":
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
    try:
        if wants_shards(args.inputs, args.output, args.engine, args.shards):
            report = run_sharded(
                args.inputs,
                args.output,
                cfg,
                published=published,
                documents=args.documents,
                rejects=rejects,
                options=options,
                shard_bytes=args.shard_size,
                shard_dir=args.shard_dir,
            )
        else:
            report = run_extract(
                args.inputs,
                args.output,
                cfg,
                published=published,
                documents=args.documents,
                rejects=rejects,
                options=options,
            )
    except RunInterrupted as e:
        print("newsevents: interrupted; the summary so far:", file=sys.stderr)
        print(format_summary(e.report), file=sys.stderr)
        if args.output == "-":
            print("Output to stdout cannot be resumed: run the command again.", file=sys.stderr)
        else:
            print(
                f"To continue where it stopped, run:\n  {resume_command(args.argv, resuming=args.resume)}",
                file=sys.stderr,
            )
        return EXIT_INTERRUPTED
    print(format_summary(report), file=sys.stderr)
    return exit_code(report)
