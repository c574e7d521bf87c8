"""What the subcommands share: their registration, the options several take (declared once), exit codes."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from pipeline.errors import InputError, SinkError
from pipeline.jsonl_reader import read_records
from pipeline.sinks import DATABASE_URLS, sink_kind

__all__ = [
    "EXIT_INTERRUPTED",
    "Subparsers",
    "add_command",
    "add_config_option",
    "add_published_option",
    "output_dest",
    "read_extract_output",
    "write_text",
]

M = TypeVar("M", bound=BaseModel)

#: Exit code after Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130

Subparsers = argparse._SubParsersAction  # the object add_subparsers() returns
Command = Callable[[argparse.Namespace], int]

CONFIG_HELP = "config.yaml (default: ./config.yaml if present)"


def add_command(
    sub: Subparsers[argparse.ArgumentParser],
    name: str,
    run: Command,
    *,
    help: str,
    description: str | None = None,
) -> argparse.ArgumentParser:
    """Add the subcommand ``name``, run by ``run(args)`` (which returns the exit code).

    The parser is kept in ``args.parser``, so that an error found after parsing (an
    unknown option) is reported with this subcommand's usage, not the top-level one.

    Args:
        sub: the subparsers of the parent parser.
        name: the subcommand.
        run: the function that runs it.
        help: one line for the parent's list of subcommands.
        description: a longer text that ``newsevents NAME -h`` shows (optional).

    Returns:
        The subcommand's parser, to add its arguments to.
    """
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help, description=description)
    parser.set_defaults(func=run, parser=parser)
    return parser


def add_config_option(parser: argparse.ArgumentParser, help: str = CONFIG_HELP) -> None:
    """Add ``--config FILE`` (read with :func:`pipeline.config.resolve_config_path` or as given)."""
    parser.add_argument("--config", metavar="FILE", help=help)


def add_published_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--published DATE`` (checked with :func:`pipeline.config.parse_published`)."""
    parser.add_argument("--published", metavar="DATE", help="publication date (ISO) for inputs that carry none")


def output_dest(value: str) -> str:
    """argparse type of ``-o``: a JSONL path, ``-``, or a database URL with a supported scheme.

    Checked while the arguments are parsed, so an unsupported scheme is a usage error
    (exit 2) before anything runs, not a failure after the models have loaded.

    Raises:
        argparse.ArgumentTypeError: an unsupported URL scheme (``mysql://...``), naming the supported ones.
    """
    try:
        sink_kind(value)
    except SinkError as e:
        raise argparse.ArgumentTypeError(str(e)) from e
    return value


#: Help of ``-o`` wherever an extraction output is named.
OUTPUT_HELP = f"where the events go: a JSONL file, - for stdout, or a database URL, {DATABASE_URLS} (docs/databases.md)"


def write_text(path: Path, text: str) -> None:
    """Write a report file, creating its folder.

    Raises:
        InputError: the file cannot be written.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        raise InputError(f"Cannot write {path}: {e.strerror}. Choose a writable path.") from e


def read_extract_output(path: str | Path, model: type[M], what: str) -> Iterator[M]:
    """Stream the records of a file ``newsevents extract`` wrote (events, documents, rejects).

    Args:
        path: the JSONL file.
        model: its record class.
        what: what it holds, for messages ("events file").

    Raises:
        InputError: naming the file and line of the first unreadable or invalid line.
    """
    hint = f"Expected one {model.__name__} per line (the {what} written by newsevents extract)."
    return read_records(path, model, what, hint=hint)
