"""Within-document coreference scores: gold mentions as records, both settings, the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main
from pipeline.evaluation.coref import evaluate_coreference, gold_clusters
from pipeline.evaluation.coref_report import render_coref_markdown
from pipeline.evaluation.gold_mentions import gold_mention_records
from pipeline.evaluation.load import Predictions, load_gold_entries
from pipeline.gold import GoldDocument
from pipeline.records import EventRecord
from tests.records_factory import make_document, make_event

TEXT = (
    "Police arrested Jerome Kerviel on Monday. His arrest shocked the bank. "
    "Later he was released on bail. Police also detained Anna Smith."
)


def span(text: str, sub: str) -> tuple[int, int]:
    start = text.index(sub)
    return start, start + len(sub)


def mention(type_: str, trigger: str, event: str | None, args: list[tuple[str, str]], **kw: Any) -> dict[str, Any]:
    start, end = span(TEXT, trigger)
    arguments = [{"role": r, "text": t, "start": span(TEXT, t)[0], "end": span(TEXT, t)[1]} for r, t in args]
    return {
        "type": type_,
        "trigger": trigger,
        "trigger_start": start,
        "trigger_end": end,
        "modality": "asserted",
        "arguments": arguments,
        "event": event,
        **kw,
    }


def gold_file(tmp_path: Path, labels: tuple[str | None, ...] = ("E1", "E1", "E2", "E3")) -> Path:
    events = [
        mention("arrest", "arrested", labels[0], [("person", "Jerome Kerviel")], time_value="2008-01-28"),
        mention("arrest", "arrest", labels[1], [("person", "His")]),
        mention("release", "released", labels[2], [("person", "he")]),
        mention("arrest", "detained", labels[3], [("person", "Anna Smith")]),
    ]
    doc = {"id": "d1", "text": TEXT, "published": "2008-01-30", "events_exhaustive": True, "events": events}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    return path


def test_gold_mentions_become_records_with_resolved_pronouns(tmp_path: Path) -> None:
    (entry,) = load_gold_entries([gold_file(tmp_path)])
    records = gold_mention_records(entry.doc)
    assert [r.trigger.text for r in records] == ["arrested", "arrest", "released", "detained"]
    assert records[1].arguments[0].entity_name == "Jerome Kerviel"  # "His": the person named last
    assert records[0].time is not None and records[0].time.granularity == "day"


def test_gold_clusters_need_every_label(tmp_path: Path) -> None:
    (entry,) = load_gold_entries([gold_file(tmp_path)])
    assert gold_clusters(entry.doc) == [{0, 1}, {2}, {3}]
    (unlabeled,) = load_gold_entries([gold_file(tmp_path, ("E1", None, "E2", "E3"))])
    assert gold_clusters(unlabeled.doc) is None


def predicted(doc: GoldDocument) -> list[EventRecord]:
    document = make_document(doc.text, doc_id=doc.id, entities={"Jerome Kerviel": "PERSON", "Anna Smith": "PERSON"})
    return [
        make_event(document, "arrest", "arrested", arguments=[("person", "Jerome Kerviel")]),
        make_event(document, "arrest", "arrest"),
        make_event(document, "arrest", "detained", arguments=[("person", "Anna Smith")]),
        make_event(document, "release", "bail"),  # no gold mention: only the response has it
    ]


def test_both_settings(tmp_path: Path) -> None:
    gold = load_gold_entries([gold_file(tmp_path)])
    preds = Predictions(by_doc={"d1": predicted(gold[0].doc)})
    cev = evaluate_coreference(gold, preds, resamples=20)
    within = cev.within["gold_mentions"]
    assert within.documents == 1 and within.key_events == 3
    assert within.conll == pytest.approx(1.0)
    e2e = cev.within["predicted_mentions"]
    assert e2e.response_mentions == 4  # three matched, one extra
    assert e2e.scores["muc"].recall == pytest.approx(1.0)
    assert 0 < e2e.conll < 1
    assert set(within.intervals) == {"muc", "bcubed", "ceafe", "conll"}
    markdown = render_coref_markdown(cev)
    assert "CoNLL F1" in markdown and "predicted mentions (end to end)" in markdown


def test_evaluate_command_reports_coreference(tmp_path: Path) -> None:
    gold = gold_file(tmp_path)
    (entry,) = load_gold_entries([gold])
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(r.model_dump_json() + "\n" for r in predicted(entry.doc)), encoding="utf-8")
    scores, html = tmp_path / "s.json", tmp_path / "r.html"
    args = ["evaluate", "--gold", str(gold), "--pred", str(pred), "--json", str(scores), "--html", str(html)]
    assert main([*args, "--resamples", "10"]) == 0
    data = json.loads(scores.read_text())["coreference"]
    assert data["within_document"]["gold_mentions"]["conll"]["f1"] == 1.0
    assert data["within_document"]["gold_mentions"]["resolution"] == "argument texts"
    assert 'class="coref gold_mentions"' in html.read_text()
