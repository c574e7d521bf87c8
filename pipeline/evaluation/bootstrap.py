"""Percentile bootstrap confidence intervals of the F1 figures, resampling documents."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

from pipeline.evaluation.results import DEFAULT_CONFIDENCE, LEVELS, MODES, Counts, DocScores
from pipeline.records import EVENT_TYPES

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 20240613


def _bootstrap_keys() -> list[str]:
    levels = [f"{mode}.{level}" for mode in MODES for level in LEVELS]
    # per event type: "overlap.type.arrest" (trigger classification of that type)
    types = [f"{mode}.type.{t}" for mode in MODES for t in EVENT_TYPES]
    return [*levels, *types, "record"]


def _doc_counts(doc: DocScores, key: str) -> Counts:
    if key == "record":
        return doc.record
    parts = key.split(".")
    if len(parts) == 3:
        return doc.modes[parts[0]].per_type.get(parts[2], Counts())
    mode, level = parts
    return doc.modes[mode].levels[level]


def bootstrap_f1(
    docs: Sequence[DocScores],
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    confidence: float = DEFAULT_CONFIDENCE,
) -> dict[str, tuple[float, float]]:
    """Return percentile bootstrap confidence intervals of the micro F1 figures.

    Documents are resampled with replacement; each resample sums the documents' counts.

    Args:
        docs: per-document scores.
        resamples: number of bootstrap resamples.
        seed: random seed, fixed so reports are reproducible.
        confidence: the interval's coverage.

    Returns:
        ``{"exact.trigger_classification": (low, high), ..., "record": (low, high)}``;
        empty when there are no documents.
    """
    if not docs or resamples <= 0:
        return {}
    keys = _bootstrap_keys()
    table = [[_doc_counts(d, key) for key in keys] for d in docs]
    rng = random.Random(seed)
    n = len(docs)
    samples: dict[str, list[float]] = {key: [] for key in keys}
    for _ in range(resamples):
        weights = Counter(rng.randrange(n) for _ in range(n))
        for k, key in enumerate(keys):
            total = Counts()
            for i, w in weights.items():
                c = table[i][k]
                total.add(Counts(c.gold * w, c.pred * w, c.tp_gold * w, c.tp_pred * w))
            samples[key].append(total.f1)
    alpha = (1.0 - confidence) / 2
    out: dict[str, tuple[float, float]] = {}
    for key, values in samples.items():
        values.sort()
        lo = values[min(len(values) - 1, int(alpha * len(values)))]
        hi = values[min(len(values) - 1, int((1.0 - alpha) * len(values)))]
        out[key] = (round(lo, 4), round(hi, 4))
    return out
