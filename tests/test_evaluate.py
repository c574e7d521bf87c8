"""pipeline.evaluation on hand-made gold/prediction pairs with known answers.

Metrics first, then loading, the command line, the pipeline seam and the floors gate.
"""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main
from pipeline.errors import ConfigError, GoldError
from pipeline.evaluation.bootstrap import bootstrap_f1
from pipeline.evaluation.floors import check_floors, flat_scores, gold_digest, pin_floors
from pipeline.evaluation.load import GoldEntry, Predictions, load_gold_entries, load_predictions
from pipeline.evaluation.matching import make_eval_documents, match_spans, sentence_around
from pipeline.evaluation.metrics import evaluate, normalize_name, score_document
from pipeline.evaluation.predict import predict_with_pipeline
from pipeline.evaluation.report import render_markdown
from pipeline.evaluation.results import Evaluation
from pipeline.gold import GoldDocument
from pipeline.records import Article, DocumentRecord, EventRecord, InputRef, Rejection, make_event_id

PUBLISHED = "2026-01-12"


# ----------------------------------------------------------------------------- builders
# Spans are given as (substring, occurrence) or a plain substring (first occurrence).


def find(text: str, span: str | tuple[str, int]) -> tuple[int, int]:
    """Return the offsets of the n-th occurrence of a substring."""
    sub, nth = (span, 0) if isinstance(span, str) else span
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return start, start + len(sub)


def gold_event(
    text: str,
    type_: str,
    trigger: str | tuple[str, int],
    args: list[tuple[str, str | tuple[str, int]]] | None = None,
    modality: str = "asserted",
    time_value: str | None = None,
    count_value: int | None = None,
) -> dict[str, Any]:
    """Build one gold event mapping."""
    start, end = find(text, trigger)
    arguments = []
    for role, span in args or []:
        a, b = find(text, span)
        arguments.append({"role": role, "text": text[a:b], "start": a, "end": b})
    return {
        "type": type_,
        "trigger": text[start:end],
        "trigger_start": start,
        "trigger_end": end,
        "modality": modality,
        "arguments": arguments,
        "time_value": time_value,
        "count_value": count_value,
    }


def gold_doc(
    doc_id: str,
    text: str,
    events: list[dict[str, Any]],
    exhaustive: bool = True,
    published: str | None = PUBLISHED,
) -> dict[str, Any]:
    """Build one gold document mapping."""
    return {
        "id": doc_id,
        "source": "test",
        "url": None,
        "published": published,
        "title": None,
        "text": text,
        "events_exhaustive": exhaustive,
        "events": events,
    }


