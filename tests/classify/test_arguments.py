"""Arguments of triggers on hand-built parses (no spaCy model)."""

from __future__ import annotations

from sentences import PASSIVE_ARREST, PRESS_CONFERENCE, view

from pipeline.classify.arguments import count_of_span, extract_arguments
from pipeline.classify.triggers import find_triggers

CONJOINED = """
    Police      Police      NOUN   NNS   nsubj     1
    arrested    arrest      VERB   VBD   ROOT      1
    two         two         NUM    CD    nummod    3   CARDINAL
    activists   activist    NOUN   NNS   dobj      1
    and         and         CCONJ  CC    cc        3
    a           a           DET    DT    det       6
    journalist  journalist  NOUN   NN    conj      3
    at          at          ADP    IN    prep      6
    their       their       PRON   PRP$  poss      9
    homes       home        NOUN   NNS   pobj      7
    .           .           PUNCT  .     punct     1
"""
CRIME = """
    Police     Police  NOUN   NNS   nsubj     1
    arrested   arrest  VERB   VBD   ROOT      1
    him        he      PRON   PRP   dobj      1
    for        for     ADP    IN    prep      1
    spreading  spread  VERB   VBG   pcomp     3
    rumours    rumour  NOUN   NNS   dobj      4
    .          .       PUNCT  .     punct     1
"""


def roles(table: str) -> dict[str, list[str]]:
    v = view(table)
    (trig,) = find_triggers(v)
    args, _, _ = extract_arguments(v, trig)
    out: dict[str, list[str]] = {}
    for a in args:
        assert v.text[a.start : a.end] == a.text
        out.setdefault(a.role, []).append(a.text)
    return out


def test_passive_arrest_with_agent_person_place_time_count() -> None:
    v = view(PASSIVE_ARREST)
    (trig,) = find_triggers(v)
    _, time, count = extract_arguments(v, trig)
    assert roles(PASSIVE_ARREST) == {
        "agent": ["police"],
        "person": ["Two men"],
        "place": ["Tehran"],
        "time": ["Monday"],
        "count": ["Two"],
    }
    assert time is not None and time.text == "Monday"
    assert count is not None and count.text == "Two"


def test_conjoined_participants_each_get_an_argument() -> None:
    found = roles(CONJOINED)
    assert found["person"] == ["two activists", "a journalist"]
    assert found["agent"] == ["Police"]


def test_crime_of_an_arrest() -> None:
    assert roles(CRIME)["crime"] == ["spreading rumours"]


def test_announcement_speaker_and_medium() -> None:
    found = roles(PRESS_CONFERENCE)
    assert found["speaker"] == ["The minister"]


HOSTAGES = """
    France      France      PROPN  NNP   nsubj     1   GPE
    criticized  criticize   VERB   VBD   ROOT      1
    release     release     NOUN   NN    compound  3
    efforts     effort      NOUN   NNS   dobj      1
    for         for         ADP    IN    prep      3
    two         two         NUM    CD    nummod    7   CARDINAL
    French      french      ADJ    JJ    amod      7   NORP
    hostages    hostage     NOUN   NNS   pobj      4
    and         and         CCONJ  CC    cc        7
    three       three       NUM    CD    conj      7   CARDINAL
    of          of          ADP    IN    prep      9
    their       their       PRON   PRP$  poss      12
    guards      guard       NOUN   NNS   pobj      10
    .           .           PUNCT  .     punct     1
"""


def test_the_number_heading_a_participant_span_is_its_count() -> None:
    v = view(HOSTAGES)
    text = v.text

    def count(span: str) -> str | None:
        at = text.index(span)
        found = count_of_span(v, at, at + len(span))
        return None if found is None else found.text

    assert count("two French hostages") == "two"
    assert count("three of their guards") == "three"
    assert count("their guards") is None  # no number on its head
    assert count("French hostages") == "two"  # the head's number, though the span leaves it out
    assert count("for two") is None  # two heads: no noun phrase
    assert count("France") is None
