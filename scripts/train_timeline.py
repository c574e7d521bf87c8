"""Train the chooser of each event's governing date (``models/timeline.v1``).

An event whose own time expression does not resolve takes one of its date options
(:func:`pipeline.normalize.timeline.time_options`): a date expression of the article near
or before it, the publication date, or none. The chooser is a conditional logit (one
weight per feature, softmax over an event's options), fitted here by full-batch gradient
descent with L2, deterministic.

Training examples: the pipeline (the default extractor) runs on ``corpus/gold/train.jsonl``;
each predicted event that overlaps a gold event of its type, and whose own expression does
not resolve, is one example. Its label is the option whose value is the gold time value,
or "none" when the gold event has no time value; an event whose gold value is among no
option cannot be learned and is left out (counted as unreachable). Dev chooses the L2
strength: the chooser's accuracy over all dev examples, unreachable ones counted wrong.
For each L2 the script also reports 5-fold cross-validation over train and dev together
(folds by document; ``--folds``), written to the artifact beside the dev scores.

Usage::

    .venv/bin/python scripts/train_timeline.py            # about 6 minutes on 2 cores
    .venv/bin/python scripts/train_timeline.py --cache /tmp/timeline-cache.pkl  # reuse the runs
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.classify import make_classifier
from pipeline.config import load_config
from pipeline.gold import GoldDocument, GoldEvent, read_gold
from pipeline.ner import NerStage
from pipeline.normalize import participant_keys
from pipeline.normalize.timeline import CHOOSER_ARTIFACT, CHOOSER_FILE, TimeOption, candidate_options
from pipeline.records import AnalyzedArticle, Article, EventCandidate, InputRef

ROOT = Path(__file__).resolve().parent.parent
L2_GRID = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1)
STEPS = 3000
LEARNING_RATE = 0.5


@dataclass(frozen=True)
class Example:
    """One event's options and the index of the right one (None: the gold value is in none)."""

    options: list[TimeOption]
    label: int | None
    basis: str | None
    doc: str = ""


def analyze(docs: Sequence[GoldDocument]) -> list[tuple[GoldDocument, AnalyzedArticle, list[EventCandidate]]]:
    """Run NER and the default classifier over gold documents."""
    cfg = load_config(None)
    classifier = make_classifier(cfg.classifier)
    ner = NerStage(cfg.nlp, needs_parse=classifier.needs_parse, select=classifier.select_sentences)
    articles = [
        Article(id=d.id, text=d.text, title=d.title, published=d.published, input=InputRef(path=d.id)) for d in docs
    ]
    analyzed = [a for a in ner.analyze(articles) if isinstance(a, AnalyzedArticle)]
    by_id = {d.id: d for d in docs}
    return [(by_id[a.article.id], a, cands) for a, cands in classifier.classify_many(analyzed)]


def _overlap(cand: EventCandidate, event: GoldEvent) -> bool:
    return cand.type == event.type and cand.trigger.start < event.trigger_end and event.trigger_start < cand.trigger.end


def examples_of(runs: Sequence[tuple[GoldDocument, AnalyzedArticle, list[EventCandidate]]]) -> list[Example]:
    """The chooser's examples: predicted events matched to gold ones (see the module docstring)."""
    out: list[Example] = []
    for doc, analyzed, cands in runs:
        keys = participant_keys(analyzed, cands)
        free = list(doc.events)
        for cand, (_explicit, options) in zip(cands, candidate_options(analyzed, cands, keys), strict=True):
            event = next((e for e in free if _overlap(cand, e)), None)
            if event is None:
                continue
            free.remove(event)
            if not options:
                continue
            values = [o.time.value if o.time is not None else None for o in options]
            label = values.index(event.time_value) if event.time_value in values else None
            out.append(Example(options, label, event.time_basis, doc.id))
    return out


def _stack(examples: Sequence[Example], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """All options' features as one matrix, and where each example's options start."""
    rows = [opt.features for ex in examples for opt in ex.options]
    x = np.zeros((len(rows), len(vocab)), dtype=np.float64)
    for r, feats in enumerate(rows):
        for k, v in feats.items():
            if k in vocab:
                x[r, vocab[k]] = v
    starts = np.cumsum([0] + [len(ex.options) for ex in examples[:-1]])
    return x, starts


def _softmax(scores: np.ndarray, starts: np.ndarray) -> np.ndarray:
    seg = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(scores))))
    e = np.exp(scores - np.maximum.reduceat(scores, starts)[seg])
    return e / np.add.reduceat(e, starts)[seg]  # type: ignore[no-any-return]


def fit(examples: Sequence[Example], vocab: dict[str, int], l2: float) -> np.ndarray:
    """Weights of the conditional logit on the reachable examples (full-batch gradient descent)."""
    learnable = [ex for ex in examples if ex.label is not None]
    x, starts = _stack(learnable, vocab)
    gold_rows = starts + np.array([ex.label for ex in learnable])
    target = x[gold_rows].sum(axis=0)
    w = np.zeros(len(vocab))
    for _ in range(STEPS):
        p = _softmax(x @ w, starts)
        w -= LEARNING_RATE * ((x.T @ p - target) / len(learnable) + l2 * w)
    return w


