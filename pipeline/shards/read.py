"""Reading one shard in a worker: its files, zip members or JSONL byte range -> Articles and Rejections.

The same ingestion as the local engine (:func:`pipeline.ingest.read_inputs`): the readers of
:mod:`pipeline.ingest`, the same checks (:func:`pipeline.ingest.admit`), the same provenance
(paths as the user gave them, line numbers counted from the start of the file).
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

from pipeline.config import IngestConfig
from pipeline.ingest import LanguageFilter, admit
from pipeline.ingest.archives import Item
from pipeline.ingest.common import ArticleFields, reject
from pipeline.ingest.jsonl import iter_jsonl_lines
from pipeline.ingest.sources import StreamReader, guarded
from pipeline.records import Article, InputRef, Rejection
from pipeline.shards.plan import Shard, absolute

#: Bytes read at a time while counting lines.
_COUNT_CHUNK = 1 << 20


class _Window(io.RawIOBase):
    """The bytes ``start`` to ``stop - 1`` of a file, as a stream."""

    def __init__(self, fh: IO[bytes], start: int, stop: int) -> None:
        super().__init__()
        fh.seek(start)
        self._fh = fh
        self._left = stop - start

    def readable(self) -> bool:
        """Always True."""
        return True

    def readinto(self, buffer: Any) -> int:
        """Read at most what is left of the window into ``buffer``."""
        view = memoryview(buffer).cast("B")
        data = self._fh.read(min(len(view), self._left))
        view[: len(data)] = data
        self._left -= len(data)
        return len(data)


def count_lines(path: str, start: int, stop: int) -> int:
    """Return the number of newlines in bytes ``start`` to ``stop - 1`` of ``path`` (a worker task).

    The driver adds them up to number the first line of each JSONL range.
    """
    count = 0
    with Path(path).open("rb") as fh:
        fh.seek(start)
        left = stop - start
        while left > 0:
            chunk = fh.read(min(_COUNT_CHUNK, left))
            if not chunk:
                break
            count += chunk.count(b"\n")
            left -= len(chunk)
    return count


def _relabel(item: Item, location: str, name: str) -> Item:
    """Give an item the input path the user wrote (``name``) instead of the one read (``location``)."""
    if location == name:
        return item
    ref = item.input if isinstance(item, Rejection) else item.ref
    if ref.path != location:
        return item
    new_ref = InputRef(path=name, line=ref.line, member=ref.member)
    if isinstance(item, Rejection):
        return Rejection(input=new_ref, stage=item.stage, reason=item.reason, detail=item.detail)
    return dataclasses.replace(item, ref=new_ref)


def _raw_items(shard: Shard, reader: StreamReader, base: str) -> Iterator[Item]:
    """Yield the raw items of a shard, paths as given."""
    if shard.kind == "files":
        for name in shard.paths:
            location = absolute(name, base)
            for item in reader.read_path(Path(location)):
                yield _relabel(item, location, name)
        return
    (name,) = shard.paths
    location = absolute(name, base)
    ref = InputRef(path=name)
    start, stop = shard.start or 0, shard.stop or 0
    if shard.kind == "zip_members":
        yield from reader.read_zip_members(Path(location), slice(start, stop), ref)
        return
    try:
        fh = Path(location).open("rb")  # noqa: SIM115 - closed by the with below, after the error check
    except OSError as e:
        yield reject(ref, "unreadable", f"{e.strerror or e}")
        return
    with fh:
        window = cast(IO[bytes], io.BufferedReader(_Window(fh, start, stop), buffer_size=1 << 16))
        lines = iter_jsonl_lines(
            window, name, max_line_bytes=reader.cfg.max_item_bytes, first_line=shard.first_line or 1
        )
        yield from guarded(lines, ref)


def read_shard(
    shard: Shard, cfg: IngestConfig, published: str | None = None, base: str = "."
) -> Iterator[Article | Rejection]:
    """Stream the articles of one shard, with a Rejection for each unusable file, member, line or article.

    Args:
        shard: what to read.
        cfg: ingestion settings.
        published: publication date for articles that carry none (``--published``).
        base: the driver's working directory, against which relative paths are resolved.
    """
    reader = StreamReader(cfg)
    language = LanguageFilter(cfg.language)
    for item in _raw_items(shard, reader, base):
        if isinstance(item, ArticleFields):
            yield admit(item, cfg, published, language)
        else:
            yield item
