"""Event classifiers behind one interface, chosen by versioned name in config.yaml."""

from __future__ import annotations

import pipeline.classify.rules  # registers rules.v1
import pipeline.classify.transformer  # noqa: F401  (registers transformer.v1; torch loads on first use)
from pipeline.classify.base import Classifier, make_classifier, register, registered

__all__ = ["Classifier", "make_classifier", "register", "registered"]
