"""The last step of a sharded run: the shards' parts become the output, without the cross-shard duplicates.

One task on a worker, after the second pass (:mod:`pipeline.shards.resolve`):

- JSONL: the parts are concatenated in shard order (the local engine's order) into the
  output files (the document events into ``DEST.doc_events.jsonl``, as the local JSONL sink
  writes them), written to temporary names and renamed;
- Parquet: each part is hard-linked into its table and month (no copy; a filtered copy
  for a shard that holds duplicates of an earlier one);
- a database: the parts are loaded in shard order with the SQL sink, one transaction per
  batch, upserting on the content-hash ids (the sink groups the document events itself, as in
  a local run).

The documents a duplicate pass dropped lose their mentions and document events alike.

Why a final load rather than workers upserting their own batches: duplicates across shards
are known only once every shard is done, and a database must never receive a document that
turns out to repeat an earlier one; SQLite takes one writer at a time; and only the one
loading task needs to reach the database. Loading is I/O on small rows (thousands of events
a second, README "Databases"), far from the NLP's cost.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Literal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pydantic import BaseModel, ConfigDict

from pipeline.errors import SinkError
from pipeline.records import DocumentRecord, EventRecord, Rejection, RunReport
from pipeline.shards.manifest import ShardResult, Stage
from pipeline.shards.parts import JSONL_TABLES
from pipeline.shards.plan import Shard
from pipeline.shards.resolve import drop_rejection, read_drops
from pipeline.sinks import make_sink
from pipeline.sinks.arrow_schema import MONTH_COLUMN, TABLES, records_table
from pipeline.sinks.files import link_or_copy, remove_temporaries, temporary_name
from pipeline.sinks.jsonl import doc_events_path
from pipeline.sinks.parquet import SUCCESS_NAME, parquet_root, write_parquet

OutputKind = Literal["jsonl", "sql", "parquet"]
#: The dropped articles by shard index (:func:`pipeline.shards.resolve.read_drops`).
Dropped = dict[int, list[dict[str, object]]]
#: Documents loaded into a database between two commits.
LOAD_BATCH = 256


class PublishJob(BaseModel):
    """Where a sharded run's output goes.

    Args:
        stage: the stage directory.
        kind: the output kind.
        dest: the output (absolute path, or database URL).
        documents: the documents file of a JSONL output (absolute), if any.
        rejects: the rejects file of a JSONL output (absolute), if any.
        report: the run report, for a database's ``runs`` table.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    stage: str
    kind: OutputKind
    dest: str
    documents: str | None = None
    rejects: str | None = None
    report: RunReport | None = None


class _Drops:
    """The dropped articles of one shard: documents by id, rejections by input."""

    def __init__(self, rows: list[dict[str, object]]) -> None:
        self.rows = rows
        self.doc_ids = {str(r["doc_id"]) for r in rows if r["outcome"] == "processed"}
        self.inputs = {(r["path"], r["line"], r["member"]) for r in rows if r["outcome"] != "processed"}

    def keeps_event(self, data: dict[str, object]) -> bool:
        """True for a mention or document event whose document was not dropped."""
        provenance = data["provenance"]
        return not isinstance(provenance, dict) or provenance.get("doc_id") not in self.doc_ids

    def keeps_document(self, data: dict[str, object]) -> bool:
        return data.get("id") not in self.doc_ids

    def keeps_rejection(self, data: dict[str, object]) -> bool:
        ref = data.get("input")
        if not isinstance(ref, dict):
            return True
        return (ref.get("path"), ref.get("line"), ref.get("member")) not in self.inputs


def _ordered(stage: Stage) -> Iterator[tuple[Shard, ShardResult | None, ShardResult | None]]:
    """Yield (shard, done entry, failed entry) in plan order."""
    done = stage.results("done")
    failed = stage.results("failed")
    for shard in stage.read_plan():
        yield shard, done.get(shard.id), failed.get(shard.id)


# -- JSONL -----------------------------------------------------------------------------------


def _copy_part(src: Path, out: IO[bytes], keep: object | None) -> None:
    with src.open("rb") as fh:
        if keep is None:
            shutil.copyfileobj(fh, out, 1 << 20)
            return
        for line in fh:
            if keep(json.loads(line)):  # type: ignore[operator]
                out.write(line)


def _publish_jsonl(job: PublishJob, stage: Stage, dropped: Dropped) -> None:
    targets = {
        "mentions": job.dest,
        "documents": job.documents,
        "doc_events": doc_events_path(job.dest),
        "rejects": job.rejects,
    }
    temps: dict[str, tuple[Path, Path, IO[bytes]]] = {}
    for table, target in targets.items():
        if target is not None:
            final = Path(target)
            final.parent.mkdir(parents=True, exist_ok=True)
            temp = temporary_name(final)
            temps[table] = (final, temp, temp.open("wb"))
    for shard, done, failed in _ordered(stage):
        if done is None:
            if failed is not None and "rejects" in temps:
                temps["rejects"][2].write((failed.rejection().model_dump_json() + "\n").encode())
            continue
        drops = _Drops(dropped.get(shard.index, []))
        checks = {
            "mentions": drops.keeps_event,
            "documents": drops.keeps_document,
            "doc_events": drops.keeps_event,
            "rejects": drops.keeps_rejection,
        }
        for part in done.parts:
            if part.table in temps:
                _copy_part(stage.root / part.path, temps[part.table][2], checks[part.table] if drops.rows else None)
        if "rejects" in temps:
            for row in drops.rows:
                temps["rejects"][2].write((drop_rejection(row).model_dump_json() + "\n").encode())
    for table, (final, temp, fh) in temps.items():
        fh.flush()
        os.fsync(fh.fileno())
        fh.close()
        if table in ("rejects", "doc_events") and temp.stat().st_size == 0:
            temp.unlink()  # like a streaming run: no rejects (document events) file when there are none
            final.unlink(missing_ok=True)
            continue
        os.replace(temp, final)


