"""JSON Lines articles: one JSON object per line with at least ``text``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from pipeline.ingest.common import ArticleFields, reject
from pipeline.records import InputRef, Rejection


def iter_jsonl_lines(fh: IO[bytes], ref_path: str, member: str | None = None) -> Iterator[ArticleFields | Rejection]:
    """Yield the raw fields of each line of a JSONL stream, or a rejection per bad line.

    Blank lines are skipped; they are not articles.

    Args:
        fh: a binary stream.
        ref_path: path recorded in provenance.
        member: archive member name, when the stream is one.
    """
    for lineno, raw in enumerate(fh, 1):
        ref = InputRef(path=ref_path, line=lineno, member=member)
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError as e:
            yield reject(ref, "encoding", f"line is not valid UTF-8 at byte {e.start}")
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as e:
            yield reject(ref, "malformed_json", f"{e.msg} at column {e.colno}")
            continue
        if not isinstance(data, dict):
            yield reject(ref, "malformed_json", f"line must be a JSON object, not {type(data).__name__}")
            continue
        yield ArticleFields(fields=data, ref=ref)


def read_jsonl(path: Path) -> Iterator[ArticleFields | Rejection]:
    """Yield the lines of a ``.jsonl`` file (streamed, never loaded whole)."""
    try:
        fh = path.open("rb")
    except OSError as e:
        yield reject(InputRef(path=str(path)), "unreadable", f"{e.strerror or e}")
        return
    with fh:
        yield from iter_jsonl_lines(fh, str(path))
