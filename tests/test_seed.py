"""Acceptance: the seed article (corpus/samples) through the whole pipeline, real models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from pipeline.cli import main
from pipeline.records import DocumentEvent, EventRecord, PersonTimeline

pytestmark = pytest.mark.slow

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of one extraction of the seed article: events.jsonl, its companions, docs.jsonl."""
    out = tmp_path_factory.mktemp("seed")
    code = main(
        [
            "extract",
            str(SAMPLES / "venezuela_prisoners.txt"),
            "-o",
            str(out / "events.jsonl"),
            "--documents",
            str(out / "docs.jsonl"),
        ]
    )
    assert code == 0
    return out


@pytest.fixture(scope="module")
def seed(seed_out: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    events = [json.loads(line) for line in (seed_out / "events.jsonl").read_text().splitlines()]
    (document,) = [json.loads(line) for line in (seed_out / "docs.jsonl").read_text().splitlines()]
    return events, document


def roles(event: dict[str, Any], role: str) -> list[dict[str, Any]]:
    return [a for a in event["arguments"] if a["role"] == role]


def names(event: dict[str, Any], role: str) -> set[str]:
    return {a.get("entity_name") or a["text"] for a in roles(event, role)}


def find(events: list[dict[str, Any]], **conds: Any) -> list[dict[str, Any]]:
    out = []
    for e in events:
        if all(e.get(k) == v for k, v in conds.items() if k != "trigger"):
            if "trigger" in conds and e["trigger"]["text"] != conds["trigger"]:
                continue
            out.append(e)
    return out


def test_scraped_layout_gives_title_source_and_body(seed: Any) -> None:
    _, doc = seed
    assert doc["title"] == "In Venezuela, Amnesty for Political Prisoners Stokes Hope and Frustration"
    assert doc["source"] == "NY Times"
    assert doc["published"] == "2026-01-12"
    assert doc["text"].startswith("Venezuela’s new leaders")
    assert "Credit..." not in doc["text"] and "Related Content" not in doc["text"]
    assert doc["text"].rstrip().endswith("fight the good fight.”")


def test_offsets_match_the_document_text(seed: Any) -> None:
    events, doc = seed
    text = doc["text"]
    for e in events:
        assert text[e["trigger"]["start"] : e["trigger"]["end"]] == e["trigger"]["text"]
        for a in e["arguments"]:
            assert text[a["start"] : a["end"]] == a["text"]
        for key in ("time", "count"):
            if e[key] and e[key]["start"] is not None:  # a time known from the publication date has no span
                assert text[e[key]["start"] : e[key]["end"]] == e[key]["text"]


def test_guanipa_arrest_in_may_and_his_detention(seed: Any) -> None:
    events, _ = seed
    arrests = find(events, type="arrest")
    may = [e for e in arrests if e["time"] and e["time"]["value"] == "2025-05"]
    assert any("Juan Pablo Guanipa" in names(e, "person") for e in may), may
    detained = [e for e in arrests if e["trigger"]["text"] in ("detained", "detention")]
    assert any("Juan Pablo Guanipa" in names(e, "person") for e in detained)


def test_us_capture_of_maduro(seed: Any) -> None:
    events, _ = seed
    (capture,) = find(events, type="arrest", trigger="captured")
    assert names(capture, "person") == {"Nicolás Maduro"}
    assert names(capture, "agent") == {"United States"}


def test_release_of_116_announced_by_the_government(seed: Any) -> None:
    events, _ = seed
    (release,) = [e for e in find(events, type="release") if e["count"] and e["count"]["value"] == 116]
    assert "government" in " ".join(a["text"] for a in roles(release, "source"))
    (announcement,) = [e for e in events if e["event_id"] in release["reported_by_event_ids"]]
    assert announcement["type"] == "announcement"
    assert release["event_id"] in announcement["reports_event_ids"]
    assert announcement["time"]["value"] == "2026-01-12"


def test_41_releases_attributed_to_rights_groups(seed: Any) -> None:
    events, _ = seed
    (release,) = [e for e in find(events, type="release") if e["count"] and e["count"]["value"] == 41]
    assert any("rights groups" in a["text"] for a in roles(release, "source"))


def test_announcements_by_jorge_rodriguez_trump_and_the_government(seed: Any) -> None:
    events, _ = seed
    stated = [e for e in find(events, type="announcement") if e["time"] and e["time"]["basis"] == "explicit"]
    by_time = {e["time"]["value"]: e for e in stated}
    assert "Jorge Rodríguez" in names(by_time["2026-01-08"], "speaker")
    trump = by_time["2026-01-10"]
    assert "Trump" in names(trump, "speaker")
    assert {a["text"] for a in roles(trump, "medium")} == {"social media"}
    assert "government" in " ".join(a["text"] for a in roles(by_time["2026-01-12"], "speaker"))


def test_announced_future_freeing_is_planned(seed: Any) -> None:
    events, _ = seed
    freeing = find(events, type="release", trigger="freeing")
    assert freeing and all(e["modality"] == "planned" for e in freeing)


def test_rumoured_liberation_is_uncertain(seed: Any) -> None:
    events, _ = seed
    (liberation,) = find(events, type="release", trigger="liberation")
    assert liberation["modality"] == "uncertain"


def test_ordinary_quotes_are_not_announcements(seed: Any) -> None:
    events, doc = seed
    said = doc["text"].index("Mr. Guanipa Linares, 28, said")
    sentence_end = doc["text"].index(".", said + 40)
    assert not [e for e in events if said <= e["trigger"]["start"] <= sentence_end]


def test_ms_rodriguez_is_delcy(seed: Any) -> None:
    _, doc = seed
    (delcy,) = [e for e in doc["entities"] if e["name"] == "Delcy Rodríguez"]
    texts = {m["text"] for m in delcy["mentions"]}
    assert {"Rodriguez", "Rodríguez"} <= texts


def test_schema_command_validates_every_record(seed: Any, capsys: pytest.CaptureFixture[str]) -> None:
    events, _ = seed
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema == EventRecord.model_json_schema()
    for e in events:
        jsonschema.validate(e, schema)


def test_same_input_same_ids(seed: Any, tmp_path: Path) -> None:
    events, _ = seed
    assert main(["extract", str(SAMPLES / "venezuela_prisoners.txt"), "-o", str(tmp_path / "e.jsonl")]) == 0
    again = [json.loads(line)["event_id"] for line in (tmp_path / "e.jsonl").read_text().splitlines()]
    assert again == [e["event_id"] for e in events]


# -- issue 13: one record per real-world event, and a person's timeline ------------------------


def doc_events(seed_out: Path) -> list[DocumentEvent]:
    path = seed_out / "events.jsonl.doc_events.jsonl"
    return [DocumentEvent.model_validate_json(line) for line in path.read_text().splitlines()]


def test_one_arrest_event_for_guanipa_with_four_mentions_in_may(seed_out: Path) -> None:
    arrests = [
        e
        for e in doc_events(seed_out)
        if e.type == "arrest" and any(p.name == "Juan Pablo Guanipa" for p in e.participants if p.role == "person")
    ]
    (arrest,) = arrests
    assert len(arrest.mention_ids) == 4
    assert {t.text for t in arrest.triggers} == {"detained", "dragging", "detention"}
    assert arrest.time is not None and arrest.time.value == "2025-05"
    assert arrest.modality == "asserted"


def test_one_release_event_with_both_counts_and_both_sources(seed_out: Path) -> None:
    (release,) = [e for e in doc_events(seed_out) if e.type == "release" and e.count_claims]
    claims = {(c.value, c.source) for c in release.count_claims}
    assert {value for value, _ in claims} == {116, 41}
    sources = {source for _, source in claims}
    assert any("government" in (s or "") for s in sources) and any("rights groups" in (s or "") for s in sources)


def test_guanipa_is_held_as_of_the_latest_report(seed_out: Path, tmp_path: Path) -> None:
    out = tmp_path / "people.jsonl"
    assert main(["people", str(seed_out / "events.jsonl"), "-o", str(out), "--csv", str(tmp_path / "p.csv")]) == 0
    timelines = {t.name: t for t in map(PersonTimeline.model_validate_json, out.read_text().splitlines())}
    guanipa = timelines["Juan Pablo Guanipa"]
    assert (guanipa.status, guanipa.status_since, guanipa.as_of) == ("held", "2025-05", "2026-01-12")
