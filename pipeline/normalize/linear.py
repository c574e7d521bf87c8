"""Linear scorers over named features, with weights shipped as readable JSON (the date and referent choosers)."""

from __future__ import annotations

import importlib.resources
import json
from collections.abc import Mapping
from pathlib import Path

from pipeline.errors import ModelError


class LinearScorer:
    """Scores a feature mapping: the sum of its features' weights times their values."""

    def __init__(self, weights: dict[str, float]) -> None:
        self.weights = weights

    def score_features(self, features: Mapping[str, float]) -> float:
        """The sum of the features' weights times their values (unknown features weigh 0)."""
        return sum(self.weights.get(k, 0.0) * v for k, v in features.items())


def shipped(artifact: str) -> Path:
    """A shipped artifact folder (``models/ARTIFACT`` in the repository)."""
    return Path(str(importlib.resources.files("pipeline.models").joinpath(artifact)))


def read_weights(path: Path, what: str, script: str) -> dict[str, float]:
    """The ``weights`` of a JSON artifact file.

    Args:
        path: the file.
        what: what the weights are for, in the error message ("the time chooser").
        script: the training script that writes them, in the error message.

    Raises:
        ModelError: when the file cannot be read or parsed.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): float(v) for k, v in data["weights"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise ModelError(
            f"The weights of {what} cannot be read from {path} ({e!r}). Reinstall newsevents, "
            f"or train them again: python {script} (make train)."
        ) from e
