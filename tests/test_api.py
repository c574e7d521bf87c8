"""The Python API: ``from pipeline import Pipeline`` (docs/api.md)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.api import Extraction, Pipeline
from pipeline.config import Config
from pipeline.errors import ConfigError, InputError
from pipeline.records import Article, InputRef, Rejection

DOCS = Path(__file__).resolve().parents[1] / "docs" / "api.md"
SEED = Path(__file__).resolve().parents[1] / "corpus" / "samples" / "venezuela_prisoners.txt"


def test_import_pipeline_is_lazy() -> None:
    code = (
        "import sys, pipeline\n"
        "assert 'spacy' not in sys.modules and 'pipeline.api' not in sys.modules\n"
        "from pipeline import Pipeline\n"
        "Pipeline(min_confidence=0.3)\n"
        "assert 'spacy' not in sys.modules, 'building a Pipeline must not import spaCy'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_unknown_attribute_of_the_package() -> None:
    import pipeline

    with pytest.raises(AttributeError, match="no attribute 'Pipline'"):
        _ = pipeline.Pipline


def test_keyword_overrides_are_validated() -> None:
    nlp = Pipeline(classifier="rules.v1", batch_size=4, min_confidence=0.25)
    assert nlp.cfg.nlp.batch_size == 4 and nlp.cfg.classifier.min_confidence == 0.25
    with pytest.raises(ConfigError, match=r"Unknown Pipeline argument.*modle.*Accepted"):
        Pipeline(modle="x")
    with pytest.raises(ConfigError, match=r"nlp\.batch_size"):
        Pipeline(batch_size=0)


def test_config_file_and_object(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("classifier:\n  min_confidence: 0.4\n", encoding="utf-8")
    assert Pipeline.from_config(path, batch_size=2).cfg.classifier.min_confidence == 0.4
    assert Pipeline(Config()).cfg == Config()
    with pytest.raises(ConfigError, match="Cannot read config file"):
        Pipeline(tmp_path / "missing.yaml")


def test_bad_inputs_are_rejections_in_order() -> None:
    # Every item is rejected, so the model never loads: this stays fast.
    items = Pipeline().extract_many(["too short", {"text": "A long enough text for the check.", "published": "soon"}])
    rejections = list(items)
    assert [type(r) for r in rejections] == [Rejection, Rejection]
    assert [(r.reason, r.input.line) for r in rejections if isinstance(r, Rejection)] == [
        ("empty", 1),
        ("bad_field", 2),
    ]


GERMAN = "Die Polizei hat am Montag in Berlin zwei Männer nach einem Raubüberfall festgenommen."


def test_other_languages_are_rejected_as_on_the_command_line() -> None:
    # Every item is rejected, so the model never loads: this stays fast.
    article = Article(id="de", text=GERMAN, input=InputRef(path="mine.jsonl", line=7))
    rejections = list(Pipeline().extract_many([GERMAN, {"text": GERMAN, "title": "Festnahme"}, article]))
    assert [(r.reason, r.input.line) for r in rejections if isinstance(r, Rejection)] == [
        ("language", 1),
        ("language", 2),
        ("language", 7),
    ]
    with pytest.raises(InputError, match="rejected: language"):
        Pipeline().extract(GERMAN)


@pytest.mark.slow
def test_repeated_texts_and_reused_ids_are_skipped_as_on_the_command_line() -> None:
    text = "Police arrested two men in Paris on Monday."
    items = [
        {"text": text, "id": "first"},
        {"text": "  police ARRESTED two men in Paris on Monday. ", "id": "second"},  # the same text
        {"text": "Authorities freed 41 political prisoners on Friday.", "id": "first"},  # a reused id
        {"text": "Authorities freed 41 political prisoners in Caracas on Friday."},
    ]
    results = list(Pipeline().extract_many(items))
    assert isinstance(results[0], Extraction) and results[0].document.id == "first"
    assert [(r.reason, r.input.line) for r in results[1:3] if isinstance(r, Rejection)] == [
        ("duplicate", 2),
        ("duplicate_id", 3),
    ]
    assert isinstance(results[3], Extraction) and results[3].of_type("release")


def test_extract_raises_for_a_rejected_text() -> None:
    with pytest.raises(InputError, match="rejected: empty"):
        Pipeline().extract("   ")


def test_extract_many_rejects_other_types() -> None:
    with pytest.raises(TypeError, match="pass a text"):
        list(Pipeline().extract_many([42]))  # type: ignore[list-item]


@pytest.mark.slow
def test_docs_example_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.S)
    assert blocks, "docs/api.md has no python example"
    for block in blocks:
        exec(compile(block, str(DOCS), "exec"), {})


@pytest.mark.slow
def test_extract_the_seed_article_matches_the_cli_records() -> None:
    from pipeline.ingest.text import read_txt

    fields = read_txt(SEED, parse_scraped_pages=True)
    assert not isinstance(fields, Rejection)
    text = fields.fields["text"]
    result = Pipeline().extract(text, published="2026-01-12", source="NY Times")
    assert isinstance(result, Extraction)
    counts = {e.count.value for e in result.of_type("release") if e.count is not None}
    assert {116, 41} <= counts
    assert all(result.document.text[e.trigger.start : e.trigger.end] == e.trigger.text for e in result.events)
    assert [e.trigger.start for e in result.events] == sorted(e.trigger.start for e in result.events)
