"""A small mixed news archive for the sharded-run tests, built from tests/fixtures.

HTML pages (gzipped, as checked in), a WARC of real pages and AG News items rendered as
simple HTML, a ``.jsonl.gz``, a plain ``.jsonl`` large enough to be cut into byte ranges,
a zip of ``.txt`` articles cut into member ranges, and one article repeated in two shards.
"""

from __future__ import annotations

import gzip
import html
import io
import json
import shutil
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
AG_NEWS = FIXTURES / "ag_news_300.jsonl"
#: A shard size that cuts the archive into a dozen shards.
SMALL_SHARD_BYTES = 16_000


def ag_news(start: int, stop: int) -> list[dict[str, object]]:
    """Return AG News items ``start`` to ``stop - 1`` of the fixture, with a publication date."""
    lines = AG_NEWS.read_text(encoding="utf-8").splitlines()[start:stop]
    items = []
    for i, line in enumerate(lines, start):
        data = json.loads(line)
        data["published"] = f"2005-{1 + i % 12:02d}-{1 + i % 28:02d}"
        items.append(data)
    return items


def render_html(item: dict[str, object]) -> bytes:
    """Return a simple news page for an item (title, date, paragraphs)."""
    title = html.escape(str(item.get("title") or ""))
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in str(item["text"]).split("\n\n"))
    page = (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta property='article:published_time' content='{item.get('published')}'></head>"
        f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )
    return page.encode("utf-8")


def write_warc(path: Path, pages: list[tuple[str, bytes]], gzip: bool = True) -> None:
    """Write a WARC (gzipped per record by default) with one 200 HTML response per page."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        for url, body in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers, warc_headers_dict={}
            )
            writer.write_record(record)


def build_mixed_archive(dest: Path) -> Path:
    """Write the archive under ``dest/archive`` and return that directory."""
    archive = dest / "archive"
    (archive / "html").mkdir(parents=True)
    for page in sorted((FIXTURES / "html").glob("*.html.gz")):
        shutil.copy(page, archive / "html" / page.name)
    pages = sorted((FIXTURES / "html").glob("*.html.gz"))
    real = [(f"https://example.org/real/{p.name}", gzip.decompress(p.read_bytes())) for p in pages]
    rendered = [(f"https://example.org/ag/{item['id']}", render_html(item)) for item in ag_news(0, 30)]
    write_warc(archive / "crawl-00.warc.gz", real[:2] + rendered[:15])
    write_warc(archive / "crawl-01.warc.gz", real[2:] + rendered[15:])
    with gzip.open(archive / "news-a.jsonl.gz", "wt", encoding="utf-8") as fh:
        for item in ag_news(30, 70):
            fh.write(json.dumps(item) + "\n")
    with (archive / "news-b.jsonl").open("w", encoding="utf-8") as fh:
        for item in [*ag_news(70, 160), ag_news(40, 41)[0]]:  # the last line repeats an article of news-a
            fh.write(json.dumps(item) + "\n")
    with zipfile.ZipFile(archive / "wires.zip", "w", compression=zipfile.ZIP_STORED) as zf:
        for item in ag_news(160, 200):
            zf.writestr(f"wire/{item['id']}.txt", f"{item['title']}.\n\n{item['text']}\n" * 6)
    return archive
