"""The trained head of ``transformer.v1``: the feature layout, logits and the label/threshold decision.

The head is a logistic regression shipped in ``models/transformer.v1/`` and trained by
``scripts/train_transformer.py`` (see ``models/transformer.v1/MODEL_CARD.md``).
"""

from __future__ import annotations

import importlib.resources
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.classify.encoder import FloatArray
from pipeline.errors import ModelError
from pipeline.records import EVENT_TYPES, EventType

#: Label order of the head's outputs; index 0 is "no event".
LABELS: tuple[str, ...] = ("none", *EVENT_TYPES)
#: Coarse parts of speech with their own feature; every other tag shares the last slot.
POS_FEATURES: tuple[str, ...] = ("VERB", "NOUN", "PROPN", "ADJ", "OTHER")
#: Folder of the trained head inside the ``pipeline.models`` package (``models/`` in the repo).
DEFAULT_HEAD_DIR = "transformer.v1"
HEAD_FILE = "head.json"
DEFAULT_THRESHOLD = 0.5


def feature_layout(dim: int) -> list[tuple[str, int]]:
    """Blocks of the feature vector, in order: (name, width)."""
    return [
        ("token", dim),
        ("sentence", dim),
        ("rules", len(LABELS)),
        ("rules_confidence", 1),
        ("pos", len(POS_FEATURES)),
    ]


