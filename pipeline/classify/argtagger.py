"""``hybrid.v2``: hybrid.v1's triggers, with the argument spans of chosen roles from a learned tagger.

The argument tagger (:mod:`.argtagger_model`, shipped as ``models/argtagger.v1``) reads
one trigger at a time: the sentence with the trigger marked and its event type in front.
It runs after the parse, on the sentences that hold triggers, all triggers of an article
in shared batches. The parse still gives modality, tense, attribution and report links;
for the roles listed in the artifact's ``config.json`` (``roles``, chosen end to end on
dev by ``scripts/choose_arg_roles.py``) the learned spans replace the parse's.
"""

from __future__ import annotations

import importlib.resources
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from pipeline.classify.base import DetectAndInterpret, TriggerCandidate, register
from pipeline.classify.interpret import ParseInterpreter
from pipeline.classify.tagger import HybridDetector, read_config
from pipeline.config import ClassifierConfig
from pipeline.records import AnalyzedArticle, ArgumentCandidate, EntityMention, EventCandidate

NAME = "hybrid.v2"
#: Folder of the artifact inside the ``pipeline.models`` package (``models/`` in the repo).
DEFAULT_ARTIFACT = "argtagger.v1"
#: Windows encoded and run at a time.
CHUNK = 256
#: Articles whose triggers the argument tagger reads in shared forward passes.
ARTICLES_PER_BATCH = 64
#: A sentence with more triggers than this (a run-on list, a table) keeps the parse's
#: arguments: each trigger costs one encoder pass over its window.
MAX_TRIGGERS_PER_SENTENCE = 12
#: Roles whose learned span is widened to the named entities it cuts through.
NAMED_ROLES = frozenset({"agent", "person", "speaker", "source", "place"})


#: Learned argument spans per trigger of one article.
Learned = dict[TriggerCandidate, list[ArgumentCandidate]]


def artifact_dir() -> Path:
    """The shipped artifact folder (``models/argtagger.v1`` in the repository)."""
    return Path(str(importlib.resources.files("pipeline.models").joinpath(DEFAULT_ARTIFACT)))


class ArgumentTagger:
    """The learned argument tagger: (sentence, trigger span, type) in, role spans (sentence offsets) out.

    The network loads on first use, once per process (:func:`.tagger_model.load_tagger`).

    Args:
        folder: the artifact folder (default: the shipped ``argtagger.v1``).
        batch: windows per forward pass.
    """

    def __init__(self, folder: Path | None = None, batch: int = 32) -> None:
        self.folder = folder or artifact_dir()
        self.batch = batch

    @property
    def roles(self) -> frozenset[str]:
        """The roles whose learned spans the pipeline uses (the artifact's ``roles``)."""
        return frozenset(read_config(self.folder).get("roles", ()))

    @property
    def nesting_allowed(self) -> frozenset[tuple[str, str]]:
        """(inner, outer) role pairs whose spans may nest (the artifact's ``nesting_allowed``)."""
        return frozenset((inner, outer) for inner, outer in read_config(self.folder).get("nesting_allowed", ()))

    @property
    def single_roles(self) -> frozenset[str]:
        """The roles of which an event keeps only the most confident span (the artifact's ``single_roles``)."""
        return frozenset(read_config(self.folder).get("single_roles", ()))

    def _network(self) -> tuple[Any, Any]:
        from pipeline.classify.argtagger_model import build_network
        from pipeline.classify.encoder import encoder_path
        from pipeline.classify.tagger_model import load_tagger

        net, tokenizer, _ = load_tagger(self.folder, encoder_path(), build=build_network)
        return net, tokenizer

    def tag(self, items: Sequence[tuple[str, tuple[int, int], str]]) -> list[list[tuple[str, int, int]]]:
        """(role, start, end) spans per item; an item is (sentence text, trigger span in it, event type)."""
        if not items:
            return []
        from pipeline.classify.argtagger_model import decode_arguments, drop_nested, encode, forward, keep_one

        net, tokenizer = self._network()
        single, nesting = self.single_roles, self.nesting_allowed
        pieces: dict[str, tuple[list[int], list[tuple[int, int]]]] = {}
        out = []
        for k in range(0, len(items), CHUNK):  # bounded memory however many triggers an article has
            chunk = items[k : k + CHUNK]
            windows = []
            for text, trigger, etype in chunk:
                if text not in pieces:
                    enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
                    pieces[text] = (list(enc["input_ids"]), [tuple(o) for o in enc["offset_mapping"]])
                windows.append(encode(tokenizer, text, trigger, etype, pieces=pieces[text]))
            for (text, _, etype), w, probs in zip(chunk, windows, forward(net, windows, self.batch), strict=True):
                guesses = keep_one(drop_nested(decode_arguments(probs, w.offsets, text, etype), nesting), single)
                out.append([(g.role, g.start, g.end) for g in guesses])
        return out


