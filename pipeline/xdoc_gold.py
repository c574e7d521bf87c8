"""The cross-document gold format: real-world events and the articles that report them, and its checker.

``corpus/xdoc/articles.jsonl`` holds the articles (``id, source, url, published, title,
text, origin``); an annotation file holds one real-world event per line::

    {"event": "X01", "type": "arrest", "summary": "...", "time_value": "2008-12-11", "place": "New York",
     "participants": [{"role": "person", "name": "Bernard Madoff"}],
     "reports": [{"doc": "reutersfin-...", "trigger": "arrested", "anchor": "was arrested and charged",
                  "modality": "asserted", "time_value": "2008-12-11", "names": ["Bernard Madoff"]}],
     "candidate": "madoff-arrest", "note": "..."}

Each report is one article's mention of the event: its trigger, found inside ``anchor``
(a phrase that occurs once in the article; it may be left out when the trigger itself
occurs once), the modality and time the article gives, and how the article names the
main participant (``names``; default: the event's participants). corpus/GUIDELINES.md,
section 10, says how to annotate.

Run ``python -m pipeline.xdoc_gold FILE [--articles ARTICLES.jsonl]`` to check a file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from pipeline.errors import GoldError, PipelineError
from pipeline.events.timespan import day_span
from pipeline.jsonl_reader import read_numbered_records
from pipeline.records import ROLES_BY_TYPE, EventType, Modality, Role

__all__ = [
    "MIN_EVENTS",
    "XdocArticle",
    "XdocEvent",
    "XdocReport",
    "check_events",
    "default_articles_path",
    "read_articles",
    "read_events",
    "trigger_span",
]

#: Real-world events reported by two or more articles that the finished gold set needs.
MIN_EVENTS = 40


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class XdocArticle(_Model):
    """An article of the cross-document set."""

    id: str
    source: str | None = None
    url: str | None = None
    published: str | None = None
    title: str | None = None
    text: str
    origin: str | None = Field(default=None, description="The shared corpus file and line it was copied from.")


class XdocParticipant(_Model):
    """A participant of the real-world event: its role and name."""

    role: Role
    name: str


class XdocReport(_Model):
    """One article's mention of the event."""

    doc: str
    trigger: str
    anchor: str | None = None
    modality: Modality = "asserted"
    time_value: str | None = None
    names: list[str] = Field(default_factory=list, description="How this article names the main participant.")


class XdocEvent(_Model):
    """A real-world event and its reports."""

    event: str
    type: EventType
    summary: str = ""
    time_value: str | None = None
    place: str | None = None
    participants: list[XdocParticipant] = Field(default_factory=list)
    reports: list[XdocReport]
    candidate: str | None = None
    note: str | None = None


_HINT = "Fix the line (corpus/GUIDELINES.md, section 10)."


def default_articles_path(events_path: Path) -> Path:
    """The articles file beside an annotation file."""
    return events_path.parent / "articles.jsonl"


def read_articles(path: Path) -> dict[str, XdocArticle]:
    """Read the articles of the cross-document set by id.

    Raises:
        InputError: the file cannot be read.
        GoldError: a malformed line or a duplicate id.
    """
    articles: dict[str, XdocArticle] = {}
    for lineno, article in read_numbered_records(path, XdocArticle, "articles file", error=GoldError, hint=_HINT):
        if article.id in articles:
            raise GoldError(f"{path}:{lineno}: field id: duplicate article id {article.id!r}.")
        articles[article.id] = article
    return articles


def read_events(path: Path) -> list[tuple[int, XdocEvent]]:
    """Read an annotation file: (line number, event) per line.

    Raises:
        InputError: the file cannot be read.
        GoldError: naming the file, line and field of a malformed line.
    """
    return list(read_numbered_records(path, XdocEvent, "cross-document annotation file", error=GoldError, hint=_HINT))


