"""The result types of the coreference evaluation (within and across documents), shared by scoring and reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.evaluation.coref_metrics import CONLL_MEASURES, COREF_MEASURES, Fraction, conll_f1
from pipeline.evaluation.results import DEFAULT_CONFIDENCE

#: The within-document settings: clusters of gold mentions, and of the pipeline's own mentions.
WITHIN_SETTINGS = ("gold_mentions", "predicted_mentions")
SETTING_TITLES = {
    "gold_mentions": "gold mentions",
    "predicted_mentions": "predicted mentions (end to end)",
}


def _ci(interval: tuple[float, float] | None) -> list[float] | None:
    return list(interval) if interval else None


@dataclass
class WithinScores:
    """Within-document coreference scores of one setting.

    Attributes:
        documents: documents scored (those whose gold mentions all carry an event label).
        key_mentions: gold mentions; key_events: gold events (clusters).
        response_mentions: mentions clustered; response_events: clusters built.
        scores: MUC, B-cubed and CEAF-e, summed over documents.
        intervals: F1 bootstrap intervals per measure and for ``conll``.
        resolution: how participants were resolved (``pipeline entities`` or ``argument texts``).
    """

    documents: int = 0
    key_mentions: int = 0
    key_events: int = 0
    response_mentions: int = 0
    response_events: int = 0
    scores: dict[str, Fraction] = field(default_factory=lambda: {m: Fraction() for m in CONLL_MEASURES})
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict)
    resolution: str = ""

    @property
    def conll(self) -> float:
        """The CoNLL F1 (mean of MUC, B-cubed and CEAF-e F1)."""
        return conll_f1(self.scores)

    def to_json(self) -> dict[str, Any]:
        """Return the scores as a JSON-ready mapping."""
        measures: dict[str, Any] = {
            m: {**self.scores[m].to_json(), "f1_ci": _ci(self.intervals.get(m))} for m in CONLL_MEASURES
        }
        measures["conll"] = {"f1": round(self.conll, 4), "f1_ci": _ci(self.intervals.get("conll"))}
        return {
            "documents": self.documents,
            "key_mentions": self.key_mentions,
            "key_events": self.key_events,
            "response_mentions": self.response_mentions,
            "response_events": self.response_events,
            "resolution": self.resolution,
            **{m: measures[m] for m in COREF_MEASURES},
        }


@dataclass
class CrossScores:
    """Cross-document linking scores: pairwise links between document events of different documents.

    Attributes:
        documents: documents in the cross-document gold set.
        gold_events: real-world events annotated; gold_doc_events: their document events.
        linked: linked events built (clusters of two or more documents).
        pairwise: precision and recall of the cross-document pairs.
        interval: F1 bootstrap interval (resampling gold real-world events).
        setting: what was linked (gold document events, or the pipeline's).
    """

    documents: int = 0
    gold_events: int = 0
    gold_doc_events: int = 0
    linked: int = 0
    pairwise: Fraction = field(default_factory=Fraction)
    interval: tuple[float, float] | None = None
    setting: str = ""

    def to_json(self) -> dict[str, Any]:
        """Return the scores as a JSON-ready mapping."""
        return {
            "documents": self.documents,
            "gold_events": self.gold_events,
            "gold_doc_events": self.gold_doc_events,
            "linked_events": self.linked,
            "setting": self.setting,
            "pairwise": {**self.pairwise.to_json(), "f1_ci": _ci(self.interval)},
        }


@dataclass
class CorefEvaluation:
    """Every coreference score of an evaluation run."""

    within: dict[str, WithinScores] = field(default_factory=dict)
    cross: dict[str, CrossScores] = field(default_factory=dict)
    resamples: int = 0
    seed: int = 0
    unlabeled_documents: int = 0

    def to_json(self) -> dict[str, Any]:
        """Return the whole coreference evaluation as a JSON-ready mapping (``coreference`` in ``--json``)."""
        return {
            "within_document": {name: scores.to_json() for name, scores in self.within.items()},
            "cross_document": {name: scores.to_json() for name, scores in self.cross.items()} or None,
            "unlabeled_documents": self.unlabeled_documents,
            "bootstrap": {"resamples": self.resamples, "seed": self.seed, "confidence": DEFAULT_CONFIDENCE},
        }
