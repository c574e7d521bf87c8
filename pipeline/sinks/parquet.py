"""Parquet output: a dataset directory of tables (mentions, documents, events, rejects), partitioned by month.

``-o out/events.parquet`` or ``-o parquet:out/`` writes::

    ROOT/mentions/month=2024-05/part-....parquet     one row per event mention (EventRecord)
    ROOT/documents/month=2024-05/part-....parquet    one row per document (DocumentRecord)
    ROOT/doc_events/month=2024-05/part-....parquet   one row per document event (DocumentEvent)
    ROOT/rejects/part-....parquet                    one row per rejected input
    ROOT/_SUCCESS                                    written when the run finished

with the schema of :mod:`pipeline.sinks.arrow_schema`. Every file is written under a hidden
temporary name (``.NAME.tmp-...``, which Parquet readers skip) and renamed when complete.

Resumable runs: each commit (every ``min_documents`` documents and at the end) first
writes its files under temporary names, then ``ROOT/_commits/N.json`` listing them with
the ids of their documents and rejections, then renames them. ``--resume`` finishes the
renames of every commit found, deletes temporary files of commits that never happened,
and skips the committed documents.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.errors import SinkError
from pipeline.events.merge import document_events
from pipeline.records import DocumentRecord, EventRecord, Record, Rejection, RunReport
from pipeline.sinks.arrow_schema import MONTH_COLUMN, TABLES, TableSpec, month_of, records_table
from pipeline.sinks.base import Sink
from pipeline.sinks.files import (
    PartFile,
    file_sha256,
    fsync_file,
    remove_temporaries,
    temporary_name,
    write_json_atomic,
)
from pipeline.sinks.jsonl import rejection_id

#: Prefix of a Parquet output that is not named ``*.parquet``.
PARQUET_PREFIX = "parquet:"
#: Documents a streaming Parquet output buffers before it writes files (and a resumed run redoes).
DEFAULT_MIN_DOCUMENTS = 4096
#: Marker of a finished dataset.
SUCCESS_NAME = "_SUCCESS"
COMMITS_DIR = "_commits"


def parquet_root(dest: str) -> Path:
    """Return the dataset directory of a Parquet ``dest``."""
    return Path(dest[len(PARQUET_PREFIX) :] if dest.startswith(PARQUET_PREFIX) else dest)


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write ``table`` to ``path`` and make it durable (fsync)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd")
    fsync_file(path)


def table_files(
    spec: TableSpec, records: list[Any], root: Path, name: str, *, monthly_dirs: bool = True
) -> list[tuple[Path, PartFile]]:
    """Write the records of one table, one temporary file per month; return (temporary path, final part).

    Args:
        spec: the table.
        records: its records, in order.
        root: the directory paths are relative to.
        name: the file name (``part-XXXX.parquet``) inside ``TABLE/month=M/``, or the stem of
            ``TABLE/month=M.parquet`` when ``monthly_dirs`` is False (a shard's staged parts).
        monthly_dirs: Hive layout (``month=M/NAME``) rather than one file per month.
    """
    if not records:
        return []
    groups: dict[str | None, list[Any]] = defaultdict(list)
    for record in records:
        groups[month_of(spec.published(record)) if spec.published else None].append(record)
    out = []
    for month, rows in groups.items():
        if month is None:
            rel = Path(spec.name) / name
        elif monthly_dirs:
            rel = Path(spec.name) / f"{MONTH_COLUMN}={month}" / name
        else:
            rel = Path(spec.name) / f"{MONTH_COLUMN}={month}.{name}"
        final = root / rel
        temp = temporary_name(final)
        write_parquet(records_table(spec, rows), temp)
        part = PartFile(
            path=rel.as_posix(),
            table=spec.name,
            month=month,
            rows=len(rows),
            bytes=temp.stat().st_size,
            sha256=file_sha256(temp),
        )
        out.append((temp, part))
    return out


class ParquetSink(Sink):
    """Write mentions, documents, document events and rejections as a Parquet dataset partitioned by month.

    Args:
        dest: ``parquet:DIR`` or ``DIR.parquet``: the dataset directory.
        resume: continue the run recorded in ``DIR/_commits`` instead of starting over.
        min_documents: documents buffered before files are written.
    """

    def __init__(self, dest: str, *, resume: bool = False, min_documents: int = DEFAULT_MIN_DOCUMENTS) -> None:
        self.root = parquet_root(dest)
        self.resume = resume
        self.min_documents = min_documents
        self._buffers: dict[str, list[Record]] = {name: [] for name in TABLES}
        self._ids: list[str] = []
        self._rejection_ids: list[str] = []
        self._done: set[str] = set()
        self._done_rejections: set[str] = set()
        self._commits = 0
        self._finished = False

    def open(self) -> None:
        """Start a fresh dataset (removing the tables of an earlier one), or recover the one to resume.

        Raises:
            SinkError: the directory cannot be written.
        """
        try:
            if self.resume:
                self._recover()
            else:
                for name in (*TABLES, COMMITS_DIR, SUCCESS_NAME):
                    target = self.root / name
                    if target.is_dir():
                        shutil.rmtree(target)
                    elif target.exists():
                        target.unlink()
            (self.root / COMMITS_DIR).mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise SinkError(
                f"Cannot write the Parquet dataset {self.root}: {e.strerror or e}. Choose a writable -o."
            ) from e

    def _recover(self) -> None:
        commits = sorted((self.root / COMMITS_DIR).glob("*.json"))
        if not commits and (self.root / SUCCESS_NAME).exists():
            raise SinkError(
                f"Cannot resume: {self.root} is a finished dataset (it has {SUCCESS_NAME}). "
                "Run without --resume to start over, or choose another output."
            )
        for path in commits:
            entry = json.loads(path.read_text(encoding="utf-8"))
            for temp, final in entry["renames"]:
                if (self.root / temp).exists():
                    os.replace(self.root / temp, self.root / final)
            self._done.update(entry["ids"])
            self._done_rejections.update(entry["rejections"])
        self._commits = len(commits)
        remove_temporaries(self.root)

    def write(self, document: DocumentRecord, events: Iterable[EventRecord]) -> None:
        """Buffer one document, its events and its document events (as the JSONL sink groups them)."""
        records = list(events)
        self._buffers["mentions"].extend(records)
        self._buffers["documents"].append(document)
        self._buffers["doc_events"].extend(document_events(records, document))
        self._ids.append(document.id)

    def write_rejection(self, rejection: Rejection) -> None:
        """Buffer one rejection (once, across resumed runs)."""
        key = rejection_id(rejection)
        if key in self._done_rejections:
            return
        self._buffers["rejects"].append(rejection)
        self._rejection_ids.append(key)

    def write_report(self, report: RunReport) -> None:
        """The dataset keeps no run history; the runner prints and optionally saves the report."""

    def done_ids(self) -> set[str]:
        """Return the ids of the documents committed by the run being resumed."""
        return set(self._done)

    def flush(self) -> None:
        """Write files once ``min_documents`` documents are buffered (smaller files are slow to query)."""
        if len(self._ids) >= self.min_documents:
            self._commit()

    def _commit(self) -> None:
        if not (self._ids or self._rejection_ids):
            return
        name = f"part-{self._commits:06d}-{uuid.uuid4().hex[:8]}.parquet"
        try:
            written = [
                pair
                for spec in TABLES.values()
                for pair in table_files(spec, self._buffers[spec.name], self.root, name)
            ]
            renames = [[str(temp.relative_to(self.root)), part.path] for temp, part in written]
            entry = {"renames": renames, "ids": self._ids, "rejections": self._rejection_ids}
            write_json_atomic(self.root / COMMITS_DIR / f"{self._commits:06d}.json", entry)
            for temp, final in renames:
                os.replace(self.root / temp, self.root / final)
        except OSError as e:
            raise SinkError(
                f"Writing the Parquet dataset {self.root} failed: {e.strerror or e} (disk full?). "
                "It is valid up to its last commit; free space and rerun the same command with --resume."
            ) from e
        self._commits += 1
        self._buffers = {name: [] for name in TABLES}
        self._ids, self._rejection_ids = [], []

    def finish(self) -> None:
        """Mark the run complete: ``close`` writes ``_SUCCESS`` and drops the commit log."""
        self._finished = True

    def close(self) -> None:
        """Write what is buffered; after :meth:`finish`, mark the dataset finished."""
        self._commit()
        if self._finished:
            shutil.rmtree(self.root / COMMITS_DIR, ignore_errors=True)
            (self.root / SUCCESS_NAME).write_text("", encoding="utf-8")
