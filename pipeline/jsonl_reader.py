"""Read JSONL files of validated records (gold, predictions, extract's outputs); errors name file:line.

The one reader behind :mod:`pipeline.gold`, :mod:`pipeline.evaluation.load` and the
``show`` and ``report`` commands. (Article inputs are read by :mod:`pipeline.ingest`,
where a bad line is a rejection, not an error.)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from pipeline.errors import InputError, PipelineError

__all__ = ["parse_record_line", "read_numbered_records", "read_records"]

M = TypeVar("M", bound=BaseModel)


def parse_record_line(
    line: str, path: str | Path, lineno: int, model: type[M], *, error: type[PipelineError], hint: str
) -> M:
    """Parse one JSON line as ``model``.

    Args:
        line: the line.
        path: its file, for messages.
        lineno: its line number (1-based), for messages.
        model: the record class the line must validate as.
        error: the exception raised for a bad line (e.g. ``GoldError``, ``InputError``).
        hint: what to do, appended to the message.

    Returns:
        The validated record.

    Raises:
        error: ``FILE:LINE: not valid JSON (...)`` or ``FILE:LINE: field a.b: <problem>``
            (the first invalid field), followed by ``hint``.
    """
    try:
        raw: Any = json.loads(line)
    except json.JSONDecodeError as e:
        raise error(f"{path}:{lineno}: not valid JSON ({e.msg}). {hint}") from e
    try:
        return model.model_validate(raw)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(record)"
        raise error(f"{path}:{lineno}: field {where}: {first['msg']}. {hint}") from e


def read_numbered_records(
    path: str | Path,
    model: type[M],
    what: str,
    *,
    error: type[PipelineError] = InputError,
    hint: str | None = None,
) -> Iterator[tuple[int, M]]:
    """Stream (line number, record) from a JSONL file, skipping blank lines.

    Args:
        path: the file.
        model: the record class each line must validate as.
        what: what the file holds, for messages (e.g. "events file").
        error: the exception raised for a bad line.
        hint: what to do about a bad line (default: expect one ``model`` per line).

    Yields:
        (line number, record), in file order.

    Raises:
        InputError: when the file cannot be opened.
        error: naming the file, line and field of the first bad line.
    """
    p = Path(path)
    hint = hint or f"Expected one {model.__name__} per line (the {what})."
    try:
        fh = p.open(encoding="utf-8")
    except OSError as e:
        raise InputError(f"Cannot read {what} {p}: {e.strerror}. Pass an existing JSONL file.") from e
    with fh:
        for lineno, line in enumerate(fh, 1):
            if line.strip():
                yield lineno, parse_record_line(line, p, lineno, model, error=error, hint=hint)


def read_records(
    path: str | Path,
    model: type[M],
    what: str,
    *,
    error: type[PipelineError] = InputError,
    hint: str | None = None,
) -> Iterator[M]:
    """Stream the records of a JSONL file: :func:`read_numbered_records` without line numbers."""
    for _, record in read_numbered_records(path, model, what, error=error, hint=hint):
        yield record
