"""newsevents people: timelines of a JSONL output or a database, as JSONL, CSV and HTML."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.records import DocumentRecord, EventRecord, PersonTimeline
from pipeline.sinks import JsonlSink
from pipeline.sinks.sql import SqlSink
from tests.records_factory import make_document, make_event

TEXT = "Police arrested Maria Kolesnikova in Minsk on May 1. She was freed on June 9."


def stories() -> list[tuple[DocumentRecord, list[EventRecord]]]:
    doc = make_document(TEXT, published="2025-06-10", entities={"Maria Kolesnikova": "PERSON", "Minsk": "GPE"})
    person = [("person", "Maria Kolesnikova")]
    events = [
        make_event(doc, "arrest", "arrested", arguments=person, time=("May 1", "2025-05-01", "day")),
        make_event(doc, "release", "freed", arguments=person, time=("June 9", "2025-06-09", "day")),
    ]
    return [(doc, events)]


def test_people_of_a_jsonl_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = tmp_path / "events.jsonl"
    with JsonlSink(str(dest)) as sink:
        for doc, events in stories():
            sink.write(doc, events)
    html = tmp_path / "people.html"
    assert main(["people", str(dest), "--html", str(html)]) == 0
    assert "linking in memory" in capsys.readouterr().err
    (line,) = Path(str(dest) + ".people.jsonl").read_text().splitlines()
    timeline = PersonTimeline.model_validate_json(line)
    assert (timeline.name, timeline.status, timeline.status_since) == ("Maria Kolesnikova", "released", "2025-06-09")
    with Path(str(dest) + ".people.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["type"], r["date"], r["dated_by"]) for r in rows] == [
        ("arrest", "2025-05-01", "event"),
        ("release", "2025-06-09", "event"),
    ]
    assert 'id="p-maria-kolesnikova"' in html.read_text()


def test_people_of_a_database_needs_an_output(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'e.db'}"
    with SqlSink(url) as sink:
        for doc, events in stories():
            sink.write(doc, events)
    assert main(["link", url]) == 0
    assert main(["people", url]) == 2
    out = tmp_path / "p.jsonl"
    assert main(["people", url, "-o", str(out)]) == 0
    assert json.loads(out.read_text())["status"] == "released"
