"""The Python API: ``Pipeline(...).extract(text)`` returns typed records.

A :class:`Pipeline` is a thin, cheap object over the same chain the command line runs
(:func:`pipeline.ingest.admit`, :func:`pipeline.chain.skip_repeats`,
:func:`pipeline.chain.process_articles`): constructing it validates the settings and
loads nothing; the spaCy model loads on the first call (or on :meth:`Pipeline.warm_up`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.config import Config, load_config, parse_config
from pipeline.errors import ConfigError, InputError
from pipeline.ingest import LanguageFilter, admit
from pipeline.ingest.common import ArticleFields
from pipeline.records import Article, DocumentRecord, EventRecord, InputRef, Rejection

__all__ = ["API_INPUT", "Extraction", "Pipeline"]

#: The ``input.path`` of articles given to the API as strings or mappings.
API_INPUT = "<api>"

#: Keyword arguments of :class:`Pipeline` and the config key each one sets.
_KEYWORDS: dict[str, tuple[str, str]] = {
    "model": ("nlp", "model"),
    "batch_size": ("nlp", "batch_size"),
    "max_chars": ("nlp", "max_chars"),
    "on_too_long": ("nlp", "on_too_long"),
    "classifier": ("classifier", "name"),
    "min_confidence": ("classifier", "min_confidence"),
    "min_chars": ("ingest", "min_chars"),
}


@dataclass(frozen=True)
class Extraction:
    """What the pipeline found in one article.

    Attributes:
        document: the document record (text, metadata, resolved entities, counts).
        events: the event records in text order.
    """

    document: DocumentRecord
    events: tuple[EventRecord, ...]

    def of_type(self, event_type: str) -> tuple[EventRecord, ...]:
        """Return the events of one type (``arrest``, ``release`` or ``announcement``)."""
        return tuple(e for e in self.events if e.type == event_type)


def _merge(cfg: Config, overrides: Mapping[str, Any]) -> Config:
    unknown = sorted(set(overrides) - set(_KEYWORDS))
    if unknown:
        raise ConfigError(
            f"Unknown Pipeline argument(s): {', '.join(unknown)}. Accepted: {', '.join(sorted(_KEYWORDS))}."
        )
    data = cfg.model_dump()
    for key, value in overrides.items():
        section, name = _KEYWORDS[key]
        data[section][name] = value
    return parse_config(data, "Pipeline(...) arguments")


class Pipeline:
    """Extract event records from article texts in Python.

    Construction is cheap and validates the settings; the spaCy model loads on first use.

    Args:
        config: a :class:`~pipeline.config.Config`, a ``config.yaml`` path, or None for the defaults.
        **overrides: settings by keyword: ``model``, ``batch_size``, ``max_chars``,
            ``on_too_long``, ``classifier``, ``min_confidence``, ``min_chars``.

    Raises:
        ConfigError: for an unreadable or invalid config file, or an invalid keyword value.

    Example:
        >>> from pipeline import Pipeline
        >>> nlp = Pipeline(min_confidence=0.5)
        >>> result = nlp.extract("Police arrested 12 protesters on Monday.", published="2026-01-12")
    """

    def __init__(self, config: Config | str | Path | None = None, **overrides: Any) -> None:
        cfg = config if isinstance(config, Config) else load_config(config)
        self.cfg: Config = _merge(cfg, overrides) if overrides else cfg

    @classmethod
    def from_config(cls, path: str | Path, **overrides: Any) -> Pipeline:
        """Build a pipeline from a ``config.yaml``, optionally overriding settings by keyword."""
        return cls(path, **overrides)

    def __repr__(self) -> str:
        return f"Pipeline(model={self.cfg.nlp.model!r}, classifier={self.cfg.classifier.name!r})"

    def warm_up(self) -> None:
        """Load the spaCy model and the classifier now instead of on the first article.

        Raises:
            ModelError: when the model is not installed.
            ConfigError: when the classifier name is not registered.
        """
        from pipeline.classify import make_classifier
        from pipeline.ner import load_nlp

        make_classifier(self.cfg.classifier)
        load_nlp(self.cfg.nlp.model)

    def extract(
        self,
        text: str,
        *,
        published: str | None = None,
        source: str | None = None,
        title: str | None = None,
        url: str | None = None,
        id: str | None = None,
    ) -> Extraction:
        """Extract the events of one article.

        Args:
            text: the article text; every offset in the result refers to it.
            published: ISO 8601 publication date, used to resolve "on Monday", "last week".
            source: the publisher, e.g. "NY Times".
            title: the headline.
            url: where the article was published.
            id: the document id; default: a hash of source and text.

        Returns:
            The document record and its event records.

        Raises:
            InputError: when the text is rejected (empty, too long, bad date, not in an
                allowed language); the message names the reason.
        """
        fields = {"text": text, "published": published, "source": source, "title": title, "url": url, "id": id}
        for item in self.extract_many([fields]):
            if isinstance(item, Rejection):
                raise InputError(
                    f"The article was rejected: {item.reason} ({item.detail}). "
                    "Pass a longer text, a valid ISO date, or adjust the limits in the config."
                )
            return item
        raise InputError("The article produced no result.")  # unreachable: one input, one output

    def extract_many(self, items: Iterable[str | Mapping[str, Any] | Article]) -> Iterator[Extraction | Rejection]:
        """Extract events from a stream of articles, in order, batching inside.

        The chain is that of ``newsevents extract``: each item is built and its language
        checked (:func:`pipeline.ingest.admit`), a text repeating an earlier one of the
        stream or an id reused with another text is skipped
        (:func:`pipeline.chain.skip_repeats`), and the rest go through
        :func:`pipeline.chain.process_articles`. Only ``--resume`` has no counterpart.

        Args:
            items: article texts, mappings with the keys of :meth:`extract` (``text``
                required; other keys become document metadata), or Articles.

        Yields:
            One :class:`Extraction` per article, or the
            :class:`~pipeline.records.Rejection` of an article that could not be used
            (reason ``duplicate``, ``language``, ``empty`` ...; its ``input.line`` is the
            1-based position in ``items``).
        """
        from pipeline.chain import process_articles, skip_repeats

        yield from (
            Extraction(document=item[0], events=tuple(item[1])) if isinstance(item, tuple) else item
            for item in process_articles(skip_repeats(self._articles(items), self.cfg), self.cfg)
        )

    def _articles(self, items: Iterable[str | Mapping[str, Any] | Article]) -> Iterator[Article | Rejection]:
        ingest = self.cfg.ingest
        language = LanguageFilter(ingest.language)
        for position, item in enumerate(items, 1):
            if isinstance(item, Article):
                yield language(item)
                continue
            fields: dict[str, Any]
            if isinstance(item, str):
                fields = {"text": item}
            elif isinstance(item, Mapping):
                fields = {k: v for k, v in item.items() if v is not None}
            else:
                raise TypeError(
                    f"extract_many item {position} is a {type(item).__name__}; "
                    "pass a text, a mapping with a 'text' key, or an Article."
                )
            ref = InputRef(path=API_INPUT, line=position)
            yield admit(ArticleFields(fields=fields, ref=ref), ingest, None, language)
