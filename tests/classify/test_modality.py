"""Modality cues on hand-built parses (no spaCy model)."""

from __future__ import annotations

import pytest
from sentences import ASSERTED, view

from pipeline.classify.modality import modality_of
from pipeline.classify.triggers import find_triggers

NEGATED = """
    Police    Police    NOUN   NNS   nsubj     3
    did       do        AUX    VBD   aux       3
    not       not       PART   RB    neg       3
    arrest    arrest    VERB   VB    ROOT      3
    the       the       DET    DT    det       5
    activist  activist  NOUN   NN    dobj      3
    .         .         PUNCT  .     punct     3
"""
PLANNED = """
    Police  Police  NOUN   NNS   nsubj     2
    will    will    AUX    MD    aux       2
    arrest  arrest  VERB   VB    ROOT      2
    him     he      PRON   PRP   dobj      2
    .       .       PUNCT  .     punct     2
"""
HYPOTHETICAL = """
    Police  Police  NOUN   NNS   nsubj     2
    may     may     AUX    MD    aux       2
    arrest  arrest  VERB   VB    ROOT      2
    him     he      PRON   PRP   dobj      2
    .       .       PUNCT  .     punct     2
"""
UNCERTAIN = """
    Police      Police      NOUN   NNS   nsubj     2
    reportedly  reportedly  ADV    RB    advmod    2
    arrested    arrest      VERB   VBD   ROOT      2
    him         he          PRON   PRP   dobj      2
    .           .           PUNCT  .     punct     2
"""
GENERIC = """
    Police      Police     NOUN   NNS   nsubj     2
    often       often      ADV    RB    advmod    2
    arrest      arrest     VERB   VBP   ROOT      2
    protesters  protester  NOUN   NNS   dobj      2
    .           .          PUNCT  .     punct     2
"""
PLAN_TO = """
    Police   Police  NOUN   NNS   nsubj     1
    plan     plan    VERB   VBP   ROOT      1
    to       to      PART   TO    aux       3
    arrest   arrest  VERB   VB    xcomp     1
    the      the     DET    DT    det       5
    leaders  leader  NOUN   NNS   dobj      3
    .        .       PUNCT  .     punct     1
"""
DENIED = """
    Officials  official  NOUN   NNS   nsubj     1
    denied     deny      VERB   VBD   ROOT      1
    that       that      SCONJ  IN    mark      5
    police     police    NOUN   NNS   nsubj     5
    had        have      AUX    VBD   aux       5
    arrested   arrest    VERB   VBN   ccomp     1
    him        he        PRON   PRP   dobj      5
    .          .         PUNCT  .     punct     1
"""


@pytest.mark.parametrize(
    ("table", "modality", "cue"),
    [
        (NEGATED, "negated", "neg on arrest"),
        (PLANNED, "planned", "will"),
        (HYPOTHETICAL, "hypothetical", "may/might"),
        (UNCERTAIN, "uncertain", "reportedly"),
        (GENERIC, "generic", "often"),
        (PLAN_TO, "planned", "governed by plan"),
        (DENIED, "negated", "complement of deny"),
        (ASSERTED, "asserted", None),
    ],
)
def test_modality_and_its_cue(table: str, modality: str, cue: str | None) -> None:
    v = view(table)
    (trig,) = find_triggers(v)
    found, cues = modality_of(v, trig)
    assert found == modality
    assert cues[:1] == ([cue] if cue else [])
