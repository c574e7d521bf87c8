"""``tagger.v1`` and ``hybrid.v1``: triggers from the fine-tuned tagger, tagged before the parse.

The NLP stage offers every sentence of a batch of articles to the detector before it
parses (:meth:`TaggerDetector.select_sentences`). The detector keeps the sentences that
hold a candidate word (:mod:`.tagger_lexicon`), tags them with the network
(:mod:`.tagger_model`) in shared batches, and asks the NLP stage to parse only the
sentences with a hit. After the parse, :meth:`TaggerDetector.detect` maps each tagged
span to the tokens of its parsed sentence; the shared interpretation stage reads the
arguments, and the modality comes from the tagger's modality head.

``hybrid.v1`` adds the rules' triggers that the tagger did not find (both detectors'
sentences are parsed): the rules are precise on their lexicon, the tagger covers wording
the rules lack.
"""

from __future__ import annotations

import importlib.resources
import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.classify.base import DetectAndInterpret, TriggerCandidate, TriggerDetector, register
from pipeline.classify.interpret import ParseInterpreter
from pipeline.classify.rules import RulesDetector
from pipeline.classify.tagger_lexicon import has_candidate
from pipeline.config import ClassifierConfig
from pipeline.errors import ModelError
from pipeline.records import MODALITIES, AnalyzedArticle, EventType, Modality, Sentence, SentenceText

NAME = "tagger.v1"
HYBRID_NAME = "hybrid.v1"
#: Folder of the artifact inside the ``pipeline.models`` package (``models/`` in the repo).
DEFAULT_ARTIFACT = "tagger.v1"
#: Articles whose tagged spans wait for their parse (more than one batch, for retries).
MAX_PENDING = 512


@dataclass(frozen=True)
class Tagged:
    """A span the tagger found, in document offsets, with its type and modality."""

    start: int
    end: int
    type: EventType
    confidence: float
    modality: Modality
    modality_confidence: float


def artifact_dir() -> Path:
    """The shipped artifact folder (``models/tagger.v1`` in the repository)."""
    return Path(str(importlib.resources.files("pipeline.models").joinpath(DEFAULT_ARTIFACT)))


_CONFIG_LOCK = threading.Lock()
_CONFIGS: dict[str, dict[str, Any]] = {}


def read_config(folder: Path) -> dict[str, Any]:
    """The artifact's config (labels, threshold, candidate stems), read once; torch is not needed."""
    key = str(folder)
    with _CONFIG_LOCK:
        if key not in _CONFIGS:
            path = folder / "config.json"
            try:
                _CONFIGS[key] = json.loads(path.read_text(encoding="utf-8"))
            except OSError as e:
                raise ModelError(
                    f"Cannot read the model config {path}: {e.strerror}. Reinstall newsevents, or train the "
                    "shipped models again with `make train`."
                ) from e
        return _CONFIGS[key]


def forget_configs() -> None:
    """Drop the artifact configs read so far (a script that rewrites config.json reads it anew)."""
    with _CONFIG_LOCK:
        _CONFIGS.clear()


def tokens_of_span(sent: Sentence, start: int, end: int) -> tuple[int, ...]:
    """Indices of the tokens of a parsed sentence that overlap the character span."""
    return tuple(
        i for i, (s, w) in enumerate(zip(sent.starts, sent.words, strict=True)) if s < end and start < s + len(w)
    )


def head_of(sent: Sentence, tokens: Sequence[int]) -> int:
    """The token of a span whose syntactic head lies outside the span (the last one if none)."""
    inside = set(tokens)
    for i in tokens:
        if sent.heads[i] not in inside or sent.heads[i] == i:
            return i
    return tokens[-1]


