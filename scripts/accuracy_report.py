"""Score the classifiers on the sealed test split and rewrite the README's accuracy tables.

    make accuracy-report        # = python scripts/accuracy_report.py

Run it when a model or rule set is released, not while developing: it is the only
command that reads the test split. For each classifier it runs the pipeline over
``corpus/gold/test.jsonl`` (and ``dev.jsonl`` for the dev columns), writes the full
reports to ``docs/accuracy/`` (Markdown and JSON), and replaces the block between
``<!-- accuracy:begin -->`` and ``<!-- accuracy:end -->`` in README.md with the tables.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.config import DEFAULT_CONFIG_NAME, load_config  # noqa: E402
from pipeline.evaluation.load import load_gold_entries  # noqa: E402
from pipeline.evaluation.metrics import evaluate  # noqa: E402
from pipeline.evaluation.predict import predict_with_pipeline  # noqa: E402
from pipeline.evaluation.report import render_json, render_markdown  # noqa: E402

BEGIN, END = "<!-- accuracy:begin -->", "<!-- accuracy:end -->"
CLASSIFIERS = ("rules.v1", "tagger.v1", "hybrid.v1", "hybrid.v2")


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}"


def _ci(ci: list[float] | None) -> str:
    return "" if not ci else f"{100 * ci[0]:.1f}–{100 * ci[1]:.1f}"


def score(name: str, split: str) -> dict[str, Any]:
    """Evaluate one classifier on one split; write its reports; return the JSON form."""
    gold = load_gold_entries([ROOT / "corpus" / "gold" / f"{split}.jsonl"])
    ev = evaluate(gold, predict_with_pipeline(gold, None, classifier=name))
    out = ROOT / "docs" / "accuracy"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{split}-{name}.md").write_text(render_markdown(ev, full=split != "test"), encoding="utf-8")
    (out / f"{split}-{name}.json").write_text(render_json(ev), encoding="utf-8")
    data: dict[str, Any] = json.loads(render_json(ev))
    return data


def tables(results: dict[tuple[str, str], dict[str, Any]], default: str) -> str:
    """The README block: the default on test, then the ablation."""
    test = results[("test", default)]["modes"]["overlap"]
    lines = [
        f"Sealed test split, default classifier `{default}` (overlapping spans, one-to-one matching, %, "
        "F1 95% bootstrap CI over documents); written by `make accuracy-report`:",
        "",
        "| level | P | R | F1 | F1 95% CI |",
        "|---|---|---|---|---|",
    ]
    for level in ("trigger_classification", "argument_classification"):
        c = test[level]
        lines.append(
            f"| {level.replace('_', ' ')} | {_pct(c['precision'])} | {_pct(c['recall'])} | {_pct(c['f1'])} "
            f"| {_ci(c['f1_ci'])} |"
        )
    for t, c in test["per_type"].items():
        lines.append(f"| {t} | {_pct(c['precision'])} | {_pct(c['recall'])} | {_pct(c['f1'])} | {_ci(c['f1_ci'])} |")
    attrs = test["attributes"]
    lines += [
        "",
        "| attribute of matched mentions | value | scored |",
        "|---|---|---|",
        f"| modality accuracy | {_pct(attrs['modality']['accuracy'])} | {attrs['modality']['total']} |",
        f"| modality macro-F1, non-asserted values | {_pct(test['modality_f1'].get('macro'))} | |",
        f"| time value accuracy (gold mentions with a value) | {_pct(attrs['time']['accuracy'])} "
        f"| {attrs['time']['total']} |",
        f"| count accuracy (gold mentions with a count) | {_pct(attrs['count']['accuracy'])} "
        f"| {attrs['count']['total']} |",
        "",
        "Ablation (trigger classification P / R / F1, F1 95% CI; argument classification F1; modality "
        "accuracy; time accuracy):",
        "",
        "| classifier | split | triggers | arguments F1 | modality | time |",
        "|---|---|---|---|---|---|",
    ]
    for (split, name), data in sorted(results.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        m = data["modes"]["overlap"]
        c = m["trigger_classification"]
        lines.append(
            f"| {name} | {split} | {_pct(c['precision'])} / {_pct(c['recall'])} / {_pct(c['f1'])} "
            f"({_ci(c['f1_ci'])}) | {_pct(m['argument_classification']['f1'])} "
            f"| {_pct(m['attributes']['modality']['accuracy'])} | {_pct(m['attributes']['time']['accuracy'])} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Score every classifier on dev and test and rewrite the README block."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classifier", action="append", help="classifiers to score (default: all four)")
    args = parser.parse_args(argv)
    default = load_config(str(ROOT / DEFAULT_CONFIG_NAME)).classifier.name
    names = args.classifier or list(CLASSIFIERS)
    results: dict[tuple[str, str], dict[str, Any]] = {}
    for name in names:
        for split in ("dev", "test"):
            results[(split, name)] = score(name, split)
            f1 = results[(split, name)]["modes"]["overlap"]["trigger_classification"]["f1"]
            print(f"{name} {split}: trigger F1 {100 * f1:.1f}", flush=True)
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        print(f"README.md has no {BEGIN} ... {END} block; tables not written", file=sys.stderr)
        return 1
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(head + BEGIN + "\n" + tables(results, default) + "\n" + END + tail, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
