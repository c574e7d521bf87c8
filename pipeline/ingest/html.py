"""HTML pages: main text, title, byline, date and canonical URL with trafilatura.

Boilerplate (navigation, ads, comments) is dropped; the article text keeps one paragraph
per extracted block, separated by blank lines, and every offset downstream refers to
that text (the document record stores it). The publication date comes from trafilatura's
metadata (htmldate: meta tags, JSON-LD, the URL, the visible text).
"""

from __future__ import annotations

from typing import Any

from pipeline.ingest.common import ArticleFields, reject
from pipeline.records import InputRef, Rejection

#: Errors lxml/trafilatura raise on pages they cannot parse (bad input, not our bugs).
_PARSE_ERRORS: tuple[type[BaseException], ...] = (ValueError, TypeError, UnicodeError)


def _parse_errors() -> tuple[type[BaseException], ...]:
    from lxml.etree import LxmlError

    return (*_PARSE_ERRORS, LxmlError)


def extract_html(raw: bytes | str, url: str | None = None) -> Any:
    """Run trafilatura on one page and return its ``Document`` (or None when it finds no main text).

    Args:
        raw: the page, bytes (encoding detected) or text.
        url: the page's URL when known (helps date and canonical URL extraction).
    """
    import trafilatura

    return trafilatura.bare_extraction(
        raw, url=url, with_metadata=True, include_comments=False, include_images=False, deduplicate=False
    )


def _paragraphs(text: str) -> str:
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def html_fields(
    raw: bytes,
    ref: InputRef,
    *,
    url: str | None = None,
    fallback_published: str | None = None,
    fallback_from: str = "warc-date",
    extra: dict[str, Any] | None = None,
) -> ArticleFields | Rejection:
    """Extract the article of one HTML page into fields.

    Args:
        raw: the page bytes.
        ref: where it came from.
        url: the URL it was fetched from (a WARC record's target URI); it becomes the
            article URL and the canonical URL goes to metadata. Without it the canonical
            URL found in the page is the article URL.
        fallback_published: publication date to use when the page shows none.
        fallback_from: how ``metadata["published_from"]`` names the fallback.
        extra: additional metadata.

    Returns:
        ArticleFields, or a Rejection with reason ``no_main_text`` or ``html_error``.
    """
    if not raw.strip():
        return reject(ref, "empty", "empty HTML page")
    try:
        doc = extract_html(raw, url=url)
    except _parse_errors() as e:
        return reject(ref, "html_error", f"cannot parse the page: {type(e).__name__}: {e}")
    text = _paragraphs(doc.text or "") if doc is not None else ""
    if doc is None or not text:
        return reject(ref, "no_main_text", "no article text found in the page (boilerplate only, or not an article)")
    metadata: dict[str, Any] = dict(extra or {})
    canonical = doc.url or None
    if url is not None:
        if canonical and canonical != url:
            metadata["canonical_url"] = canonical
    else:
        url = canonical
    published = doc.date or None
    if published:
        metadata["published_from"] = "page"
    elif fallback_published:
        published = fallback_published
        metadata["published_from"] = fallback_from
    if doc.author:
        metadata["author"] = doc.author
    if doc.language:
        metadata["html_lang"] = doc.language
    fields: dict[str, Any] = {
        **metadata,
        "text": text,
        "title": doc.title or None,
        "source": doc.sitename or doc.hostname or None,
        "url": url,
        "published": published,
    }
    return ArticleFields(fields=fields, ref=ref)