class TaggerDetector(TriggerDetector):
    """The fine-tuned tagger as a trigger detector (see the module docstring).

    Construction is cheap: the artifact's config loads on the first sentence, the network
    (torch) on the first candidate sentence.

    Args:
        folder: the artifact folder; the shipped one when None.
        tagger: an object with ``tag(texts) -> list[list[Tagged-like]]`` in sentence
            offsets (tests pass a fake); the real network when None.
        batch: windows per forward pass.
        threshold_key: the artifact's config key of the decision threshold (``threshold``;
            ``hybrid_threshold`` for the tagger inside ``hybrid.v1``, which was chosen on dev
            with the rules beside it); falls back to ``threshold``.
    """

    name = NAME

    def __init__(
        self, folder: Path | None = None, tagger: Any = None, batch: int = 32, threshold_key: str = "threshold"
    ) -> None:
        self.folder = folder
        self._tagger = tagger
        self.batch = batch
        self.threshold_key = threshold_key
        self._pending: OrderedDict[str, list[Tagged]] = OrderedDict()

    @property
    def config(self) -> dict[str, Any]:
        """The artifact's config."""
        return read_config(self.folder or artifact_dir())

    @property
    def stems(self) -> tuple[str, ...]:
        """Candidate word beginnings learned with the model."""
        return tuple(self.config["stems"])

    @property
    def tagger(self) -> Any:
        """The network wrapper (built on first use)."""
        if self._tagger is None:
            config = self.config  # the artifact's current config (a script may rewrite its thresholds)
            threshold = float(config.get(self.threshold_key, config.get("threshold", 0.5)))
            self._tagger = NetworkTagger(self.folder or artifact_dir(), self.batch, threshold)
        return self._tagger

    def needs_parse(self, words: Sequence[str]) -> bool:
        """True when a word begins like a trigger of the training data (used without tagging)."""
        return has_candidate(words, self.stems)

    def select_sentences(self, sentences: Sequence[SentenceText]) -> list[bool]:
        """Tag the candidate sentences of a batch; parse those with a trigger."""
        stems = self.stems
        chosen = [i for i, s in enumerate(sentences) if has_candidate(s.words, stems)]
        found = self.tagger.tag([sentences[i].text for i in chosen]) if chosen else []
        hits = [False] * len(sentences)
        fresh: dict[str, list[Tagged]] = {}
        for s in sentences:
            fresh.setdefault(s.article_id, [])
        for i, spans in zip(chosen, found, strict=True):
            sent = sentences[i]
            hits[i] = bool(spans)
            fresh[sent.article_id] += [
                Tagged(
                    sent.start + t.start,
                    sent.start + t.end,
                    t.type,
                    t.confidence,
                    t.modality,
                    t.modality_confidence,
                )
                for t in spans
            ]
        for article_id, spans in fresh.items():
            self._pending[article_id] = spans
            self._pending.move_to_end(article_id)
        while len(self._pending) > MAX_PENDING:
            self._pending.popitem(last=False)
        return hits

    def detect(self, analyzed: AnalyzedArticle) -> list[TriggerCandidate]:
        """The tagged spans of one article mapped to its parsed tokens, in sentence then token order.

        An article the NLP stage did not offer first (a caller that analyzed it itself) is
        tagged here, from its parsed sentences.
        """
        tagged = self._pending.pop(analyzed.article.id, None)
        if tagged is None:
            offered = [
                SentenceText(
                    article_id=analyzed.article.id,
                    start=s.start,
                    end=s.end,
                    text=analyzed.article.text[s.start : s.end],
                    words=tuple(w.lower() for w in s.words),
                )
                for s in analyzed.sentences
                if s.parsed
            ]
            self.select_sentences(offered)
            tagged = self._pending.pop(analyzed.article.id, [])
        out: list[TriggerCandidate] = []
        for sent in analyzed.sentences:
            if not sent.parsed:
                continue
            for t in tagged:
                if not sent.start <= t.start < sent.end:
                    continue
                tokens = tokens_of_span(sent, t.start, t.end)
                if not tokens:
                    continue
                head = head_of(sent, tokens)
                out.append(
                    TriggerCandidate(
                        type=t.type,
                        sentence_index=sent.index,
                        head=head,
                        tokens=tokens,
                        confidence=t.confidence,
                        verbal=sent.pos[head] in ("VERB", "AUX"),
                        modality=t.modality,
                    )
                )
        return sorted(out, key=lambda c: (c.sentence_index, c.tokens))


