"""The result types of an evaluation (counts, accuracies, errors, scores), shared by metrics and reports."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

Mode = Literal["exact", "overlap"]
MODES: tuple[Mode, ...] = ("exact", "overlap")
LEVELS: tuple[str, ...] = (
    "trigger_identification",
    "trigger_classification",
    "argument_identification",
    "argument_classification",
)
#: Accuracies over matched mentions (trigger classification): modality over every matched
#: mention; time and count over the matched mentions whose gold mention carries a value
#: (a mention empty on both sides does not count); time per gold basis.
ATTRIBUTES: tuple[str, ...] = ("modality", "time", "count", "time_explicit", "time_context", "time_published")
#: The modality values whose macro-F1 is reported (every value but ``asserted``).
NON_ASSERTED: tuple[str, ...] = ("planned", "negated", "hypothetical", "generic", "uncertain")
NONE_LABEL = "none"

DEFAULT_CONFIDENCE = 0.95


@dataclass
class Counts:
    """Match counts. Precision uses only exhaustively annotated documents.

    Attributes:
        gold: gold items (all documents).
        pred: predicted items (exhaustive documents only).
        tp_gold: matched gold items (all documents): recall numerator.
        tp_pred: matched predicted items (exhaustive documents only): precision numerator.
    """

    gold: int = 0
    pred: int = 0
    tp_gold: int = 0
    tp_pred: int = 0

    def add(self, other: Counts) -> None:
        """Add ``other`` in place."""
        self.gold += other.gold
        self.pred += other.pred
        self.tp_gold += other.tp_gold
        self.tp_pred += other.tp_pred

    @property
    def precision(self) -> float:
        """Matched / predicted; 0 when nothing was predicted."""
        return self.tp_pred / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        """Matched / gold; 0 when there is no gold item."""
        return self.tp_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall; 0 when both are 0."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, Any]:
        """Return counts and scores as a JSON-ready mapping."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "gold": self.gold,
            "pred": self.pred,
            "tp_gold": self.tp_gold,
            "tp_pred": self.tp_pred,
        }


@dataclass
class Accuracy:
    """Correct / total over matched events."""

    correct: int = 0
    total: int = 0

    def add(self, other: Accuracy) -> None:
        """Add ``other`` in place."""
        self.correct += other.correct
        self.total += other.total

    @property
    def value(self) -> float | None:
        """The accuracy, or None when nothing was scored."""
        return self.correct / self.total if self.total else None

    def to_json(self) -> dict[str, Any]:
        """Return the accuracy and its counts as a JSON-ready mapping."""
        value = self.value
        return {
            "accuracy": None if value is None else round(value, 4),
            "correct": self.correct,
            "total": self.total,
        }


@dataclass(frozen=True)
class ErrorItem:
    """A false positive or false negative trigger (trigger classification, exact spans)."""

    kind: Literal["FP", "FN"]
    doc_id: str
    type: str
    trigger: str
    start: int
    end: int
    modality: str
    sentence: str
    note: str

    def to_json(self) -> dict[str, Any]:
        """Return the error as a JSON-ready mapping."""
        return {
            "kind": self.kind,
            "doc_id": self.doc_id,
            "type": self.type,
            "trigger": self.trigger,
            "start": self.start,
            "end": self.end,
            "modality": self.modality,
            "sentence": self.sentence,
            "note": self.note,
        }


