"""Planning: input paths -> shards, the units of work a worker reads, processes and writes on its own.

A shard is a group of small input files, one large file (a WARC, a ``.gz``, a tar archive),
a range of members of a zip archive, or a byte range of a large plain ``.jsonl`` file. The
driver only looks at file sizes, zip directories and one line at each JSONL split point:
it never reads articles. Shards are numbered in input order (the order of
:func:`pipeline.ingest.iter_files`), so results put back in shard order are in the order the
local engine produces them.
"""

from __future__ import annotations

import itertools
import os
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

from pydantic import Field

from pipeline.ingest import format_of, iter_files
from pipeline.records import Record, content_hash

ShardKind = Literal["files", "zip_members", "jsonl_range"]

#: Input bytes a shard aims at (``--shard-size``): large enough that a task's start-up is
#: negligible, small enough that a lost worker costs little and the work spreads evenly.
DEFAULT_SHARD_BYTES = 32_000_000
#: Smallest shard the planner makes when it splits a small input for more parallelism.
MIN_SHARD_BYTES = 64_000
#: Formats that hold many articles: a file of these is a shard of its own, never grouped
#: (their bytes say little about their work: 50 short pages compress to little).
_WHOLE = ("warc", "tar", "zip")
#: Files grouped into one shard at most (each small file is one article).
MAX_FILES_PER_SHARD = 2_000


class Shard(Record):
    """One unit of work: what a worker reads, and where it sits in the input order.

    Args:
        index: position in the plan (input order).
        id: content hash of kind, paths and range: the same shard has the same id in every run.
        kind: ``files`` (whole files, read in order), ``zip_members`` (members ``start`` to
            ``stop - 1`` of one zip), ``jsonl_range`` (the lines of one plain ``.jsonl`` file
            that start at byte offsets ``start`` <= offset < ``stop``).
        paths: the input files, as given (provenance names them so).
        start: first member index or byte offset (None for ``files``).
        stop: end of the range, exclusive.
        size: input bytes, for scheduling and progress.
        first_line: line number of the first line of a ``jsonl_range`` (counted by the workers).
    """

    index: int = Field(ge=0)
    id: str
    kind: ShardKind
    paths: tuple[str, ...]
    start: int | None = None
    stop: int | None = None
    size: int = 0
    first_line: int | None = None

    def label(self) -> str:
        """Return a short name for messages: ``a.warc.gz``, ``a.zip!members[0:40]``, ``a.jsonl@[0:1000)``."""
        first = self.paths[0]
        if self.kind == "zip_members":
            return f"{first}!members[{self.start}:{self.stop}]"
        if self.kind == "jsonl_range":
            return f"{first}@bytes[{self.start}:{self.stop})"
        return first if len(self.paths) == 1 else f"{first} (+{len(self.paths) - 1} files)"


def shard_id(kind: str, paths: Iterable[str], start: int | None, stop: int | None) -> str:
    """Return the stable id of a shard (kind, paths and range)."""
    return content_hash(kind, *paths, str(start), str(stop))


def _make(
    index: int, kind: ShardKind, paths: list[str], size: int, start: int | None = None, stop: int | None = None
) -> Shard:
    return Shard(
        index=index,
        id=shard_id(kind, paths, start, stop),
        kind=kind,
        paths=tuple(paths),
        start=start,
        stop=stop,
        size=size,
    )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size if path.is_file() else 0
    except OSError:
        return 0


def jsonl_splits(path: Path, size: int, target: int) -> list[int]:
    """Return line-aligned byte offsets that cut a plain JSONL file into ranges of about ``target`` bytes.

    Reads one line at each nominal cut (never the file): the cut moves to the start of the
    next line.

    Args:
        path: the file.
        size: its size in bytes.
        target: bytes per range.

    Returns:
        Offsets ``[0, c1, ..., size]``, strictly increasing.
    """
    cuts = [0]
    with path.open("rb") as fh:
        nominal = target
        while nominal < size:
            fh.seek(nominal - 1)
            fh.readline()  # to the end of the line holding byte nominal - 1
            cut = fh.tell()
            if cut >= size:
                break
            if cut > cuts[-1]:
                cuts.append(cut)
            nominal = max(cut, nominal) + target
    cuts.append(size)
    return cuts


