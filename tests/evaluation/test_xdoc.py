"""The cross-document gold set: its format checker, the candidate articles, and the pairwise scores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.evaluation.xdoc import Report, score_links, score_xdoc_gold
from pipeline.xdoc_gold import check_events, read_articles, read_events
from pipeline.xdoc_gold import main as check_main

XDOC = Path(__file__).resolve().parents[2] / "corpus" / "xdoc"


def test_the_candidate_set_is_large_enough() -> None:
    articles = read_articles(XDOC / "articles.jsonl")
    candidates = [json.loads(line) for line in (XDOC / "candidates.jsonl").read_text().splitlines()]
    assert len([c for c in candidates if len(set(c["articles"])) >= 2]) >= 40
    assert all(a in articles for c in candidates for a in c["articles"])
    assert all(article.origin for article in articles.values())


def test_the_worked_example_checks_and_links(capsys: pytest.CaptureFixture[str]) -> None:
    assert check_main([str(XDOC / "example.jsonl")]) == 0
    assert "3 events reported by two or more articles" in capsys.readouterr().out
    events = [e for _, e in read_events(XDOC / "example.jsonl")]
    scores = score_xdoc_gold(events, read_articles(XDOC / "articles.jsonl"), resamples=20)
    assert (scores.gold_events, scores.gold_doc_events) == (3, 7)
    assert scores.pairwise.f1 == pytest.approx(1.0)


def test_the_checker_names_line_and_field(tmp_path: Path) -> None:
    articles = read_articles(XDOC / "articles.jsonl")
    line = json.loads((XDOC / "example.jsonl").read_text().splitlines()[0])
    line["reports"][0]["anchor"] = "not in the article"
    line["reports"][1]["doc"] = "missing-article"
    line["participants"].append({"role": "speaker", "name": "X"})
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(line) + "\n" + json.dumps(line) + "\n", encoding="utf-8")
    problems = check_events(read_events(path), articles)
    joined = "\n".join(problems)
    assert "line 1 (event X01): field reports[0]: anchor 'not in the article' occurs 0 times" in joined
    assert "field reports[1].doc: no article 'missing-article'" in joined
    assert "'speaker' is not a role of arrest" in joined
    assert "line 2 (event X01): field event: 'X01' is also on line 1" in joined


def test_pairwise_counts_only_pairs_across_documents() -> None:
    a1, a2, a3 = (Report("A", f"d{i}", 0, 1, "arrest") for i in (1, 2, 3))
    b1 = Report("B", "d1", 5, 6, "arrest")
    b2 = Report("B", "d4", 0, 1, "arrest")
    # a3 missed; b2 wrongly joined to A's cluster.
    clusters = {a1: "x", a2: "x", a3: "y", b1: "z", b2: "x"}
    score, interval = score_links([a1, a2, a3, b1, b2], clusters, resamples=50)
    assert score.recall == pytest.approx(1 / 4)  # gold pairs: a1a2 a1a3 a2a3 b1b2
    assert score.precision == pytest.approx(1 / 3)  # predicted pairs: a1a2 a1b2 a2b2
    assert interval is not None


def test_evaluate_scores_the_xdoc_set_from_predictions(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "g", "text": "Nothing.", "events_exhaustive": True, "events": []}) + "\n")
    pred = tmp_path / "pred.jsonl"
    pred.write_text("")
    out = tmp_path / "s.json"
    args = ["evaluate", "--gold", str(gold), "--pred", str(pred), "--xdoc", str(XDOC / "example.jsonl")]
    assert main([*args, "--json", str(out), "--resamples", "10"]) == 0
    cross = json.loads(out.read_text())["coreference"]["cross_document"]
    assert cross["gold_doc_events"]["pairwise"]["f1"] == 1.0
    assert "predicted" not in cross  # with --pred the pipeline does not run
