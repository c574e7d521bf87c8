"""Every input format on small real fixtures: HTML, WARC, archives, CSV, stdin, bad inputs."""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from pipeline.config import CsvConfig, IngestConfig, LanguageConfig
from pipeline.errors import ConfigError
from pipeline.ingest import format_of, read_inputs
from pipeline.records import Article, Rejection
from tests.ingest.conftest import HTML_DIR, html_manifest, page_bytes

CFG = IngestConfig()


def read(*inputs: str | Path, cfg: IngestConfig = CFG) -> list[Article | Rejection]:
    return list(read_inputs([str(i) for i in inputs], cfg))


def articles(items: list[Article | Rejection]) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def rejections(items: list[Article | Rejection]) -> list[Rejection]:
    return [i for i in items if isinstance(i, Rejection)]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.jsonl", "jsonl"),
        ("a.JSONL.gz", "gzip"),
        ("a.html", "html"),
        ("a.htm", "html"),
        ("a.html.gz", "gzip"),
        ("a.warc", "warc"),
        ("a.warc.gz", "warc"),
        ("a.tar.gz", "tar"),
        ("a.tgz", "tar"),
        ("a.tar", "tar"),
        ("a.zip", "zip"),
        ("a.csv", "csv"),
        ("a.txt", "txt"),
        ("a.pdf", None),
    ],
)
def test_format_of(name: str, fmt: str | None) -> None:
    assert format_of(name) == fmt


# -- HTML ------------------------------------------------------------------------------------


@pytest.mark.parametrize("row", html_manifest(), ids=lambda row: row["file"])
def test_html_main_text_without_boilerplate(row: dict[str, object]) -> None:
    (article,) = read(HTML_DIR / str(row["file"]))
    assert isinstance(article, Article), article
    for snippet in row["must_contain"]:  # type: ignore[attr-defined]
        assert snippet in article.text
    for snippet in row["must_not_contain"]:  # type: ignore[attr-defined]
        assert snippet not in article.text
    assert article.title
    assert article.url and article.url.startswith("https://")
    assert article.published and str(row["published"]).startswith(article.published[:7])
    assert article.metadata["published_from"] == "page"
    assert article.input.member is None


def test_html_metadata_of_one_page() -> None:
    (article,) = read(HTML_DIR / "politico.com.retirement.html.gz")
    assert isinstance(article, Article)
    assert article.title == "Mark Meadows accused of timing retirement to help elect wife’s friend"
    assert article.metadata["author"] == "Ally Mutnick"
    assert article.published == "2019-12-30"
    assert article.source == "POLITICO"
    assert article.url == "https://www.politico.com/news/2019/12/30/mark-meadows-retirement-elect-wife-friend-090838"
    # Paragraphs are separated by blank lines, so sentences never span two of them.
    assert "\n\n" in article.text and "\n\n\n" not in article.text


def test_html_uncompressed_htm(tmp_path: Path) -> None:
    page = tmp_path / "page.htm"
    page.write_bytes(page_bytes("harpers.org.justice.html.gz"))
    (article,) = read(page)
    assert isinstance(article, Article)
    assert "Our cultural institutions are facing a moment of trial" in article.text


def test_html_without_main_text_is_rejected(tmp_path: Path) -> None:
    page = tmp_path / "nav.html"
    page.write_text("<html><head><script>var menu = 1;</script></head><body><nav></nav></body></html>")
    (item,) = read(page)
    assert isinstance(item, Rejection) and item.reason == "no_main_text"


# -- WARC ------------------------------------------------------------------------------------

NO_DATE_PAGE = (
    b"<html><head><title>Harbour strike ends</title></head><body><article><h1>Harbour strike ends</h1>"
    + b"".join(
        b"<p>Dock workers returned to work after a week-long strike over pay and conditions at the port, "
        b"union officials said, and shipping companies expect the backlog to clear within days. %d</p>" % i
        for i in range(4)
    )
    + b"</article></body></html>"
)


