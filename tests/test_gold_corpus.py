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


SPLITS = ("train", "dev", "test")


def test_the_splits_pass_the_checker_and_meet_the_counts() -> None:
    docs = load_gold([GOLD / f"{split}.jsonl" for split in SPLITS])
    types = Counter(e.type for d in docs for e in d.events)
    assert len(docs) >= 400
    assert sum(types.values()) >= 3000
    # releases: every shared-corpus document with a release cue was drawn (corpus/gold/STATS.md)
    assert types["arrest"] >= 800 and types["release"] >= 350 and types["announcement"] >= 1000
    assert sum(e.modality != "asserted" for d in docs for e in d.events) >= 500
    assert all(d.events_exhaustive for d in docs)
    test = load_gold([GOLD / "test.jsonl"])
    assert len(test) >= 100 and sum(len(d.events) for d in test) >= 700


def test_splits_are_disjoint_labelled_and_stratified() -> None:
    by_split = {split: load_gold([GOLD / f"{split}.jsonl"]) for split in SPLITS}
    for split, docs in by_split.items():
        assert {d.split for d in docs} == {split}
        assert {d.collection for d in docs if d.stratum != "v1"} >= {
            "reuters_financial_2006_2013",
            "bbc_2004_2005",
            "ag_news_test",
            "reuters21578",
            "html",
        }
    for a, b in (("train", "dev"), ("train", "test"), ("dev", "test")):
        assert {d.id for d in by_split[a]}.isdisjoint({d.id for d in by_split[b]})
        assert {d.text for d in by_split[a]}.isdisjoint({d.text for d in by_split[b]})
    # documents read while the rules were written never went to test
    assert "seed-venezuela-prisoners" not in {d.id for d in by_split["test"]}


def test_every_stratum_is_present() -> None:
    docs = load_gold([GOLD / f"{split}.jsonl" for split in SPLITS])
    assert {d.stratum for d in docs} == {"candidate", "random", "distractor", "v1"}
    distractors = [d for d in docs if d.stratum == "distractor"]
    assert len(distractors) >= 40


def test_time_values_carry_their_basis() -> None:
    docs = load_gold([GOLD / f"{split}.jsonl" for split in SPLITS])
    events = [e for d in docs for e in d.events]
    assert all((e.time_value is None) == (e.time_basis is None) for e in events)
    assert {e.time_basis for e in events} == {None, "explicit", "context", "published"}
    assert all(e.event for e in events)  # every mention belongs to a within-document event


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
