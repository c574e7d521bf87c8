"""The ``newsevents`` command line: parse arguments, call the functions that do the work.

One module per subcommand (``extract``, ``link``, ``people``, ``evaluate``, ``show``,
``report``, ``db``, ``schema``, ``classifiers``), each with ``register(subparsers)`` and ``run(args)``; the
options several share are declared once in :mod:`pipeline.cli.common`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pipeline import __version__
from pipeline.cli import classifiers, db, evaluate, extract, link, people, report, schema, show
from pipeline.cli.common import EXIT_INTERRUPTED
from pipeline.errors import PipelineError

__all__ = ["build_parser", "main"]

DESCRIPTION = (
    "Extract arrest, release and announcement events from news articles into structured records, "
    "each with its provenance: the document, sentence and characters it comes from. Score the "
    "extraction against gold annotations, and view articles and runs as HTML pages."
)
EPILOG = "Run 'newsevents COMMAND -h' for the options of a command. Documentation: README.md and docs/."

#: The subcommands, in the order the help lists them.
COMMANDS = (extract, link, people, evaluate, show, report, db, schema, classifiers)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(prog="newsevents", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"newsevents {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    parser.set_defaults(parser=parser)
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code.

    Args:
        argv: the arguments after the program name (default: ``sys.argv[1:]``).
    """
    words = list(sys.argv[1:] if argv is None else argv)
    args, unknown = build_parser().parse_known_args(words)
    if unknown:
        # Reported by the (sub)command's own parser, so its usage is the one printed.
        args.parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    args.argv = words
    try:
        code: int = args.func(args)
    except PipelineError as e:
        print(f"newsevents: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("newsevents: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return code
