"""Event classifiers behind one interface, chosen by versioned name in config.yaml.

A classifier is a trigger detector plus the shared interpretation stage (:mod:`.base`):

- detectors: :mod:`.rules` (``rules.v1``: :mod:`.triggers` over :mod:`.lexicon`),
  :mod:`.tagger` (``tagger.v1``, ``hybrid.v1``: :mod:`.tagger_model`, :mod:`.tagger_lexicon`) and
  :mod:`.transformer` (``transformer.v1``: :mod:`.encoder` and :mod:`.head`);
- interpretation (:mod:`.interpret`): :mod:`.arguments`, :mod:`.modality`, :mod:`.attribution`;
  ``hybrid.v2`` (:mod:`.argtagger`) takes the spans of some roles from a learned
  argument tagger (:mod:`.argtagger_model`) instead;
- shared reading of the parse: :mod:`.syntax`, :mod:`.roles`, :mod:`.context`.
"""

from __future__ import annotations

import pipeline.classify.argtagger  # registers hybrid.v2; torch loads on first use
import pipeline.classify.rules  # registers rules.v1
import pipeline.classify.tagger  # registers tagger.v1 and hybrid.v1; torch loads on first use
import pipeline.classify.transformer  # noqa: F401  (registers transformer.v1; torch loads on first use)
from pipeline.classify.base import (
    Classifier,
    DetectAndInterpret,
    Interpreter,
    TriggerCandidate,
    TriggerDetector,
    make_classifier,
    register,
    registered,
)

__all__ = [
    "Classifier",
    "DetectAndInterpret",
    "Interpreter",
    "TriggerCandidate",
    "TriggerDetector",
    "make_classifier",
    "register",
    "registered",
]
