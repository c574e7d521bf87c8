"""The shipped tagger.v1 and argtagger.v1 artifacts with the real encoder: they load offline, and their spans hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.api import Pipeline
from pipeline.classify import argtagger
from pipeline.classify.argtagger_model import ARG_LABELS, ROLES
from pipeline.classify.tagger import artifact_dir

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpus" / "samples" / "venezuela_prisoners.txt"


def test_the_artifact_is_small_and_describes_itself() -> None:
    folder = artifact_dir()
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    assert config["name"] == "tagger.v1" and config["labels"][0] == "O"
    assert 0.0 < config["threshold"] < 1.0 and config["stems"]
    shipped = sum(p.stat().st_size for p in (ROOT / "models").rglob("*") if p.is_file())
    assert shipped < 30 * 2**20, "models/ must stay under 30 MB in git"


def test_the_argument_tagger_names_its_labels_and_the_roles_chosen_on_dev() -> None:
    config = json.loads((argtagger.artifact_dir() / "config.json").read_text(encoding="utf-8"))
    assert config["name"] == "argtagger.v1" and tuple(config["labels"]) == ARG_LABELS
    assert config["roles"] and set(config["roles"]) <= set(ROLES)
    assert (
        config["roles_dev"]["chosen"]["argument_classification_f1"]
        >= config["roles_dev"]["parsed"]["argument_classification_f1"]
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", ["tagger.v1", "hybrid.v1", "hybrid.v2"])
def test_the_seed_article_with_the_learned_extractor(name: str) -> None:
    text = SEED.read_text(encoding="utf-8")
    records = Pipeline(classifier=name).extract(text, published="2026-01-12", id="seed").events
    assert records and all(r.provenance.extractor == name for r in records)
    for r in records:
        assert text[r.trigger.start : r.trigger.end] == r.trigger.text
        for a in r.arguments:
            assert text[a.start : a.end] == a.text
    found = {(r.type, r.trigger.text) for r in records}
    # the sentences the project started from: "had released 116 prisoners", "detained for
    # the past eight months", "announced that it had released"
    assert ("release", "released") in found
    assert ("arrest", "detained") in found
    assert ("announcement", "announced") in found
