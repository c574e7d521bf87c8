"""Throughput: bare spaCy NER vs the whole pipeline, and 1 vs 2 worker processes.

On the same articles (the first N of the Reuters 2006-2013 corpus), in one process:

1. ``nlp.pipe`` of the spaCy model with only NER enabled (the floor any pipeline pays);
2. the whole pipeline, ``process_articles`` (NER, parse, classify, normalize), model warm;
3. the whole pipeline in a pool of 1 and of 2 worker processes (pool start-up excluded:
   the workers load the model before the clock starts).

Prints articles/s and the ratios (targets: the default pipeline >= 0.5 x NER-only and
rules-only >= 0.8 x; 2 workers >= 1.7 x 1 worker), and with ``--profile`` a cProfile
summary of the whole pipeline. ``--classifier`` (repeatable) times the whole pipeline
with other classifiers too, on the same articles.

Usage::

    .venv/bin/python bench/throughput.py --limit 2000 --profile
    .venv/bin/python bench/throughput.py --limit 500 --skip-workers --classifier rules.v1 --classifier hybrid.v1
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import json
import multiprocessing
import pstats
import sys
import time
from collections.abc import Iterator

from pipeline.config import Config
from pipeline.ingest.common import ArticleFields, build_article
from pipeline.ner import load_nlp
from pipeline.records import Article, InputRef
from pipeline.runner import _ordered, init_worker, process_articles, process_chunk, single_threaded_workers

DEFAULT_CORPUS = "/work/shared/corpus/reuters_financial_2006_2013/reuters_financial_2006_2013.jsonl.gz"


def load_articles(corpus: str, limit: int) -> list[Article]:
    """Return the first ``limit`` articles of a JSONL(.gz) corpus."""
    opener = gzip.open if corpus.endswith(".gz") else open
    out: list[Article] = []
    with opener(corpus, "rt", encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            item = build_article(
                ArticleFields(fields=json.loads(line), ref=InputRef(path=corpus, line=lineno)),
                published_default=None,
                min_chars=20,
            )
            if isinstance(item, Article):
                out.append(item)
            if len(out) >= limit:
                break
    return out


def ner_only(articles: list[Article], cfg: Config) -> float:
    """Seconds for ``nlp.pipe`` with only the NER component (and what it listens to) enabled."""
    nlp = load_nlp(cfg.nlp.model)
    keep = {"ner"} | ({"tok2vec"} if _ner_listens_to_tok2vec(nlp) else set())
    disabled = [name for name in nlp.pipe_names if name not in keep]
    texts = [a.text for a in articles]
    with nlp.select_pipes(disable=disabled):
        started = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=cfg.nlp.batch_size):
            pass
        return time.perf_counter() - started


def _ner_listens_to_tok2vec(nlp: object) -> bool:
    ner = nlp.get_pipe("ner")  # type: ignore[attr-defined]
    return any(node.name.startswith("tok2vec-listener") for node in ner.model.walk())


def pipeline_seconds(articles: list[Article], cfg: Config) -> float:
    """Seconds for the whole pipeline in this process (model already loaded)."""
    started = time.perf_counter()
    for _ in process_articles(articles, cfg):
        pass
    return time.perf_counter() - started


def pool_seconds(articles: list[Article], cfg: Config, workers: int, chunk_size: int = 32) -> float:
    """Seconds for the whole pipeline in a pool of ``workers`` processes, start-up excluded."""
    cfg_json = cfg.model_dump_json()
    single_threaded_workers()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(workers, initializer=init_worker, initargs=(cfg_json,)) as pool:
        # Warm every worker (model loaded, first batch compiled) before timing.
        for warm in [pool.apply_async(process_chunk, (cfg_json, articles[:2])) for _ in range(workers)]:
            warm.get()

        def submit(chunk: list[Article]):  # type: ignore[no-untyped-def]
            return pool.apply_async(process_chunk, (cfg_json, chunk)).get

        started = time.perf_counter()
        for _ in _ordered(iter(articles), chunk_size, 2 * workers, submit):
            pass
        return time.perf_counter() - started


def profile_summary(articles: list[Article], cfg: Config, top: int = 25) -> str:
    """cProfile of the whole pipeline: the functions with the most cumulative time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in process_articles(articles, cfg):
        pass
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def _rate(n: int, seconds: float) -> str:
    return f"{n / seconds:7.1f} articles/s ({seconds:.1f} s)"


def main(argv: Iterator[str] | None = None) -> int:
    """Run the measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--profile", action="store_true", help="also print a cProfile summary (on --limit / 4)")
    parser.add_argument("--skip-workers", action="store_true")
    parser.add_argument("--classifier", action="append", default=[], help="also time the pipeline with this one")
    args = parser.parse_args(list(argv) if argv is not None else None)
    cfg = Config()
    articles = load_articles(args.corpus, args.limit)
    n = len(articles)
    print(f"{n} articles of {args.corpus}, model {cfg.nlp.model}, classifier {cfg.classifier.name}", flush=True)
    load_nlp(cfg.nlp.model)
    pipeline_seconds(articles[:8], cfg)  # warm-up
    ner = ner_only(articles, cfg)
    print(f"spaCy NER only:      {_rate(n, ner)}", flush=True)
    whole = pipeline_seconds(articles, cfg)
    print(f"whole pipeline:      {_rate(n, whole)}", flush=True)
    print(f"pipeline / NER-only: {ner / whole:.2f} (target >= 0.5 for the default, 0.8 for rules.v1)", flush=True)
    for name in args.classifier:
        other = Config.model_validate({**cfg.model_dump(), "classifier": {**cfg.classifier.model_dump(), "name": name}})
        pipeline_seconds(articles[:8], other)  # warm-up: models load
        seconds = pipeline_seconds(articles, other)
        print(f"{name + ':':<21}{_rate(n, seconds)}, {ner / seconds:.2f} of NER-only", flush=True)
    if not args.skip_workers:
        one = pool_seconds(articles, cfg, 1)
        print(f"pool, 1 worker:      {_rate(n, one)}", flush=True)
        two = pool_seconds(articles, cfg, 2)
        print(f"pool, 2 workers:     {_rate(n, two)}", flush=True)
        print(f"2 workers / 1:       {one / two:.2f} (target >= 1.7; {multiprocessing.cpu_count()} CPUs)", flush=True)
    if args.profile:
        print(profile_summary(articles[: max(n // 4, 1)], cfg))
    return 0


if __name__ == "__main__":
    sys.exit(main())
