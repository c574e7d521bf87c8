"""``newsevents evaluate``: score event records against gold, write the reports, gate on floors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.cli.common import Subparsers, add_command, add_config_option, write_text
from pipeline.errors import GoldError
from pipeline.evaluation.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED
from pipeline.evaluation.coref import evaluate_coreference
from pipeline.evaluation.coref_report import render_coref_markdown
from pipeline.evaluation.floors import check_floors, flat_scores, gold_digest, pin_floors
from pipeline.evaluation.load import load_gold_entries, load_predictions
from pipeline.evaluation.metrics import evaluate
from pipeline.evaluation.predict import predict_doc_events, predict_with_pipeline
from pipeline.evaluation.report import render_json, render_markdown
from pipeline.evaluation.xdoc import score_xdoc_gold, score_xdoc_predicted
from pipeline.views.evaluation import render_evaluation
from pipeline.xdoc_gold import check_events, default_articles_path, read_articles, read_events

__all__ = ["register", "run"]


def register(sub: Subparsers[argparse.ArgumentParser]) -> None:
    """Add ``evaluate`` to the subcommands."""
    p = add_command(
        sub,
        "evaluate",
        run,
        help="score predicted events against gold annotations",
        description="Score event records against gold (docs/evaluation.md). Without --pred the "
        "pipeline runs on the gold texts.",
    )
    p.add_argument(
        "--gold",
        action="append",
        required=True,
        type=Path,
        metavar="GOLD.jsonl",
        help="gold file (repeatable)",
    )
    p.add_argument(
        "--pred",
        action="append",
        type=Path,
        metavar="PRED.jsonl",
        help="EventRecord JSONL predictions (repeatable); default: run the pipeline",
    )
    add_config_option(p, help="config.yaml for the pipeline run (without --pred; default: the built-in defaults)")
    p.add_argument("--report", type=Path, help="write the full Markdown report here")
    p.add_argument("--json", type=Path, dest="json_out", help="write all scores as JSON here")
    p.add_argument("--html", type=Path, dest="html_out", help="write the full report as HTML here")
    p.add_argument("--resamples", type=int, default=DEFAULT_RESAMPLES, help="bootstrap resamples (0 to skip)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="bootstrap seed")
    gate = p.add_mutually_exclusive_group()
    gate.add_argument(
        "--check-floors",
        type=Path,
        metavar="FLOORS.json",
        help="exit 1 when a score falls below its pinned floor or the gold changed",
    )
    gate.add_argument(
        "--pin-floors",
        type=Path,
        metavar="FLOORS.json",
        help="write the current scores and gold digest as floors",
    )
    p.add_argument("--allow-lower", action="store_true", help="let --pin-floors lower existing floors")
    p.add_argument(
        "--xdoc",
        type=Path,
        metavar="XDOC.jsonl",
        help="also score cross-document linking against this annotation file (corpus/xdoc; pairwise P/R/F1)",
    )
    p.add_argument("--xdoc-articles", type=Path, metavar="ARTICLES.jsonl", help="its articles (default: beside it)")


def run(args: argparse.Namespace) -> int:
    """Run ``newsevents evaluate`` from parsed arguments and return the exit code."""
    gold_paths: list[Path] = args.gold
    gold = load_gold_entries(gold_paths)
    preds = load_predictions(args.pred, gold) if args.pred else predict_with_pipeline(gold, args.config)
    ev = evaluate(gold, preds, resamples=args.resamples, seed=args.seed)
    cev = evaluate_coreference(gold, preds, preds.documents, resamples=args.resamples, seed=args.seed)
    if args.xdoc is not None:
        articles = read_articles(args.xdoc_articles or default_articles_path(args.xdoc))
        numbered = read_events(args.xdoc)
        problems = check_events(numbered, articles)
        if problems:
            raise GoldError(f"{args.xdoc}: " + "; ".join(problems[:5]) + " (python -m pipeline.xdoc_gold checks it)")
        xdoc = [event for _, event in numbered]
        cev.cross["gold_doc_events"] = score_xdoc_gold(xdoc, articles, args.resamples, args.seed)
        if not args.pred:  # the pipeline runs: also end to end, on the articles of the set
            predicted = predict_doc_events(list(articles.values()), args.config)
            cev.cross["predicted"] = score_xdoc_predicted(xdoc, articles, predicted, args.resamples, args.seed)
    coref_md = render_coref_markdown(cev)
    print(render_markdown(ev, full=False))
    print(coref_md)
    if args.report is not None:
        write_text(args.report, render_markdown(ev, full=True) + "\n" + coref_md)
        print(f"Full report: {args.report}")
    if args.json_out is not None:
        write_text(args.json_out, render_json(ev, cev))
    if args.html_out is not None:
        write_text(args.html_out, render_evaluation(ev, cev))
        print(f"HTML report: {args.html_out}")
    scores = flat_scores(ev)
    if args.pin_floors is not None:
        pin_floors(scores, gold_digest(gold_paths), gold_paths, args.pin_floors, args.allow_lower)
        print(f"Pinned {len(scores)} floors in {args.pin_floors}")
    if args.check_floors is not None:
        failures = check_floors(scores, gold_digest(gold_paths), args.check_floors)
        for failure in failures:
            print(f"FLOOR FAIL {failure}", file=sys.stderr)
        if failures:
            return 1
        print(f"Floors ok ({args.check_floors})")
    return 0
