"""Chains the stages over a stream: ingest -> NER -> classify -> normalize -> sink."""

from __future__ import annotations

import itertools
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TextIO, TypeVar

from pipeline import __version__
from pipeline.classify import make_classifier
from pipeline.config import Config
from pipeline.ingest import read_inputs
from pipeline.ner import NerStage
from pipeline.normalize import build_records
from pipeline.records import Article, DocumentRecord, EventRecord, Rejection, RunReport
from pipeline.sinks import Sink, make_sink

T = TypeVar("T")

Processed = tuple[DocumentRecord, list[EventRecord]]

#: Exit codes of ``newsevents extract`` (errors raised before the run have their own).
EXIT_OK = 0
EXIT_SOME_REJECTED = 1
EXIT_NOTHING_PROCESSED = 7


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


def process_articles(articles: Iterable[Article | Rejection], cfg: Config) -> Iterator[Processed | Rejection]:
    """Run NER, classification and normalization over a stream of articles.

    Rejections in the input stream pass through in order. Memory is bounded by one chunk
    of ``nlp.batch_size`` articles.

    Args:
        articles: Articles (and Rejections from ingestion).
        cfg: validated settings.

    Yields:
        (document, events) per article, or the Rejection of an input.
    """
    ner = NerStage(cfg.nlp)
    classifier = make_classifier(cfg.classifier)
    for chunk in batched(articles, cfg.nlp.batch_size):
        limited = [_limit_length(a, cfg) if isinstance(a, Article) else a for a in chunk]
        ok = [a for a in limited if isinstance(a, Article)]
        results = iter(classifier.classify_many(ner(ok)))
        for item in limited:
            if isinstance(item, Rejection):
                yield item
                continue
            analyzed, candidates = next(results)
            yield build_records(analyzed, candidates)


@dataclass
class Tally:
    """Counters that become the run report."""

    read: int = 0
    processed: int = 0
    duplicates: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    events: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)

    def report(self, extractor: str, interrupted: bool = False) -> RunReport:
        """Freeze the counters into a RunReport."""
        seconds = max(time.monotonic() - self.started, 1e-9)
        return RunReport(
            read=self.read,
            processed=self.processed,
            duplicates=self.duplicates,
            rejected=sum(self.rejected.values()),
            rejected_by_reason=dict(sorted(self.rejected.items())),
            events=sum(self.events.values()),
            events_by_type=dict(sorted(self.events.items())),
            seconds=round(seconds, 3),
            articles_per_second=round(self.processed / seconds, 2),
            pipeline_version=__version__,
            extractor=extractor,
            interrupted=interrupted,
        )


def run_to_sink(
    inputs: list[str], sink: Sink, cfg: Config, published: str | None = None, log: TextIO | None = None
) -> RunReport:
    """Read inputs, process every article and write the results to ``sink``.

    Args:
        inputs: files or directories.
        sink: an opened sink.
        cfg: validated settings.
        published: publication date for inputs that carry none.
        log: where to print one line per rejection (stderr when None).

    Returns:
        The run report: read = processed + duplicates + rejected.
    """
    log = log or sys.stderr
    tally = Tally()
    interrupted = False
    try:
        for item in process_articles(read_inputs(inputs, cfg.ingest, published), cfg):
            tally.read += 1
            if isinstance(item, Rejection):
                tally.rejected[item.reason] += 1
                sink.write_rejection(item)
                print(f"rejected {item.input.label()}: {item.reason} ({item.detail})", file=log)
                continue
            document, events = item
            sink.write(document, events)
            tally.processed += 1
            tally.events.update(e.type for e in events)
    except KeyboardInterrupt:
        interrupted = True
    report = tally.report(cfg.classifier.name, interrupted=interrupted)
    sink.write_report(report)
    sink.flush()
    if interrupted:
        raise KeyboardInterrupt
    return report


def run_extract(
    inputs: list[str],
    dest: str,
    cfg: Config,
    *,
    published: str | None = None,
    documents: str | None = None,
    rejects: str | None = None,
) -> RunReport:
    """Extract events from ``inputs`` into ``dest`` (a JSONL path or ``-``).

    Args:
        inputs: files or directories.
        dest: output destination.
        cfg: validated settings.
        published: publication date for inputs that carry none.
        documents: optional path for document records.
        rejects: optional path for rejection records.
    """
    with make_sink(dest, documents=documents, rejects=rejects) as sink:
        return run_to_sink(inputs, sink, cfg, published=published)


def exit_code(report: RunReport) -> int:
    """0 when every input was processed, 1 when some were rejected, 7 when none was processed."""
    if report.read and not report.processed:
        return EXIT_NOTHING_PROCESSED
    if report.rejected:
        return EXIT_SOME_REJECTED
    return EXIT_OK


def format_summary(report: RunReport) -> str:
    """A short human-readable summary of a run."""
    lines = [
        f"read {report.read}, processed {report.processed}, duplicates {report.duplicates}, rejected {report.rejected}",
    ]
    if report.rejected_by_reason:
        lines.append("rejected by reason: " + ", ".join(f"{k} {v}" for k, v in report.rejected_by_reason.items()))
    by_type = ", ".join(f"{k} {v}" for k, v in report.events_by_type.items()) or "none"
    lines.append(f"events {report.events} ({by_type})")
    lines.append(f"{report.seconds:.1f} s, {report.articles_per_second:.1f} articles/s, extractor {report.extractor}")
    return "\n".join(lines)
