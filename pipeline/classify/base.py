"""The classifier interface and the registry of versioned classifier names."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence

from pipeline.config import ClassifierConfig
from pipeline.errors import ConfigError
from pipeline.records import AnalyzedArticle, EventCandidate


class Classifier(ABC):
    """Finds event candidates in an analyzed article.

    Implementations are cheap to construct; heavy resources load on first use.
    """

    #: Registered, versioned name, e.g. ``rules.v1``.
    name: str = ""

    def needs_parse(self, words: Sequence[str]) -> bool:
        """Whether a sentence (its lower-cased words) needs the dependency parse.

        The NLP stage parses only sentences for which this is true; the default is all.
        """
        return True

    @abstractmethod
    def classify(self, analyzed: AnalyzedArticle) -> list[EventCandidate]:
        """Return the event candidates of one article."""

    def classify_many(
        self, stream: Iterable[AnalyzedArticle]
    ) -> Iterator[tuple[AnalyzedArticle, list[EventCandidate]]]:
        """Classify a stream; batching classifiers override this."""
        for analyzed in stream:
            yield analyzed, self.classify(analyzed)


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
