"""rules.v1 trigger detection on hand-built parses (no spaCy model), and its parse-or-not test."""

from __future__ import annotations

import pytest
from sentences import PASSIVE_ARREST, PRESS_CONFERENCE, article, view

from pipeline.classify.base import TriggerCandidate
from pipeline.classify.rules import RulesDetector
from pipeline.classify.triggers import find_triggers

FREED_HOSTAGES = """
    The       the      DET    DT    det       1
    rebels    rebel    NOUN   NNS   nsubj     2
    freed     free     VERB   VBD   ROOT      2
    three     three    NUM    CD    nummod    4   CARDINAL
    hostages  hostage  NOUN   NNS   dobj      2
    .         .        PUNCT  .     punct     2
"""
FREED_CAPITAL = """
    The      the      DET    DT    det       1
    firm     firm     NOUN   NN    nsubj     2
    freed    free     VERB   VBD   ROOT      2
    up       up       ADP    RP    prt       2
    capital  capital  NOUN   NN    dobj      2
    .        .        PUNCT  .     punct     2
"""
ARREST_WARRANT = """
    The      the      DET    DT    det       1
    court    court    NOUN   NN    nsubj     2
    issued   issue    VERB   VBD   ROOT      2
    an       an       DET    DT    det       5
    arrest   arrest   NOUN   NN    compound  5
    warrant  warrant  NOUN   NN    dobj      2
    .        .        PUNCT  .     punct     2
"""
RELEASED_STATEMENT = """
    The        the        DET    DT    det       1
    company    company    NOUN   NN    nsubj     2
    released   release    VERB   VBD   ROOT      2
    a          a          DET    DT    det       4
    statement  statement  NOUN   NN    dobj      2
    on         on         ADP    IN    prep      2
    Monday     Monday     PROPN  NNP   pobj      5   DATE
    .          .          PUNCT  .     punct     2
"""
BARE_RELEASE = """
    The      the      DET    DT    det       1
    release  release  NOUN   NN    nsubjpass 3
    was      be       AUX    VBD   auxpass   3
    delayed  delay    VERB   VBN   ROOT      3
    .        .        PUNCT  .     punct     3
"""


def triggers(table: str) -> list[tuple[str, str]]:
    v = view(table)
    return [(t.type, " ".join(v.sent.words[k] for k in t.tokens)) for t in find_triggers(v)]


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (PASSIVE_ARREST, [("arrest", "arrested")]),
        (FREED_HOSTAGES, [("release", "freed")]),
        (FREED_CAPITAL, []),  # "freed up capital"
        (ARREST_WARRANT, []),  # a warrant is no arrest
        (RELEASED_STATEMENT, [("announcement", "statement")]),  # a statement is released, not a person
        (PRESS_CONFERENCE, [("announcement", "press conference")]),  # one trigger over the compound
        (BARE_RELEASE, []),  # "the release" without people or custody words
    ],
)
def test_find_triggers(table: str, expected: list[tuple[str, str]]) -> None:
    assert triggers(table) == expected


def test_trigger_candidate_fields() -> None:
    (trig,) = find_triggers(view(PASSIVE_ARREST))
    assert trig == TriggerCandidate("arrest", 0, 3, (3,), 0.95, True)


def test_detector_reads_parsed_sentences_and_custody_context_of_the_article() -> None:
    # "the release" counts when the article speaks of custody twice (prison, detainees ...)
    analyzed = article(BARE_RELEASE, unparsed=("Prison guards held the detainees for weeks.",))
    assert [(t.type, t.sentence_index, t.head) for t in RulesDetector().detect(analyzed)] == [("release", 0, 1)]
    analyzed = article(FREED_CAPITAL, BARE_RELEASE, PASSIVE_ARREST)
    assert [(t.type, t.sentence_index) for t in RulesDetector().detect(analyzed)] == [("arrest", 2)]


@pytest.mark.parametrize(
    ("words", "parse"),
    [
        ("police arrested two men", True),
        ("the weather was fine", False),
        ("the firm held a meeting", False),  # "held" needs a custody or person word beside it
        ("he was held by police", True),
        ("the company reported a profit", True),
        ("the company reported strong demand", False),
        ("he held two detainees", True),  # plurals count as their singular
    ],
)
def test_needs_parse_reads_the_detectors_own_lexicon(words: str, parse: bool) -> None:
    assert RulesDetector().needs_parse(words.split()) is parse
