"""Shared pieces of ingestion: decoding, validation of fields, building Articles."""

from __future__ import annotations

import codecs
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


#: Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Least charset-normalizer confidence (1 - mess ratio) at which a detected charset is used.
MIN_CHARSET_CONFIDENCE = 0.8
#: Bytes of a file charset-normalizer looks at (detection is slow on megabytes).
_DETECT_SAMPLE = 65536
#: Preferred to the detected charset when it reads the bytes at least as cleanly: most
#: non-UTF-8 news text is Western European, and on short texts the detector often ranks
#: a Central European code page first for Latin-1 bytes ("Café" read as "Cafť").
_WESTERN = "cp1252"
#: Signatures of binary formats that can pass for text (a PDF starts with ASCII).
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\x7fELF", "an ELF executable"),
    (b"PK\x03\x04", "a zip archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
)


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, and the codec that decoded it."""

    text: str
    encoding: str


def detect_encoding(raw: bytes) -> str | None:
    """Return the encoding of ``raw``: its BOM, else UTF-8, else charset-normalizer's best guess.

    Args:
        raw: the bytes of a text file.

    Returns:
        A Python codec name (``"utf-8"``, ``"utf-16"``, ``"cp1252"``, ...), or None when no
        charset reads the bytes with a confidence of at least :data:`MIN_CHARSET_CONFIDENCE`.
    """
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    sample = raw[:_DETECT_SAMPLE]
    best = from_bytes(sample).best()
    if best is None or 1.0 - best.chaos < MIN_CHARSET_CONFIDENCE:
        return None
    try:
        western = sample.decode(_WESTERN)
    except UnicodeDecodeError:
        return str(best.encoding)
    return _WESTERN if mess_ratio(western, maximum_threshold=1.0) <= best.chaos else str(best.encoding)


def decode_article_bytes(raw: bytes) -> Decoded | tuple[str, str]:
    """Decode article bytes: by their BOM (UTF-8/16/32), else as UTF-8, else in the detected charset.

    Args:
        raw: the bytes of one text article.

    Returns:
        The text and its encoding, or (reason, detail) when the bytes are empty
        (``empty``), binary (``binary``) or in no charset detected with confidence
        (``encoding``).
    """
    if not raw.strip():
        return ("empty", "no text")
    for magic, kind in _BINARY_MAGIC:
        if raw.startswith(magic):
            return ("binary", f"{kind}, not text: extract its text first or give it its own suffix")
    encoding = detect_encoding(raw)
    # UTF-16/32 text is full of NUL bytes; any other text with NULs is a binary file.
    wide = encoding is not None and encoding.startswith(("utf-16", "utf-32"))
    if not wide and b"\x00" in raw[:8192]:
        return ("binary", "NUL bytes: not a text file")
    if encoding is None:
        return (
            "encoding",
            "neither UTF-8 nor a charset detected with confidence; convert the file to UTF-8",
        )
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as e:  # a BOM followed by bytes of another encoding
        return ("encoding", f"not valid {encoding} at byte {e.start} despite its byte-order mark; convert it to UTF-8")
    if not text.strip():
        return ("empty", "no text")
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in _ALLOWED_CONTROLS)
    if sample and controls / len(sample) > _MAX_CONTROL_SHARE:
        return ("binary", f"{controls} control characters in the first {len(sample)}: not a text file")
    return Decoded(text=text, encoding=encoding)


def decode_bytes(raw: bytes) -> str | tuple[str, str]:
    """Decode article bytes like :func:`decode_article_bytes`, without the encoding.

    Returns:
        The text, or (reason, detail) when the bytes are empty, binary or undecodable.
    """
    decoded = decode_article_bytes(raw)
    return decoded.text if isinstance(decoded, Decoded) else decoded


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
