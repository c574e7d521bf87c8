"""Per-document isolation: an exception in one article rejects that article, never the batch or the run."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

import pipeline.chain
import pipeline.ner
from pipeline.classify import base
from pipeline.classify.rules import RulesClassifier
from pipeline.config import ClassifierConfig, Config
from pipeline.errors import ModelError
from pipeline.isolation import INTERNAL_ERROR, per_document
from pipeline.records import AnalyzedArticle, Article, EventCandidate, InputRef, Rejection
from pipeline.runner import EXIT_SOME_REJECTED, RunOptions, exit_code, run_extract

CULPRIT = "culprit"


def article(text: str, line: int) -> Article:
    return Article(id=f"a{line}", text=text, input=InputRef(path="in.jsonl", line=line))


def doubled(batch: Sequence[Article]) -> list[str]:
    """A batched stage that fails on the whole batch when one article is the culprit."""
    if any(CULPRIT in a.text for a in batch):
        raise ValueError(f"cannot handle {CULPRIT}")
    return [a.text * 2 for a in batch]


def test_a_failing_batch_is_retried_one_article_at_a_time() -> None:
    batch = [article("one", 1), article(f"the {CULPRIT}", 2), article("three", 3)]
    out = per_document(batch, doubled, lambda a: a, "classify")
    assert out[0] == "oneone" and out[2] == "threethree"
    rejection = out[1]
    assert isinstance(rejection, Rejection)
    assert (rejection.stage, rejection.reason, rejection.input.line) == ("classify", INTERNAL_ERROR, 2)
    assert rejection.detail.startswith(f"ValueError: cannot handle {CULPRIT} [at test_isolation.py:")
    assert "in doubled" in rejection.detail


def test_a_single_failing_article_is_not_run_twice() -> None:
    calls: list[int] = []

    def run(batch: Sequence[Article]) -> list[str]:
        calls.append(len(batch))
        return doubled(batch)

    (rejection,) = per_document([article(CULPRIT, 1)], run, lambda a: a, "ner")
    assert isinstance(rejection, Rejection) and calls == [1]


def test_model_errors_stop_the_run() -> None:
    def run(batch: Sequence[Article]) -> list[str]:
        raise ModelError("spaCy model 'x' is not installed")

    with pytest.raises(ModelError):
        per_document([article("one", 1), article("two", 2)], run, lambda a: a, "ner")


# --- through run_extract into JSONL files (real spaCy model) -------------------------------

TEXTS = [
    "Police arrested two protesters in Cairo on Monday.",
    f"The {CULPRIT}: authorities released the journalist on bail.",
    "The government announced new elections for May.",
]


class FailingClassifier(RulesClassifier):
    """rules.v1, except that it raises for the culprit article."""

    def classify_many(self, stream: Iterable[AnalyzedArticle]) -> Any:
        for analyzed, events in super().classify_many(stream):
            if CULPRIT in analyzed.article.text:
                raise KeyError("no such trigger")
            yield analyzed, events


def fail_ner(monkeypatch: pytest.MonkeyPatch) -> None:
    plan = pipeline.ner._plan

    def failing(doc: Any, art: Article, *args: Any) -> Any:
        if CULPRIT in art.text:
            raise IndexError("offset out of range")
        return plan(doc, art, *args)

    monkeypatch.setattr(pipeline.ner, "_plan", failing)


def fail_classify(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(base._REGISTRY, "failing.v1", FailingClassifier)


def fail_normalize(monkeypatch: pytest.MonkeyPatch) -> None:
    build = pipeline.chain.build_records

    def failing(analyzed: AnalyzedArticle, candidates: list[EventCandidate]) -> Any:
        if CULPRIT in analyzed.article.text:
            raise TypeError("bad date")
        return build(analyzed, candidates)

    monkeypatch.setattr(pipeline.chain, "build_records", failing)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("stage", "inject", "error"),
    [
        ("ner", fail_ner, "IndexError"),
        ("classify", fail_classify, "KeyError"),
        ("normalize", fail_normalize, "TypeError"),
    ],
)
def test_one_failing_article_of_three_is_rejected_and_the_others_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str, inject: Any, error: str
) -> None:
    inject(monkeypatch)
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": f"doc{k}", "text": t}) + "\n" for k, t in enumerate(TEXTS)))
    out = tmp_path / "events.jsonl"
    docs = tmp_path / "documents.jsonl"
    rejects = tmp_path / "rejects.jsonl"
    cfg = Config(classifier=ClassifierConfig(name="failing.v1" if stage == "classify" else "rules.v1"))
    report = run_extract(
        [str(source)], str(out), cfg, documents=str(docs), rejects=str(rejects), options=RunOptions(progress=False)
    )

    assert (report.read, report.processed, report.rejected) == (3, 2, 1)
    assert report.rejected_by_reason == {INTERNAL_ERROR: 1}
    assert exit_code(report) == EXIT_SOME_REJECTED
    written = [json.loads(line)["id"] for line in docs.read_text().splitlines()]
    assert written == ["doc0", "doc2"]
    events = [json.loads(line) for line in out.read_text().splitlines()]
    assert {e["type"] for e in events} == {"arrest", "announcement"}
    assert len(events) == report.events
    (rejection,) = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert (rejection["stage"], rejection["reason"], rejection["input"]["line"]) == (stage, INTERNAL_ERROR, 2)
    assert rejection["detail"].startswith(f"{error}: ")