class LearnedArgumentsInterpreter(ParseInterpreter):
    """The parse interpreter, with the argument tagger's spans for its chosen roles.

    Args:
        tagger: the argument tagger (default: the shipped one).
        roles: the roles to take from it (default: the artifact's choice).
    """

    def __init__(self, tagger: ArgumentTagger | None = None, roles: frozenset[str] | None = None) -> None:
        super().__init__()
        self.tagger = tagger or ArgumentTagger()
        self._roles = roles
        self._prepared: dict[tuple[str, int], tuple[tuple[TriggerCandidate, ...], Learned]] = {}

    def learned_arguments(
        self, analyzed: AnalyzedArticle, triggers: Sequence[TriggerCandidate]
    ) -> tuple[Mapping[TriggerCandidate, list[ArgumentCandidate]], frozenset[str]]:
        """The learned spans of an article's triggers, in document offsets.

        Spans tagged ahead for a batch of articles (:meth:`prepare`) are used when they were
        tagged for these very triggers; otherwise the article's triggers are tagged now.
        """
        roles = self._roles if self._roles is not None else self.tagger.roles
        ready = self._prepared.pop((analyzed.article.id, id(analyzed)), None)
        if ready is not None and ready[0] == tuple(triggers):
            return ready[1], roles
        return self._tag_articles([(analyzed, triggers)], roles)[0], roles

    def prepare(self, batch: Sequence[tuple[AnalyzedArticle, Sequence[TriggerCandidate]]]) -> None:
        """Tag the triggers of a batch of articles in shared forward passes, for :meth:`learned_arguments`.

        One article holds one or two triggers on average: tagged one article at a time, the
        encoder runs on tiny batches (bench: 417 triggers of 300 articles took 5-6 s so, and
        3.4 s in batches).
        """
        roles = self._roles if self._roles is not None else self.tagger.roles
        self._prepared.clear()  # what an earlier batch left (an article that failed before its turn)
        for (analyzed, triggers), learned in zip(batch, self._tag_articles(batch, roles), strict=True):
            self._prepared[(analyzed.article.id, id(analyzed))] = (tuple(triggers), learned)

    def _tag_articles(
        self, batch: Sequence[tuple[AnalyzedArticle, Sequence[TriggerCandidate]]], roles: frozenset[str]
    ) -> list[dict[TriggerCandidate, list[ArgumentCandidate]]]:
        """Learned spans per trigger of each article, all articles' triggers in one call of the tagger."""
        if not roles:
            return [{} for _ in batch]
        keys: list[tuple[int, TriggerCandidate]] = []
        items: list[tuple[str, tuple[int, int], str]] = []
        for k, (analyzed, triggers) in enumerate(batch):
            text = analyzed.article.text
            sentences = {s.index: s for s in analyzed.sentences}
            per_sentence = Counter(t.sentence_index for t in triggers)
            sentence_texts: dict[int, str] = {}
            for trig in triggers:
                sent = sentences.get(trig.sentence_index)
                if sent is None or not sent.parsed:
                    continue  # the parse interpreter reports it
                if per_sentence[trig.sentence_index] > MAX_TRIGGERS_PER_SENTENCE:
                    continue
                first, last = trig.tokens[0], trig.tokens[-1]
                start = sent.starts[first] - sent.start
                end = sent.starts[last] + len(sent.words[last]) - sent.start
                keys.append((k, trig))
                if sent.index not in sentence_texts:  # one string per sentence, however many triggers
                    sentence_texts[sent.index] = text[sent.start : sent.end]
                items.append((sentence_texts[sent.index], (start, end), trig.type))
        learned: list[dict[TriggerCandidate, list[ArgumentCandidate]]] = [{} for _ in batch]
        for (k, trig), spans in zip(keys, self.tagger.tag(items), strict=True):
            analyzed = batch[k][0]
            text = analyzed.article.text
            sent = next(s for s in analyzed.sentences if s.index == trig.sentence_index)
            widened = snap_to_entities([(r, sent.start + s, sent.start + e) for r, s, e in spans], analyzed.entities)
            first, last = trig.tokens[0], trig.tokens[-1]
            trigger = (sent.starts[first], sent.starts[last] + len(sent.words[last]))
            if not trig.verbal:  # before a verb the medium is its own phrase: "a book published"
                widened = medium_through_trigger(widened, text, trigger)
            learned[k][trig] = [ArgumentCandidate(role=role, start=s, end=e, text=text[s:e]) for role, s, e in widened]
        return learned


