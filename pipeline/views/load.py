"""Read the JSONL files ``newsevents extract`` writes (events, documents, rejects) for the views."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from pipeline.errors import InputError

__all__ = ["read_records"]

M = TypeVar("M", bound=BaseModel)


def read_records(path: str | Path, model: type[M], what: str) -> Iterator[M]:
    """Stream validated records from a JSONL file, one per non-blank line.

    Args:
        path: the file.
        model: the record class each line must validate as.
        what: what the file holds, for messages (e.g. "events file").

    Yields:
        One record per line.

    Raises:
        InputError: naming the file and line of the first unreadable or invalid line.
    """
    p = Path(path)
    try:
        fh = p.open(encoding="utf-8")
    except OSError as e:
        raise InputError(f"Cannot read {what} {p}: {e.strerror}. Pass an existing JSONL file.") from e
    with fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield model.model_validate(json.loads(line))
            except json.JSONDecodeError as e:
                raise InputError(f"{p}:{lineno}: not valid JSON ({e.msg}); is this the {what}?") from e
            except ValidationError as e:
                first = e.errors()[0]
                where = ".".join(str(part) for part in first["loc"]) or "(record)"
                raise InputError(
                    f"{p}:{lineno}: field {where}: {first['msg']}. Expected one {model.__name__} per line "
                    f"(the {what} written by newsevents extract)."
                ) from e
