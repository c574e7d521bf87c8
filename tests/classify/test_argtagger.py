"""The learned argument tagger's seam (encode, labels, decode) and hybrid.v2's merge of its spans (no network)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from sentences import ASSERTED, PASSIVE_ARREST, article

from pipeline.classify.argtagger import ArgumentTagger, LearnedArgumentsClassifier, LearnedArgumentsInterpreter
from pipeline.classify.argtagger_model import ARG_LABELS, decode_arguments, encode, piece_labels
from pipeline.classify.encoder import encoder_path
from pipeline.classify.interpret import ParseInterpreter


@pytest.fixture(scope="module")
def tokenizer():  # type: ignore[no-untyped-def]
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(encoder_path()), local_files_only=True)


TEXT = "Police detained two men in Lagos on Friday."


def test_the_window_marks_the_trigger_and_puts_the_type_first(tokenizer) -> None:  # type: ignore[no-untyped-def]
    w = encode(tokenizer, TEXT, (7, 15), "arrest")
    pieces = tokenizer.convert_ids_to_tokens(w.ids)
    assert pieces[:3] == ["[CLS]", "arrest", "[SEP]"] and pieces[-1] == "[SEP]"
    assert pieces[3:7] == ["police", "<", "detained", ">"]
    # only sentence pieces outside the trigger carry offsets
    labelled = [TEXT[a:b] for a, b in w.offsets if a != b]
    assert labelled == ["Police", "two", "men", "in", "Lagos", "on", "Friday", "."]


def test_a_long_sentence_keeps_the_pieces_around_the_trigger(tokenizer) -> None:  # type: ignore[no-untyped-def]
    text = " ".join(["word"] * 300) + " arrested " + " ".join(["word"] * 300)
    start = text.index("arrested")
    w = encode(tokenizer, text, (start, start + 8), "arrest", max_pieces=64)
    assert len(w.ids) == 64
    centre = tokenizer.convert_ids_to_tokens(w.ids).index("arrested")
    assert 20 < centre < 44


def test_labels_are_bio_and_the_longer_of_overlapping_spans_keeps_its_pieces(tokenizer) -> None:  # type: ignore[no-untyped-def]
    w = encode(tokenizer, TEXT, (7, 15), "arrest")
    labels = piece_labels(w, [("person", 16, 23), ("count", 16, 19), ("place", 27, 32), ("time", 33, 42)])
    named = {TEXT[a:b]: ARG_LABELS[k] for (a, b), k in zip(w.offsets, labels, strict=True) if k >= 0}
    assert named == {
        "Police": "O",
        "two": "B-person",  # the count inside the person span is dropped
        "men": "I-person",
        "in": "O",
        "Lagos": "B-place",
        "on": "B-time",
        "Friday": "I-time",
        ".": "O",
    }
    assert all(k == -100 for (a, b), k in zip(w.offsets, labels, strict=True) if a == b)


def one_hot(labels: Sequence[str]) -> np.ndarray:
    probs = np.full((len(labels), len(ARG_LABELS)), 0.01, dtype=np.float32)
    for i, lab in enumerate(labels):
        probs[i, ARG_LABELS.index(lab)] = 0.9
    return probs


def test_decode_joins_pieces_widens_to_words_and_keeps_the_roles_of_the_type() -> None:
    text = "Vietnam freed nearly 9,000 prisoners in Hanoi"
    offsets = [(0, 0), (0, 7), (8, 13), (14, 20), (21, 22), (22, 26), (27, 36), (37, 39), (40, 45), (0, 0)]
    labels = ["O", "B-agent", "O", "B-person", "I-person", "I-person", "I-person", "O", "B-speaker", "O"]
    guesses = decode_arguments(one_hot(labels), offsets, text, "release")
    assert [(g.role, text[g.start : g.end]) for g in guesses] == [
        ("agent", "Vietnam"),
        ("person", "nearly 9,000 prisoners"),
    ]  # a release has no speaker: that piece is read as its best allowed label, O
    # a piece inside a word widens to the word; a special piece ends a span
    guesses = decode_arguments(one_hot(["B-agent", "O"]), [(2, 5), (0, 0)], text, "release")
    assert [(g.role, text[g.start : g.end]) for g in guesses] == [("agent", "Vietnam")]


class FakeArgumentTagger(ArgumentTagger):
    """Calls the first word of the trigger's sentence its agent, and the word after the trigger its person."""

    def __init__(self, roles: Sequence[str]) -> None:
        super().__init__(folder=Path("/nonexistent"))
        self._fake_roles = frozenset(roles)
        self.calls: list[list[tuple[str, tuple[int, int], str]]] = []

    @property
    def roles(self) -> frozenset[str]:
        return self._fake_roles

    def tag(self, items: Sequence[tuple[str, tuple[int, int], str]]) -> list[list[tuple[str, int, int]]]:
        self.calls.append(list(items))
        out = []
        for text, (_, end), _ in items:
            nxt = text.index(" ", end + 1) if " " in text[end + 1 :] else len(text)
            out.append([("agent", 0, text.index(" ")), ("person", end + 1, nxt)])
        return out


