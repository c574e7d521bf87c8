"""``newsevents schema``: print the JSON Schema of the event (or document) record."""

from __future__ import annotations

import argparse
import json

from pipeline.cli.common import Subparsers, add_command

__all__ = ["register", "run"]


def register(sub: Subparsers[argparse.ArgumentParser]) -> None:
    """Add ``schema`` to the subcommands."""
    p = add_command(sub, "schema", run, help="print the JSON Schema of the event record")
    p.add_argument("--document", action="store_true", help="print the document record schema instead")


def run(args: argparse.Namespace) -> int:
    """Print the schema generated from the pydantic models; return 0."""
    from pipeline.records import DocumentRecord, EventRecord

    model = DocumentRecord if args.document else EventRecord
    print(json.dumps(model.model_json_schema(), indent=2))
    return 0