def zip_member_ranges(path: Path, target: int) -> list[tuple[int, int, int]]:
    """Return (start, stop, compressed bytes) member ranges of a zip archive of about ``target`` bytes.

    Reads only the central directory. Raises OSError or zipfile.BadZipFile for a damaged
    archive (the caller then plans it as one file, which the reader rejects with its reason).
    """
    with zipfile.ZipFile(path) as archive:
        sizes = [info.compress_size for info in archive.infolist()]
    ranges: list[tuple[int, int, int]] = []
    start, total = 0, 0
    for i, n in enumerate(sizes):
        total += n
        if total >= target:
            ranges.append((start, i + 1, total))
            start, total = i + 1, 0
    if start < len(sizes) or not ranges:
        ranges.append((start, len(sizes), total))
    return ranges


def plan_shards(inputs: Iterable[str], shard_bytes: int = DEFAULT_SHARD_BYTES, min_shards: int = 1) -> Iterator[Shard]:
    """Cut the inputs into shards, in input order.

    Small files are grouped up to ``shard_bytes``, except WARC, tar and zip archives (many
    articles in few bytes); a plain ``.jsonl`` file or a zip archive larger than that is
    split (byte ranges, member ranges); other files (WARC, tar, a large ``.gz``) are one
    shard each, as they can only be read front to back.

    Args:
        inputs: files or directories (``-``, stdin, cannot be sharded).
        shard_bytes: input bytes per shard.
        min_shards: when the inputs are small, shrink shards (not below :data:`MIN_SHARD_BYTES`
            unless ``shard_bytes`` is smaller) so that there are about this many, to keep every
            worker busy.

    Raises:
        InputError: an input path does not exist.
    """
    files = list(iter_files(inputs))
    total = sum(_size(p) for p in files)
    target = min(shard_bytes, max(MIN_SHARD_BYTES, total // max(min_shards, 1)))
    index = 0
    group: list[str] = []
    group_bytes = 0

    def flush_group() -> Iterator[Shard]:
        nonlocal index, group, group_bytes
        if group:
            yield _make(index, "files", group, group_bytes)
            index += 1
            group, group_bytes = [], 0

    for path in files:
        size = _size(path)
        fmt = format_of(path.name)
        splittable = size > target and fmt in ("jsonl", "zip") and path.is_file() and not path.is_symlink()
        if not splittable and size < target and fmt not in _WHOLE:
            if group_bytes + size > target or len(group) >= MAX_FILES_PER_SHARD:
                yield from flush_group()
            group.append(str(path))
            group_bytes += size
            continue
        yield from flush_group()
        if splittable and fmt == "jsonl":
            cuts = jsonl_splits(path, size, target)
            for a, b in itertools.pairwise(cuts):
                yield _make(index, "jsonl_range", [str(path)], b - a, a, b)
                index += 1
            continue
        if splittable and fmt == "zip":
            try:
                ranges = zip_member_ranges(path, target)
            except (OSError, zipfile.BadZipFile):
                ranges = []
            if len(ranges) > 1:
                for a, b, n in ranges:
                    yield _make(index, "zip_members", [str(path)], n, a, b)
                    index += 1
                continue
        yield _make(index, "files", [str(path)], size)
        index += 1
    yield from flush_group()


def absolute(path: str, base: str) -> str:
    """Return ``path`` resolved against the driver's working directory ``base`` (URLs unchanged)."""
    if "://" in path or os.path.isabs(path) or path == "-":
        return path
    return os.path.join(base, path)