def test_hybrid_v2_takes_the_learned_spans_of_its_roles_and_the_parse_for_the_rest() -> None:
    analyzed = article(ASSERTED, PASSIVE_ARREST)  # "Police arrested him ." "Two men were arrested by police ..."
    parsed = _classify(analyzed, ParseInterpreter())
    fake = FakeArgumentTagger(["person"])
    learned = _classify(analyzed, LearnedArgumentsInterpreter(fake))
    # one batch for the article's triggers, each with its own sentence and span
    (items,) = fake.calls
    assert [(text[s:e], etype) for text, (s, e), etype in items] == [("arrested", "arrest"), ("arrested", "arrest")]
    assert items[1][0].startswith("Two men")
    text = analyzed.article.text
    assert all(text[a.start : a.end] == a.text for e in learned for a in e.arguments)

    def roles(events, role):  # type: ignore[no-untyped-def]
        return [sorted(a.text for a in e.arguments if a.role == role) for e in events]

    assert roles(parsed, "person") == [["him"], ["Two men"]]
    assert roles(learned, "person") == [["him"], ["by"]]  # the fake's word after the trigger
    assert roles(learned, "agent") == roles(parsed, "agent") == [["Police"], ["police"]]  # not a learned role
    assert [e.time for e in learned] == [e.time for e in parsed]


def test_a_learned_time_role_also_gives_the_span_the_date_is_read_from() -> None:
    fake = FakeArgumentTagger(["time"])
    (event,) = _classify(article(PASSIVE_ARREST), LearnedArgumentsInterpreter(fake))
    assert event.time is None  # the fake tags no time: the parse's "on Monday" is replaced by nothing
    assert not any(a.role == "time" for a in event.arguments)


def _classify(analyzed, interpreter):  # type: ignore[no-untyped-def]
    from pipeline.classify.rules import RulesDetector

    clf = LearnedArgumentsClassifier(detector=RulesDetector(), interpreter=interpreter)  # type: ignore[arg-type]
    assert clf.name == "hybrid.v2"
    return clf.classify(analyzed)


def test_no_roles_chosen_means_the_network_is_not_run() -> None:
    fake = FakeArgumentTagger([])
    analyzed = article(ASSERTED)
    _classify(analyzed, LearnedArgumentsInterpreter(fake))
    assert fake.calls == []


def test_an_empty_window_list_needs_no_network() -> None:
    assert ArgumentTagger(folder=Path("/nonexistent")).tag([]) == []


def test_decode_continues_a_hesitant_piece_and_begins_spans_after_a_space() -> None:
    text = "In May, the U.S. Treasury's staff and Venezuela’s government spoke"
    offsets = [(0, 2), (3, 6), (6, 7), (13, 14), (14, 16), (17, 25), (25, 27), (28, 33), (38, 47), (47, 49), (50, 60)]
    probs = one_hot(
        ["B-time", "O", "O", "O", "B-speaker", "I-speaker", "B-content", "I-content", "B-agent", "B-source", "I-source"]
    )
    probs[1, ARG_LABELS.index("I-time")] = 0.25  # "May": O is likelier, but the span goes on
    found = [(g.role, text[g.start : g.end]) for g in decode_arguments(probs, offsets, text, "announcement")]
    assert found == [
        ("time", "In May"),
        ("speaker", "U.S. Treasury"),  # the span began inside "U.S."
        ("content", "Treasury's staff"),  # a possessive takes its possessor, and the speaker stays
        ("source", "Venezuela’s government"),  # "Venezuela" (agent) is not an announcement role
    ]
    strict = decode_arguments(probs, offsets, text, "announcement", continue_at=0.5)
    assert text[strict[0].start : strict[0].end] == "In"
    # a span never begins with a comma or a dash
    assert [text[g.start : g.end] for g in decode_arguments(one_hot(["B-time"]), [(6, 11)], text, "arrest")] == ["the"]


def test_learned_names_cover_the_whole_entity_and_touching_spans_of_a_role_join() -> None:
    from pipeline.classify.argtagger import snap_to_entities
    from pipeline.records import EntityMention

    # "said Mr. Guanipa Linares in Caracas"
    ents = [EntityMention(text="Guanipa Linares", start=9, end=24, label="PERSON")]
    assert snap_to_entities([("source", 9, 16), ("source", 17, 24)], ents) == [("source", 9, 24)]
    assert snap_to_entities([("person", 17, 24), ("time", 17, 24)], ents) == [("person", 9, 24), ("time", 17, 24)]
    assert snap_to_entities([("place", 28, 35)], ents) == [("place", 28, 35)]


def test_touching_spans_of_a_role_outside_a_name_stay_two() -> None:
    from pipeline.classify.argtagger import snap_to_entities

    # "Apple Inc. Sony": the decoder began a new span; joining them would make a junk speaker
    assert snap_to_entities([("speaker", 0, 10), ("speaker", 11, 15)], []) == [("speaker", 0, 10), ("speaker", 11, 15)]


