"""The classifier interfaces (trigger detector, interpreter, classifier) and the registry of names.

A classifier is two stages: a :class:`TriggerDetector` (rules, or a model) finds typed
:class:`TriggerCandidate` s in an analyzed article and declares which sentences it needs
parsed; an :class:`Interpreter` turns those triggers into
:class:`~pipeline.records.EventCandidate` s (arguments, modality, attribution, count, time).
:class:`DetectAndInterpret` chains the two and is what ``config.yaml`` names.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from pipeline.config import ClassifierConfig
from pipeline.errors import ConfigError
from pipeline.records import AnalyzedArticle, EventCandidate, EventType, Modality, SentenceText


@dataclass(frozen=True, slots=True)
class TriggerCandidate:
    """A trigger found by a detector in one parsed sentence.

    Attributes:
        type: the event type.
        sentence_index: ``Sentence.index`` of the sentence it is in.
        head: the head token (index relative to the sentence).
        tokens: the tokens of the trigger span, sorted.
        confidence: the detector's confidence, 0..1.
        verbal: True when the head is a verb (its arguments are its subject and object).
        modality: the detector's own modality (a model's head); None leaves it to the
            interpreter's reading of the parse.
    """

    type: EventType
    sentence_index: int
    head: int
    tokens: tuple[int, ...]
    confidence: float
    verbal: bool
    modality: Modality | None = None


class _ParseNeeds:
    """A named stage that declares which sentences the NLP stage must parse for it.

    Implementations are cheap to construct; heavy resources load on first use.
    """

    #: Registered, versioned name, e.g. ``rules.v1``.
    name: str = ""

    def needs_parse(self, words: Sequence[str]) -> bool:
        """Whether a sentence (its lower-cased words) needs the dependency parse.

        The NLP stage parses only sentences for which this is true; the default is all.
        """
        return True

    def select_sentences(self, sentences: Sequence[SentenceText]) -> list[bool]:
        """Which of a batch of sentences (before the parse) need the parse.

        The default asks :meth:`needs_parse` of each; a detector that tags sentences with
        a model overrides this to tag the whole batch at once.
        """
        return [self.needs_parse(s.words) for s in sentences]


class TriggerDetector(_ParseNeeds, ABC):
    """Finds the trigger candidates of analyzed articles (its ``name`` is its classifier's)."""

    @abstractmethod
    def detect(self, analyzed: AnalyzedArticle) -> list[TriggerCandidate]:
        """Return the trigger candidates of one article, in sentence then token order."""

    def detect_many(
        self, stream: Iterable[AnalyzedArticle]
    ) -> Iterator[tuple[AnalyzedArticle, list[TriggerCandidate]]]:
        """Detect over a stream; batching detectors override this."""
        for analyzed in stream:
            yield analyzed, self.detect(analyzed)


class Interpreter(ABC):
    """Turns the trigger candidates of an article into event candidates."""

    @abstractmethod
    def interpret(
        self, analyzed: AnalyzedArticle, triggers: Sequence[TriggerCandidate], extractor: str
    ) -> list[EventCandidate]:
        """Return the event candidates of one article, in text order.

        Args:
            analyzed: the article with its parsed sentences.
            triggers: trigger candidates in sentence then token order.
            extractor: versioned classifier name recorded on every candidate.

        Returns:
            Candidates whose ``reports`` index into the returned list.
        """


class Classifier(_ParseNeeds, ABC):
    """Finds event candidates in an analyzed article."""

    @abstractmethod
    def classify(self, analyzed: AnalyzedArticle) -> list[EventCandidate]:
        """Return the event candidates of one article."""

    def classify_many(
        self, stream: Iterable[AnalyzedArticle]
    ) -> Iterator[tuple[AnalyzedArticle, list[EventCandidate]]]:
        """Classify a stream; batching classifiers override this."""
        for analyzed in stream:
            yield analyzed, self.classify(analyzed)


class DetectAndInterpret(Classifier):
    """A classifier made of a trigger detector and an interpreter.

    The detector decides which sentences are parsed (:meth:`needs_parse`) and where the
    triggers are; the interpreter reads everything else. Candidates below
    ``cfg.min_confidence`` are dropped.

    Args:
        detector: finds trigger candidates; its ``name`` is the classifier's.
        interpreter: turns them into event candidates.
        cfg: the classifier settings.
    """

    def __init__(self, detector: TriggerDetector, interpreter: Interpreter, cfg: ClassifierConfig) -> None:
        self.detector = detector
        self.interpreter = interpreter
        self.cfg = cfg
        self.name = detector.name

    def needs_parse(self, words: Sequence[str]) -> bool:
        """The detector's test: only sentences that may hold one of its triggers are parsed."""
        return self.detector.needs_parse(words)

    def select_sentences(self, sentences: Sequence[SentenceText]) -> list[bool]:
        """The detector's batch decision on which sentences are parsed."""
        return self.detector.select_sentences(sentences)

    def classify(self, analyzed: AnalyzedArticle) -> list[EventCandidate]:
        """Return the event candidates of one article, in text order."""
        return self.interpret(analyzed, self.detector.detect(analyzed))

    def classify_many(
        self, stream: Iterable[AnalyzedArticle]
    ) -> Iterator[tuple[AnalyzedArticle, list[EventCandidate]]]:
        """Classify a stream, letting the detector batch articles."""
        for analyzed, triggers in self.detector.detect_many(stream):
            yield analyzed, self.interpret(analyzed, triggers)

    def interpret(self, analyzed: AnalyzedArticle, triggers: Sequence[TriggerCandidate]) -> list[EventCandidate]:
        """Interpret an article's triggers and keep the candidates confident enough."""
        return keep_confident(self.interpreter.interpret(analyzed, triggers, self.name), self.cfg.min_confidence)


def keep_confident(candidates: list[EventCandidate], min_confidence: float) -> list[EventCandidate]:
    """Drop candidates below ``min_confidence``; ``reports`` are renumbered to the kept list."""
    if all(c.confidence >= min_confidence for c in candidates):
        return candidates
    new_index: dict[int, int] = {}
    for old, cand in enumerate(candidates):
        if cand.confidence >= min_confidence:
            new_index[old] = len(new_index)
    kept = []
    for old, cand in enumerate(candidates):
        if old not in new_index:
            continue
        reports = [new_index[r] for r in cand.reports if r in new_index]
        kept.append(cand if reports == cand.reports else cand.model_copy(update={"reports": reports}))
    return kept


ClassifierFactory = Callable[[ClassifierConfig], Classifier]
_REGISTRY: dict[str, ClassifierFactory] = {}


def register(name: str) -> Callable[[ClassifierFactory], ClassifierFactory]:
    """Register a classifier factory under a versioned name."""

    def deco(factory: ClassifierFactory) -> ClassifierFactory:
        _REGISTRY[name] = factory
        return factory

    return deco


def registered() -> list[str]:
    """Return the registered classifier names, sorted."""
    return sorted(_REGISTRY)


def make_classifier(cfg: ClassifierConfig) -> Classifier:
    """Build the classifier named in the configuration.

    Raises:
        ConfigError: for an unknown name, listing the registered ones.
    """
    try:
        factory = _REGISTRY[cfg.name]
    except KeyError:
        raise ConfigError(
            f"Unknown classifier {cfg.name!r} (classifier.name). Registered: {', '.join(registered())}."
        ) from None
    return factory(cfg)
