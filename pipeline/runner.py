"""Runs the chain over a stream: ingest -> (NER -> classify -> normalize: :mod:`.chain`) -> sink.

Locally (``workers`` processes on this machine) or on a Dask cluster, the results are the
same records in the same (input) order; see docs/scale.md.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TextIO, cast

from pipeline import __version__
from pipeline.chain import Processed as Processed
from pipeline.chain import batched as batched
from pipeline.chain import process_articles as process_articles
from pipeline.chain import skip_repeats
from pipeline.config import Config, config_from_json
from pipeline.errors import ConfigError, RunInterrupted, SinkError
from pipeline.ingest import DUPLICATE_REASON, count_articles, read_inputs
from pipeline.ner import load_nlp
from pipeline.progress import Progress
from pipeline.records import Article, Rejection, RunReport
from pipeline.sinks import Sink, make_sink

#: Exit codes of ``newsevents extract`` (errors raised before the run have their own).
EXIT_OK = 0
EXIT_SOME_REJECTED = 1
EXIT_NOTHING_PROCESSED = 7


@dataclass
class Tally:
    """Counters that become the run report."""

    read: int = 0
    processed: int = 0
    duplicates: int = 0
    already_done: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    events: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)

    def add(self, item: Processed | Rejection) -> None:
        """Count one result (a processed document, a rejection or a duplicate)."""
        self.read += 1
        if isinstance(item, Rejection):
            if item.reason == DUPLICATE_REASON:
                self.duplicates += 1
            else:
                self.rejected[item.reason] += 1
            return
        self.processed += 1
        self.events.update(e.type for e in item[1])

    def report(self, extractor: str, interrupted: bool = False, engine: str = "local", workers: int = 1) -> RunReport:
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
            already_done=self.already_done,
            engine=engine,
            workers=workers,
        )


# -- options ---------------------------------------------------------------------------------

Engine = Literal["local", "dask"]
ENGINES: tuple[Engine, ...] = ("local", "dask")
#: Articles sent to a worker process in one task.
DEFAULT_CHUNK_SIZE = 32
#: Documents written between two sink flushes (a resumed run redoes at most this many).
DEFAULT_FLUSH_EVERY = 256
#: Seconds between two progress lines when stderr is not a terminal.
DEFAULT_LOG_EVERY = 10.0


@dataclass(frozen=True)
class RunOptions:
    """How a run executes (not what it computes: that is the Config).

    Args:
        workers: processes running the NLP stage (1: in this process).
        engine: ``local`` (this machine) or ``dask`` (a Dask distributed cluster).
        scheduler: Dask scheduler address (``tcp://host:8786``); None starts a LocalCluster
            of ``workers`` processes.
        resume: skip the documents the sink already holds (``Sink.done_ids``).
        progress: True a progress bar, False periodic log lines, None a bar when stderr is a terminal.
        report_path: also write the run report as JSON to this file.
        chunk_size: articles per task for worker processes.
        flush_every: documents between sink flushes (checkpoints).
        log_every: seconds between progress log lines.
    """

    workers: int = 1
    engine: Engine = "local"
    scheduler: str | None = None
    resume: bool = False
    progress: bool | None = None
    report_path: str | None = None
    chunk_size: int = DEFAULT_CHUNK_SIZE
    flush_every: int = DEFAULT_FLUSH_EVERY
    log_every: float = DEFAULT_LOG_EVERY

    def check(self) -> None:
        """Validate the options.

        Raises:
            ConfigError: naming the bad option and what to use instead.
        """
        if self.workers < 1:
            raise ConfigError(f"--workers must be at least 1, not {self.workers}.")
        if self.engine not in ENGINES:
            raise ConfigError(f"Unknown --engine {self.engine!r}. Use one of: {', '.join(ENGINES)}.")
        if self.scheduler is not None and self.engine != "dask":
            raise ConfigError("--scheduler applies to --engine dask; add --engine dask or drop --scheduler.")
        if self.chunk_size < 1 or self.flush_every < 1:
            raise ConfigError("chunk_size and flush_every must be at least 1.")


# -- engines: ordered maps of the NLP stage over chunks ----------------------------------------


def init_worker(cfg_json: str) -> None:
    """Pool initializer: ignore Ctrl-C (the parent handles it) and load the models once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    cfg = config_from_json(cfg_json)
    load_nlp(cfg.nlp.model)


def process_chunk(cfg_json: str, articles: list[Article]) -> list[Processed | Rejection]:
    """Process one chunk of articles in a worker (the models stay loaded between chunks).

    Args:
        cfg_json: the Config as JSON (small, and hashable for the per-process cache).
        articles: the articles, in input order.

    Returns:
        One result per article, in the same order.
    """
    return list(process_articles(articles, config_from_json(cfg_json)))


def _merge(chunk: list[Article | Rejection], results: list[Processed | Rejection]) -> Iterator[Processed | Rejection]:
    """Put the results of a chunk's articles back between its rejections, in input order."""
    it = iter(results)
    for item in chunk:
        yield item if isinstance(item, Rejection) else next(it)


def _ordered(
    items: Iterable[Article | Rejection],
    chunk_size: int,
    max_pending: int,
    submit: Callable[[list[Article]], Callable[[], list[Processed | Rejection]]],
) -> Iterator[Processed | Rejection]:
    """Submit chunks to workers, at most ``max_pending`` at a time, and yield results in input order.

    Args:
        items: the stream.
        chunk_size: items per chunk.
        max_pending: chunks in flight (bounds memory whatever the input size).
        submit: sends the articles of a chunk; returns a function that waits for their results.
    """
    pending: deque[tuple[list[Article | Rejection], Callable[[], list[Processed | Rejection]] | None]] = deque()
    for chunk in batched(items, chunk_size):
        articles = [a for a in chunk if isinstance(a, Article)]
        pending.append((chunk, submit(articles) if articles else None))
        while len(pending) >= max_pending:
            done, wait = pending.popleft()
            yield from _merge(done, wait() if wait else [])
    while pending:
        done, wait = pending.popleft()
        yield from _merge(done, wait() if wait else [])


#: Thread pools of numerical libraries, limited to one thread in worker processes.
BLAS_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def single_threaded_workers() -> None:
    """Make worker processes started from now on use one BLAS thread each (unless set by the user).

    Every process is one unit of parallelism: a multi-threaded BLAS in each of N workers
    oversubscribes the cores (measured: 2 workers on 2 CPUs ran at 0.8 x one worker with
    OpenBLAS's default threads, 1.75 x with one thread each). Children inherit the environment.
    """
    for name in BLAS_THREAD_VARIABLES:
        os.environ.setdefault(name, "1")


def _pool_results(
    items: Iterable[Article | Rejection], cfg: Config, opts: RunOptions
) -> Iterator[Processed | Rejection]:
    """Run the NLP stage in ``opts.workers`` local processes (spawned; models loaded once each)."""
    cfg_json = cfg.model_dump_json()
    single_threaded_workers()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(opts.workers, initializer=init_worker, initargs=(cfg_json,)) as pool:

        def submit(articles: list[Article]) -> Callable[[], list[Processed | Rejection]]:
            return pool.apply_async(process_chunk, (cfg_json, articles)).get

        yield from _ordered(items, opts.chunk_size, 2 * opts.workers, submit)


def make_dask_client(scheduler: str | None, workers: int) -> Any:
    """Connect to a Dask scheduler, or start a LocalCluster of ``workers`` single-threaded processes.

    Raises:
        ConfigError: when Dask is not installed or the scheduler cannot be reached.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as e:
        raise ConfigError("--engine dask needs Dask: pip install 'dask[distributed]'.") from e
    if scheduler is None:
        single_threaded_workers()
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
        )
        return Client(cluster)  # type: ignore[no-untyped-call]
    try:
        return Client(scheduler, timeout="30s")  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as e:
        raise ConfigError(
            f"Cannot reach the Dask scheduler at {scheduler}: {e}. Start it (dask scheduler) or fix --scheduler."
        ) from e


def _dask_results(
    items: Iterable[Article | Rejection], cfg: Config, opts: RunOptions
) -> Iterator[Processed | Rejection]:
    """Run the NLP stage on a Dask cluster; each worker process loads the models once (per-process cache)."""
    cfg_json = cfg.model_dump_json()
    client = make_dask_client(opts.scheduler, opts.workers)
    try:
        slots = max(sum(client.nthreads().values()), 1)

        def submit(articles: list[Article]) -> Callable[[], list[Processed | Rejection]]:
            future = client.submit(process_chunk, cfg_json, articles, pure=False)
            return lambda: cast(list[Processed | Rejection], future.result())

        yield from _ordered(items, opts.chunk_size, 2 * slots, submit)
    finally:
        cluster = client.cluster
        client.close()
        if cluster is not None:
            cluster.close()


def results_for(items: Iterable[Article | Rejection], cfg: Config, opts: RunOptions) -> Iterator[Processed | Rejection]:
    """Process a stream with the engine and workers ``opts`` name; same results, same order for all.

    Args:
        items: Articles and Rejections, in input order.
        cfg: validated settings.
        opts: execution options.
    """
    if opts.engine == "dask":
        return _dask_results(items, cfg, opts)
    if opts.workers > 1:
        return _pool_results(items, cfg, opts)
    return process_articles(items, cfg)


# -- the run ---------------------------------------------------------------------------------


def prefilter(
    items: Iterable[Article | Rejection], cfg: Config, done: set[str], tally: Tally
) -> Iterator[Article | Rejection]:
    """Turn repeats into ``duplicate`` records (:func:`~pipeline.chain.skip_repeats`) and drop
    documents a resumed run already wrote.

    Dedup runs before the resume check, so a resumed run rebuilds the same first-seen
    tables and names the same first documents.

    Args:
        items: articles and rejections from ingestion.
        cfg: settings (``ingest.dedup``).
        done: ids of documents already written (``--resume``).
        tally: counts the skipped documents in ``already_done``.
    """
    for item in skip_repeats(items, cfg):
        if isinstance(item, Article) and item.id in done:
            tally.already_done += 1
            continue
        yield item


def write_report_file(report: RunReport, path: str) -> None:
    """Write the run report as indented JSON.

    Raises:
        SinkError: when the file cannot be written.
    """
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
    except OSError as e:
        raise SinkError(f"Cannot write the report {path}: {e.strerror}. Choose a writable --report path.") from e


def run_to_sink(
    inputs: list[str],
    sink: Sink,
    cfg: Config,
    published: str | None = None,
    log: TextIO | None = None,
    options: RunOptions | None = None,
) -> RunReport:
    """Read inputs, process every article and write the results to ``sink``.

    Memory stays bounded whatever the input size: articles stream through, at most a few
    chunks are in flight, and the sink is flushed (checkpointed) every ``flush_every`` items.

    Args:
        inputs: files or directories, or ``-`` for JSONL on stdin.
        sink: an opened sink.
        cfg: validated settings.
        published: publication date for inputs that carry none.
        log: where progress and rejections are printed (stderr when None).
        options: workers, engine, resume, progress, report file.

    Returns:
        The run report: read = processed + duplicates + rejected + already_done. The sink's
        ``finish`` is called first (the run completed: a JSONL sink drops its checkpoint).

    Raises:
        RunInterrupted: a KeyboardInterrupt carrying the report, after flushing the sink and
            writing the report (``interrupted``).
    """
    opts = options or RunOptions()
    opts.check()
    log = log or sys.stderr
    tally = Tally()
    done = sink.done_ids() if opts.resume else set()
    show_bar = opts.progress if opts.progress is not None else log.isatty()
    progress = Progress(tally, count_articles(inputs) if show_bar else None, show_bar, log, opts.log_every)
    workers = opts.workers
    interrupted = False
    try:
        stream = prefilter(read_inputs(inputs, cfg.ingest, published), cfg, done, tally)
        since_flush = 0
        for item in results_for(stream, cfg, opts):
            tally.add(item)
            progress.update()
            if isinstance(item, Rejection):
                sink.write_rejection(item)
                if item.reason != DUPLICATE_REASON:
                    progress.write(f"rejected {item.input.label()}: {item.reason} ({item.detail})")
            else:
                sink.write(*item)
            since_flush += 1
            if since_flush >= opts.flush_every:
                sink.flush()
                since_flush = 0
    except KeyboardInterrupt:
        interrupted = True
    finally:
        progress.close()
    report = tally.report(cfg.classifier.name, interrupted=interrupted, engine=opts.engine, workers=workers)
    sink.write_report(report)
    sink.flush()
    if opts.report_path:
        write_report_file(report, opts.report_path)
    if interrupted:
        raise RunInterrupted(report)
    sink.finish()
    return report


def make_run_sink(dest: str, documents: str | None, rejects: str | None, resume: bool) -> Sink:
    """Return the sink for ``dest``; a JSONL or Parquet sink continues its checkpoint when ``resume``."""
    return make_sink(dest, documents=documents, rejects=rejects, resume=resume)


def run_extract(
    inputs: list[str],
    dest: str,
    cfg: Config,
    *,
    published: str | None = None,
    documents: str | None = None,
    rejects: str | None = None,
    options: RunOptions | None = None,
) -> RunReport:
    """Extract events from ``inputs`` into ``dest`` (a JSONL path, ``-``, or a database URL).

    Args:
        inputs: files or directories, or ``-`` for JSONL on stdin.
        dest: output destination.
        cfg: validated settings.
        published: publication date for inputs that carry none.
        documents: optional path for document records.
        rejects: optional path for rejection records.
        options: workers, engine, resume, progress and report file.
    """
    opts = options or RunOptions()
    opts.check()
    with make_run_sink(dest, documents, rejects, opts.resume) as sink:
        return run_to_sink(inputs, sink, cfg, published=published, options=opts)


def exit_code(report: RunReport) -> int:
    """0 when every input was processed, 1 when some were rejected, 7 when none was processed."""
    if report.read and not report.processed and not report.already_done:
        return EXIT_NOTHING_PROCESSED
    if report.rejected:
        return EXIT_SOME_REJECTED
    return EXIT_OK


def format_summary(report: RunReport) -> str:
    """A short human-readable summary of a run."""
    lines = [
        f"read {report.read}, processed {report.processed}, duplicates {report.duplicates}, rejected {report.rejected}"
        + (f", already done {report.already_done}" if report.already_done else ""),
    ]
    if report.rejected_by_reason:
        lines.append("rejected by reason: " + ", ".join(f"{k} {v}" for k, v in report.rejected_by_reason.items()))
    by_type = ", ".join(f"{k} {v}" for k, v in report.events_by_type.items()) or "none"
    lines.append(f"events {report.events} ({by_type})")
    lines.append(
        f"{report.seconds:.1f} s, {report.articles_per_second:.1f} articles/s, extractor {report.extractor}, "
        f"engine {report.engine} ({report.workers} worker{'s' if report.workers != 1 else ''})"
    )
    return "\n".join(lines)