@dataclass
class Head:
    """A multinomial logistic regression over standardized features.

    Attributes:
        weight: [labels, features].
        bias: [labels].
        mean: feature means used for standardization.
        scale: feature standard deviations (never 0).
        threshold: least probability of the best event type to accept a new trigger.
        veto: P(none) at which a rules trigger is dropped (None: never).
        labels: output order; ``labels[0]`` is "none".
        meta: what the artifact's config says besides (encoder, date, metrics ...).
    """

    weight: FloatArray
    bias: FloatArray
    mean: FloatArray
    scale: FloatArray
    threshold: float = DEFAULT_THRESHOLD
    veto: float | None = None
    labels: tuple[str, ...] = LABELS
    meta: dict[str, Any] = field(default_factory=dict)

    def logits(self, features: FloatArray) -> FloatArray:
        """Logits [rows, labels] for feature rows [rows, features]."""
        if features.shape[1] != self.weight.shape[1]:
            raise ModelError(
                f"The head expects {self.weight.shape[1]} features, got {features.shape[1]}: the encoder or "
                f"the feature layout changed. Retrain with scripts/train_transformer.py."
            )
        z = (features - self.mean) / self.scale
        out: FloatArray = (z @ self.weight.T + self.bias).astype(np.float32)
        return out

    def to_json(self) -> dict[str, Any]:
        """The artifact as a JSON-able mapping (weights rounded to 6 significant digits)."""

        def rounded(a: FloatArray) -> list[Any]:
            return [float(f"{x:.6g}") for x in a.ravel()]

        return {
            **self.meta,
            "labels": list(self.labels),
            "threshold": self.threshold,
            "veto": self.veto,
            "shape": list(self.weight.shape),
            "weight": rounded(self.weight),
            "bias": rounded(self.bias),
            "mean": rounded(self.mean),
            "scale": rounded(self.scale),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Head:
        """Build a head from :meth:`to_json` output.

        Raises:
            ModelError: when the labels are not this version's or arrays do not fit.
        """
        labels = tuple(data["labels"])
        if labels != LABELS:
            raise ModelError(f"The head's labels {labels} are not {LABELS}; retrain it for transformer.v1.")
        rows, cols = data["shape"]
        weight = np.asarray(data["weight"], dtype=np.float32).reshape(rows, cols)
        bias = np.asarray(data["bias"], dtype=np.float32)
        mean = np.asarray(data["mean"], dtype=np.float32)
        scale = np.asarray(data["scale"], dtype=np.float32)
        if bias.shape != (rows,) or mean.shape != (cols,) or scale.shape != (cols,):
            raise ModelError("The head's arrays do not fit its shape; retrain it with scripts/train_transformer.py.")
        own = ("labels", "threshold", "veto", "shape", "weight", "bias", "mean", "scale")
        meta = {k: v for k, v in data.items() if k not in own}
        veto = data.get("veto")
        return cls(
            weight=weight,
            bias=bias,
            mean=mean,
            scale=scale,
            threshold=float(data["threshold"]),
            veto=None if veto is None else float(veto),
            labels=labels,
            meta=meta,
        )


def head_resource(name: str = HEAD_FILE) -> Path:
    """Path of a file of the shipped head (``models/transformer.v1/`` = ``pipeline.models``)."""
    return Path(str(importlib.resources.files("pipeline.models").joinpath(DEFAULT_HEAD_DIR, name)))


def load_head(path: Path | None = None) -> Head:
    """Load the trained head (the shipped one when ``path`` is None).

    Raises:
        ModelError: when the file is missing or malformed.
    """
    path = path or head_resource()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ModelError(
            f"Cannot read the transformer.v1 head {path}: {e.strerror}. Reinstall newsevents or run "
            f"scripts/train_transformer.py."
        ) from e
    except json.JSONDecodeError as e:
        raise ModelError(f"{path} is not valid JSON ({e}); rerun scripts/train_transformer.py.") from e
    try:
        return Head.from_json(data)
    except (KeyError, TypeError, ValueError) as e:
        raise ModelError(f"{path} is not a transformer.v1 head ({e}); rerun scripts/train_transformer.py.") from e


def softmax(logits: FloatArray) -> FloatArray:
    """Row-wise softmax."""
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: FloatArray = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
    return out


@dataclass(frozen=True)
class Decision:
    """The head's verdict on one candidate: its type (None: no event) and probability."""

    type: EventType | None
    probability: float


def postprocess(
    logits: FloatArray,
    threshold: float = DEFAULT_THRESHOLD,
    rules: Sequence[str | None] | None = None,
    veto: float | None = None,
    labels: Sequence[str] = LABELS,
) -> list[Decision]:
    """Turn logits into decisions, backing off to the rules where they found a trigger.

    A candidate the rules did not accept gets the head's most probable event type when its
    probability reaches ``threshold``. A rules trigger keeps the rules' type (probability:
    1 - P(none)) unless ``veto`` is set and P(none) reaches it: the rules are precise, the
    head mainly adds what they miss.

    Args:
        logits: [candidates, labels].
        threshold: least probability of the best event type to accept a new trigger.
        rules: per row, the rules' type or None; None when rules are not consulted.
        veto: P(none) at which a rules trigger is dropped; None never drops one.
        labels: output order; ``labels[0]`` is "none".

    Returns:
        One decision per row; rejected rows carry the probability of "none".
    """
    if logits.ndim != 2 or logits.shape[1] != len(labels):
        raise ValueError(f"logits must be [rows, {len(labels)}], got {list(logits.shape)}")
    if rules is not None and len(rules) != len(logits):
        raise ValueError(f"rules has {len(rules)} rows, logits {len(logits)}")
    probs = softmax(logits)
    out: list[Decision] = []
    for r, row in enumerate(probs):
        p_none = float(row[0])
        rules_type = rules[r] if rules is not None else None
        if rules_type is not None:
            if veto is not None and p_none >= veto:
                out.append(Decision(None, p_none))
            else:
                out.append(Decision(_event_type(rules_type), 1.0 - p_none))
            continue
        best = 1 + int(np.argmax(row[1:]))
        if float(row[best]) >= threshold:
            out.append(Decision(_event_type(labels[best]), float(row[best])))
        else:
            out.append(Decision(None, p_none))
    return out


def _event_type(label: str) -> EventType:
    for t in EVENT_TYPES:
        if t == label:
            return t
    raise ValueError(f"{label!r} is not an event type ({', '.join(EVENT_TYPES)})")
