"""Dispatch on format: a file, stdin or an archive member -> raw article fields.

Every reader gets a binary stream and the name whose suffix picks the format. Errors of
damaged streams (a corrupt gzip, a truncated zip, tar or WARC) become one ``corrupt``
rejection of the file or member; the items read before the damage are kept.
"""

from __future__ import annotations

import os
import sys
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from pipeline.config import IngestConfig
from pipeline.ingest.archives import ExpansionBudget, ExpansionLimitError, Item, iter_gzip, iter_tar, iter_zip
from pipeline.ingest.common import reject
from pipeline.ingest.csv import iter_csv
from pipeline.ingest.html import html_fields
from pipeline.ingest.jsonl import iter_jsonl_lines
from pipeline.ingest.text import read_txt, txt_fields
from pipeline.ingest.warc import iter_warc
from pipeline.records import InputRef, Rejection

#: Name given to standard input in provenance.
STDIN_NAME = "<stdin>"

#: Suffixes (longest first) and the format they select.
FORMATS: tuple[tuple[str, str], ...] = (
    (".warc.gz", "warc"),
    (".tar.gz", "tar"),
    (".tar.bz2", "tar"),
    (".tar.xz", "tar"),
    (".tgz", "tar"),
    (".tar", "tar"),
    (".zip", "zip"),
    (".warc", "warc"),
    (".gz", "gzip"),
    (".html", "html"),
    (".htm", "html"),
    (".jsonl", "jsonl"),
    (".csv", "csv"),
    (".txt", "txt"),
)
#: File suffixes this version reads.
SUPPORTED_SUFFIXES = tuple(suffix for suffix, _ in FORMATS)


def format_of(name: str) -> str | None:
    """Return the format of a file or member name (``"jsonl"``, ``"tar"``, ...), or None."""
    lower = name.lower()
    for suffix, fmt in FORMATS:
        if lower.endswith(suffix):
            return fmt
    return None


def _stream_errors() -> tuple[type[BaseException], ...]:
    from warcio.exceptions import ArchiveLoadFailed

    return (OSError, EOFError, zlib.error, zipfile.BadZipFile, tarfile.TarError, ArchiveLoadFailed)


def guarded(items: Iterator[Item], ref: InputRef) -> Iterator[Item]:
    """Pass ``items`` through; a damaged stream ends them with one ``corrupt`` rejection.

    A decompression bomb (:class:`ExpansionLimitError`) ends the whole input: it passes
    through the guards of archive members and becomes one ``too_large`` rejection of the file.
    """
    try:
        yield from items
    except ExpansionLimitError as e:
        if ref.member is not None:
            raise
        yield reject(ref, "too_large", str(e))
    except _stream_errors() as e:
        yield reject(
            ref,
            "corrupt",
            f"{type(e).__name__}: {e}. The file is damaged or truncated; re-fetch it "
            "(the items before the damage were read)",
        )


def unsupported(name: str, ref: InputRef) -> Rejection:
    """Return the rejection of a file or member whose suffix no reader handles."""
    suffix = Path(name).suffix or "(none)"
    return reject(ref, "unsupported_format", f"suffix {suffix!r}; supported: {', '.join(SUPPORTED_SUFFIXES)}")


class StreamReader:
    """Reads streams of any supported format, recursing into archives.

    Args:
        cfg: ingestion settings.
    """

    def __init__(self, cfg: IngestConfig) -> None:
        self.cfg = cfg
        self._budget = self._new_budget(None)

    def _new_budget(self, compressed_size: int | None) -> ExpansionBudget:
        return ExpansionBudget(self.cfg.max_expanded_bytes, self.cfg.max_expansion_ratio, compressed_size)

    def read_stream(self, fh: IO[bytes], name: str, ref: InputRef) -> Iterator[Item]:
        """Yield the items of one stream, dispatched on the suffix of ``name``.

        Args:
            fh: the bytes.
            name: the file or member name (its suffix picks the format).
            ref: provenance (path, and member inside an archive).
        """
        return guarded(self._dispatch(fh, name, ref), ref)

    def _dispatch(self, fh: IO[bytes], name: str, ref: InputRef) -> Iterator[Item]:
        fmt = format_of(name)
        max_bytes = self.cfg.max_item_bytes
        if fmt == "jsonl":
            yield from iter_jsonl_lines(fh, ref.path, ref.member, max_line_bytes=max_bytes)
        elif fmt == "csv":
            yield from iter_csv(fh, ref.path, ref.member, self.cfg.csv)
        elif fmt == "warc":
            yield from iter_warc(fh, ref.path, ref.member, max_bytes)
        elif fmt == "gzip":
            yield from iter_gzip(fh, name, ref, self.read_stream, self._budget)
        elif fmt == "zip":
            yield from iter_zip(fh, ref, self.read_stream, max_bytes, self._budget)
        elif fmt == "tar":
            yield from iter_tar(fh, ref, self.read_stream, max_bytes, self._budget)
        elif fmt in ("html", "txt"):
            raw = fh.read(max_bytes + 1)
            if len(raw) > max_bytes:
                yield reject(ref, "too_large", f"over ingest.max_item_bytes ({max_bytes} bytes)")
            elif fmt == "html":
                yield html_fields(raw, ref)
            else:
                yield txt_fields(raw, ref, parse_scraped_pages=self.cfg.parse_scraped_txt)
        else:
            yield unsupported(name, ref)

    def read_zip_members(self, path: Path, members: slice, ref: InputRef) -> Iterator[Item]:
        """Yield the items of the members ``members`` (by index) of the zip archive ``path``.

        Args:
            path: the archive on disk.
            members: which members.
            ref: provenance of the archive (its path as the user gave it).
        """
        try:
            fh = path.open("rb")
            self._budget = self._new_budget(os.fstat(fh.fileno()).st_size)
        except OSError as e:
            yield reject(ref, "unreadable", f"{e.strerror or e}")
            return
        with fh:
            items = iter_zip(fh, ref, self.read_stream, self.cfg.max_item_bytes, self._budget, members)
            yield from guarded(items, ref)

    def read_path(self, path: Path) -> Iterator[Item]:
        """Yield the items of one input file (``-`` reads JSONL from standard input).

        Only regular files are opened: a FIFO, a device or a symbolic link to a directory
        (which may loop) is rejected as ``not_a_file`` rather than read or followed.
        """
        max_bytes = self.cfg.max_item_bytes
        if str(path) == "-":
            self._budget = self._new_budget(None)
            stdin = iter_jsonl_lines(sys.stdin.buffer, STDIN_NAME, max_line_bytes=max_bytes)
            yield from guarded(stdin, InputRef(path=STDIN_NAME))
            return
        ref = InputRef(path=str(path))
        fmt = format_of(path.name)
        if path.is_symlink() and path.is_dir():
            detail = "a symbolic link to a directory is not followed; give its target as an input"
            yield reject(ref, "not_a_file", detail)
            return
        if fmt is None:
            yield unsupported(path.name, ref)
            return
        if not path.is_file():
            yield reject(ref, "not_a_file", "not a regular file (a device, fifo, broken link or link loop)")
            return
        if fmt == "txt":
            # Plain .txt files may have a NAME.meta.json sidecar beside them.
            yield read_txt(path, parse_scraped_pages=self.cfg.parse_scraped_txt, max_bytes=max_bytes)
            return
        try:
            fh = path.open("rb")
            self._budget = self._new_budget(os.fstat(fh.fileno()).st_size)
        except OSError as e:
            yield reject(ref, "unreadable", f"{e.strerror or e}")
            return
        with fh:
            yield from self.read_stream(fh, path.name, ref)
