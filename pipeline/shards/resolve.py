"""The second pass: exact duplicates across shards, found from the shards' keys files.

Each shard skips the repeats within itself and writes one keys row per remaining article
(text digest, id digest, position). This pass, one task on a worker, reads the keys of
every done shard in shard order: the first article with a text keeps it and a later one
is a ``duplicate`` of it; among those, the first article with an id keeps it and a later
one with another text is a ``duplicate_id`` rejection. That is the rule of the local
engine's single pass, so a sharded run keeps the same documents. The later articles are
written to ``drops.parquet``; publishing leaves their records out.

Memory: the digests and positions as numpy arrays, about 40 bytes per distinct article
(60 MB for the 1.5 million articles of a month); the driver holds none of it.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel, ConfigDict, Field

from pipeline.ingest.dedup import DUPLICATE_ID_REASON, DUPLICATE_REASON
from pipeline.records import InputRef, Rejection
from pipeline.shards.manifest import ShardResult
from pipeline.sinks.files import fsync_file, temporary_name

DROPS_NAME = "drops.parquet"


class Resolved(BaseModel):
    """What the second pass found: how many articles it dropped, and the counts to move."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    duplicates: int = 0
    duplicate_ids: int = 0
    processed: int = Field(default=0, description="Dropped articles the shards had counted as processed.")
    rejected_by_reason: dict[str, int] = Field(default_factory=dict, description="...and as rejected.")
    events_by_type: dict[str, int] = Field(default_factory=dict, description="Events of the dropped articles.")


def _keys_table(stage: Path, results: list[ShardResult]) -> pa.Table:
    tables = []
    for result in results:
        if result.keys is None or result.keys.rows == 0:
            continue
        table = pq.read_table(stage / result.keys.path)
        shard = pa.array(np.full(table.num_rows, result.shard.index, dtype=np.int64))
        tables.append(table.append_column("shard_index", shard))
    if not tables:
        return pa.table({})
    return pa.concat_tables(tables)


def _first_of(values: np.ndarray) -> np.ndarray:
    """Return, for each element, the index of the first element with the same value."""
    _, first, inverse = np.unique(values, return_index=True, return_inverse=True)
    return np.asarray(first[inverse])


def resolve_duplicates(stage_dir: str, results: list[ShardResult]) -> dict[int, Resolved]:
    """Find the articles that repeat an article of an earlier shard; write them to ``drops.parquet`` (a task).

    Args:
        stage_dir: the stage directory.
        results: the done shards (any order).

    Returns:
        The counts of what was dropped, by shard index (shards with drops only).
    """
    stage = Path(stage_dir)
    ordered = sorted(results, key=lambda r: r.shard.index)
    table = _keys_table(stage, ordered)
    n = table.num_rows
    reason = np.full(n, "", dtype=object)
    first = np.arange(n)
    if n:
        by_text = _first_of(table["text_digest"].to_numpy())
        text_dup = by_text != np.arange(n)
        reason[text_dup] = DUPLICATE_REASON
        first[text_dup] = by_text[text_dup]
        kept = np.flatnonzero(~text_dup)
        by_id = kept[_first_of(table["id_digest"].to_numpy()[kept])]
        id_dup = by_id != kept
        reason[kept[id_dup]] = DUPLICATE_ID_REASON
        first[kept[id_dup]] = by_id[id_dup]
    dropped = np.flatnonzero(reason != "")
    doc_ids = table["doc_id"].to_pylist() if n else []
    drops = table.take(pa.array(dropped, type=pa.int64())) if n else table
    if n:
        drops = drops.append_column("reason", pa.array(reason[dropped].tolist(), type=pa.string()))
        drops = drops.append_column("first_doc_id", pa.array([doc_ids[i] for i in first[dropped]], type=pa.string()))
    final = stage / DROPS_NAME
    temp = temporary_name(final)
    pq.write_table(drops, temp)
    fsync_file(temp)
    temp.replace(final)
    if drops.num_rows == 0:
        return {}
    shard_of = drops["shard_index"].to_numpy()
    return {int(i): _summary(drops.filter(pa.array(shard_of == i))) for i in np.unique(shard_of)}


def _summary(drops: pa.Table) -> Resolved:
    reasons = drops["reason"].to_pylist()
    outcomes = drops["outcome"].to_pylist()
    rejected: Counter[str] = Counter()
    events: Counter[str] = Counter()
    processed = 0
    for outcome, types in zip(outcomes, drops["event_types"].to_pylist(), strict=True):
        if outcome == "processed":
            processed += 1
            events.update(types)
        else:  # rejected after the duplicate check (too_long, internal_error): the duplicate record replaces it
            rejected[outcome] += 1
    return Resolved(
        duplicates=reasons.count(DUPLICATE_REASON),
        duplicate_ids=reasons.count(DUPLICATE_ID_REASON),
        processed=processed,
        rejected_by_reason=dict(rejected),
        events_by_type=dict(events),
    )


def read_drops(stage_dir: str) -> dict[int, list[dict[str, object]]]:
    """Return the dropped articles by shard index (each a dict of its keys row, reason and first id)."""
    path = Path(stage_dir) / DROPS_NAME
    out: dict[int, list[dict[str, object]]] = {}
    if not path.exists():
        return out
    for row in pq.read_table(path).to_pylist():
        out.setdefault(int(row["shard_index"]), []).append(row)
    return out


def drop_rejection(row: dict[str, object]) -> Rejection:
    """Return the ``duplicate`` or ``duplicate_id`` record of a dropped article (as the local engine words it)."""
    line = row["line"]
    member = row["member"]
    ref = InputRef(
        path=str(row["path"]),
        line=line if isinstance(line, int) else None,
        member=member if isinstance(member, str) else None,
    )
    if row["reason"] == DUPLICATE_REASON:
        return Rejection(
            input=ref, stage="dedup", reason=DUPLICATE_REASON, detail=f"same text as document {row['first_doc_id']}"
        )
    doc_id = str(row["doc_id"])
    detail = f"id {doc_id[:200]!r} was used by an earlier article with another text; give each its own id"
    return Rejection(input=ref, stage="dedup", reason=DUPLICATE_ID_REASON, detail=detail)
