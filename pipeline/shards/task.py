"""The worker's task: read one shard, run the whole pipeline on it, write its parts, its keys and its manifest entry.

Everything happens in the worker process: reading (HTML and WARC extraction included),
duplicates within the shard, NER, classification, normalization and writing. The driver
receives only the small :class:`~pipeline.shards.manifest.ShardResult`. A retried shard
(its worker was killed) writes the same parts under the same names, so nothing is written
twice.
"""

from __future__ import annotations

import hashlib
import os
import socket
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel, ConfigDict

from pipeline.chain import process_articles, skip_repeats
from pipeline.config import config_from_json
from pipeline.ingest import DUPLICATE_REASON
from pipeline.ingest.dedup import text_digest
from pipeline.records import Article, Rejection
from pipeline.shards.manifest import ShardCounts, ShardResult, Stage
from pipeline.shards.parts import PartFormat, commit_parts, make_parts
from pipeline.shards.plan import Shard
from pipeline.shards.read import read_shard
from pipeline.sinks.files import PartFile, file_sha256, fsync_file, temporary_name

#: Columns of a shard's keys file: one row per article that went past the shard's own
#: duplicate check, in input order. The second pass (:mod:`pipeline.shards.resolve`) reads them.
KEYS_SCHEMA = pa.schema(
    [
        pa.field("position", pa.int64(), nullable=False),
        pa.field("text_digest", pa.uint64(), nullable=False),
        pa.field("id_digest", pa.uint64(), nullable=False),
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("path", pa.string(), nullable=False),
        pa.field("line", pa.int64()),
        pa.field("member", pa.string()),
        pa.field("outcome", pa.string(), nullable=False),  # "processed", or the reason it was rejected
        pa.field("event_types", pa.list_(pa.string()), nullable=False),
    ]
)


class ShardJob(BaseModel):
    """What every shard task of a run shares (sent with each task; small).

    Args:
        stage: the stage directory (absolute, reachable by every worker).
        parts: the part format (``parquet`` for Parquet outputs, else ``jsonl``).
        cfg_json: the validated Config as JSON.
        published: ``--published``.
        base: the driver's working directory (relative input paths are resolved against it).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    stage: str
    parts: PartFormat
    cfg_json: str
    published: str | None = None
    base: str = "."


def id_digest(doc_id: str) -> int:
    """Return the 64-bit digest of a document id (as :class:`~pipeline.ingest.dedup.IdRegistry` keeps it)."""
    digest = hashlib.blake2b(doc_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


class _Keys:
    """Collects the keys rows of a shard."""

    def __init__(self) -> None:
        self.columns: dict[str, list[object]] = {name: [] for name in KEYS_SCHEMA.names}

    def add(self, position: int, article: Article, outcome: str, event_types: Sequence[str]) -> None:
        row = {
            "position": position,
            "text_digest": text_digest(article.text),
            "id_digest": id_digest(article.id),
            "doc_id": article.id,
            "path": article.input.path,
            "line": article.input.line,
            "member": article.input.member,
            "outcome": outcome,
            "event_types": list(event_types),
        }
        for name, value in row.items():
            self.columns[name].append(value)

    def write(self, root: Path, rel: str) -> tuple[Path, PartFile]:
        final = root / rel
        temp = temporary_name(final)
        table = pa.Table.from_pydict(self.columns, schema=KEYS_SCHEMA)
        pq.write_table(table, temp)
        fsync_file(temp)
        part = PartFile(
            path=rel, table="keys", rows=table.num_rows, bytes=temp.stat().st_size, sha256=file_sha256(temp)
        )
        return temp, part


def _positions(items: Iterable[Article | Rejection], seen: deque[Article | Rejection]) -> Iterator[Article | Rejection]:
    """Pass items through, remembering them so each result can be matched with its input."""
    for item in items:
        seen.append(item)
        yield item


def run_shard(job: ShardJob, shard: Shard) -> ShardResult:
    """Process one shard and record it in the manifest (the Dask task).

    Args:
        job: what the run's tasks share.
        shard: the shard.

    Returns:
        The manifest entry (also written to ``STAGE/done/``).

    Raises:
        SinkError: the stage directory cannot be written (the run stops: no output is possible).
    """
    started = time.monotonic()
    cfg = config_from_json(job.cfg_json)
    stage = Stage(Path(job.stage))
    prefix = stage.shard_dir(shard)
    (stage.root / prefix).mkdir(parents=True, exist_ok=True)
    writer = make_parts(job.parts, stage.root, prefix)
    keys = _Keys()
    read, processed, duplicates = 0, 0, 0
    rejected: Counter[str] = Counter()
    events: Counter[str] = Counter()
    inputs: deque[Article | Rejection] = deque()
    try:
        stream = _positions(skip_repeats(read_shard(shard, cfg.ingest, job.published, job.base), cfg), inputs)
        for position, result in enumerate(process_articles(stream, cfg)):
            source = inputs.popleft()
            read += 1
            if isinstance(result, Rejection):
                writer.write_rejection(result)
                if result.reason == DUPLICATE_REASON:
                    duplicates += 1
                else:
                    rejected[result.reason] += 1
                if isinstance(source, Article):
                    keys.add(position, source, result.reason, [])
                continue
            document, records = result
            writer.write(document, records)
            processed += 1
            types = [r.type for r in records]
            events.update(types)
            if isinstance(source, Article):
                keys.add(position, source, "processed", types)
        written = writer.close()
        written.append(keys.write(stage.root, f"{prefix}/keys.parquet"))
    except BaseException:
        writer.abort()
        raise
    parts = commit_parts(stage.root, written)
    entry = ShardResult(
        shard=shard,
        status="done",
        parts=[p for p in parts if p.table != "keys"],
        keys=next(p for p in parts if p.table == "keys"),
        counts=ShardCounts(
            read=read,
            processed=processed,
            duplicates=duplicates,
            rejected_by_reason=dict(sorted(rejected.items())),
            events_by_type=dict(sorted(events.items())),
        ),
        seconds=round(time.monotonic() - started, 3),
        worker=f"{socket.gethostname()}:{os.getpid()}",
    )
    stage.write_result(entry)
    return entry