@dataclass
class ModeScores:
    """Every span-based score of one matching mode."""

    levels: dict[str, Counts] = field(default_factory=lambda: {level: Counts() for level in LEVELS})
    per_type: dict[str, Counts] = field(default_factory=dict)
    per_role: dict[str, Counts] = field(default_factory=dict)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    attributes: dict[str, Accuracy] = field(default_factory=lambda: {a: Accuracy() for a in ATTRIBUTES})
    #: (gold modality, predicted modality) of matched mentions, for the macro-F1.
    modality_pairs: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: Matched mentions with a predicted time or count value where the gold has none.
    spurious: Counter[str] = field(default_factory=Counter)

    def modality_f1(self) -> dict[str, float]:
        """F1 per non-asserted modality over matched mentions, and their macro average (``macro``).

        A value that neither the gold nor the predictions use is left out of the average.
        """
        out: dict[str, float] = {}
        for value in NON_ASSERTED:
            tp = self.modality_pairs.get((value, value), 0)
            gold = sum(n for (g, _), n in self.modality_pairs.items() if g == value)
            pred = sum(n for (_, p), n in self.modality_pairs.items() if p == value)
            if gold + pred:
                out[value] = 2 * tp / (gold + pred)
        if out:
            out["macro"] = sum(out.values()) / len(out)
        return out

    def add(self, other: ModeScores) -> None:
        """Add ``other`` in place."""
        for level, counts in other.levels.items():
            self.levels[level].add(counts)
        for key, counts in other.per_type.items():
            self.per_type.setdefault(key, Counts()).add(counts)
        for key, counts in other.per_role.items():
            self.per_role.setdefault(key, Counts()).add(counts)
        self.confusion.update(other.confusion)
        for name, acc in other.attributes.items():
            self.attributes[name].add(acc)
        self.modality_pairs.update(other.modality_pairs)
        self.spurious.update(other.spurious)


@dataclass
class DocScores:
    """The scores of one document: per mode, the record score and the error listing."""

    doc_id: str
    modes: dict[str, ModeScores]
    record: Counts
    errors: list[ErrorItem]


def _json_ci(interval: tuple[float, float] | None) -> list[float] | None:
    return list(interval) if interval else None


@dataclass
class Evaluation:
    """The aggregated result of an evaluation."""

    documents: int
    exhaustive_documents: int
    gold_events: int
    pred_events: int
    modes: dict[str, ModeScores]
    record: Counts
    intervals: dict[str, tuple[float, float]]
    errors: list[ErrorItem]
    unknown: dict[str, int]
    rejected: list[str]
    null_published: int
    resamples: int
    seed: int

    def to_json(self) -> dict[str, Any]:
        """Return the whole evaluation as a JSON-ready mapping (the ``--json`` output)."""
        modes: dict[str, Any] = {}
        for mode, ms in self.modes.items():
            levels = {}
            for level, counts in ms.levels.items():
                levels[level] = counts.to_json()
                ci = self.intervals.get(f"{mode}.{level}")
                levels[level]["f1_ci"] = list(ci) if ci else None
            confusion: dict[str, dict[str, int]] = {}
            for (g, p), n in sorted(ms.confusion.items()):
                confusion.setdefault(g, {})[p] = n
            modes[mode] = {
                **levels,
                "per_type": {
                    k: {**v.to_json(), "f1_ci": _json_ci(self.intervals.get(f"{mode}.type.{k}"))}
                    for k, v in sorted(ms.per_type.items())
                },
                "per_role": {k: v.to_json() for k, v in sorted(ms.per_role.items())},
                "attributes": {k: v.to_json() for k, v in ms.attributes.items()},
                "modality_f1": {k: round(v, 4) for k, v in ms.modality_f1().items()},
                "spurious_values": dict(sorted(ms.spurious.items())),
                "confusion": confusion,
            }
        record = self.record.to_json()
        ci = self.intervals.get("record")
        record["f1_ci"] = list(ci) if ci else None
        return {
            "documents": self.documents,
            "exhaustive_documents": self.exhaustive_documents,
            "null_published_documents": self.null_published,
            "gold_events": self.gold_events,
            "pred_events": self.pred_events,
            "modes": modes,
            "record": record,
            "unknown_documents": {
                "documents": len(self.unknown),
                "predictions": sum(self.unknown.values()),
                "ids": sorted(self.unknown),
            },
            "rejected": self.rejected,
            "bootstrap": {"resamples": self.resamples, "seed": self.seed, "confidence": DEFAULT_CONFIDENCE},
            "errors": [e.to_json() for e in self.errors],
        }
