"""``newsevents classifiers``: list the registered event classifiers."""

from __future__ import annotations

import argparse

from pipeline.cli.common import Subparsers, add_command

__all__ = ["register", "run"]


def register(sub: Subparsers[argparse.ArgumentParser]) -> None:
    """Add ``classifiers`` to the subcommands."""
    add_command(sub, "classifiers", run, help="list the registered event classifiers")


def run(args: argparse.Namespace) -> int:
    """Print one registered classifier name per line; return 0."""
    from pipeline.classify import registered

    for name in registered():
        print(name)
    return 0
