"""Files that readers see whole or not at all: temporary names, fsync, rename, checksums."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import uuid
from pathlib import Path
from typing import Any

from pipeline.records import Record


class PartFile(Record):
    """One output file written whole: where (relative to its root), which table and month, rows and checksum."""

    path: str
    table: str
    month: str | None = None
    rows: int
    bytes: int
    sha256: str


def file_sha256(path: Path) -> str:
    """Return the SHA-256 hex digest of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def temporary_name(final: Path) -> Path:
    """Return a hidden temporary name beside ``final`` (Parquet readers skip names starting with a dot)."""
    return final.with_name(f".{final.name}.tmp-{uuid.uuid4().hex[:12]}")


def fsync_file(path: Path) -> None:
    """Make a written file durable."""
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON to ``path`` through a temporary file, fsync and rename: readers see all or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = temporary_name(path)
    with temp.open("w", encoding="utf-8") as fh:
        json.dump(data, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(temp, path)


def remove_temporaries(directory: Path) -> None:
    """Delete the temporary files left under ``directory`` by writers that were killed."""
    if directory.is_dir():
        for path in directory.rglob(".*.tmp-*"):
            with contextlib.suppress(OSError):
                path.unlink()


def link_or_copy(source: Path, final: Path) -> None:
    """Put ``source``'s content at ``final`` atomically: a hard link (no copy) where the filesystem allows."""
    final.parent.mkdir(parents=True, exist_ok=True)
    temp = temporary_name(final)
    try:
        os.link(source, temp)
    except OSError:
        import shutil

        shutil.copyfile(source, temp)
    os.replace(temp, final)
