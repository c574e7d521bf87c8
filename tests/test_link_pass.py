"""The linking pass over a JSONL output: newsevents link DEST, incremental and idempotent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.link_pass import link_output
from pipeline.records import DocumentRecord, EventRecord
from pipeline.sinks import JsonlSink
from pipeline.sinks.jsonl import doc_events_path, linked_path
from tests.records_factory import make_document, make_event


def story(n: int, published: str, name: str) -> tuple[DocumentRecord, list[EventRecord]]:
    text = f"Police arrested {name} in Paris. Story {n}."
    doc = make_document(text, published=published, entities={name: "PERSON", "Paris": "GPE"})
    return doc, [make_event(doc, "arrest", "arrested", arguments=[("person", name), ("place", "Paris")])]


def extract(dest: Path, stories: list[tuple[DocumentRecord, list[EventRecord]]], resume: bool = False) -> None:
    with JsonlSink(str(dest)) as sink:
        for doc, events in stories:
            sink.write(doc, events)
        sink.finish()


def lines(path: str | Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def test_link_writes_linked_events_beside_the_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = tmp_path / "events.jsonl"
    extract(dest, [story(1, "2008-12-11", "Bernard Madoff"), story(2, "2008-12-12", "Bernie Madoff")])
    assert len(lines(doc_events_path(str(dest)))) == 2
    assert main(["link", str(dest)]) == 0
    assert "1 reported by two or more documents" in capsys.readouterr().err
    (linked,) = lines(linked_path(str(dest)))
    assert len(linked["documents"]) == 2  # type: ignore[arg-type]
    before = Path(linked_path(str(dest))).read_bytes()
    report = link_output(str(dest))
    assert report.written.unchanged == 1 and Path(linked_path(str(dest))).read_bytes() == before


def test_a_later_extraction_joins_the_existing_links(tmp_path: Path) -> None:
    dest = tmp_path / "events.jsonl"
    extract(dest, [story(1, "2008-12-11", "Bernard Madoff")])
    link_output(str(dest))
    (first,) = lines(linked_path(str(dest)))
    # A later run (another output file of the same archive would do the same) adds documents.
    extract(
        dest,
        [
            story(1, "2008-12-11", "Bernard Madoff"),
            story(2, "2008-12-15", "Mr. Madoff"),
            story(3, "2008-12-16", "Ruth Madoff"),
        ],
    )
    report = link_output(str(dest))
    assert (report.new_doc_events, report.written.updated, report.written.inserted) == (2, 1, 1)
    linked = {e["id"]: e for e in lines(linked_path(str(dest)))}
    assert len(linked[first["id"]]["doc_event_ids"]) == 2  # type: ignore[arg-type]


def test_link_without_document_events_says_what_to_do(tmp_path: Path) -> None:
    dest = tmp_path / "old.jsonl"
    dest.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="run it again"):
        link_output(str(dest))
    assert main(["link", "-"]) == 2