def pred(
    doc_id: str,
    text: str,
    type_: str,
    trigger: str | tuple[str, int],
    args: list[tuple[str, str | tuple[str, int]]] | None = None,
    modality: str = "asserted",
    time_value: str | None = None,
    count_value: int | None = None,
    names: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Build one predicted EventRecord mapping (``names`` maps argument text to entity_name)."""
    start, end = find(text, trigger)
    arguments = []
    for role, span in args or []:
        a, b = find(text, span)
        arguments.append(
            {
                "role": role,
                "text": text[a:b],
                "start": a,
                "end": b,
                "entity_name": (names or {}).get(text[a:b]),
            }
        )
    sent_start, sent_end = sentence_around(text, start, end)
    return {
        "event_id": make_event_id(doc_id, type_, start, end),
        "type": type_,
        "trigger": {"text": text[start:end], "start": start, "end": end},
        "modality": modality,
        "arguments": arguments,
        "time": None
        if time_value is None
        else {"text": "", "start": 0, "end": 0, "value": time_value, "granularity": "day"},
        "count": None if count_value is None else {"text": "", "start": 0, "end": 0, "value": count_value},
        "confidence": 0.9,
        "provenance": {
            "doc_id": doc_id,
            "source": "test",
            "url": None,
            "title": None,
            "published": PUBLISHED,
            "input": {"path": "test.txt"},
            "sentence_index": 0,
            "sentence": {"start": sent_start, "end": sent_end},
            "extractor": "test",
            "pipeline_version": "0",
            "model_versions": {},
        },
    }


def entries(docs: list[dict[str, Any]]) -> list[GoldEntry]:
    """Turn gold document mappings into gold entries."""
    return [GoldEntry(GoldDocument.model_validate(d), Path("gold.jsonl"), i) for i, d in enumerate(docs, 1)]


def predictions(records: list[dict[str, Any]], gold: list[GoldEntry]) -> Predictions:
    """Group predicted record mappings like load_predictions does."""
    out = Predictions(by_doc={e.doc.id: [] for e in gold})
    for raw in records:
        record = EventRecord.model_validate(raw)
        doc_id = record.provenance.doc_id
        if doc_id in out.by_doc:
            out.by_doc[doc_id].append(record)
        else:
            out.unknown[doc_id] = out.unknown.get(doc_id, 0) + 1
    return out


def run(docs: list[dict[str, Any]], records: list[dict[str, Any]], resamples: int = 0) -> Evaluation:
    """Evaluate hand-made gold and predictions."""
    gold = entries(docs)
    return evaluate(gold, predictions(records, gold), resamples=resamples)


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    """Write mappings as JSON lines."""
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def prf(ev: Evaluation, key: str, mode: str = "exact") -> tuple[float, float, float]:
    """Return (P, R, F1) of one level."""
    c = ev.modes[mode].levels[key]
    return round(c.precision, 4), round(c.recall, 4), round(c.f1, 4)


TEXT = "Police arrested Juan Perez in Caracas on Monday. The government later released 12 prisoners."


def arrest(text: str = TEXT, **kw: Any) -> dict[str, Any]:
    """The gold arrest of TEXT."""
    args: list[tuple[str, str | tuple[str, int]]] = [("agent", "Police"), ("person", "Juan Perez")]
    return gold_event(text, "arrest", "arrested", args, time_value="2026-01-12", **kw)


def release(text: str = TEXT) -> dict[str, Any]:
    """The gold release of TEXT."""
    args: list[tuple[str, str | tuple[str, int]]] = [("agent", "The government"), ("person", "12 prisoners")]
    return gold_event(text, "release", "released", args, count_value=12)


# ----------------------------------------------------------------------------- matching


def test_match_exact_requires_equal_offsets() -> None:
    assert match_spans([(0, 5), (10, 15)], [(10, 15), (0, 4)], "exact") == [(1, 0)]


def test_match_overlap_prefers_best_overlap_one_to_one() -> None:
    # pred (5, 15) overlaps gold 0 by 5 and gold 1 by 3: it goes to gold 0, gold 1 stays unmatched.
    assert match_spans([(0, 10), (12, 20)], [(5, 15)], "overlap") == [(0, 0)]
    # two predictions on one gold: only the better one matches.
    assert match_spans([(0, 10)], [(0, 4), (0, 10)], "overlap") == [(0, 1)]
    # touching spans share no character.
    assert match_spans([(0, 5)], [(5, 9)], "overlap") == []


def test_match_respects_compatibility() -> None:
    assert match_spans([(0, 5)], [(0, 5)], "exact", lambda g, p: False) == []


# ----------------------------------------------------------------------------- trigger and argument scores


def test_perfect_predictions_score_one() -> None:
    docs = [gold_doc("d1", TEXT, [arrest(), release()])]
    records = [
        pred(
            "d1",
            TEXT,
            "arrest",
            "arrested",
            [("agent", "Police"), ("person", "Juan Perez")],
            time_value="2026-01-12",
        ),
        pred(
            "d1",
            TEXT,
            "release",
            "released",
            [("agent", "The government"), ("person", "12 prisoners")],
            count_value=12,
        ),
    ]
    ev = run(docs, records, resamples=50)
    for mode in ("exact", "overlap"):
        for level in ev.modes[mode].levels:
            assert prf(ev, level, mode) == (1.0, 1.0, 1.0)
        for acc in ev.modes[mode].attributes.values():
            assert acc.value == 1.0
    assert ev.record.f1 == 1.0
    assert ev.errors == []
    assert ev.intervals["exact.trigger_classification"] == (1.0, 1.0)


def test_overlapping_spans_count_only_in_overlap_mode() -> None:
    docs = [gold_doc("d1", TEXT, [arrest()])]
    records = [
        pred(
            "d1",
            TEXT,
            "arrest",
            "Police arrested",
            [("agent", "Police"), ("person", "Juan Perez in Caracas")],
        )
    ]
    ev = run(docs, records)
    assert prf(ev, "trigger_identification", "exact") == (0.0, 0.0, 0.0)
    assert prf(ev, "trigger_classification", "overlap") == (1.0, 1.0, 1.0)
    # exact: no event matched, so neither argument is; overlap: both arguments overlap.
    assert prf(ev, "argument_classification", "exact") == (0.0, 0.0, 0.0)
    assert prf(ev, "argument_classification", "overlap") == (1.0, 1.0, 1.0)
    [fn, fp] = sorted(ev.errors, key=lambda e: e.kind)
    assert (fn.kind, fp.kind) == ("FN", "FP")
    assert fn.note.startswith("span: predicted arrest 'Police arrested'")


def test_duplicate_predictions_are_false_positives() -> None:
    docs = [gold_doc("d1", TEXT, [arrest()])]
    records = [pred("d1", TEXT, "arrest", "arrested"), pred("d1", TEXT, "arrest", "arrested")]
    ev = run(docs, records)
    assert prf(ev, "trigger_classification") == (0.5, 1.0, 0.6667)
    assert prf(ev, "trigger_classification", "overlap") == (0.5, 1.0, 0.6667)
    assert [e.kind for e in ev.errors] == ["FP"]


def test_wrong_type_is_identified_not_classified() -> None:
    docs = [gold_doc("d1", TEXT, [arrest()])]
    ev = run(docs, [pred("d1", TEXT, "release", "arrested", [("person", "Juan Perez")])])
    assert prf(ev, "trigger_identification") == (1.0, 1.0, 1.0)
    assert prf(ev, "trigger_classification") == (0.0, 0.0, 0.0)
    assert ev.modes["exact"].confusion == {("arrest", "release"): 1}
    assert ev.modes["exact"].per_type["arrest"].recall == 0.0
    assert ev.modes["exact"].per_type["release"].pred == 1
    # arguments count only inside correctly classified events.
    assert prf(ev, "argument_identification") == (0.0, 0.0, 0.0)
    assert {e.kind: e.note for e in ev.errors} == {
        "FN": "type: predicted release 'arrested' [7:15]",
        "FP": "type: gold arrest 'arrested' [7:15]",
    }


def test_argument_identification_and_classification() -> None:
    docs = [gold_doc("d1", TEXT, [arrest()])]
    # agent right; person span right but role wrong; an extra place argument.
    records = [
        pred(
            "d1",
            TEXT,
            "arrest",
            "arrested",
            [("agent", "Police"), ("crime", "Juan Perez"), ("place", "Caracas")],
        )
    ]
    ev = run(docs, records)
    assert prf(ev, "argument_identification") == (0.6667, 1.0, 0.8)
    assert prf(ev, "argument_classification") == (0.3333, 0.5, 0.4)
    per_role = ev.modes["exact"].per_role
    assert (per_role["agent"].tp_gold, per_role["person"].tp_gold, per_role["place"].pred) == (1, 0, 1)
    assert per_role["crime"].pred == 1


def test_confusion_includes_none_for_misses_and_spurious() -> None:
    docs = [gold_doc("d1", TEXT, [arrest(), release()])]
    records = [pred("d1", TEXT, "arrest", "arrested"), pred("d1", TEXT, "announcement", "Caracas")]
    ev = run(docs, records)
    assert ev.modes["exact"].confusion == {
        ("arrest", "arrest"): 1,
        ("release", "none"): 1,
        ("none", "announcement"): 1,
    }
    table = render_markdown(ev)
    assert "| gold \\ pred | announcement | arrest | release | none |" in table


# ----------------------------------------------------------------------------- document kinds


def test_empty_documents() -> None:
    text = "Nothing happened today in the city."
    docs = [gold_doc("d1", TEXT, [arrest()]), gold_doc("empty", text, [])]
    base = run(docs, [pred("d1", TEXT, "arrest", "arrested")])
    assert prf(base, "trigger_classification") == (1.0, 1.0, 1.0)
    # a false positive in the empty exhaustive document costs precision.
    ev = run(docs, [pred("d1", TEXT, "arrest", "arrested"), pred("empty", text, "arrest", "happened")])
    assert prf(ev, "trigger_classification") == (0.5, 1.0, 0.6667)
    # no gold and no prediction at all: scores are 0, not a division error.
    nothing = run([gold_doc("empty", text, [])], [], resamples=20)
    assert prf(nothing, "trigger_classification") == (0.0, 0.0, 0.0)
    assert nothing.modes["exact"].attributes["modality"].value is None


def test_non_exhaustive_documents_count_for_recall_only() -> None:
    partial = gold_doc("partial", TEXT, [arrest()], exhaustive=False)
    records = [
        pred("partial", TEXT, "arrest", "arrested"),
        pred("partial", TEXT, "release", "released"),  # not annotated there: not a false positive
    ]
    ev = run([partial, gold_doc("full", TEXT, [release()])], records)
    c = ev.modes["exact"].levels["trigger_classification"]
    assert (c.gold, c.tp_gold, c.pred, c.tp_pred) == (2, 1, 0, 0)
    assert c.recall == 0.5
    assert ("none", "release") not in ev.modes["exact"].confusion
    assert [e.kind for e in ev.errors] == ["FN"]
    assert ev.exhaustive_documents == 1


def test_unknown_document_ids_are_reported() -> None:
    docs = [gold_doc("d1", TEXT, [arrest()])]
    records = [pred("d1", TEXT, "arrest", "arrested"), pred("ghost", TEXT, "arrest", "arrested")]
    records.append(pred("ghost", TEXT, "release", "released"))
    ev = run(docs, records)
    assert ev.unknown == {"ghost": 2}
    assert prf(ev, "trigger_classification") == (1.0, 1.0, 1.0)
    assert ev.to_json()["unknown_documents"] == {"documents": 1, "predictions": 2, "ids": ["ghost"]}
    assert "2 predictions for 1 unknown document ids were not scored:** ghost" in render_markdown(ev, full=False)


def test_time_not_scored_without_published_date() -> None:
    docs = [
        gold_doc("dated", TEXT, [arrest()]),
        gold_doc("undated", TEXT, [arrest()], published=None),
    ]
    records = [
        pred("dated", TEXT, "arrest", "arrested", [("person", "Juan Perez")], time_value="2026-01-12"),
        pred("undated", TEXT, "arrest", "arrested", [("person", "Juan Perez")], time_value="1999-01-01"),
    ]
    ev = run(docs, records)
    time = ev.modes["exact"].attributes["time"]
    assert (time.correct, time.total) == (1, 1)
    # the record tuple ignores time in the undated document, so both records match.
    assert (ev.record.tp_gold, ev.record.gold) == (2, 2)
    assert ev.null_published == 1


# ----------------------------------------------------------------------------- attributes and records


def test_attribute_accuracies_including_both_null() -> None:
    docs = [gold_doc("d1", TEXT, [arrest(modality="uncertain"), release()])]
    records = [
        # modality wrong, time right, count null on both sides (right).
        pred("d1", TEXT, "arrest", "arrested", time_value="2026-01-12"),
        # modality right, time null on both sides (right), count wrong.
        pred("d1", TEXT, "release", "released", count_value=11),
    ]
    attrs = run(docs, records).modes["exact"].attributes
    assert (attrs["modality"].correct, attrs["modality"].total) == (1, 2)
    assert (attrs["time"].correct, attrs["time"].total) == (2, 2)
    assert (attrs["count"].correct, attrs["count"].total) == (1, 2)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("President Nicolás Maduro", "nicolas maduro"),
        ("Mr. Guanipa's", "guanipa"),
        ("MR GUANIPA", "guanipa"),
        ("Venezuela\u2019s government", "venezuela government"),
        ("Prime Minister Keir Starmer", "keir starmer"),
        ("Dr. Ángela Ruiz-Pérez", "angela ruiz-perez"),
        ("Mrs", "mrs"),
    ],
)
def test_normalize_name(name: str, expected: str) -> None:
    assert normalize_name(name) == expected


def test_record_score_uses_entity_name_and_normalization() -> None:
    text = "President Nicolás Maduro was captured on Saturday. Officials announced the capture."
    docs = [
        gold_doc(
            "d1",
            text,
            [
                gold_event(
                    text,
                    "arrest",
                    "captured",
                    [("person", "President Nicolás Maduro")],
                    time_value="2026-01-10",
                ),
                gold_event(text, "announcement", "announced", [("speaker", "Officials")]),
            ],
        )
    ]
    records = [
        pred(
            "d1",
            text,
            "arrest",
            "captured",
            [("person", "Nicolás Maduro")],
            time_value="2026-01-10",
            names={"Nicolás Maduro": "Nicolas Maduro"},
        ),
        # same tuple as the first: sets hold it once.
        pred("d1", text, "arrest", "capture", [("person", "Nicolás Maduro")], time_value="2026-01-10"),
        pred("d1", text, "announcement", "announced"),  # speaker missing -> a different tuple
    ]
    ev = run(docs, records)
    assert (ev.record.gold, ev.record.pred, ev.record.tp_gold) == (2, 2, 1)
    assert ev.record.f1 == 0.5


# ----------------------------------------------------------------------------- bootstrap, errors, output


def test_bootstrap_is_reproducible_and_brackets_the_estimate() -> None:
    docs, records = [], []
    for i in range(8):
        doc_id = f"d{i}"
        docs.append(gold_doc(doc_id, TEXT, [arrest(), release()]))
        records.append(pred(doc_id, TEXT, "arrest", "arrested"))
        if i % 3 == 0:
            records.append(pred(doc_id, TEXT, "release", "released"))
    gold = entries(docs)
    per_doc = [score_document(d) for d in make_eval_documents(gold, predictions(records, gold))]
    first = bootstrap_f1(per_doc, resamples=200, seed=7)
    assert first == bootstrap_f1(per_doc, resamples=200, seed=7)
    ev = evaluate(gold, predictions(records, gold), resamples=200, seed=7)
    low, high = ev.intervals["exact.trigger_classification"]
    assert low <= ev.modes["exact"].levels["trigger_classification"].f1 <= high
    assert low < high
    assert bootstrap_f1([], resamples=10) == {}


def test_sentence_around() -> None:
    text = "First one. Police arrested him on Monday. Last.\nNext line"
    start, end = find(text, "arrested")
    assert text[slice(*sentence_around(text, start, end))] == "Police arrested him on Monday."
    start, end = find(text, "Next")
    assert text[slice(*sentence_around(text, start, end))] == "Next line"


def test_error_listing_shows_sentences() -> None:
    docs = [gold_doc("d1", TEXT, [arrest(), release()])]
    ev = run(docs, [pred("d1", TEXT, "arrest", "arrested"), pred("d1", TEXT, "announcement", "Caracas")])
    by_kind = {e.kind: e for e in ev.errors}
    assert by_kind["FN"].sentence == "The government later released 12 prisoners."
    assert by_kind["FP"].sentence == "Police arrested Juan Perez in Caracas on Monday."
    report = render_markdown(ev)
    assert "- **FN** release 'released' [70:78] asserted" in report
    assert "  > The government later released 12 prisoners." in report
    assert "Errors" not in render_markdown(ev, full=False)


def test_json_output_is_serializable_and_complete() -> None:
    docs = [gold_doc("d1", TEXT, [arrest(), release()])]
    ev = run(docs, [pred("d1", TEXT, "arrest", "arrested")], resamples=20)
    data = json.loads(json.dumps(ev.to_json()))
    exact = data["modes"]["exact"]
    assert exact["trigger_classification"]["recall"] == 0.5
    assert exact["trigger_classification"]["f1_ci"] is not None
    assert exact["per_type"]["release"]["tp_gold"] == 0
    assert exact["confusion"]["release"] == {"none": 1}
    assert set(data["modes"]) == {"exact", "overlap"}
    assert data["errors"][0]["kind"] == "FN"


# ----------------------------------------------------------------------------- files and fixtures


@pytest.fixture
def gold_path(tmp_path: Path) -> Path:
    """A gold file with two documents, one of them non-exhaustive."""
    return write_jsonl(
        tmp_path / "gold.jsonl",
        [gold_doc("d1", TEXT, [arrest(), release()]), gold_doc("d2", TEXT, [arrest()], exhaustive=False)],
    )


def good_preds() -> list[dict[str, Any]]:
    """Predictions matching d1 fully and d2 not at all."""
    return [
        pred(
            "d1",
            TEXT,
            "arrest",
            "arrested",
            [("agent", "Police"), ("person", "Juan Perez")],
            time_value="2026-01-12",
        ),
        pred("d1", TEXT, "release", "released", [("agent", "The government")], count_value=12),
    ]


# ----------------------------------------------------------------------------- loading


def test_load_gold_keeps_lines_and_skips_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text(
        json.dumps(gold_doc("a", TEXT, [])) + "\n\n" + json.dumps(gold_doc("b", TEXT, [])) + "\n",
        encoding="utf-8",
    )
    assert [(e.doc.id, e.line) for e in load_gold_entries([path])] == [("a", 1), ("b", 3)]


def test_duplicate_gold_ids_across_files(tmp_path: Path) -> None:
    a = write_jsonl(tmp_path / "a.jsonl", [gold_doc("same", TEXT, [])])
    b = write_jsonl(tmp_path / "b.jsonl", [gold_doc("same", TEXT, [])])
    with pytest.raises(GoldError, match=r"b\.jsonl:1: field id: duplicate document id 'same'"):
        load_gold_entries([a, b])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["events"][0].update(trigger_start=1), r"gold\.jsonl:1 \(id d1\): events\[0\]\.trigger"),
        (lambda d: d["events"][0].update(type="protest"), r"gold\.jsonl:1: field events\.0\.type"),
        (
            lambda d: d["events"][0]["arguments"][0].update(role="victim"),
            r"field events\.0\.arguments\.0\.role",
        ),
        (
            lambda d: d["events"][0]["arguments"][0].update(role="speaker"),
            r"'speaker' is not a role of arrest",
        ),
        (lambda d: d.pop("events_exhaustive"), r"gold\.jsonl:1: field events_exhaustive: Field required"),
    ],
)
def test_bad_gold_names_file_line_and_field(tmp_path: Path, change: Any, message: str) -> None:
    doc = gold_doc("d1", TEXT, [arrest()])
    change(doc)
    with pytest.raises(GoldError, match=message):
        load_gold_entries([write_jsonl(tmp_path / "gold.jsonl", [doc])])


def _set_trigger_start(r: dict[str, Any]) -> None:
    r["trigger"]["start"] = 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_set_trigger_start, r"pred\.jsonl:2 \(doc d1, event \w+\): field trigger\.text: gold text\[0:15\]"),
        (
            lambda r: r["trigger"].update(end=999),
            r"pred\.jsonl:2 .*field trigger\.start/end: 7\.\.999 out of range",
        ),
        (lambda r: r.update(type="protest"), r"pred\.jsonl:2: field type: Input should be"),
        (lambda r: r["arguments"][0].update(role="victim"), r"pred\.jsonl:2: field arguments\.0\.role"),
        (
            lambda r: r["arguments"][0].update(role="speaker"),
            r"field arguments\[0\]\.role: 'speaker' is not a role",
        ),
        (lambda r: r["arguments"][0].update(text="Polic"), r"field arguments\[0\]\.text"),
        (lambda r: r["provenance"].pop("doc_id"), r"pred\.jsonl:2: field provenance\.doc_id: Field required"),
        (lambda r: r.pop("modality"), r"pred\.jsonl:2: field modality: Field required"),
    ],
)
def test_bad_predictions_name_file_line_and_field(gold_path: Path, tmp_path: Path, change: Any, message: str) -> None:
    rows = good_preds()
    change(rows[0])
    rows.insert(0, good_preds()[1])
    path = write_jsonl(tmp_path / "pred.jsonl", rows)
    with pytest.raises(GoldError, match=message):
        load_predictions([path], load_gold_entries([gold_path]))


def test_invalid_json_prediction(gold_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "pred.jsonl"
    path.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(GoldError, match=r"pred\.jsonl:1: not valid JSON"):
        load_predictions([path], load_gold_entries([gold_path]))


def test_unknown_doc_predictions_are_not_offset_checked(gold_path: Path, tmp_path: Path) -> None:
    other = pred("elsewhere", "A different text where police arrested someone.", "arrest", "arrested")
    path = write_jsonl(tmp_path / "pred.jsonl", [*good_preds(), other])
    preds = load_predictions([path], load_gold_entries([gold_path]))
    assert preds.unknown == {"elsewhere": 1}
    assert len(preds.by_doc["d1"]) == 2 and preds.by_doc["d2"] == []


# ----------------------------------------------------------------------------- command line


def test_cli_writes_report_and_json(gold_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    preds = write_jsonl(tmp_path / "pred.jsonl", good_preds())
    report, scores = tmp_path / "out" / "report.md", tmp_path / "out" / "scores.json"
    argv = [
        "evaluate",
        "--gold",
        str(gold_path),
        "--pred",
        str(preds),
        "--report",
        str(report),
        "--json",
        str(scores),
    ]
    assert main([*argv, "--resamples", "50"]) == 0
    out = capsys.readouterr().out
    assert "## Exact spans" in out and "| trigger classification | 100.0 | 66.7 | 80.0 |" in out
    assert "## Errors" not in out
    assert "### d2" in report.read_text(encoding="utf-8")
    data = json.loads(scores.read_text(encoding="utf-8"))
    assert data["modes"]["exact"]["trigger_classification"]["recall"] == 0.6667
    assert data["documents"] == 2


def test_cli_reports_gold_errors_with_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    assert main(["evaluate", "--gold", str(bad), "--pred", str(bad)]) == GoldError.exit_code
    assert "gold.jsonl:1: field" in capsys.readouterr().err


# ----------------------------------------------------------------------------- the pipeline seam


def test_without_pred_runs_the_pipeline_on_gold_texts(
    gold_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Article] = []

    def process_articles(articles: Iterable[Article], cfg: Any) -> Iterator[Any]:
        for article in articles:
            seen.append(article)
            if article.id == "d2":
                yield Rejection(input=article.input, stage="ner", reason="too_long")
                continue
            # a runner that hashes its own document ids: mapped back through the input line.
            doc = DocumentRecord(
                id="hash-123",
                title=None,
                source=None,
                url=None,
                published=article.published,
                input=article.input,
                text=article.text,
                entities=[],
                counts={},
            )
            record = EventRecord.model_validate(pred("hash-123", article.text, "arrest", "arrested"))
            yield doc, [record]

    monkeypatch.setitem(sys.modules, "pipeline.runner", types.SimpleNamespace(process_articles=process_articles))
    gold = load_gold_entries([gold_path])
    preds = predict_with_pipeline(gold, None)
    assert [a.id for a in seen] == ["d1", "d2"]
    assert seen[1].input == InputRef(path=str(gold_path), line=2)
    assert seen[0].published == "2026-01-12"
    assert [r.provenance.doc_id for r in preds.by_doc["d1"]] == ["d1"]
    assert preds.rejected == [f"{gold_path}:2: too_long"]
    ev = evaluate(gold, preds, resamples=0)
    assert ev.modes["exact"].levels["trigger_classification"].tp_gold == 1


def test_without_runner_asks_for_pred(gold_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pipeline.runner", None)  # makes the import fail
    with pytest.raises(ConfigError, match="Pass --pred"):
        predict_with_pipeline(load_gold_entries([gold_path]), None)


# ----------------------------------------------------------------------------- floors


def _scores(gold_path: Path, rows: list[dict[str, Any]], tmp_path: Path) -> dict[str, float]:
    gold = load_gold_entries([gold_path])
    preds = load_predictions([write_jsonl(tmp_path / "p.jsonl", rows)], gold)
    return flat_scores(evaluate(gold, preds, resamples=0))


def test_pin_then_check_floors(gold_path: Path, tmp_path: Path) -> None:
    floors = tmp_path / "floors.json"
    scores = _scores(gold_path, good_preds(), tmp_path)
    digest = gold_digest([gold_path])
    data = pin_floors(scores, digest, [gold_path], floors)
    assert data["floors"]["exact.trigger_classification.f1"] == 0.8
    assert json.loads(floors.read_text(encoding="utf-8"))["gold_sha256"] == digest
    assert check_floors(scores, digest, floors) == []
    # within tolerance passes, beyond it fails.
    assert check_floors({**scores, "exact.trigger_classification.f1": 0.796}, digest, floors) == []
    [failure] = check_floors({**scores, "exact.trigger_classification.f1": 0.79}, digest, floors)
    assert failure.startswith("exact.trigger_classification.f1: 0.7900 is below its floor 0.8000")


def test_check_floors_fails_when_gold_changes(gold_path: Path, tmp_path: Path) -> None:
    floors = tmp_path / "floors.json"
    scores = _scores(gold_path, good_preds(), tmp_path)
    pin_floors(scores, gold_digest([gold_path]), [gold_path], floors)
    with gold_path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(gold_doc("d3", TEXT, [])) + "\n")
    [failure] = check_floors(scores, gold_digest([gold_path]), floors)
    assert "the gold data changed; re-pin with --pin-floors" in failure


def test_lowering_a_floor_needs_allow_lower(gold_path: Path, tmp_path: Path) -> None:
    floors = tmp_path / "floors.json"
    digest = gold_digest([gold_path])
    pin_floors(_scores(gold_path, good_preds(), tmp_path), digest, [gold_path], floors)
    worse = _scores(gold_path, good_preds()[:1], tmp_path)
    with pytest.raises(ConfigError, match=r"lower floors .*exact\.trigger_classification\.f1 0\.8000 -> 0\.5000"):
        pin_floors(worse, digest, [gold_path], floors)
    assert json.loads(floors.read_text(encoding="utf-8"))["floors"]["exact.trigger_classification.f1"] == 0.8
    pin_floors(worse, digest, [gold_path], floors, allow_lower=True)
    assert json.loads(floors.read_text(encoding="utf-8"))["floors"]["exact.trigger_classification.f1"] == 0.5


def test_floor_gate_through_the_cli(gold_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    floors = tmp_path / "floors.json"
    good = write_jsonl(tmp_path / "good.jsonl", good_preds())
    worse = write_jsonl(tmp_path / "worse.jsonl", good_preds()[:1])
    base = ["evaluate", "--gold", str(gold_path), "--resamples", "0"]
    assert main([*base, "--pred", str(good), "--pin-floors", str(floors)]) == 0
    assert main([*base, "--pred", str(good), "--check-floors", str(floors)]) == 0
    assert main([*base, "--pred", str(worse), "--check-floors", str(floors)]) == 1
    assert "FLOOR FAIL exact.trigger_classification.f1" in capsys.readouterr().err
    assert main([*base, "--pred", str(worse), "--pin-floors", str(floors)]) == ConfigError.exit_code
    assert main([*base, "--pred", str(worse), "--pin-floors", str(floors), "--allow-lower"]) == 0
    assert main([*base, "--pred", str(worse), "--check-floors", str(floors)]) == 0
