"""A shard's output parts: its records written under temporary names, renamed when the shard is done.

Two formats: JSON Lines (``events.jsonl``, ``documents.jsonl``, ``doc_events.jsonl``,
``rejects.jsonl``; for JSONL and database outputs) and Parquet (one file per table and month;
for Parquet outputs). Both hold each document's document events (:mod:`pipeline.events`),
grouped in the worker as the local engine's sinks group them. A
part becomes visible under its final name only after every byte is written and fsynced, and
a shard counts as done only when its manifest entry, written after the renames, exists: a
worker killed halfway leaves temporary files that nothing reads.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, Literal

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.events.merge import document_events
from pipeline.records import DocumentRecord, EventRecord, Rejection
from pipeline.sinks.arrow_schema import MONTH_COLUMN, TABLES, month_of, records_table
from pipeline.sinks.files import PartFile, file_sha256, temporary_name

PartFormat = Literal["jsonl", "parquet"]
#: The JSON Lines part of each table.
JSONL_TABLES = {
    "mentions": "events.jsonl",
    "documents": "documents.jsonl",
    "doc_events": "doc_events.jsonl",
    "rejects": "rejects.jsonl",
}
#: Rows buffered per Parquet file before a row group is written (bounds a task's memory).
ROW_GROUP_ROWS = 2_000


class JsonlParts:
    """Writes a shard's records as JSON Lines files under ``root``, one per table (:data:`JSONL_TABLES`).

    Args:
        root: the stage directory.
        prefix: the shard's directory, relative to ``root`` (``parts/000012-abcd``).
    """

    def __init__(self, root: Path, prefix: str) -> None:
        self.root = root
        self.prefix = prefix
        self._files: dict[str, tuple[Path, IO[str], int]] = {}

    def _fh(self, table: str) -> IO[str]:
        entry = self._files.get(table)
        if entry is None:
            final = self.root / self.prefix / JSONL_TABLES[table]
            final.parent.mkdir(parents=True, exist_ok=True)
            temp = temporary_name(final)
            entry = self._files[table] = (temp, temp.open("w", encoding="utf-8"), 0)
        return entry[1]

    def _count(self, table: str, n: int) -> None:
        temp, fh, rows = self._files[table]
        self._files[table] = (temp, fh, rows + n)

    def write(self, document: DocumentRecord, events: Iterable[EventRecord]) -> None:
        """Write one document's events, then the document (the order the loaders rely on), then its document events."""
        records = list(events)
        for record in records:
            self._fh("mentions").write(record.model_dump_json() + "\n")
        if records:
            self._count("mentions", len(records))
        self._fh("documents").write(document.model_dump_json() + "\n")
        self._count("documents", 1)
        doc_events = document_events(records, document)
        for doc_event in doc_events:
            self._fh("doc_events").write(doc_event.model_dump_json() + "\n")
        if doc_events:
            self._count("doc_events", len(doc_events))

    def write_rejection(self, rejection: Rejection) -> None:
        """Write one rejection."""
        self._fh("rejects").write(rejection.model_dump_json() + "\n")
        self._count("rejects", 1)

    def close(self) -> list[tuple[Path, PartFile]]:
        """Flush and fsync every file; return (temporary path, part) pairs to rename."""
        out = []
        for table, (temp, fh, rows) in self._files.items():
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
            rel = f"{self.prefix}/{JSONL_TABLES[table]}"
            part = PartFile(path=rel, table=table, rows=rows, bytes=temp.stat().st_size, sha256=file_sha256(temp))
            out.append((temp, part))
        self._files = {}
        return out

    def abort(self) -> None:
        """Close and delete the temporary files (the shard failed)."""
        for temp, fh, _ in self._files.values():
            fh.close()
            temp.unlink(missing_ok=True)
        self._files = {}


class ParquetParts:
    """Writes a shard's records as Parquet, one file per table and publication month, row group by row group.

    Args:
        root: the stage directory.
        prefix: the shard's directory, relative to ``root``.
    """

    def __init__(self, root: Path, prefix: str) -> None:
        self.root = root
        self.prefix = prefix
        self._buffers: dict[tuple[str, str | None], list[Any]] = {}
        self._writers: dict[tuple[str, str | None], tuple[Path, pq.ParquetWriter, int]] = {}

    def _add(self, table: str, record: Any) -> None:
        spec = TABLES[table]
        month = month_of(spec.published(record)) if spec.published else None
        buffer = self._buffers.setdefault((table, month), [])
        buffer.append(record)
        if len(buffer) >= ROW_GROUP_ROWS:
            self._write_group(table, month)

    def _rel(self, table: str, month: str | None) -> str:
        name = f"{MONTH_COLUMN}={month}.parquet" if month is not None else "part.parquet"
        return f"{self.prefix}/{table}/{name}"

    def _write_group(self, table: str, month: str | None) -> None:
        key = (table, month)
        records = self._buffers.pop(key, [])
        if not records:
            return
        chunk: pa.Table = records_table(TABLES[table], records)
        entry = self._writers.get(key)
        if entry is None:
            final = self.root / self._rel(table, month)
            final.parent.mkdir(parents=True, exist_ok=True)
            temp = temporary_name(final)
            entry = (temp, pq.ParquetWriter(temp, chunk.schema, compression="zstd"), 0)
        temp, writer, rows = entry
        writer.write_table(chunk)
        self._writers[key] = (temp, writer, rows + len(records))

    def write(self, document: DocumentRecord, events: Iterable[EventRecord]) -> None:
        """Add one document, its events and its document events."""
        records = list(events)
        for record in records:
            self._add("mentions", record)
        self._add("documents", document)
        for doc_event in document_events(records, document):
            self._add("doc_events", doc_event)

    def write_rejection(self, rejection: Rejection) -> None:
        """Add one rejection."""
        self._add("rejects", rejection)

    def close(self) -> list[tuple[Path, PartFile]]:
        """Write what is buffered, close and fsync every file; return (temporary path, part) pairs."""
        for table, month in list(self._buffers):
            self._write_group(table, month)
        out = []
        for (table, month), (temp, writer, rows) in self._writers.items():
            writer.close()
            with temp.open("rb") as fh:
                os.fsync(fh.fileno())
            part = PartFile(
                path=self._rel(table, month),
                table=table,
                month=month,
                rows=rows,
                bytes=temp.stat().st_size,
                sha256=file_sha256(temp),
            )
            out.append((temp, part))
        self._writers = {}
        return out

    def abort(self) -> None:
        """Close and delete the temporary files (the shard failed)."""
        for temp, writer, _ in self._writers.values():
            writer.close()
            temp.unlink(missing_ok=True)
        self._writers = {}
        self._buffers = {}


def make_parts(fmt: PartFormat, root: Path, prefix: str) -> JsonlParts | ParquetParts:
    """Return the part writer of a format."""
    return ParquetParts(root, prefix) if fmt == "parquet" else JsonlParts(root, prefix)


def commit_parts(root: Path, written: list[tuple[Path, PartFile]]) -> list[PartFile]:
    """Rename each temporary file to its final name under ``root``; return the parts."""
    for temp, part in written:
        os.replace(temp, root / part.path)
    return [part for _, part in written]
