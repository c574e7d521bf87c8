"""Attribution (the source of a claim) on hand-built parses (no spaCy model)."""

from __future__ import annotations

import pytest
from sentences import ACCORDING_TO, ASSERTED, view

from pipeline.classify.attribution import attribution_of
from pipeline.classify.triggers import find_triggers

SAID = """
    Amnesty   Amnesty  PROPN  NNP   nsubj     1   ORG
    said      say      VERB   VBD   ROOT      1
    police    police   NOUN   NNS   nsubj     3
    arrested  arrest   VERB   VBD   ccomp     1
    him       he       PRON   PRP   dobj      3
    .         .        PUNCT  .     punct     1
"""


@pytest.mark.parametrize(("table", "source"), [(ACCORDING_TO, "Amnesty"), (SAID, "Amnesty"), (ASSERTED, None)])
def test_source_of_the_claim(table: str, source: str | None) -> None:
    v = view(table)
    (trig,) = find_triggers(v)
    found = attribution_of(v, trig)
    assert (found.text if found else None) == source
    if found is not None:
        assert found.role == "source"
