"""The shipped gold corpus: valid offsets and vocabulary, the promised size, a fixed split."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from pipeline.errors import GoldError
from pipeline.evaluation.load import load_gold_entries
from pipeline.gold import GoldDocument, parse_gold_line

GOLD = Path(__file__).resolve().parents[1] / "corpus" / "gold"


def load_gold(paths: list[Path]) -> list[GoldDocument]:
    """The checked gold documents of ``paths`` (ids unique across them)."""
    return [entry.doc for entry in load_gold_entries(paths)]


def test_dev_and_test_pass_the_checker_and_meet_the_counts() -> None:
    docs = load_gold([GOLD / "dev.jsonl", GOLD / "test.jsonl"])
    types = Counter(e.type for d in docs for e in d.events)
    assert len(docs) >= 80
    assert sum(types.values()) >= 500
    assert types["arrest"] >= 120 and types["release"] >= 100 and types["announcement"] >= 200
    assert all(d.events_exhaustive for d in docs)


def test_split_is_disjoint_and_labelled() -> None:
    dev = load_gold([GOLD / "dev.jsonl"])
    test = load_gold([GOLD / "test.jsonl"])
    assert {d.id for d in dev}.isdisjoint({d.id for d in test})
    assert {d.text for d in dev}.isdisjoint({d.text for d in test})
    assert {d.split for d in dev} == {"dev"} and {d.split for d in test} == {"test"}


def test_distractor_documents_are_present() -> None:
    docs = load_gold([GOLD / "dev.jsonl", GOLD / "test.jsonl"])
    words = ("released", "statement", "charged")
    with_distractors = [d for d in docs if any(w in d.text for w in words)]
    assert len(with_distractors) >= 20


def test_checker_names_line_and_field(tmp_path: Path) -> None:
    doc = {
        "id": "x",
        "text": "Police arrested him.",
        "events_exhaustive": True,
        "events": [
            {
                "type": "arrest",
                "trigger": "arrested",
                "trigger_start": 7,
                "trigger_end": 15,
                "modality": "asserted",
                "arguments": [{"role": "speaker", "text": "Polic", "start": 0, "end": 5}],
            }
        ],
    }
    with pytest.raises(GoldError) as err:
        parse_gold_line(json.dumps(doc), tmp_path / "g.jsonl", 3)
    message = str(err.value)
    assert "g.jsonl:3" in message
    assert "events[0].arguments[0].role" in message
    doc["events"][0]["type"] = "kidnapping"  # type: ignore[index]
    with pytest.raises(GoldError, match=r"field events\.0\.type"):
        parse_gold_line(json.dumps(doc), tmp_path / "g.jsonl", 4)


def test_python_m_pipeline_gold_checks_files(tmp_path: Path) -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "pipeline.gold", str(GOLD / "dev.jsonl")], capture_output=True, text=True, check=False
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith(f"ok {GOLD / 'dev.jsonl'}: ")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    failed = subprocess.run(
        [sys.executable, "-m", "pipeline.gold", str(bad), str(tmp_path / "missing.jsonl")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 1
    assert f"FAIL {bad}:1: not valid JSON" in failed.stderr
    assert "Cannot read gold file" in failed.stderr
