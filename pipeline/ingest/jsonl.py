"""JSON Lines articles: one JSON object per line with at least ``text``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from pipeline.ingest.common import ArticleFields, reject
from pipeline.records import InputRef, Rejection

#: Default longest line read (the default of ``ingest.max_item_bytes``).
DEFAULT_MAX_LINE_BYTES = 50_000_000
#: Bytes read at a time while skipping the rest of an over-long line.
_SKIP_CHUNK = 1 << 20


def iter_lines(fh: IO[bytes], max_bytes: int, first_line: int = 1) -> Iterator[tuple[int, bytes | None]]:
    """Yield (line number, bytes) of each line, None for lines over ``max_bytes``.

    An over-long line is skipped in chunks, never held whole: a file (or a decompressed
    stream) without newlines costs at most ``max_bytes`` of memory. ``first_line`` numbers
    the first line (a shard that starts inside a file, :mod:`pipeline.shards.read`).
    """
    lineno = first_line - 1
    while True:
        raw = fh.readline(max_bytes + 1)
        if not raw:
            return
        lineno += 1
        if len(raw) <= max_bytes or raw.endswith(b"\n"):
            yield lineno, raw
            continue
        while raw and not raw.endswith(b"\n"):
            raw = fh.readline(_SKIP_CHUNK)
        yield lineno, None


def iter_jsonl_lines(
    fh: IO[bytes],
    ref_path: str,
    member: str | None = None,
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
    first_line: int = 1,
) -> Iterator[ArticleFields | Rejection]:
    """Yield the raw fields of each line of a JSONL stream, or a rejection per bad line.

    Blank lines are skipped; they are not articles. Lines longer than ``max_line_bytes``
    are rejected (``too_large``) without being read into memory.

    Args:
        fh: a binary stream.
        ref_path: path recorded in provenance.
        member: archive member name, when the stream is one.
        max_line_bytes: longest line accepted (``ingest.max_item_bytes``).
        first_line: the number of the stream's first line (1 unless it starts inside a file).
    """
    for lineno, raw in iter_lines(fh, max_line_bytes, first_line):
        ref = InputRef(path=ref_path, line=lineno, member=member)
        if raw is None:
            yield reject(ref, "too_large", f"line over ingest.max_item_bytes ({max_line_bytes} bytes)")
            continue
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError as e:
            yield reject(ref, "encoding", f"line is not valid UTF-8 at byte {e.start}; JSON Lines must be UTF-8")
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as e:
            yield reject(ref, "malformed_json", f"{e.msg} at column {e.colno}")
            continue
        except (ValueError, RecursionError) as e:  # integers over 4300 digits, nesting too deep
            yield reject(ref, "malformed_json", f"unreadable JSON value: {type(e).__name__}: {str(e)[:200]}")
            continue
        if not isinstance(data, dict):
            yield reject(ref, "malformed_json", f"line must be a JSON object, not {type(data).__name__}")
            continue
        yield ArticleFields(fields=data, ref=ref)


def read_jsonl(path: Path, max_line_bytes: int = DEFAULT_MAX_LINE_BYTES) -> Iterator[ArticleFields | Rejection]:
    """Yield the lines of a ``.jsonl`` file (streamed, never loaded whole; see :func:`iter_jsonl_lines`)."""
    try:
        fh = path.open("rb")
    except OSError as e:
        yield reject(InputRef(path=str(path)), "unreadable", f"{e.strerror or e}")
        return
    with fh:
        yield from iter_jsonl_lines(fh, str(path), max_line_bytes=max_line_bytes)
