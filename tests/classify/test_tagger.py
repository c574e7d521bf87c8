"""tagger.v1 / hybrid.v1 without the network: decoding, windows, the stem lexicon, span-to-token mapping."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from pipeline.classify.rules import RulesDetector
from pipeline.classify.tagger import (
    HybridDetector,
    Tagged,
    TaggerClassifier,
    TaggerDetector,
    head_of,
    tokens_of_span,
)
from pipeline.classify.tagger_lexicon import has_candidate, learn_stems, stem
from pipeline.classify.tagger_model import LABELS, decode_spans, preprocess, quantize_rows
from pipeline.records import AnalyzedArticle, Article, InputRef, SentenceText
from tests.classify.sentences import parse

# --- decoding ------------------------------------------------------------------------------


def probs_for(labels: Sequence[str], confidence: float = 0.9) -> np.ndarray:
    """One probability row per piece, putting ``confidence`` on the named label."""
    rows = np.full((len(labels), len(LABELS)), (1 - confidence) / (len(LABELS) - 1), dtype=np.float32)
    for i, label in enumerate(labels):
        rows[i, LABELS.index(label)] = confidence
    return rows


def test_decode_joins_word_pieces_and_widens_to_whole_words() -> None:
    text = "Police arrested him and announced it."
    # [CLS] police arrest ##ed him and announced it . [SEP]
    offsets = [(0, 0), (0, 6), (7, 13), (13, 15), (16, 19), (20, 23), (24, 33), (34, 36), (36, 37), (0, 0)]
    labels = ["O", "O", "B-arrest", "I-arrest", "O", "O", "B-announcement", "O", "O", "O"]
    spans = decode_spans(probs_for(labels), offsets, text)
    assert [(text[s.start : s.end], s.type) for s in spans] == [("arrested", "arrest"), ("announced", "announcement")]
    assert spans[0].confidence == pytest.approx(1 - (0.1 / (len(LABELS) - 1)), abs=1e-4)


def test_decode_threshold_and_new_trigger_on_b() -> None:
    text = "house arrest freed"
    offsets = [(0, 5), (6, 12), (13, 18)]
    labels = ["B-arrest", "I-arrest", "B-release"]
    spans = decode_spans(probs_for(labels), offsets, text)
    assert [(text[s.start : s.end], s.type) for s in spans] == [("house arrest", "arrest"), ("freed", "release")]
    doubtful = np.zeros((3, len(LABELS)), dtype=np.float32)
    doubtful[:, 0] = 0.55  # "O" keeps most of the mass: each piece is an event at 0.45 < 0.5
    for i, label in enumerate(labels):
        doubtful[i, LABELS.index(label)] = 0.45
    assert decode_spans(doubtful, offsets, text, threshold=0.5) == []
    assert len(decode_spans(doubtful, offsets, text, threshold=0.4)) == 2


def test_decode_b_b_across_one_space_is_one_trigger_but_not_across_a_comma() -> None:
    text = "house arrest, detention"
    offsets = [(0, 5), (6, 12), (14, 23)]
    spans = decode_spans(probs_for(["B-arrest", "B-arrest", "B-arrest"]), offsets, text)
    assert [text[s.start : s.end] for s in spans] == ["house arrest", "detention"]


def test_decode_a_piece_inside_a_word_widens_once() -> None:
    text = "rearrested"
    offsets = [(0, 2), (2, 10)]
    spans = decode_spans(probs_for(["O", "B-arrest"]), offsets, text)
    assert [(text[s.start : s.end], s.type) for s in spans] == [("rearrested", "arrest")]


class FakeTokenizer:
    """Whitespace 'pieces' with offsets, like a fast tokenizer."""

    cls_token_id = 101
    sep_token_id = 102

    def __call__(self, texts: list[str], **_: Any) -> dict[str, list[Any]]:
        ids, offsets = [], []
        for text in texts:
            pos, row_ids, row_offsets = 0, [], []
            for word in text.split():
                start = text.index(word, pos)
                row_ids.append(1000 + len(word))
                row_offsets.append((start, start + len(word)))
                pos = start + len(word)
            ids.append(row_ids)
            offsets.append(row_offsets)
        return {"input_ids": ids, "offset_mapping": offsets}


def test_long_sentences_get_overlapping_windows_that_own_each_piece_once() -> None:
    text = " ".join(f"w{i}" for i in range(25))
    windows = preprocess(FakeTokenizer(), ["short one", text], max_pieces=10, stride=6)
    assert [w.sentence for w in windows] == [0, 1, 1, 1, 1]
    assert all(len(w.ids) <= 10 and w.ids[0] == 101 and w.ids[-1] == 102 for w in windows)
    owned = [w.offsets[j] for w in windows[1:] for j in w.owned]
    starts = [text.index(f"w{i}") if i == 0 else text.index(f" w{i}") + 1 for i in range(25)]
    assert sorted(o[0] for o in owned) == starts  # every piece read exactly once


def test_quantized_rows_round_trip_closely() -> None:
    weight = np.random.default_rng(0).normal(size=(8, 16)).astype(np.float32)
    q, scale = quantize_rows(weight)
    assert q.dtype == np.int8
    assert np.abs(q * scale - weight).max() <= scale.max() / 2 + 1e-6


# --- the lexicon -------------------------------------------------------------------------


def test_stems_are_learned_with_their_share_of_trigger_uses() -> None:
    assert stem("arrested") == "arres" and stem("arrest") == "arres" and stem("held") == "held"
    sentences = [
        ("Police arrested two men.", [(7, 15)]),
        ("They are going to jail.", [(9, 14)]),  # "going" is the trigger here ...
        *[("We are going home.", [])] * 30,  # ... but almost never elsewhere
    ]
    stems = learn_stems(sentences, min_share=0.05)
    assert stems == ("arres",)
    assert has_candidate(["the", "arrests"], stems) and not has_candidate(["going", "home"], stems)


# --- the detector without the network -------------------------------------------------------


class FakeNetwork:
    """Tags every occurrence of the given words."""

    def __init__(self, words: dict[str, str]) -> None:
        self.words = words
        self.calls: list[list[str]] = []

    def tag(self, texts: Sequence[str]) -> list[list[Tagged]]:
        self.calls.append(list(texts))
        out = []
        for text in texts:
            found = []
            for word, etype in self.words.items():
                i = text.find(word)
                if i >= 0:
                    found.append(Tagged(i, i + len(word), etype, 0.9, "asserted", 0.8))  # type: ignore[arg-type]
            out.append(found)
        return out


@pytest.fixture
def artifact(tmp_path: Path) -> Path:
    (tmp_path / "config.json").write_text('{"stems": ["arres", "annou", "detai", "relea"], "threshold": 0.5}')
    return tmp_path


TABLE = """
    Police   police  NOUN  NNS  nsubj  1
    arrested arrest  VERB  VBD  ROOT   1
    him      he      PRON  PRP  dobj   1
