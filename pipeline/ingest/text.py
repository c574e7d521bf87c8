"""Plain-text articles: one per ``.txt`` file, with an optional ``NAME.meta.json`` sidecar.

Scraped pages saved as text (photo caption, "Credit..." line, headline, standfirst,
"by · Outlet" byline, body, "Related Content" trailer) are split into title, source and
body text; offsets then refer to the body text the document record stores.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.ingest.common import ArticleFields, Decoded, decode_article_bytes, reject
from pipeline.records import InputRef, Rejection

_BYLINE = re.compile(r"^\s*by\b(?P<author>[^·|\n]*)(?:[·|]\s*(?P<outlet>[^\n]+))?\s*$", re.IGNORECASE)
_CREDIT = re.compile(r"^\s*(credit|photo|image)\b.{0,3}", re.IGNORECASE)
#: Short paragraphs that sites append after the article body.
_TRAILERS = re.compile(
    r"^\s*(related content|related articles?|read more|advertisement|share this article|"
    r"more on this story|see also|recommended|comments?)\s*$",
    re.IGNORECASE,
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")
#: How far into a page the byline may appear (in paragraphs).
_MAX_HEADER_PARAGRAPHS = 8


@dataclass(frozen=True)
class ScrapedPage:
    """The parts of a scraped page."""

    title: str | None
    source: str | None
    author: str | None
    text: str


def _paragraphs(raw: str) -> list[tuple[int, int]]:
    """Return (start, end) of each non-blank paragraph, end excluding trailing spaces."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _PARAGRAPH_BREAK.finditer(raw):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(raw)))
    out = []
    for start, end in spans:
        chunk = raw[start:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            out.append((start + lead, start + len(chunk.rstrip())))
    return out


def parse_scraped(raw: str) -> ScrapedPage | None:
    """Split a scraped page into title, source and body text.

    Args:
        raw: the whole file content.

    Returns:
        The parts, or None when the text has no byline near its top (then it is taken
        as plain article text).
    """
    paras = _paragraphs(raw)
    byline_at = None
    for i, (start, end) in enumerate(paras[:_MAX_HEADER_PARAGRAPHS]):
        chunk = raw[start:end]
        if "\n" not in chunk and len(chunk) <= 120 and _BYLINE.match(chunk):
            byline_at = i
            break
    if byline_at is None or byline_at + 1 >= len(paras):
        return None
    m = _BYLINE.match(raw[paras[byline_at][0] : paras[byline_at][1]])
    if m is None:  # pragma: no cover - matched above
        return None
    author = (m.group("author") or "").strip(" ,") or None
    outlet = (m.group("outlet") or "").strip() or None

    header = [raw[s:e] for s, e in paras[:byline_at]]
    # Drop the photo caption and its credit line: everything up to the last credit line.
    credit_idx = max((i for i, p in enumerate(header) if any(_CREDIT.match(ln) for ln in p.splitlines())), default=-1)
    header = header[credit_idx + 1 :]
    title = header[0].strip() if header else None
    standfirst = header[-1].strip() if len(header) >= 2 else None

    body = paras[byline_at + 1 :]
    while body and _TRAILERS.match(raw[body[-1][0] : body[-1][1]]):
        body.pop()
    if not body:
        return None
    body_text = raw[body[0][0] : body[-1][1]]
    text = f"{standfirst}\n\n{body_text}" if standfirst else body_text
    return ScrapedPage(title=title, source=outlet, author=author, text=text)


def read_sidecar(path: Path) -> tuple[dict[str, Any] | None, str | None]:
    """Read ``NAME.meta.json`` beside ``NAME.txt``.

    Returns:
        (fields, None) when present and valid, (None, None) when absent, and
        (None, reason) when present but unusable.
    """
    meta_path = path.with_name(path.stem + ".meta.json")
    if not meta_path.is_file():
        return None, None
    try:
        data = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        return None, f"sidecar {meta_path.name} is not readable JSON: {e}"
    if not isinstance(data, dict):
        return None, f"sidecar {meta_path.name} must hold a JSON object"
    return data, None


def txt_fields(
    raw_bytes: bytes, ref: InputRef, *, parse_scraped_pages: bool, meta: dict[str, Any] | None = None
) -> ArticleFields | Rejection:
    """Turn the bytes of one text article into fields (a ``.txt`` file or archive member).

    Args:
        raw_bytes: the file content.
        ref: where it came from.
        parse_scraped_pages: split scraped layouts into title, byline and body.
        meta: fields from a sidecar, which win over those parsed from the page.

    Returns:
        ArticleFields to build an Article from, or a Rejection.
    """
    decoded = decode_article_bytes(raw_bytes)
    if not isinstance(decoded, Decoded):
        return reject(ref, decoded[0], decoded[1])
    fields: dict[str, Any] = dict(meta or {})
    fields.pop("file", None)
    fields["encoding"] = decoded.encoding
    text = decoded.text
    if parse_scraped_pages:
        page = parse_scraped(text)
        if page is not None:
            text = page.text
            fields.setdefault("title", page.title)
            fields.setdefault("source", page.source)
            if page.author:
                fields.setdefault("author", page.author)
    fields["text"] = text
    return ArticleFields(fields=fields, ref=ref)


def read_txt(path: Path, *, parse_scraped_pages: bool, max_bytes: int | None = None) -> ArticleFields | Rejection:
    """Read one ``.txt`` article and its optional ``NAME.meta.json`` sidecar.

    Args:
        path: the file.
        parse_scraped_pages: split scraped layouts into title, byline and body.
        max_bytes: larger files are rejected (``too_large``) after reading at most this much.

    Returns:
        ArticleFields to build an Article from, or a Rejection.
    """
    ref = InputRef(path=str(path))
    try:
        with path.open("rb") as fh:
            raw_bytes = fh.read() if max_bytes is None else fh.read(max_bytes + 1)
    except OSError as e:
        return reject(ref, "unreadable", f"{e.strerror or e}")
    if max_bytes is not None and len(raw_bytes) > max_bytes:
        return reject(ref, "too_large", f"over ingest.max_item_bytes ({max_bytes} bytes)")
    meta, problem = read_sidecar(path)
    if problem:
        return reject(ref, "bad_metadata", problem)
    return txt_fields(raw_bytes, ref, parse_scraped_pages=parse_scraped_pages, meta=meta)