def choices(examples: Sequence[Example], vocab: dict[str, int], w: np.ndarray) -> list[int]:
    """The index of the option the weights choose, per example."""
    x, starts = _stack(examples, vocab)
    scores = x @ w
    ends = np.append(starts[1:], len(scores))
    return [int(np.argmax(scores[a:b])) for a, b in zip(starts, ends, strict=True)]


def accuracy(examples: Sequence[Example], vocab: dict[str, int], w: np.ndarray) -> dict[str, float]:
    """Share of examples whose chosen option is the right one, overall and per gold basis."""
    right: dict[str, list[int]] = {}
    for ex, chosen in zip(examples, choices(examples, vocab, w), strict=True):
        ok = int(ex.label is not None and chosen == ex.label)
        for key in ("all", f"basis_{ex.basis or 'none'}"):
            right.setdefault(key, []).append(ok)
    return {k: round(100 * sum(v) / len(v), 1) for k, v in sorted(right.items())} | {
        f"n_{k}": len(v) for k, v in sorted(right.items())
    }


def cross_validate(examples: Sequence[Example], folds: int, l2: float) -> list[float]:
    """Accuracy of each fold when the chooser is trained on the others (folds by document)."""
    docs = sorted({ex.doc for ex in examples})
    fold_of = {d: i % folds for i, d in enumerate(docs)}
    out = []
    for k in range(folds):
        train = [ex for ex in examples if fold_of[ex.doc] != k]
        held = [ex for ex in examples if fold_of[ex.doc] == k]
        vocab = {n: i for i, n in enumerate(sorted({f for ex in train for o in ex.options for f in o.features}))}
        out.append(accuracy(held, vocab, fit(train, vocab, l2))["all"])
    return out


def load_runs(split: str, cache: Path | None) -> list[tuple[GoldDocument, AnalyzedArticle, list[EventCandidate]]]:
    """The pipeline's analysis of a gold split, from the cache file when it is there."""
    path = cache.with_suffix(f".{split}.pkl") if cache else None
    if path is not None and path.is_file():
        with path.open("rb") as fh:
            return pickle.load(fh)  # type: ignore[no-any-return]  # a file this script wrote
    docs = [d for _, d in read_gold(ROOT / "corpus" / "gold" / f"{split}.jsonl")]
    runs = analyze(docs)
    if path is not None:
        with path.open("wb") as fh:
            pickle.dump(runs, fh)
    return runs


def main(argv: list[str] | None = None) -> int:
    """Train, choose L2 on dev, write the artifact."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, help="keep the pipeline's runs on train and dev in files next to this")
    parser.add_argument("--out", type=Path, default=ROOT / "models" / CHOOSER_ARTIFACT)
    parser.add_argument(
        "--folds", type=int, default=5, help="also report k-fold cross-validation on train+dev by document (1: skip)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    train = examples_of(load_runs("train", args.cache))
    dev = examples_of(load_runs("dev", args.cache))
    names = sorted({k for ex in train for o in ex.options for k in o.features})
    vocab = {k: i for i, k in enumerate(names)}
    unreachable = {split: sum(ex.label is None for ex in exs) for split, exs in (("train", train), ("dev", dev))}
    print(f"examples: train {len(train)}, dev {len(dev)}; unreachable {unreachable}; {len(vocab)} features")
    scores: dict[str, dict[str, float]] = {}
    best: tuple[float, float, np.ndarray] | None = None
    for l2 in L2_GRID:
        w = fit(train, vocab, l2)
        dev_acc = accuracy(dev, vocab, w)
        scores[str(l2)] = dev_acc
        print(f"l2 {l2}: train {accuracy(train, vocab, w)['all']}, dev {dev_acc}", flush=True)
        if best is None or dev_acc["all"] > best[0]:
            best = (dev_acc["all"], l2, w)
    assert best is not None
    _, l2, w = best
    cv: dict[str, list[float]] = {}
    if args.folds > 1:
        for value in L2_GRID:
            cv[str(value)] = cross_validate([*train, *dev], args.folds, value)
            mean = sum(cv[str(value)]) / len(cv[str(value)])
            print(f"l2 {value}: {args.folds}-fold cross-validation on train+dev {cv[str(value)]}, mean {mean:.1f}")
    digest = hashlib.sha256((ROOT / "corpus" / "gold" / "train.jsonl").read_bytes()).hexdigest()[:16]
    artifact = {
        "weights": {k: round(float(w[i]), 4) for k, i in vocab.items() if abs(w[i]) >= 1e-4},
        "l2": l2,
        "l2_grid_dev_scores": scores,
        "l2_grid_cross_validation": cv,
        "train_examples": len(train),
        "unreachable": unreachable,
        "train_digest": digest,
        "command": "python scripts/train_timeline.py",
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / CHOOSER_FILE).write_text(json.dumps(artifact, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"chose l2 {l2}; wrote {args.out / CHOOSER_FILE} in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