def write_warc(path: Path, pages: list[tuple[str, bytes, str]], gz: bool = True) -> None:
    """Write a WARC with one response per (uri, html, content type), plus a request and an image."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for uri, html, ctype in pages:
            get = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
            request = writer.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=get)
            writer.write_record(request)
            request.raw_stream.close()
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri,
                "response",
                payload=io.BytesIO(html),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": "2021-03-04T05:06:07Z"},
            )
            writer.write_record(record)
            record.raw_stream.close()


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_warc_html_responses_are_articles(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    write_warc(
        path,
        [
            ("https://example.org/harpers", page_bytes("harpers.org.justice.html.gz"), "text/html; charset=utf-8"),
            ("https://example.org/logo.png", b"\x89PNG\r\n", "image/png"),
            ("https://example.org/harbour", NO_DATE_PAGE, "text/html"),
        ],
        gz=gz,
    )
    items = read(path)
    assert not rejections(items)
    first, second = articles(items)
    assert first.url == "https://example.org/harpers"
    assert first.metadata["canonical_url"] == "https://harpers.org/a-letter-on-justice-and-open-debate/"
    assert first.published == "2020-07-07" and first.metadata["published_from"] == "page"
    assert second.url == "https://example.org/harbour"
    assert second.published == "2021-03-04T05:06:07Z" and second.metadata["published_from"] == "warc-date"
    assert "Dock workers returned to work" in second.text
    assert first.input.path == str(path) and first.input.member and first.input.member.startswith("record@")
    assert first.metadata["warc_record_id"].startswith("<urn:uuid:")


def test_truncated_warc_keeps_earlier_records(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(
        path,
        [
            ("https://example.org/harbour", NO_DATE_PAGE, "text/html"),
            ("https://example.org/harpers", page_bytes("harpers.org.justice.html.gz"), "text/html"),
        ],
    )
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 2000])
    items = read(path)
    assert len(articles(items)) == 1
    (bad,) = rejections(items)
    assert bad.reason == "corrupt" and "re-fetch" in bad.detail


# -- archives --------------------------------------------------------------------------------


def test_gzip_dispatches_on_inner_suffix(tmp_path: Path, jsonl_bytes: bytes) -> None:
    path = tmp_path / "news.jsonl.gz"
    path.write_bytes(gzip.compress(jsonl_bytes))
    items = read(path)
    assert [a.id for a in articles(items)] == ["a1", "a2", "a3"]
    assert items[0].input.line == 1 and items[0].input.member is None


def test_tar_gz_members_keep_their_names(tmp_path: Path, jsonl_bytes: bytes) -> None:
    path = tmp_path / "archive.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in [
            ("day1/news.jsonl", jsonl_bytes),
            ("day1/page.html.gz", (HTML_DIR / "politico.com.retirement.html.gz").read_bytes()),
            ("day1/notes.pdf", b"%PDF-1.4"),
        ]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("day1/link.jsonl")
        link.type = tarfile.SYMTYPE
        link.linkname = "news.jsonl"
        tar.addfile(link)
        dev = tarfile.TarInfo("day1/null.jsonl")
        dev.type = tarfile.CHRTYPE
        tar.addfile(dev)
    items = read(path)
    found = articles(items)
    assert [a.input.member for a in found] == ["day1/news.jsonl"] * 3 + ["day1/page.html.gz"]
    assert [a.input.line for a in found[:3]] == [1, 2, 3]
    assert "Mark Meadows" in found[3].text
    reasons = {r.input.member: r.reason for r in rejections(items)}
    assert reasons == {
        "day1/notes.pdf": "unsupported_format",
        "day1/link.jsonl": "not_a_file",
        "day1/null.jsonl": "not_a_file",
    }
    assert not any(p.name != "archive.tar.gz" for p in tmp_path.iterdir())  # nothing extracted


def test_zip_members_and_nested_archive(tmp_path: Path, jsonl_bytes: bytes) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("inner.jsonl", jsonl_bytes)
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("pages/harpers.html", page_bytes("harpers.org.justice.html.gz"))
        z.writestr("more.zip", inner.getvalue())
    items = read(path)
    assert not rejections(items)
    assert [a.input.member for a in articles(items)] == ["pages/harpers.html"] + ["more.zip!inner.jsonl"] * 3
    assert articles(items)[0].input.label() == f"{path}!pages/harpers.html"


def test_corrupt_gzip_is_a_rejection(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage that is not deflate data" * 3)
    (item,) = read(path)
    assert isinstance(item, Rejection) and item.reason == "corrupt"


def test_truncated_zip_is_a_rejection(tmp_path: Path, jsonl_bytes: bytes) -> None:
    path = tmp_path / "cut.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.jsonl", jsonl_bytes * 50)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    (item,) = read(path)
    assert isinstance(item, Rejection) and item.reason == "corrupt"


def test_truncated_tar_gz_keeps_earlier_members(tmp_path: Path, jsonl_bytes: bytes) -> None:
    path = tmp_path / "cut.tgz"
    with tarfile.open(path, "w:gz") as tar:
        for i in range(2):
            data = jsonl_bytes if i == 0 else os.urandom(200_000)
            info = tarfile.TarInfo(f"{i}.jsonl")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 50_000])
    items = read(path)
    assert len(articles(items)) == 3
    assert rejections(items)[-1].reason == "corrupt"


def test_a_bad_file_does_not_stop_the_run(tmp_path: Path, jsonl_bytes: bytes) -> None:
    (tmp_path / "a_broken.jsonl.gz").write_bytes(b"\x1f\x8b not gzip")
    (tmp_path / "b_good.jsonl").write_bytes(jsonl_bytes)
    items = read(tmp_path)
    assert [type(i).__name__ for i in items] == ["Rejection", "Article", "Article", "Article"]


# -- CSV and stdin ---------------------------------------------------------------------------


def test_csv_with_column_mapping(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    path.write_text(
        "headline,body,link,date,desk,id\n"
        'Strike ends,"Dock workers returned to work after a week-long strike, officials said.",'
        "https://example.org/a,2021-03-04,business,x1\n"
        'Bad date,"Police arrested two men on Monday after a robbery in the city centre.",,"March 4",metro,x2\n',
        encoding="utf-8",
    )
    cfg = IngestConfig(csv=CsvConfig(text="body", title="headline", url="link", published="date"))
    first, second = read(path, cfg=cfg)
    assert isinstance(first, Article)
    assert first.title == "Strike ends" and first.url == "https://example.org/a" and first.published == "2021-03-04"
    assert first.metadata == {"desk": "business", "column_id": "x1"}
    assert first.input.line == 2
    assert isinstance(second, Rejection) and second.reason == "bad_field" and "published" in second.detail


def test_csv_missing_column_says_what_to_set(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    path.write_text("headline,body\nA,B\n", encoding="utf-8")
    (item,) = read(path)
    assert isinstance(item, Rejection) and item.reason == "bad_csv"
    assert "ingest.csv" in item.detail and "text: 'text'" in item.detail


def test_csv_config_is_strict() -> None:
    from pipeline.config import parse_config

    with pytest.raises(ConfigError, match=r"ingest\.csv\.body: unknown key"):
        parse_config({"ingest": {"csv": {"body": "text"}}})
    with pytest.raises(ConfigError, match=r"ingest\.csv\.delimiter"):
        parse_config({"ingest": {"csv": {"delimiter": ";;"}}})


def test_stdin_reads_jsonl(monkeypatch: pytest.MonkeyPatch, jsonl_bytes: bytes) -> None:
    fake = io.TextIOWrapper(io.BytesIO(jsonl_bytes))
    monkeypatch.setattr(sys, "stdin", fake)
    items = read("-")
    assert [a.id for a in articles(items)] == ["a1", "a2", "a3"]
    assert items[0].input.path == "<stdin>" and items[0].input.line == 1


def test_too_large_member_is_rejected_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.html", b"<p>" + b"x" * 5000 + b"</p>")
    (item,) = read(path, cfg=IngestConfig(max_item_bytes=1000))
    assert isinstance(item, Rejection) and item.reason == "too_large"


def test_language_is_checked_for_every_format(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        {"id": "en", "text": "Police arrested two men on Monday after a robbery in the city centre, officials said."},
        {"id": "de", "text": "Die Polizei hat am Montag in Berlin zwei Männer nach einem Raubüberfall festgenommen."},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    first, second = read(path)
    assert isinstance(first, Article)
    assert isinstance(second, Rejection) and second.reason == "language" and "'de'" in second.detail
    off = IngestConfig(language=LanguageConfig(enabled=False))
    assert all(isinstance(i, Article) for i in read(path, cfg=off))
