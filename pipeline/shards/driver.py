"""The driver of a sharded run: plan the shards, hand them to Dask workers, track them, publish the output.

The driver moves no article: it stats the inputs, writes the plan, submits one task per
shard (a bounded number in flight), reads back each shard's small manifest entry, and at
the end submits the duplicate pass and the publishing task (docs/scale.md).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from pipeline.config import Config
from pipeline.errors import ConfigError, RunInterrupted, SinkError
from pipeline.ingest import format_of
from pipeline.records import RunReport, content_hash
from pipeline.runner import RunOptions, Tally, make_dask_client, write_report_file
from pipeline.shards.manifest import SHARD_ERROR, WORKER_DIED, ShardResult, Stage
from pipeline.shards.plan import DEFAULT_SHARD_BYTES, Shard, absolute, plan_shards
from pipeline.shards.publish import OutputKind, PublishJob, publish
from pipeline.shards.read import count_lines
from pipeline.shards.resolve import Resolved, resolve_duplicates
from pipeline.shards.task import ShardJob, run_shard
from pipeline.sinks import sink_kind
from pipeline.sinks.arrow_schema import TABLES
from pipeline.sinks.parquet import COMMITS_DIR, SUCCESS_NAME, parquet_root

#: Marker of a sharded run whose output is published and complete.
FINISHED_NAME = "finished.json"
#: Shard tasks in flight per worker thread (keeps workers busy; bounds the driver's futures).
IN_FLIGHT_PER_SLOT = 2
#: Shards per worker thread the planner aims at for small inputs (evens out the load).
SHARDS_PER_SLOT = 4


def wants_shards(inputs: Sequence[str], dest: str, engine: str, shards: bool | None) -> bool:
    """Decide whether ``newsevents extract`` runs sharded: ``--shards``, or by default with ``--engine dask``
    when the inputs are files that can be split or several files (stdin, stdout and one
    unsplittable file stream through the driver as before).

    Raises:
        ConfigError: ``--shards`` with stdin or stdout.
    """
    streamed = "-" in inputs or dest == "-"
    if shards and streamed:
        raise ConfigError(
            "--shards needs file inputs and a file or database output: stdin and stdout stream through one "
            "process. Drop --shards, or give files."
        )
    if shards is not None:
        return shards
    if engine != "dask" or streamed:
        return False
    if len(inputs) == 1 and Path(inputs[0]).is_file():
        return format_of(inputs[0]) in ("jsonl", "zip")
    return True


def stage_path(dest: str, shard_dir: str | None) -> Path:
    """Return the stage directory of a run: ``--shard-dir``, else beside (or inside) the output."""
    if shard_dir:
        return Path(shard_dir).resolve()
    kind = sink_kind(dest)
    if kind == "parquet":
        return parquet_root(dest).resolve() / "_shards"
    if kind == "jsonl":
        return Path(dest + ".shards").resolve()
    return (Path("newsevents-shards") / content_hash(dest)).resolve()


def _count_first_lines(client: Any, shards: list[Shard]) -> list[Shard]:
    """Number the first line of every JSONL range: workers count the newlines, the driver adds them up."""
    ranged = [s for s in shards if s.kind == "jsonl_range"]
    if not ranged:
        return shards
    base = os.getcwd()
    futures = [client.submit(count_lines, absolute(s.paths[0], base), s.start, s.stop, pure=False) for s in ranged]
    counts = dict(zip([s.index for s in ranged], client.gather(futures), strict=True))
    out = []
    lines_before: dict[str, int] = {}
    for shard in shards:
        if shard.kind == "jsonl_range":
            path = shard.paths[0]
            before = lines_before.get(path, 0)
            shard = Shard(**{**shard.model_dump(), "first_line": before + 1})
            lines_before[path] = before + counts[shard.index]
        out.append(shard)
    return out


def _absolute_dest(kind: OutputKind, dest: str) -> str:
    """Return ``dest`` with an absolute path (the publishing task runs in a worker's directory)."""
    if kind == "sql":
        return dest
    if kind == "parquet":
        return "parquet:" + str(parquet_root(dest).resolve())
    return str(Path(dest).resolve())


def _reset_output(kind: OutputKind, dest: str) -> None:
    """A fresh Parquet run starts from an empty dataset (the tables of an earlier run are removed)."""
    if kind != "parquet":
        return
    root = parquet_root(dest)
    for name in (*TABLES, COMMITS_DIR):
        shutil.rmtree(root / name, ignore_errors=True)
    (root / SUCCESS_NAME).unlink(missing_ok=True)


def _prepare(
    stage: Stage, run: dict[str, object], inputs: Sequence[str], opts: RunOptions, shard_bytes: int, client: Any
) -> list[Shard]:
    """Return the plan: read back when resuming, else made, numbered and written."""
    if opts.resume:
        earlier = stage.read_run()
        if earlier is not None:
            if (stage.root / FINISHED_NAME).exists():
                raise SinkError(
                    f"Cannot resume: the run staged in {stage.root} finished (there is nothing left to resume). "
                    "Run without --resume to start over."
                )
            different = [k for k, v in run.items() if earlier.get(k) != v]
            if different:
                raise SinkError(
                    f"Cannot resume: {stage.root} holds a run with other {', '.join(different)}. Resume with the "
                    "same inputs, outputs and config, or run without --resume to start over."
                )
            return stage.read_plan()
    stage.reset()
    slots = max(sum(client.nthreads().values()), 1)
    shards = _count_first_lines(client, list(plan_shards(inputs, shard_bytes, min_shards=SHARDS_PER_SLOT * slots)))
    stage.write_plan(run, shards)
    return shards


class _Tracker:
    """Counts what the shards of this run did and logs progress."""

    def __init__(self, total: int, log: TextIO, log_every: float) -> None:
        self.tally = Tally()
        self.total = total
        self.done = 0
        self.failed = 0
        self.log = log
        self.log_every = log_every
        self._last = time.monotonic()

    def add(self, result: ShardResult) -> None:
        if result.status == "failed":
            self.failed += 1
            self.tally.read += 1
            self.tally.rejected[result.reason or SHARD_ERROR] += 1
            self.log.write(f"shard failed: {result.shard.label()}: {result.reason} ({result.detail})\n")
        else:
            self.done += 1
            counts = result.counts
            self.tally.read += counts.read
            self.tally.processed += counts.processed
            self.tally.duplicates += counts.duplicates
            self.tally.rejected.update(counts.rejected_by_reason)
            self.tally.events.update(counts.events_by_type)
        now = time.monotonic()
        if now - self._last >= self.log_every:
            self._last = now
            t = self.tally
            self.log.write(
                f"progress: shards {self.done + self.failed}/{self.total} ({self.failed} failed), read {t.read}, "
                f"processed {t.processed}, events {sum(t.events.values())}\n"
            )
            self.log.flush()

    def subtract(self, dropped: Resolved) -> None:
        """Move the articles the second pass dropped from processed (or rejected) to duplicates."""
        t = self.tally
        t.processed -= dropped.processed
        t.rejected.subtract(dropped.rejected_by_reason)
        t.events.subtract(dropped.events_by_type)
        t.duplicates += dropped.duplicates
        if dropped.duplicate_ids:
            t.rejected["duplicate_id"] += dropped.duplicate_ids
        t.rejected = +t.rejected
        t.events = +t.events


def _failure(shard: Shard, error: BaseException) -> ShardResult:
    from distributed.scheduler import KilledWorker

    if isinstance(error, KilledWorker):
        reason = WORKER_DIED
        detail = (
            "the worker processing it died repeatedly (distributed.scheduler.allowed-failures); "
            "check the workers' logs and memory, fix or remove the input, then rerun with --resume"
        )
    else:
        reason = SHARD_ERROR
        detail = f"{type(error).__name__}: {error}; a bug: the workers' logs have the traceback"
    return ShardResult(shard=shard, status="failed", reason=reason, detail=detail)


def _process(client: Any, job: ShardJob, todo: list[Shard], stage: Stage, tracker: _Tracker) -> None:
    """Run the shard tasks, a bounded number at a time; record failures in the manifest."""
    from distributed import as_completed

    slots = max(sum(client.nthreads().values()), 1)
    # Largest first: the last shards to finish are then small ones (the output keeps plan order).
    pending = iter(sorted(todo, key=lambda s: -s.size))
    running: dict[Any, Shard] = {}
    queue = as_completed()  # type: ignore[no-untyped-call]

    def submit_next() -> None:
        shard = next(pending, None)
        if shard is not None:
            key = f"shard-{shard.index}-{shard.id}-{time.time_ns()}"
            future = client.submit(run_shard, job, shard, pure=False, retries=1, key=key)
            running[future] = shard
            queue.add(future)  # type: ignore[no-untyped-call]

    for _ in range(IN_FLIGHT_PER_SLOT * slots):
        submit_next()
    try:
        for future in queue:
            shard = running.pop(future)
            try:
                result: ShardResult = future.result()
            except SinkError:
                raise
            except Exception as e:  # a failure of this shard only: recorded, the run goes on
                result = _failure(shard, e)
                stage.write_result(result)
            tracker.add(result)
            submit_next()
    finally:
        for future in running:
            future.cancel()


def run_sharded(
    inputs: list[str],
    dest: str,
    cfg: Config,
    *,
    published: str | None = None,
    documents: str | None = None,
    rejects: str | None = None,
    options: RunOptions | None = None,
    shard_bytes: int = DEFAULT_SHARD_BYTES,
    shard_dir: str | None = None,
    log: TextIO | None = None,
) -> RunReport:
    """Extract events from ``inputs`` into ``dest`` with shard-parallel tasks on a Dask cluster.

    Args:
        inputs: files or directories the workers can read (same paths, or a shared filesystem).
        dest: a JSONL path, a database URL or a Parquet dataset.
        cfg: validated settings.
        published: publication date for inputs that carry none.
        documents: also write document records (JSONL output).
        rejects: the rejects file (JSONL output).
        options: scheduler, workers, resume, report file (engine is Dask whatever it says).
        shard_bytes: input bytes per shard (``--shard-size``).
        shard_dir: the stage directory (``--shard-dir``); by default beside or inside the output.
        log: where progress and failures are printed (stderr).

    Returns:
        The run report; failed shards are rejections with reason ``worker_died`` or ``internal_error``.

    Raises:
        RunInterrupted: after Ctrl-C, with the report so far (rerun with ``--resume``).
        SinkError: the stage directory or the output cannot be written.
    """
    opts = options or RunOptions(engine="dask")
    log = log or sys.stderr
    kind = sink_kind(dest)
    stage = Stage(stage_path(dest, shard_dir))
    run: dict[str, object] = {
        "inputs": list(inputs),
        "dest": dest,
        "documents": documents,
        "rejects": rejects,
        "published": published,
        "config": content_hash(cfg.model_dump_json()),
    }
    client = make_dask_client(opts.scheduler, opts.workers)
    interrupted = False
    try:
        slots = max(sum(client.nthreads().values()), 1)
        shards = _prepare(stage, run, inputs, opts, shard_bytes, client)
        if not opts.resume:
            _reset_output(kind, dest)
        earlier = {sid: r for sid, r in stage.results("done").items() if stage.check_done(r)}
        todo = [s for s in shards if s.id not in earlier]
        tracker = _Tracker(len(shards), log, opts.log_every)
        tracker.done = len(earlier)
        job = ShardJob(
            stage=str(stage.root),
            parts="parquet" if kind == "parquet" else "jsonl",
            cfg_json=cfg.model_dump_json(),
            published=published,
            base=os.getcwd(),
        )
        try:
            _process(client, job, todo, stage, tracker)
        except KeyboardInterrupt:
            interrupted = True
        if not interrupted:
            report_dropped(client, stage, tracker, earlier)
        report = tracker.tally.report(cfg.classifier.name, interrupted=interrupted, engine="dask", workers=slots)
        if opts.report_path:
            write_report_file(report, opts.report_path)
        if interrupted:
            raise RunInterrupted(report)
        publish_job = PublishJob(
            stage=str(stage.root),
            kind=kind,
            dest=_absolute_dest(kind, dest),
            documents=str(Path(documents).resolve()) if documents else None,
            rejects=str(Path(rejects).resolve()) if rejects else None,
            report=report,
        )
        client.submit(publish, publish_job, pure=False).result()
        if not tracker.failed:
            shutil.rmtree(stage.root / "parts", ignore_errors=True)
            (stage.root / FINISHED_NAME).write_text("{}\n", encoding="utf-8")
        return report
    finally:
        cluster = client.cluster
        client.close()
        if cluster is not None:
            cluster.close()


def report_dropped(client: Any, stage: Stage, tracker: _Tracker, earlier: dict[str, ShardResult]) -> None:
    """Run the duplicate pass over every done shard and move its drops into the counts.

    Shards an earlier run finished count in ``already_done`` (their processed documents),
    as documents a resumed streaming run skips do.
    """
    done = list(stage.results("done").values())
    if not done:
        return
    dropped: dict[int, Resolved] = client.submit(resolve_duplicates, str(stage.root), done, pure=False).result()
    earlier_indices = {r.shard.index for r in earlier.values()}
    already = Counter({"processed": sum(r.counts.processed for r in earlier.values())})
    for index, resolved in dropped.items():
        if index in earlier_indices:
            already["processed"] -= resolved.processed
        else:
            tracker.subtract(resolved)
    tracker.tally.already_done = already["processed"]