# -- a database ------------------------------------------------------------------------------


def _lines(path: Path) -> Iterator[str]:
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            yield from (line for line in fh if line.strip())


def _documents_with_events(folder: Path) -> Iterator[tuple[DocumentRecord, list[EventRecord]]]:
    """Read a shard's documents and events parts in step (each document's events precede it)."""
    events = (EventRecord.model_validate_json(line) for line in _lines(folder / JSONL_TABLES["mentions"]))
    pending = next(events, None)
    for line in _lines(folder / JSONL_TABLES["documents"]):
        document = DocumentRecord.model_validate_json(line)
        records = []
        while pending is not None and pending.provenance.doc_id == document.id:
            records.append(pending)
            pending = next(events, None)
        yield document, records


def _publish_sql(job: PublishJob, stage: Stage, dropped: Dropped) -> None:
    with make_sink(job.dest) as sink:
        done_ids = sink.done_ids()
        since = 0
        for shard, done, failed in _ordered(stage):
            if done is None:
                if failed is not None:
                    sink.write_rejection(failed.rejection())
                continue
            drops = _Drops(dropped.get(shard.index, []))
            folder = stage.root / stage.shard_dir(shard)
            for document, records in _documents_with_events(folder):
                if document.id in drops.doc_ids or document.id in done_ids:
                    continue
                sink.write(document, records)
                since += 1
                if since >= LOAD_BATCH:
                    sink.flush()
                    since = 0
            for line in _lines(folder / JSONL_TABLES["rejects"]):
                if drops.keeps_rejection(json.loads(line)):
                    sink.write_rejection(Rejection.model_validate_json(line))
            for row in drops.rows:
                sink.write_rejection(drop_rejection(row))
        if job.report is not None:
            sink.write_report(job.report)
        sink.flush()
        sink.finish()


# -- Parquet ---------------------------------------------------------------------------------


def _filtered(table: pa.Table, name: str, drops: _Drops) -> pa.Table:
    if name == "documents":
        return table.filter(pc.invert(pc.is_in(table["id"], value_set=pa.array(sorted(drops.doc_ids), pa.string()))))
    if name in ("mentions", "doc_events"):
        doc_ids = pc.struct_field(table["provenance"], "doc_id")
        return table.filter(pc.invert(pc.is_in(doc_ids, value_set=pa.array(sorted(drops.doc_ids), pa.string()))))
    keep = [drops.keeps_rejection(row) for row in table.to_pylist()]
    return table.filter(pa.array(keep, pa.bool_()))


def _publish_parquet(job: PublishJob, stage: Stage, dropped: Dropped) -> None:
    root = parquet_root(job.dest)
    extra: list[Rejection] = []
    failures = False
    for shard, done, failed in _ordered(stage):
        if done is None:
            if failed is not None:
                extra.append(failed.rejection())
                failures = True
            continue
        drops = _Drops(dropped.get(shard.index, []))
        name = f"part-{shard.index:06d}-{shard.id}.parquet"
        for part in done.parts:
            folder = root / part.table
            final = (folder / f"{MONTH_COLUMN}={part.month}" if part.month else folder) / name
            source = stage.root / part.path
            if not drops.rows:
                link_or_copy(source, final)
                continue
            table = _filtered(pq.read_table(source), part.table, drops)
            temp = temporary_name(final)
            write_parquet(table, temp)
            os.replace(temp, final)
        extra.extend(drop_rejection(row) for row in drops.rows)
    final = root / "rejects" / "part-zzzzzz-run.parquet"
    if extra:
        temp = temporary_name(final)
        write_parquet(records_table(TABLES["rejects"], extra), temp)
        os.replace(temp, final)
    else:
        final.unlink(missing_ok=True)
    remove_temporaries(root)
    if not failures:
        (root / SUCCESS_NAME).write_text("", encoding="utf-8")


def publish(job: PublishJob) -> None:
    """Turn the parts of the done shards into the run's output (the Dask task).

    Raises:
        SinkError: the output cannot be written.
    """
    stage = Stage(Path(job.stage))
    dropped = read_drops(job.stage)
    try:
        if job.kind == "jsonl":
            _publish_jsonl(job, stage, dropped)
        elif job.kind == "parquet":
            _publish_parquet(job, stage, dropped)
        else:
            _publish_sql(job, stage, dropped)
    except OSError as e:
        raise SinkError(
            f"Cannot write the output {job.dest}: {e.strerror or e}. Free space or fix the path, then rerun the "
            "same command with --resume (the shards are kept)."
        ) from e
