"""Throughput of the whole pipeline with ``rules.v1`` vs ``transformer.v1``.

Reads the first N articles of a JSONL(.gz) corpus once, then for each classifier runs
:func:`pipeline.runner.process_articles` over them in this process (one worker) and
reports articles per second, events found and the time spent inside the classifier.
Models load in an untimed warm-up run over the first articles, so the figures are the
steady state.

Usage (about 3 minutes on 2 CPUs with the defaults)::

    .venv/bin/python bench/classifier_speed.py --n 200
"""

from __future__ import annotations

import argparse
import gzip
import json
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pipeline.classify import base
from pipeline.config import ClassifierConfig, Config
from pipeline.ingest import read_inputs
from pipeline.records import AnalyzedArticle, Article, EventCandidate
from pipeline.runner import process_articles

DEFAULT_CORPUS = "/work/shared/corpus/reuters_financial_2006_2013/reuters_financial_2006_2013.jsonl.gz"
CLASSIFIERS = ("rules.v1", "transformer.v1")


def load_articles(corpus: str, n: int) -> list[Article]:
    """The first ``n`` readable articles of ``corpus``."""
    opener: Any = gzip.open if corpus.endswith(".gz") else open
    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "sample.jsonl"
        with opener(corpus, "rt", encoding="utf-8") as src, sample.open("w", encoding="utf-8") as out:
            for k, line in enumerate(src):
                if k >= n:
                    break
                out.write(line)
        return [a for a in read_inputs([str(sample)], Config().ingest) if isinstance(a, Article)]


class TimedClassifier(base.Classifier):
    """Wraps a classifier and adds up the seconds spent in it."""

    def __init__(self, inner: base.Classifier) -> None:
        self.inner = inner
        self.name = inner.name
        self.seconds = 0.0

    def needs_parse(self, words: Any) -> bool:
        """The wrapped classifier's test."""
        return self.inner.needs_parse(words)

    def classify(self, analyzed: AnalyzedArticle) -> list[EventCandidate]:
        """Not used: the runner calls classify_many."""
        raise NotImplementedError

    def classify_many(
        self, stream: Iterable[AnalyzedArticle]
    ) -> Iterator[tuple[AnalyzedArticle, list[EventCandidate]]]:
        """Time the wrapped classifier, excluding the NLP stage that produces the stream."""
        it = iter(self.inner.classify_many(_Untimed(stream, self)))
        while True:
            start = time.perf_counter()
            try:
                item = next(it)
            except StopIteration:
                self.seconds += time.perf_counter() - start
                return
            self.seconds += time.perf_counter() - start
            yield item


class _Untimed:
    """An input stream whose own time (spaCy) is subtracted from the classifier's."""

    def __init__(self, stream: Iterable[AnalyzedArticle], timer: TimedClassifier) -> None:
        self.it = iter(stream)
        self.timer = timer

    def __iter__(self) -> _Untimed:
        return self

    def __next__(self) -> AnalyzedArticle:
        start = time.perf_counter()
        try:
            return next(self.it)
        finally:
            self.timer.seconds -= time.perf_counter() - start


def run(articles: list[Article], name: str, warmup: int) -> dict[str, Any]:
    """Run the pipeline with classifier ``name``; return its figures."""
    cfg = Config(classifier=ClassifierConfig(name=name))
    timed: dict[str, TimedClassifier] = {}
    original = base.make_classifier

    def make_timed(c: ClassifierConfig) -> base.Classifier:
        timed["clf"] = TimedClassifier(original(c))
        return timed["clf"]

    import pipeline.runner as runner

    runner.make_classifier = make_timed  # type: ignore[assignment]
    try:
        for _ in process_articles(articles[:warmup], cfg):
            pass
        start = time.perf_counter()
        events: Counter[str] = Counter()
        docs = 0
        for item in process_articles(articles, cfg):
            if isinstance(item, tuple):
                docs += 1
                events.update(e.type for e in item[1])
        seconds = time.perf_counter() - start
    finally:
        runner.make_classifier = original
    return {
        "classifier": name,
        "articles": docs,
        "seconds": round(seconds, 2),
        "articles_per_second": round(docs / seconds, 2),
        "classifier_seconds": round(timed["clf"].seconds, 2),
        "events": dict(sorted(events.items())),
    }


def main() -> None:
    """Parse arguments, run both classifiers, print a table and JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=DEFAULT_CORPUS)
    parser.add_argument("--n", type=int, default=200, help="articles")
    parser.add_argument("--warmup", type=int, default=10, help="articles of the untimed warm-up run")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    articles = load_articles(args.corpus, args.n)
    results = [run(articles, name, args.warmup) for name in CLASSIFIERS]
    print("| classifier | articles | seconds | articles/s | in classifier (s) | events |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['classifier']} | {r['articles']} | {r['seconds']} | {r['articles_per_second']} | "
            f"{r['classifier_seconds']} | {sum(r['events'].values())} |"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