"""


def test_only_candidate_sentences_are_tagged_and_only_hits_parsed(artifact: Path) -> None:
    net = FakeNetwork({"arrested": "arrest"})
    detector = TaggerDetector(artifact, tagger=net)
    sentences = [
        SentenceText(article_id="a", start=0, end=20, text="Police arrested him", words=("police", "arrested", "him")),
        SentenceText(article_id="a", start=21, end=38, text="The sun was out.", words=("the", "sun", "was", "out")),
        SentenceText(article_id="b", start=0, end=22, text="Arrests were rare here", words=("arrests", "were")),
    ]
    assert detector.select_sentences(sentences) == [True, False, False]
    assert net.calls == [["Police arrested him", "Arrests were rare here"]]


def test_tagged_spans_map_to_the_parsed_tokens(artifact: Path) -> None:
    text, sent = parse(TABLE)
    detector = TaggerDetector(artifact, tagger=FakeNetwork({"arrested": "arrest"}))
    offered = SentenceText(article_id="a", start=0, end=len(text), text=text, words=tuple(text.lower().split()))
    detector.select_sentences([offered])
    analyzed = AnalyzedArticle(
        article=Article(id="a", text=text, input=InputRef(path="t")), sentences=[sent], entities=[]
    )
    (trigger,) = detector.detect(analyzed)
    assert (trigger.type, trigger.tokens, trigger.head, trigger.verbal, trigger.modality) == (
        "arrest",
        (1,),
        1,
        True,
        "asserted",
    )
    # an article analyzed elsewhere (never offered) is tagged from its parsed sentences
    again = TaggerDetector(artifact, tagger=FakeNetwork({"arrested": "arrest"}))
    assert [t.tokens for t in again.detect(analyzed)] == [(1,)]
    (candidate,) = TaggerClassifier(detector=again).classify(analyzed)
    assert candidate.trigger.text == "arrested" and candidate.extractor == "tagger.v1"


def test_span_tokens_and_head() -> None:
    text, sent = parse(
        """
        under  under   ADP   IN   prep  2
        house  house   NOUN  NN   compound 2
        arrest arrest  NOUN  NN   ROOT  2
        """
    )
    tokens = tokens_of_span(sent, text.index("house"), text.index("arrest") + 6)
    assert tokens == (1, 2) and head_of(sent, tokens) == 2


def test_hybrid_adds_rules_triggers_the_tagger_missed(artifact: Path) -> None:
    text, sent = parse(
        """
        Police   police  NOUN  NNS  nsubj  1
        detained detain  VERB  VBD  ROOT   1
        him      he      PRON  PRP  dobj   1
        """
    )
    analyzed = AnalyzedArticle(
        article=Article(id="a", text=text, input=InputRef(path="t")), sentences=[sent], entities=[]
    )
    hybrid = HybridDetector(TaggerDetector(artifact, tagger=FakeNetwork({})), RulesDetector())
    assert [(t.type, t.tokens, t.modality) for t in hybrid.detect(analyzed)] == [("arrest", (1,), None)]
    tagged = HybridDetector(TaggerDetector(artifact, tagger=FakeNetwork({"detained": "release"})), RulesDetector())
    assert [(t.type, t.tokens) for t in tagged.detect(analyzed)] == [("release", (1,))]  # the tagger wins
