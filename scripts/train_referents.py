"""Train the chooser of what a pronoun or description refers to (``models/referents.v1``).

The gold referents (``corpus/gold/referents.jsonl``: for the `person`, `speaker`, `agent`
and `source` arguments of train and dev that are pronouns or descriptions, the name of
whom they stand for, or none; two annotators and an adjudication, GUIDELINES.md section
11) are the examples. For each, NER runs on the gold document (the pipeline's NLP stage,
without the parse), the article's named entities are resolved
(:func:`pipeline.normalize.actors.resolve_actors`) and the phrase's options listed
(:func:`pipeline.normalize.referents.referent_options`). The label is the option whose
entity is the annotated referent (its name or one of its mentions matches the annotated
name; several entities may), or "none" when the annotators found no single named referent. A referent that NER
never found is among no option: the example is unreachable, counted wrong in the scores
and left out of the fit.

A conditional logit (softmax over a phrase's options) is fitted by full-batch gradient
descent with L2 (Adam steps, deterministic); dev chooses the L2. The script
prints, on dev and by 5-fold cross-validation over train and dev (folds by document), the
share of phrases resolved right, and the same for the hand rules the pipeline used before
(nearest person of the pronoun's gender, last organization for "it" and "the company").

    .venv/bin/python scripts/train_referents.py          # about 2 minutes on 2 cores
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from pipeline.config import NlpConfig  # noqa: E402
from pipeline.gold import read_gold  # noqa: E402
from pipeline.ner import NerStage  # noqa: E402
from pipeline.normalize.actors import Resolution, fold, resolve_actors  # noqa: E402
from pipeline.normalize.referents import (  # noqa: E402
    ARTIFACT,
    WEIGHTS_FILE,
    ReferentOption,
    referent_options,
    text_sentence_starts,
)
from pipeline.records import AnalyzedArticle, Article, Entity, InputRef  # noqa: E402

L2_GRID = (0.001, 0.003, 0.01, 0.03, 0.1)
STEPS = 1500
LEARNING_RATE = 0.05
BETA1, BETA2 = 0.9, 0.999
GOLD = ROOT / "corpus" / "gold" / "referents.jsonl"
_SUFFIXES = frozenset({"inc", "corp", "co", "ltd", "plc", "llc", "sa", "ag", "nv", "the", "group", "corporation"})
_WORD = re.compile(r"[\w&]+")


@dataclass(frozen=True)
class Example:
    """One phrase's options and the index of the right one (None: the referent is in no option)."""

    options: list[ReferentOption]
    #: Indices of the right options (several entities may name one referent: "SEC" and
    #: "Securities and Exchange Commission"); empty when the referent is in no option.
    labels: tuple[int, ...]
    doc: str
    split: str
    baseline_right: bool
    item: str


def name_tokens(name: str) -> frozenset[str]:
    """Folded words of a name without corporate suffixes and possessives."""
    words = [w for w in _WORD.findall(fold(name.replace("’", "'"))) if w not in ("s",)]
    return frozenset(w for w in words if w not in _SUFFIXES) or frozenset(words)


def names_match(entity: Entity, gold_name: str) -> bool:
    """True when the entity names the annotated referent.

    Words are compared without case, accents and corporate suffixes: the entity's name and
    the annotated one may hold one another ("Guanipa" and "Juan Pablo Guanipa", "Intuit"
    and "Intuit Inc."), or one of the entity's mentions may be the annotated name.
    """
    gold = name_tokens(gold_name)
    if not gold:
        return False
    mine = name_tokens(entity.name)
    if mine and (mine <= gold or gold <= mine):
        return True
    return any(name_tokens(m.text) == gold for m in entity.mentions)


def baseline(resolution: Resolution, start: int, end: int, phrase: str, role: str) -> Entity | None:
    """The hand rules the pipeline used before this chooser (normalize._argument)."""
    entity = resolution.antecedent(start, phrase)
    folded = phrase.strip().lower()
    if entity is None and role != "person" and folded in {"it", "its", "the company", "the firm", "the bank"}:
        entity = resolution.organization_before(start)
    return entity


def analyzed_docs(doc_ids: set[str]) -> dict[str, tuple[AnalyzedArticle, Resolution]]:
    """NER (no parse) and entity resolution for the gold documents with referents."""
    docs = [d for split in ("train", "dev") for _, d in read_gold(ROOT / "corpus" / "gold" / f"{split}.jsonl")]
    articles = [
        Article(id=d.id, text=d.text, title=d.title, published=d.published, input=InputRef(path=d.id))
        for d in docs
        if d.id in doc_ids
    ]
    out = {}
    stage = NerStage(NlpConfig(), select=lambda batch: [False] * len(batch))
    for analyzed in stage.analyze(articles):
        if isinstance(analyzed, AnalyzedArticle):
            art = analyzed.article
            out[art.id] = (analyzed, resolve_actors(art.id, analyzed.entities, art.text))
    return out