def test_a_sentence_with_too_many_triggers_keeps_the_parse_arguments() -> None:
    from pipeline.classify.argtagger import MAX_TRIGGERS_PER_SENTENCE
    from pipeline.classify.base import TriggerCandidate

    analyzed = article(ASSERTED, PASSIVE_ARREST)
    crowded = [
        TriggerCandidate("arrest", 0, 1, (1,), 0.5 + i / 100, True) for i in range(MAX_TRIGGERS_PER_SENTENCE + 1)
    ]
    one = TriggerCandidate("arrest", 1, 3, (3,), 0.9, True)
    fake = FakeArgumentTagger(["person"])
    learned, roles = LearnedArgumentsInterpreter(fake).learned_arguments(analyzed, [*crowded, one])
    assert roles == {"person"} and list(learned) == [one]
    (items,) = fake.calls
    assert len(items) == 1


def test_one_span_of_a_single_role_and_no_nesting_the_annotations_never_show() -> None:
    from pipeline.classify.argtagger_model import ArgGuess, drop_nested, keep_one

    speech = [
        ArgGuess("speaker", 0, 8, 0.9),  # "Bernanke"
        ArgGuess("speaker", 20, 40, 0.6),  # the audience, tagged as a second speaker
        ArgGuess("medium", 44, 60, 0.8),
        ArgGuess("speaker", 44, 50, 0.7),  # the speaker inside its medium: "Sophos's report"
    ]
    assert keep_one(speech, frozenset({"speaker"})) == [speech[0], speech[2]]
    assert keep_one(speech, frozenset()) == speech
    allowed = frozenset({("speaker", "medium")})
    assert drop_nested(speech, allowed) == speech
    assert drop_nested(speech, frozenset()) == speech[:3]
    arrest = [ArgGuess("crime", 10, 40, 0.8), ArgGuess("person", 22, 36, 0.9)]  # "challenging Maduro's rule"
    assert drop_nested(arrest, allowed) == arrest[:1]


def test_a_trigger_the_learned_model_left_alone_keeps_every_parse_argument() -> None:
    from sentences import ACCORDING_TO, view

    from pipeline.classify.interpret import interpret_sentence
    from pipeline.classify.triggers import find_triggers
    from pipeline.records import ArgumentCandidate

    v = view(ACCORDING_TO)
    (trig,) = find_triggers(v)
    roles = frozenset({"source", "person"})

    def sources(learned: dict) -> list[str]:  # type: ignore[type-arg]
        (cand,) = interpret_sentence(v, [trig], "hybrid.v2", learned=learned, learned_roles=roles)
        return [a.text for a in cand.arguments if a.role == "source"]

    # tagged: the learned spans stand for both roles, so the parse's attribution is not added
    assert sources({trig: [ArgumentCandidate(role="person", start=16, end=19, text="him")]}) == []
    # not tagged (a crowded sentence): the parse's attribution stays
    assert sources({}) == ["Amnesty"]


def test_a_medium_that_stops_at_the_trigger_runs_through_it() -> None:
    from pipeline.classify.argtagger import medium_through_trigger

    text = "Police said in a statement on its Web site"
    statement = (text.index("statement"), text.index("statement") + 9)
    a, on = text.index("a statement"), text.index("on its")
    assert medium_through_trigger([("medium", a, a + 1)], text, statement) == [("medium", a, statement[1])]
    # another role, or a medium apart from the trigger, stays as it is
    assert medium_through_trigger([("content", a, a + 1)], text, statement) == [("content", a, a + 1)]
    assert medium_through_trigger([("medium", on + 3, len(text))], text, statement) == [("medium", on + 3, len(text))]


def test_a_stream_of_articles_is_tagged_in_shared_batches_with_the_same_result() -> None:
    from pipeline.classify.rules import RulesDetector

    def named(analyzed, name):  # type: ignore[no-untyped-def]
        return analyzed.model_copy(update={"article": analyzed.article.model_copy(update={"id": name})})

    stream = [named(article(ASSERTED), "a"), named(article(PASSIVE_ARREST), "b"), named(article(ASSERTED), "c")]
    one_by_one = FakeArgumentTagger(["person"])
    alone = LearnedArgumentsClassifier(detector=RulesDetector(), interpreter=LearnedArgumentsInterpreter(one_by_one))
    expected = [alone.classify(a) for a in stream]
    assert len(one_by_one.calls) == 3

    shared = FakeArgumentTagger(["person"])
    clf = LearnedArgumentsClassifier(detector=RulesDetector(), interpreter=LearnedArgumentsInterpreter(shared))
    got = list(clf.classify_many(stream))
    assert [a.article.id for a, _ in got] == ["a", "b", "c"]
    assert [events for _, events in got] == expected
    (items,) = shared.calls  # one call of the tagger for the three articles' triggers
    assert len(items) == 3
