"""The gold annotation format: its models, its reader and the offset/vocabulary checker.

One document per line::

    {id, source, url, published, title, text, events_exhaustive, split, origin, collection, stratum,
     events: [{type, trigger, trigger_start, trigger_end, modality,
               arguments: [{role, text, start, end}],
               time_value, time_basis, count_value, count_approximate, event}]}

``time_basis`` says how the time value was known (``explicit``, ``context``,
``published``) and ``event`` labels the mentions of one real-world event within the
document (corpus/GUIDELINES.md, sections 4 and 5).

Run ``python -m pipeline.gold FILE...`` to check files; it exits non-zero and names the
line and field of every problem.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pipeline.errors import GoldError, PipelineError
from pipeline.jsonl_reader import parse_record_line, read_numbered_records
from pipeline.records import ROLES_BY_TYPE, EventType, Modality, Role

#: How a gold time value was known (corpus/GUIDELINES.md, section 4).
TimeBasis = Literal["explicit", "context", "published"]
#: The splits of the gold corpus: train and dev for development, test sealed.
SPLITS = ("train", "dev", "test")


class _Gold(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class GoldArgument(_Gold):
    """A gold argument: role and exact span."""

    role: Role
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class GoldEvent(_Gold):
    """A gold event mention."""

    type: EventType
    trigger: str
    trigger_start: int = Field(ge=0)
    trigger_end: int = Field(ge=0)
    modality: Modality
    arguments: list[GoldArgument] = Field(default_factory=list)
    time_value: str | None = None
    time_basis: TimeBasis | None = Field(
        default=None, description="How the time value was known: the sentence, the discourse or the publication date."
    )
    count_value: int | None = None
    count_approximate: bool | None = None
    event: str | None = Field(default=None, description="Label shared by the mentions of one real-world event.")
    note: str | None = None


class GoldDocument(_Gold):
    """A gold document with its exhaustively (or partially) annotated events."""

    id: str
    source: str | None = None
    url: str | None = None
    published: str | None = None
    title: str | None = None
    text: str
    events_exhaustive: bool
    events: list[GoldEvent]
    split: Literal["train", "dev", "test"] | None = None
    origin: str | None = Field(default=None, description="Where the text was copied from.")
    collection: str | None = Field(default=None, description="The news collection the text comes from.")
    stratum: str | None = Field(default=None, description="How it was sampled: candidate, random, distractor, v1.")
    notes: str | None = None


def check_document(doc: GoldDocument) -> list[str]:
    """Return every offset and vocabulary problem of one gold document.

    Args:
        doc: a parsed gold document.

    Returns:
        Messages naming the event index and field; empty when the document is valid.
    """
    problems: list[str] = []
    n = len(doc.text)
    for i, event in enumerate(doc.events):
        where = f"events[{i}]"
        if not 0 <= event.trigger_start < event.trigger_end <= n:
            problems.append(f"{where}.trigger_start/end: {event.trigger_start}..{event.trigger_end} out of range")
        elif doc.text[event.trigger_start : event.trigger_end] != event.trigger:
            problems.append(
                f"{where}.trigger: text[{event.trigger_start}:{event.trigger_end}] is "
                f"{doc.text[event.trigger_start : event.trigger_end]!r}, not {event.trigger!r}"
            )
        allowed = ROLES_BY_TYPE[event.type]
        for j, arg in enumerate(event.arguments):
            awhere = f"{where}.arguments[{j}]"
            if arg.role not in allowed:
                problems.append(f"{awhere}.role: {arg.role!r} is not a role of {event.type}")
            if not 0 <= arg.start < arg.end <= n:
                problems.append(f"{awhere}.start/end: {arg.start}..{arg.end} out of range")
            elif doc.text[arg.start : arg.end] != arg.text:
                problems.append(
                    f"{awhere}.text: text[{arg.start}:{arg.end}] is {doc.text[arg.start : arg.end]!r}, not {arg.text!r}"
                )
        if event.count_value is not None and event.count_value < 0:
            problems.append(f"{where}.count_value: negative")
        if event.type == "announcement" and event.count_value is not None:
            problems.append(f"{where}.count_value: announcements carry no count")
        if event.time_basis is not None and event.time_value is None:
            problems.append(f"{where}.time_basis: set without a time_value")
    return problems


#: What to do about a malformed gold line.
GOLD_HINT = "Fix the line: one gold document per line (docs/evaluation.md)."


def _checked(doc: GoldDocument, path: Path, lineno: int) -> GoldDocument:
    problems = check_document(doc)
    if problems:
        raise GoldError(f"{path}:{lineno} (id {doc.id}): " + "; ".join(problems))
    return doc


def parse_gold_line(line: str, path: Path, lineno: int) -> GoldDocument:
    """Parse and check one gold line.

    Raises:
        GoldError: naming the file, line and field of the problem.
    """
    return _checked(parse_record_line(line, path, lineno, GoldDocument, error=GoldError, hint=GOLD_HINT), path, lineno)


def read_gold(path: Path) -> Iterator[tuple[int, GoldDocument]]:
    """Yield (line number, document) from a gold JSONL file, failing on the first bad line.

    Raises:
        InputError: the file cannot be read.
        GoldError: naming the file, line and field of the problem.
    """
    for lineno, doc in read_numbered_records(path, GoldDocument, "gold file", error=GoldError, hint=GOLD_HINT):
        yield lineno, _checked(doc, path, lineno)


def main(argv: list[str] | None = None) -> int:
    """Check gold files given on the command line; print a summary per file."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m pipeline.gold FILE.jsonl [...]", file=sys.stderr)
        return 2
    status = 0
    for name in args:
        path = Path(name)
        counts: dict[str, int] = {}
        ndocs = 0
        try:
            for _, doc in read_gold(path):
                ndocs += 1
                for event in doc.events:
                    counts[event.type] = counts.get(event.type, 0) + 1
        except PipelineError as e:
            print(f"FAIL {e}", file=sys.stderr)
            status = 1
            continue
        summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        print(f"ok {path}: {ndocs} documents, {sum(counts.values())} events ({summary})")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