def medium_through_trigger(
    spans: Sequence[tuple[str, int, int]], text: str, trigger: tuple[int, int]
) -> list[tuple[str, int, int]]:
    """A ``medium`` span that stops right before a channel-noun trigger runs through it: "a" -> "a statement".

    The gold medium of a channel noun is the noun phrase around the trigger (in train 310 of
    380 media overlap their trigger: "a statement", "its Web site", "Mr Tanzi's statement").
    The tagger does not tag the marked trigger's pieces, so it gives only what precedes
    them, often a bare determiner.

    Args:
        spans: (role, start, end) in document offsets.
        text: the article text.
        trigger: the trigger's (start, end) in document offsets.
    """
    out = []
    for role, s, e in spans:
        if role == "medium" and e <= trigger[0] and text[e : trigger[0]] in ("", " "):
            e = trigger[1]
        out.append((role, s, e))
    return out


def snap_to_entities(
    spans: Sequence[tuple[str, int, int]], entities: Sequence[EntityMention]
) -> list[tuple[str, int, int]]:
    """Widen spans of :data:`NAMED_ROLES` over the named entities they cut through, then join what meets.

    A span that takes part of a name ("Guanipa" of "Mr. Guanipa Linares") covers the whole
    name; spans of one role that then overlap become one (spans that only touch stay two:
    the decoder already chose to begin a new one).

    Args:
        spans: (role, start, end) in document offsets, in text order.
        entities: the article's named-entity mentions.
    """
    out: list[tuple[str, int, int]] = []
    for role, s, e in spans:
        if role in NAMED_ROLES:
            for ent in entities:
                if ent.start < e and s < ent.end and (ent.start < s or e < ent.end):
                    s, e = min(s, ent.start), max(e, ent.end)
        same = next((k for k, (r, a, b) in enumerate(out) if r == role and a < e and s < b), None)
        if same is None:
            out.append((role, s, e))
        else:
            r, a, b = out[same]
            out[same] = (r, min(a, s), max(b, e))
    return sorted(out, key=lambda t: (t[1], t[2]))


class LearnedArgumentsClassifier(DetectAndInterpret):
    """``hybrid.v2``: hybrid.v1's detector; arguments of the chosen roles from the argument tagger."""

    def __init__(
        self,
        cfg: ClassifierConfig | None = None,
        detector: HybridDetector | None = None,
        interpreter: LearnedArgumentsInterpreter | None = None,
    ) -> None:
        super().__init__(
            detector or HybridDetector(), interpreter or LearnedArgumentsInterpreter(), cfg or ClassifierConfig()
        )
        self.learned = self.interpreter if isinstance(self.interpreter, LearnedArgumentsInterpreter) else None
        self.name = NAME

    def classify_many(
        self, stream: Iterable[AnalyzedArticle]
    ) -> Iterator[tuple[AnalyzedArticle, list[EventCandidate]]]:
        """Classify a stream; the argument tagger reads the triggers of :data:`ARTICLES_PER_BATCH` articles at once."""
        detected = self.detector.detect_many(stream)
        while batch := list(itertools.islice(detected, ARTICLES_PER_BATCH)):
            if self.learned is not None:
                self.learned.prepare(batch)
            for analyzed, triggers in batch:
                yield analyzed, self.interpret(analyzed, triggers)


@register(NAME)
def make_hybrid_v2(cfg: ClassifierConfig) -> LearnedArgumentsClassifier:
    """Factory for ``hybrid.v2``."""
    return LearnedArgumentsClassifier(cfg)
