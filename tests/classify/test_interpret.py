"""The interpretation stage and the detector + interpreter classifier, on hand-built parses (no model)."""

from __future__ import annotations

import pytest
from sentences import ASSERTED, PASSIVE_ARREST, article

from pipeline.classify.base import DetectAndInterpret, TriggerCandidate, TriggerDetector, keep_confident
from pipeline.classify.interpret import ParseInterpreter
from pipeline.classify.rules import RulesClassifier
from pipeline.config import ClassifierConfig
from pipeline.records import AnalyzedArticle, EventCandidate, Span

ANNOUNCED_RELEASE = """
    The         the         DET    DT    det       1
    government  government  NOUN   NN    nsubj     2
    announced   announce    VERB   VBD   ROOT      2
    it          it          PRON   PRP   nsubj     5
    had         have        AUX    VBD   aux       5
    released    release     VERB   VBN   ccomp     2
    116         116         NUM    CD    nummod    7   CARDINAL
    prisoners   prisoner    NOUN   NNS   dobj      5
    .           .           PUNCT  .     punct     2
"""
SWOOPED = """
    Officers  officer   NOUN   NNS   nsubj     1
    swooped   swoop     VERB   VBD   ROOT      1
    on        on        ADP    IN    prep      1
    the       the       DET    DT    det       4
    activist  activist  NOUN   NN    pobj      2
    .         .         PUNCT  .     punct     1
"""


def test_announcement_reports_the_event_in_its_content_and_its_speaker_is_the_source() -> None:
    analyzed = article(PASSIVE_ARREST, ANNOUNCED_RELEASE)
    events = RulesClassifier().classify(analyzed)
    assert [(e.type, e.trigger.text, e.sentence_index) for e in events] == [
        ("arrest", "arrested", 0),
        ("announcement", "announced", 1),
        ("release", "released", 1),
    ]
    # indices are article-wide: the announcement (1) reports the release (2)
    assert [e.reports for e in events] == [[], [2], []]
    release = events[2]
    assert {(a.role, a.text) for a in release.arguments} >= {("source", "The government"), ("count", "116")}
    text = analyzed.article.text
    assert all(text[e.trigger.start : e.trigger.end] == e.trigger.text for e in events)


class OneTokenDetector(TriggerDetector):
    """Calls one token of one sentence an arrest: a stand-in for a learned detector."""

    name = "test.v1"

    def __init__(self, sentence_index: int, head: int, confidence: float = 0.7) -> None:
        self.trigger = TriggerCandidate("arrest", sentence_index, head, (head,), confidence, True)

    def needs_parse(self, words: object) -> bool:
        return False

    def detect(self, analyzed: AnalyzedArticle) -> list[TriggerCandidate]:
        return [self.trigger]


def test_any_detector_gets_arguments_modality_and_source_from_the_shared_interpreter() -> None:
    clf = DetectAndInterpret(OneTokenDetector(1, 1), ParseInterpreter(), ClassifierConfig(name="test.v1"))
    assert clf.name == "test.v1"
    assert not clf.needs_parse(["officers", "swooped"])  # the detector's test, passed on to the NLP stage
    ((_, events),) = list(clf.classify_many([article(ASSERTED, SWOOPED)]))
    (event,) = events
    assert (event.type, event.trigger.text, event.extractor, event.modality) == (
        "arrest",
        "swooped",
        "test.v1",
        "asserted",
    )
    assert event.confidence == 0.7
    assert {(a.role, a.text) for a in event.arguments} == {("agent", "Officers")}


@pytest.mark.parametrize(("sentence_index", "message"), [(1, "not parsed"), (5, "lacks")])
def test_triggers_outside_parsed_sentences_are_a_bug(sentence_index: int, message: str) -> None:
    analyzed = article(ASSERTED, unparsed=("The weather was fine.",))
    with pytest.raises(ValueError, match=message):
        ParseInterpreter().interpret(analyzed, [OneTokenDetector(sentence_index, 0).trigger], "test.v1")


def candidate(confidence: float, reports: list[int]) -> EventCandidate:
    return EventCandidate(
        type="announcement",
        trigger=Span(text="x", start=0, end=1),
        sentence_index=0,
        confidence=confidence,
        extractor="test.v1",
        reports=reports,
    )


def test_keep_confident_renumbers_reports() -> None:
    cands = [candidate(0.9, [2, 3]), candidate(0.2, []), candidate(0.8, []), candidate(0.3, [])]
    kept = keep_confident(cands, 0.5)
    assert [c.confidence for c in kept] == [0.9, 0.8]
    assert kept[0].reports == [1]
    assert keep_confident(cands, 0.0) is cands