class HybridDetector(TriggerDetector):
    """The tagger's triggers plus the rules' triggers on tokens the tagger left alone."""

    name = HYBRID_NAME

    def __init__(self, tagger: TaggerDetector | None = None, rules: RulesDetector | None = None) -> None:
        self.tagger = tagger or TaggerDetector(threshold_key="hybrid_threshold")
        self.rules = rules or RulesDetector()

    def needs_parse(self, words: Sequence[str]) -> bool:
        """Either detector's word test."""
        return self.rules.needs_parse(words) or self.tagger.needs_parse(words)

    def select_sentences(self, sentences: Sequence[SentenceText]) -> list[bool]:
        """Sentences with a tagger hit, and those the rules' lexicon may match."""
        tagged = self.tagger.select_sentences(sentences)
        return [t or self.rules.needs_parse(s.words) for t, s in zip(tagged, sentences, strict=True)]

    def detect(self, analyzed: AnalyzedArticle) -> list[TriggerCandidate]:
        """Union of both detectors; on overlapping tokens the tagger's trigger wins."""
        found = self.tagger.detect(analyzed)
        taken = {(t.sentence_index, i) for t in found for i in t.tokens}
        for t in self.rules.detect(analyzed):
            if not any((t.sentence_index, i) in taken for i in t.tokens):
                found.append(t)
        return sorted(found, key=lambda c: (c.sentence_index, c.tokens))


class NetworkTagger:
    """The network behind :class:`TaggerDetector`: sentences in, tagged spans (sentence offsets) out."""

    def __init__(self, folder: Path, batch: int = 32, threshold: float = 0.5) -> None:
        from pipeline.classify.encoder import encoder_path
        from pipeline.classify.tagger_model import load_tagger

        self.net, self.tokenizer, _ = load_tagger(folder, encoder_path())
        self.batch = batch
        self.threshold = threshold

    def tag(self, texts: Sequence[str]) -> list[list[Tagged]]:
        """Tagged spans per sentence, in sentence character offsets."""
        import torch

        from pipeline.classify.tagger_model import decode_spans, forward, preprocess

        windows = preprocess(self.tokenizer, texts)
        out: list[list[Tagged]] = [[] for _ in texts]
        with torch.inference_mode():
            for w, (probs, hidden) in zip(windows, forward(self.net, windows, self.batch), strict=True):
                owned = [o if j in w.owned else (0, 0) for j, o in enumerate(w.offsets)]
                for guess in decode_spans(probs, owned, texts[w.sentence], self.threshold):
                    pieces = [j for j, o in enumerate(w.offsets) if o in guess.pieces]
                    mod = torch.softmax(self.net.modality_logits(hidden, pieces), dim=-1)
                    k = int(mod.argmax())
                    out[w.sentence].append(
                        Tagged(
                            guess.start,
                            guess.end,
                            guess.type,  # type: ignore[arg-type]
                            guess.confidence,
                            MODALITIES[k],
                            round(float(mod[k]), 4),
                        )
                    )
        return out


class TaggerClassifier(DetectAndInterpret):
    """``tagger.v1``: the fine-tuned tagger plus the shared interpretation stage."""

    def __init__(self, cfg: ClassifierConfig | None = None, detector: TaggerDetector | None = None) -> None:
        super().__init__(detector or TaggerDetector(), ParseInterpreter(), cfg or ClassifierConfig(name=NAME))


class HybridClassifier(DetectAndInterpret):
    """``hybrid.v1``: tagger and rules triggers plus the shared interpretation stage."""

    def __init__(self, cfg: ClassifierConfig | None = None, detector: HybridDetector | None = None) -> None:
        super().__init__(detector or HybridDetector(), ParseInterpreter(), cfg or ClassifierConfig(name=HYBRID_NAME))


@register(NAME)
def make_tagger(cfg: ClassifierConfig) -> TaggerClassifier:
    """Factory for ``tagger.v1``."""
    return TaggerClassifier(cfg)


@register(HYBRID_NAME)
def make_hybrid(cfg: ClassifierConfig) -> HybridClassifier:
    """Factory for ``hybrid.v1``."""
    return HybridClassifier(cfg)
