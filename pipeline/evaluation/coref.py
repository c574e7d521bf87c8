"""Score within-document event coreference: gold event clusters vs clusters of gold or predicted mentions.

Two settings (docs/evaluation.md):

- **gold mentions**: the gold mentions of each document, turned into mention records
  (:mod:`~pipeline.evaluation.gold_mentions`), are grouped by the coreference stage; the
  groups are scored against the gold ``event`` labels.
- **predicted mentions** (end to end): the pipeline's own mention records are grouped;
  each is identified with the gold mention it matches (overlapping trigger, same type,
  one-to-one as in the mention scores), the others stay mentions the key lacks.

Documents are scored only when every gold mention has an ``event`` label (gold v2).
Scores are summed over documents; the bootstrap resamples documents.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Hashable, Sequence

from pipeline.evaluation.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED
from pipeline.evaluation.coref_metrics import CONLL_MEASURES, Fraction, conll_f1, coref_scores
from pipeline.evaluation.coref_results import CorefEvaluation, WithinScores
from pipeline.evaluation.gold_mentions import gold_mention_records
from pipeline.evaluation.load import GoldEntry, Predictions
from pipeline.evaluation.matching import match_spans
from pipeline.evaluation.results import DEFAULT_CONFIDENCE
from pipeline.events.coref import cluster_mentions
from pipeline.gold import GoldDocument
from pipeline.records import DocumentRecord, EventRecord

__all__ = ["bootstrap_fractions", "evaluate_coreference", "gold_clusters", "score_within"]

DocScores = dict[str, Fraction]


def gold_clusters(doc: GoldDocument) -> list[set[Hashable]] | None:
    """The gold events of a document as clusters of mention indices; None when a mention has no label."""
    if any(event.event is None for event in doc.events):
        return None
    clusters: dict[str, set[Hashable]] = {}
    for i, event in enumerate(doc.events):
        clusters.setdefault(str(event.event), set()).add(i)
    return list(clusters.values())


def _response(groups: Sequence[Sequence[EventRecord]], ids: dict[int, Hashable]) -> list[set[Hashable]]:
    return [{ids[id(record)] for record in group if id(record) in ids} for group in groups]


def _gold_mentions_response(doc: GoldDocument, document: DocumentRecord | None) -> tuple[list[set[Hashable]], int, int]:
    records = gold_mention_records(doc, document)
    ids: dict[int, Hashable] = {id(r): i for i, r in enumerate(records)}
    response = _response(cluster_mentions(records, document), ids)
    return response, len(records), len(response)


def _predicted_response(
    doc: GoldDocument, records: Sequence[EventRecord], document: DocumentRecord | None, exhaustive: bool
) -> tuple[list[set[Hashable]], int, int]:
    gold_spans = [(e.trigger_start, e.trigger_end) for e in doc.events]
    pred_spans = [(r.trigger.start, r.trigger.end) for r in records]
    pairs = match_spans(gold_spans, pred_spans, "overlap", lambda g, p: doc.events[g].type == records[p].type)
    matched = {p: g for g, p in pairs}
    ids: dict[int, Hashable] = {}
    for p, record in enumerate(records):
        if p in matched:
            ids[id(record)] = matched[p]
        elif exhaustive:
            # A predicted mention that is no gold mention: a mention only the response has.
            ids[id(record)] = ("predicted", p)
    groups = cluster_mentions(records, document)
    response = [c for c in _response(groups, ids) if c]
    return response, sum(len(c) for c in response), len(response)


def bootstrap_fractions(
    per_doc: Sequence[DocScores],
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    confidence: float = DEFAULT_CONFIDENCE,
    conll: bool = True,
) -> dict[str, tuple[float, float]]:
    """Percentile bootstrap intervals of the F1 of summed fractions, resampling documents.

    Args:
        per_doc: each document's fractions by measure name.
        resamples: bootstrap resamples (0: none).
        seed: random seed.
        confidence: the interval's coverage.
        conll: also give the interval of the CoNLL average (``conll``).

    Returns:
        ``{measure: (low, high)}``; empty without documents or resamples.
    """
    if not per_doc or resamples <= 0:
        return {}
    names = list(per_doc[0])
    rng = random.Random(seed)
    n = len(per_doc)
    samples: dict[str, list[float]] = {name: [] for name in [*names, *(["conll"] if conll else [])]}
    for _ in range(resamples):
        weights = Counter(rng.randrange(n) for _ in range(n))
        totals = {name: Fraction() for name in names}
        for i, w in weights.items():
            for name in names:
                totals[name].add(per_doc[i][name].scaled(w))
        for name in names:
            samples[name].append(totals[name].f1)
        if conll:
            samples["conll"].append(conll_f1(totals))
    alpha = (1.0 - confidence) / 2
    out: dict[str, tuple[float, float]] = {}
    for name, values in samples.items():
        values.sort()
        lo = values[min(len(values) - 1, int(alpha * len(values)))]
        hi = values[min(len(values) - 1, int((1.0 - alpha) * len(values)))]
        out[name] = (round(lo, 4), round(hi, 4))
    return out


def score_within(
    gold: Sequence[GoldEntry],
    preds: Predictions | None,
    documents: dict[str, DocumentRecord] | None = None,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> tuple[dict[str, WithinScores], int]:
    """Score within-document coreference in both settings.

    Args:
        gold: the gold documents.
        preds: the predicted mention records (None: only the gold-mention setting).
        documents: the pipeline's document records by gold id (entity resolution of gold
            arguments, and the names sentences mention); None resolves from argument texts.
        resamples: bootstrap resamples.
        seed: bootstrap seed.

    Returns:
        The scores by setting, and the number of documents left out for lack of labels.
    """
    documents = documents or {}
    settings = ["gold_mentions", *(["predicted_mentions"] if preds is not None else [])]
    results = {name: WithinScores() for name in settings}
    per_doc: dict[str, list[DocScores]] = {name: [] for name in settings}
    unlabeled = 0
    for entry in gold:
        doc = entry.doc
        key = gold_clusters(doc)
        if key is None:
            unlabeled += 1
            continue
        document = documents.get(doc.id)
        for name in settings:
            if name == "gold_mentions":
                response, n_mentions, n_events = _gold_mentions_response(doc, document)
            else:
                records = preds.by_doc.get(doc.id, []) if preds is not None else []
                response, n_mentions, n_events = _predicted_response(doc, records, document, doc.events_exhaustive)
            scores = coref_scores(key, response)
            result = results[name]
            result.documents += 1
            result.key_mentions += len(doc.events)
            result.key_events += len(key)
            result.response_mentions += n_mentions
            result.response_events += n_events
            for measure in CONLL_MEASURES:
                result.scores[measure].add(scores[measure])
            per_doc[name].append(scores)
    for name, result in results.items():
        result.intervals = bootstrap_fractions(per_doc[name], resamples, seed)
        result.resolution = "pipeline entities" if documents else "argument texts"
    return results, unlabeled


def evaluate_coreference(
    gold: Sequence[GoldEntry],
    preds: Predictions | None,
    documents: dict[str, DocumentRecord] | None = None,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> CorefEvaluation:
    """Score within-document coreference (cross-document linking is added by :mod:`.xdoc`).

    Args:
        gold: the gold documents.
        preds: the predicted mention records, or None.
        documents: the pipeline's document records by gold id, or None.
        resamples: bootstrap resamples.
        seed: bootstrap seed.
    """
    within, unlabeled = score_within(gold, preds, documents, resamples, seed)
    return CorefEvaluation(within=within, resamples=resamples, seed=seed, unlabeled_documents=unlabeled)
