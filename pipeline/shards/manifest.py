"""The manifest of a sharded run: its plan, one entry per finished or failed shard, in a stage directory.

Layout of the stage directory (on storage every worker and the driver reach)::

    run.json                  what the run is: inputs, output, config digest (checked by --resume)
    plan.jsonl                the shards, in input order (written once; --resume reads it back)
    done/NNNNNN-ID.json       a finished shard: its parts with rows and SHA-256, its counts
    failed/NNNNNN-ID.json     a shard that failed: the reason (worker_died, internal_error)
    parts/NNNNNN-ID/...       the shard's output parts and its keys (for duplicates across shards)
    drops.parquet             the cross-shard duplicates found by the second pass

Every file is written to a temporary name and renamed, so an entry is there whole or not
at all; a shard is done exactly when its ``done`` entry exists, which the worker writes
after renaming its parts.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Literal

from pydantic import Field

from pipeline.errors import SinkError
from pipeline.records import InputRef, Record, Rejection
from pipeline.shards.plan import Shard
from pipeline.sinks.files import PartFile, file_sha256, write_json_atomic

MANIFEST_VERSION = 1
#: Reasons a shard fails as a whole (its input is then one rejection with this reason).
WORKER_DIED = "worker_died"
SHARD_ERROR = "internal_error"


class ShardCounts(Record):
    """What one shard read and produced, before duplicates across shards are resolved."""

    read: int = 0
    processed: int = 0
    duplicates: int = 0
    rejected_by_reason: dict[str, int] = Field(default_factory=dict)
    events_by_type: dict[str, int] = Field(default_factory=dict)


class ShardResult(Record):
    """The manifest entry of a shard: done with its parts and counts, or failed with a reason."""

    shard: Shard
    status: Literal["done", "failed"]
    parts: list[PartFile] = Field(default_factory=list)
    keys: PartFile | None = None
    counts: ShardCounts = Field(default_factory=ShardCounts)
    reason: str | None = None
    detail: str = ""
    seconds: float = 0.0
    worker: str = ""

    def rejection(self) -> Rejection:
        """Return the rejection that stands for a failed shard in the rejects output."""
        ref = InputRef(path=self.shard.paths[0], member=None if self.shard.kind == "files" else self.shard.label())
        detail = f"shard {self.shard.label()} failed: {self.detail}"
        return Rejection(input=ref, stage="shard", reason=self.reason or SHARD_ERROR, detail=detail)


def add_counts(total: Counter[str], counts: dict[str, int]) -> None:
    """Add a dict of counts into a Counter."""
    total.update(counts)


class Stage:
    """The stage directory of one sharded run.

    Args:
        root: the directory.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def shard_dir(self, shard: Shard) -> str:
        """Return the directory of a shard's parts, relative to the stage."""
        return f"parts/{shard.index:06d}-{shard.id}"

    def _entry(self, status: str, shard: Shard) -> Path:
        return self.root / status / f"{shard.index:06d}-{shard.id}.json"

    def reset(self) -> None:
        """Remove everything an earlier run staged (a fresh run)."""
        if self.root.exists():
            shutil.rmtree(self.root)
        self.root.mkdir(parents=True)

    def write_plan(self, run: dict[str, object], shards: list[Shard]) -> None:
        """Write the run description and the plan (each atomically; the plan before the run file)."""
        temp = self.root / ".plan.jsonl.tmp"
        with temp.open("w", encoding="utf-8") as fh:
            for shard in shards:
                fh.write(shard.model_dump_json() + "\n")
        temp.replace(self.root / "plan.jsonl")
        write_json_atomic(self.root / "run.json", {"version": MANIFEST_VERSION, **run})

    def read_run(self) -> dict[str, object] | None:
        """Return the run description, or None when nothing was planned here."""
        path = self.root / "run.json"
        if not path.exists():
            return None
        data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
        return data

    def read_plan(self) -> list[Shard]:
        """Return the planned shards, in order."""
        with (self.root / "plan.jsonl").open(encoding="utf-8") as fh:
            return [Shard.model_validate_json(line) for line in fh if line.strip()]

    def write_result(self, result: ShardResult) -> None:
        """Record a finished or failed shard (a new ``done`` entry replaces a ``failed`` one).

        Raises:
            SinkError: the stage directory cannot be written.
        """
        try:
            if result.status == "done":
                self._entry("failed", result.shard).unlink(missing_ok=True)
            write_json_atomic(self._entry(result.status, result.shard), result.model_dump(mode="json"))
        except OSError as e:
            raise SinkError(
                f"Cannot write the manifest in {self.root}: {e.strerror or e}. Give a writable shared --shard-dir."
            ) from e

    def results(self, status: Literal["done", "failed"]) -> dict[str, ShardResult]:
        """Return the entries of one status, by shard id."""
        out = {}
        folder = self.root / status
        if folder.is_dir():
            for path in sorted(folder.glob("*.json")):
                result = ShardResult.model_validate_json(path.read_text(encoding="utf-8"))
                out[result.shard.id] = result
        return out

    def check_done(self, result: ShardResult) -> bool:
        """True when every part of a done shard is there with its recorded size and SHA-256 (``--resume``).

        A shard whose part is missing or changed is processed again.
        """
        for part in [*result.parts, *([result.keys] if result.keys else [])]:
            path = self.root / part.path
            if not path.is_file() or path.stat().st_size != part.bytes or file_sha256(path) != part.sha256:
                return False
        return True
