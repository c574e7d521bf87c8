"""Shared pieces of ingestion: decoding, validation of fields, building Articles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pipeline.records import Article, InputRef, Rejection, content_hash

#: Keys of a JSONL line (or sidecar) that map onto Article fields; others become metadata.
ARTICLE_KEYS = ("id", "text", "title", "source", "url", "published")
#: Share of control characters above which a text is considered binary.
_MAX_CONTROL_SHARE = 0.05
_ALLOWED_CONTROLS = {"\n", "\r", "\t", "\f", "\v"}


@dataclass(frozen=True)
class ArticleFields:
    """Raw fields read from an input, before validation into an Article."""

    fields: dict[str, Any]
    ref: InputRef


def reject(ref: InputRef, reason: str, detail: str = "", stage: str = "ingest") -> Rejection:
    """Build a rejection record."""
    return Rejection(input=ref, stage=stage, reason=reason, detail=detail)


def decode_bytes(raw: bytes) -> str | tuple[str, str]:
    """Decode article bytes as UTF-8 (a BOM is accepted).

    Returns:
        The text, or (reason, detail) when the bytes are empty, binary or undecodable.
    """
    if not raw.strip():
        return ("empty", "no text")
    if b"\x00" in raw[:8192]:
        return ("binary", "NUL bytes: not a text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return ("encoding", f"not valid UTF-8 at byte {e.start}; convert the file to UTF-8")
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in _ALLOWED_CONTROLS)
    if sample and controls / len(sample) > _MAX_CONTROL_SHARE:
        return ("binary", f"{controls} control characters in the first {len(sample)}: not a text file")
    return text


def normalize_published(value: Any) -> str | None:
    """Validate a publication date: ISO 8601 date or datetime, returned as given.

    Raises:
        ValueError: when the value is not an ISO date or datetime.
    """
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"must be an ISO 8601 date string, not {type(value).__name__}")
    try:
        if len(value) == 10:
            dt.date.fromisoformat(value)
        else:
            dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as e:
        raise ValueError(f"{value!r} is not an ISO 8601 date or datetime") from e
    return value


def build_article(item: ArticleFields, *, published_default: str | None, min_chars: int) -> Article | Rejection:
    """Validate raw fields into an Article, or reject them with a reason.

    Args:
        item: fields and input reference.
        published_default: publication date for inputs that carry none (``--published``).
        min_chars: texts with fewer non-space characters are rejected as empty.
    """
    fields = item.fields
    text = fields.get("text")
    if text is None:
        return reject(item.ref, "missing_text", "no 'text' field")
    if not isinstance(text, str):
        return reject(item.ref, "bad_field", f"'text' must be a string, not {type(text).__name__}")
    if len(text.strip()) < min_chars:
        return reject(item.ref, "empty", f"text has fewer than {min_chars} non-space characters")
    for key in ("id", "title", "source", "url"):
        value = fields.get(key)
        if value is not None and not isinstance(value, str | int):
            return reject(item.ref, "bad_field", f"'{key}' must be a string, not {type(value).__name__}")
    try:
        published = normalize_published(fields.get("published")) or published_default
    except ValueError as e:
        return reject(item.ref, "bad_field", f"'published': {e}")
    source = _opt_str(fields.get("source"))
    doc_id = _opt_str(fields.get("id")) or content_hash(source or "", text)
    metadata = {k: v for k, v in fields.items() if k not in ARTICLE_KEYS}
    return Article(
        id=doc_id,
        text=text,
        title=_opt_str(fields.get("title")),
        source=source,
        url=_opt_str(fields.get("url")),
        published=published,
        metadata=metadata,
        input=item.ref,
    )


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
