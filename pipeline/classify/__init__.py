"""Event classifiers behind one interface, chosen by versioned name in config.yaml."""

from __future__ import annotations

import pipeline.classify.rules  # noqa: F401  (registers rules.v1)
from pipeline.classify.base import Classifier, make_classifier, register, registered

__all__ = ["Classifier", "make_classifier", "register", "registered"]