def examples_of(gold: Sequence[dict[str, Any]]) -> list[Example]:
    """The chooser's examples (see the module docstring)."""
    runs = analyzed_docs({g["doc"] for g in gold})
    out = []
    for g in gold:
        analyzed, resolution = runs[g["doc"]]
        text = analyzed.article.text
        options = referent_options(
            resolution, text, text_sentence_starts(text), g["start"], g["end"], g["text"], g["role"]
        )
        if not options:
            continue
        if g["name"] is None:
            labels: tuple[int, ...] = (len(options) - 1,)
        else:
            labels = tuple(i for i, o in enumerate(options) if o.entity and names_match(o.entity, g["name"]))
        base = baseline(resolution, g["start"], g["end"], g["text"], g["role"])
        base_right = (base is None) if g["name"] is None else (base is not None and names_match(base, g["name"]))
        out.append(Example(options, labels, g["doc"], g["split"], base_right, g["item"]))
    return out


def _vocab(examples: Sequence[Example]) -> dict[str, int]:
    return {n: i for i, n in enumerate(sorted({f for ex in examples for o in ex.options for f in o.features}))}


def fit(examples: Sequence[Example], vocab: dict[str, int], l2: float) -> np.ndarray:
    """Weights of the conditional logit on the reachable examples.

    The loss is minus the log of the probability of the right options together (an
    example may have several).
    """
    import train_timeline

    learnable = [ex for ex in examples if ex.labels]
    x, starts = train_timeline._stack(learnable, vocab)
    right_rows = np.zeros(len(x), dtype=bool)
    for ex, a in zip(learnable, starts, strict=True):
        right_rows[[a + k for k in ex.labels]] = True
    w = np.zeros(len(vocab))
    m, v = np.zeros(len(vocab)), np.zeros(len(vocab))
    seg = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(x))))
    for step in range(1, STEPS + 1):  # Adam: rare features (a class seen 30 times) move as fast as common ones
        p = train_timeline._softmax(x @ w, starts)
        q = np.where(right_rows, p, 0.0)
        q = q / np.add.reduceat(q, starts)[seg]
        grad = (x.T @ (p - q)) / len(learnable) + l2 * w
        m = BETA1 * m + (1 - BETA1) * grad
        v = BETA2 * v + (1 - BETA2) * grad**2
        w -= LEARNING_RATE * (m / (1 - BETA1**step)) / (np.sqrt(v / (1 - BETA2**step)) + 1e-8)
    return w


def right(examples: Sequence[Example], vocab: dict[str, int], w: np.ndarray) -> list[bool]:
    """Per example, whether the chosen option is a right one."""
    import train_timeline

    if not examples:
        return []
    x, starts = train_timeline._stack(examples, vocab)
    scores = x @ w
    ends = np.append(starts[1:], len(scores))
    return [int(np.argmax(scores[a:b])) in ex.labels for ex, a, b in zip(examples, starts, ends, strict=True)]


def _share(flags: Sequence[bool]) -> float:
    return round(100 * sum(flags) / len(flags), 1) if flags else 0.0


def cross_validate(examples: Sequence[Example], folds: int, l2: float) -> tuple[list[float], list[float]]:
    """Per fold: the chooser's share right when trained on the other folds, and the hand rules' share."""
    docs = sorted({ex.doc for ex in examples})
    fold_of = {d: i % folds for i, d in enumerate(docs)}
    ours, rules = [], []
    for k in range(folds):
        train = [ex for ex in examples if fold_of[ex.doc] != k]
        held = [ex for ex in examples if fold_of[ex.doc] == k]
        vocab = _vocab(train)
        ours.append(_share(right(held, vocab, fit(train, vocab, l2))))
        rules.append(_share([ex.baseline_right for ex in held]))
    return ours, rules


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--out", type=Path, default=ROOT / "models" / ARTIFACT)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    t0 = time.monotonic()
    gold = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    examples = examples_of(gold)
    train = [ex for ex in examples if ex.split == "train"]
    dev = [ex for ex in examples if ex.split == "dev"]
    vocab = _vocab(train)
    by_l2 = {}
    for l2 in L2_GRID:
        w = fit(train, vocab, l2)
        by_l2[l2] = {"dev": _share(right(dev, vocab, w)), "train": _share(right(train, vocab, w))}
        print(f"l2 {l2}: {by_l2[l2]}", flush=True)
    best = max(L2_GRID, key=lambda v: (by_l2[v]["dev"], v))
    weights = fit(train, vocab, best)
    cv, cv_rules = cross_validate(examples, args.folds, best)
    unreachable = Counter(ex.split for ex in examples if not ex.labels)
    summary = {
        "examples": dict(Counter(ex.split for ex in examples)),
        "unreachable": dict(unreachable),
        "l2": best,
        "by_l2": {str(k): v for k, v in by_l2.items()},
        "dev": by_l2[best]["dev"],
        "dev_hand_rules": _share([ex.baseline_right for ex in dev]),
        "cross_validation": {"folds": cv, "mean": round(sum(cv) / len(cv), 1)},
        "cross_validation_hand_rules": {"folds": cv_rules, "mean": round(sum(cv_rules) / len(cv_rules), 1)},
        "gold_sha256": hashlib.sha256(args.gold.read_bytes()).hexdigest()[:16],
        "seconds": round(time.monotonic() - t0),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / WEIGHTS_FILE).write_text(
        json.dumps(
            {
                "weights": {k: round(float(weights[i]), 6) for k, i in sorted(vocab.items()) if weights[i] != 0},
                "training": summary,
            },
            indent=1,
            sort_keys=True,
        )
        + "\n",
        encoding="utf-8",
    )
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
