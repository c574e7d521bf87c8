"""The per-article chain after ingest: NER -> classify -> normalize, each article isolated."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

from pipeline.classify import make_classifier
from pipeline.config import Config
from pipeline.ingest.dedup import Deduplicator, IdRegistry
from pipeline.isolation import per_document
from pipeline.ner import NerStage
from pipeline.normalize import build_records
from pipeline.records import AnalyzedArticle, Article, DocumentRecord, EventCandidate, EventRecord, Rejection

T = TypeVar("T")

Processed = tuple[DocumentRecord, list[EventRecord]]


def batched(stream: Iterable[T], n: int) -> Iterator[list[T]]:
    """Yield lists of up to ``n`` items from ``stream``."""
    it = iter(stream)
    while chunk := list(itertools.islice(it, n)):
        yield chunk


def _limit_length(article: Article, cfg: Config) -> Article | Rejection:
    limit = cfg.nlp.max_chars
    if len(article.text) <= limit:
        return article
    if cfg.nlp.on_too_long == "reject":
        return Rejection(
            input=article.input,
            stage="ingest",
            reason="too_long",
            detail=f"{len(article.text)} characters > nlp.max_chars {limit}; raise it or set on_too_long: truncate",
        )
    metadata = {**article.metadata, "truncated_from": len(article.text)}
    return Article(**{**article.model_dump(), "text": article.text[:limit], "metadata": metadata})


def skip_repeats(items: Iterable[Article | Rejection], cfg: Config) -> Iterator[Article | Rejection]:
    """Turn repeated texts into ``duplicate`` records and reused ids into ``duplicate_id`` rejections.

    A later article reusing the id of an earlier one with another text is rejected (sinks
    key documents by id). ``newsevents extract`` (:func:`pipeline.runner.prefilter`) and the
    Python API both call it before :func:`process_articles`.

    Args:
        items: articles and rejections from ingestion.
        cfg: settings (``ingest.dedup``).
    """
    dedup = Deduplicator() if cfg.ingest.dedup else None
    ids = IdRegistry()
    for item in items:
        if isinstance(item, Article) and dedup is not None:
            item = dedup(item)
        yield ids(item) if isinstance(item, Article) else item


def process_articles(articles: Iterable[Article | Rejection], cfg: Config) -> Iterator[Processed | Rejection]:
    """Run NER, classification and normalization over a stream of articles.

    Rejections in the input stream pass through in order. Each article is isolated: an
    exception while analysing, classifying or normalizing it becomes its ``internal_error``
    rejection (:mod:`pipeline.isolation`) and the others go on; only configuration and
    model-loading errors stop the stream. Memory is bounded by one chunk of
    ``nlp.batch_size`` articles.

    Args:
        articles: Articles (and Rejections from ingestion).
        cfg: validated settings.

    Yields:
        (document, events) per article, or the Rejection of an input.
    """
    classifier = make_classifier(cfg.classifier)
    ner = NerStage(cfg.nlp, needs_parse=classifier.needs_parse, select=classifier.select_sentences)

    def classify(batch: Sequence[AnalyzedArticle]) -> list[tuple[AnalyzedArticle, list[EventCandidate]]]:
        return list(classifier.classify_many(batch))

    def normalize(batch: Sequence[tuple[AnalyzedArticle, list[EventCandidate]]]) -> list[Processed]:
        return [build_records(analyzed, candidates) for analyzed, candidates in batch]

    for chunk in batched(articles, cfg.nlp.batch_size):
        limited = [_limit_length(a, cfg) if isinstance(a, Article) else a for a in chunk]
        analyzed = list(ner.analyze(a for a in limited if isinstance(a, Article)))
        good = [a for a in analyzed if isinstance(a, AnalyzedArticle)]
        classified = per_document(good, classify, _article_of, "classify")
        ok = [c for c in classified if not isinstance(c, Rejection)]
        normalized = iter(per_document(ok, normalize, lambda item: item[0].article, "normalize"))
        classified_it = iter(classified)
        analyzed_it = iter(analyzed)
        for item in limited:
            if isinstance(item, Rejection):
                yield item
                continue
            after_ner = next(analyzed_it)
            if isinstance(after_ner, Rejection):
                yield after_ner
                continue
            after_classify = next(classified_it)
            yield after_classify if isinstance(after_classify, Rejection) else next(normalized)


def _article_of(analyzed: AnalyzedArticle) -> Article:
    return analyzed.article