def trigger_span(report: XdocReport, text: str) -> tuple[int, int] | str:
    """Find a report's trigger in its article.

    Returns:
        (start, end) of the trigger: its first occurrence inside the anchor, which must
        occur once in the text (or the trigger's only occurrence when there is no anchor);
        otherwise a message saying what is wrong.
    """
    if report.anchor is None:
        count = text.count(report.trigger)
        if count != 1:
            return f"trigger {report.trigger!r} occurs {count} times: give an anchor that occurs once"
        start = text.index(report.trigger)
        return start, start + len(report.trigger)
    count = text.count(report.anchor)
    if count != 1:
        return f"anchor {report.anchor!r} occurs {count} times in the article: it must occur once"
    base = text.index(report.anchor)
    inside = report.anchor.find(report.trigger)
    if inside < 0:
        return f"trigger {report.trigger!r} is not in the anchor {report.anchor!r}"
    return base + inside, base + inside + len(report.trigger)


def check_events(events: Sequence[tuple[int, XdocEvent]], articles: dict[str, XdocArticle]) -> list[str]:
    """Return every problem of an annotation file, as ``line N: ...`` messages.

    Checks: unique event labels; roles allowed for the type; ISO time values; every
    report's article exists, its trigger is found, no article reports one event twice and
    no trigger is a report of two events.
    """
    problems: list[str] = []
    seen_labels: dict[str, int] = {}
    seen_triggers: dict[tuple[str, int, int], str] = {}
    for lineno, event in events:
        where = f"line {lineno} (event {event.event})"
        if event.event in seen_labels:
            problems.append(f"{where}: field event: {event.event!r} is also on line {seen_labels[event.event]}")
        seen_labels[event.event] = lineno
        allowed = ROLES_BY_TYPE[event.type]
        for j, participant in enumerate(event.participants):
            if participant.role not in allowed:
                role = participant.role
                problems.append(f"{where}: field participants[{j}].role: {role!r} is not a role of {event.type}")
        values = [("time_value", event.time_value)] + [
            (f"reports[{i}].time_value", r.time_value) for i, r in enumerate(event.reports)
        ]
        for field, value in values:
            if value is not None and day_span(value) is None:
                problems.append(f"{where}: field {field}: {value!r} is not an ISO 8601 date, week, month or year")
        docs_seen: set[str] = set()
        for i, report in enumerate(event.reports):
            article = articles.get(report.doc)
            if article is None:
                problems.append(f"{where}: field reports[{i}].doc: no article {report.doc!r} in the articles file")
                continue
            if report.doc in docs_seen:
                problems.append(f"{where}: field reports[{i}].doc: the article is already a report (one per article)")
            docs_seen.add(report.doc)
            span = trigger_span(report, article.text)
            if isinstance(span, str):
                problems.append(f"{where}: field reports[{i}]: {span}")
                continue
            key = (report.doc, *span)
            if key in seen_triggers:
                other = seen_triggers[key]
                problems.append(f"{where}: field reports[{i}]: that trigger is already a report of {other}")
            seen_triggers[key] = event.event
    return problems


def main(argv: list[str] | None = None) -> int:
    """Check an annotation file; print a summary (and a note when the set is still short of events)."""
    parser = argparse.ArgumentParser(prog="python -m pipeline.xdoc_gold", description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="an annotation file (one real-world event per line)")
    parser.add_argument("--articles", type=Path, help="the articles (default: articles.jsonl beside FILE)")
    args = parser.parse_args(argv)
    try:
        articles = read_articles(args.articles or default_articles_path(args.file))
        events = read_events(args.file)
    except PipelineError as e:
        print(f"FAIL {e}", file=sys.stderr)
        return 1
    problems = check_events(events, articles)
    for problem in problems:
        print(f"FAIL {args.file}: {problem}", file=sys.stderr)
    if problems:
        return 1
    reports = sum(len(e.reports) for _, e in events)
    several = sum(1 for _, e in events if len({r.doc for r in e.reports}) >= 2)
    print(
        f"ok {args.file}: {len(events)} real-world events, {reports} reports in {len(articles)} articles; "
        f"{several} events reported by two or more articles"
        + (f" (a finished gold set needs at least {MIN_EVENTS})" if several < MIN_EVENTS else "")
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
