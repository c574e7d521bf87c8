"""WARC files (plain or gzipped): every HTML response record is one article.

The article URL is the record's ``WARC-Target-URI``; the publication date is the page's
when trafilatura finds one, else the record's ``WARC-Date``, and
``metadata["published_from"]`` says which (``"page"`` or ``"warc-date"``). A record is
identified in provenance by its byte offset in the (possibly compressed) WARC,
``InputRef.member = "record@OFFSET"``, the offset CDX indexes use.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from pipeline.ingest.common import ArticleFields, reject
from pipeline.ingest.html import html_fields
from pipeline.records import InputRef, Rejection

#: Content types of responses read as articles.
HTML_TYPES = ("text/html", "application/xhtml+xml")


def _is_html(content_type: str | None) -> bool:
    return content_type is not None and content_type.split(";", 1)[0].strip().lower() in HTML_TYPES


def record_member(outer: str | None, offset: int) -> str:
    """Return the ``InputRef.member`` of the record at ``offset`` (inside ``outer`` when nested)."""
    name = f"record@{offset}"
    return f"{outer}!{name}" if outer else name


def iter_warc(fh: IO[bytes], path: str, member: str | None, max_bytes: int) -> Iterator[ArticleFields | Rejection]:
    """Yield one article (or rejection) per HTML response record of a WARC stream.

    Requests, metadata records, non-HTML responses (images, scripts) and responses other
    than 200 are not articles and are skipped.

    Args:
        fh: the WARC bytes, gzipped per record or not (warcio detects it).
        path: the file recorded in provenance.
        member: the archive member holding the WARC, if any.
        max_bytes: larger records are rejected unread.
    """
    from warcio.archiveiterator import ArchiveIterator

    records = ArchiveIterator(fh)
    for record in records:
        if record.rec_type != "response" or record.http_headers is None:
            continue
        if record.http_headers.get_statuscode() != "200":
            continue
        if not _is_html(record.http_headers.get_header("Content-Type")):
            continue
        raw = record.content_stream().read(max_bytes + 1)
        if len(raw) <= max_bytes and getattr(record.raw_stream, "limit", 0) > 0:
            # The stream ended before the record's declared length: a truncated WARC.
            ref = InputRef(path=path, member=record_member(member, records.get_record_offset()))
            yield reject(ref, "corrupt", "WARC record truncated before its Content-Length; re-fetch the file")
            continue
        # Only after reading: asking for the offset first makes warcio skip the content.
        ref = InputRef(path=path, member=record_member(member, records.get_record_offset()))
        if len(raw) > max_bytes:
            yield reject(ref, "too_large", f"record over ingest.max_item_bytes ({max_bytes} bytes)")
            continue
        uri = record.rec_headers.get_header("WARC-Target-URI")
        warc_date = record.rec_headers.get_header("WARC-Date")
        extra = {"warc_record_id": record.rec_headers.get_header("WARC-Record-ID")}
        yield html_fields(raw, ref, url=uri, fallback_published=warc_date, fallback_from="warc-date", extra=extra)
