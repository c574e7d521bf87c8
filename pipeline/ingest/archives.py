"""Compressed and archived inputs, read as streams: nothing is extracted to disk.

``.gz`` wraps one file, ``.zip`` and ``.tar`` (plain or ``.tar.gz``/``.tgz``/``.tar.bz2``/
``.tar.xz``) hold many. Each member is dispatched on its own suffix by the ``read_member``
callback (a ``.jsonl`` inside a ``.tar.gz``, an ``.html`` inside a ``.zip``), and its name
is kept in provenance (``InputRef.member``; nested archives join names with ``!``).
Members that are not regular files (links, devices, fifos) are rejected with reason
``not_a_file``; a damaged archive ends with a ``corrupt`` rejection and the run goes on.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from typing import IO, cast

from pipeline.ingest.common import ArticleFields, reject
from pipeline.records import InputRef, Rejection

Item = ArticleFields | Rejection
#: Reads one stream: (bytes, name to dispatch on, provenance) -> items.
ReadMember = Callable[[IO[bytes], str, InputRef], Iterator[Item]]


def member_name(outer: str | None, name: str) -> str:
    """Return the provenance name of ``name`` inside the member ``outer`` (``outer!name``)."""
    return f"{outer}!{name}" if outer else name


def strip_gz(name: str) -> str:
    """Return ``name`` without its ``.gz`` suffix (``a.jsonl.gz`` -> ``a.jsonl``)."""
    return name[:-3] if name.lower().endswith(".gz") else name


def iter_gzip(fh: IO[bytes], name: str, ref: InputRef, read_member: ReadMember) -> Iterator[Item]:
    """Decompress a ``.gz`` stream and read the file inside by its name without ``.gz``.

    Args:
        fh: the compressed bytes.
        name: the ``.gz`` file or member name.
        ref: provenance of the compressed file.
        read_member: reads the decompressed stream.
    """
    with gzip.GzipFile(fileobj=fh, mode="rb") as inner:
        yield from read_member(cast(IO[bytes], inner), strip_gz(name), ref)


def _read_limited(fh: IO[bytes], size: int | None, max_bytes: int) -> bytes | None:
    """Read a member whole if it is at most ``max_bytes`` (None when larger)."""
    if size is not None and size > max_bytes:
        return None
    raw = fh.read(max_bytes + 1)
    return None if len(raw) > max_bytes else raw


def iter_zip(fh: IO[bytes], ref: InputRef, read_member: ReadMember, max_bytes: int) -> Iterator[Item]:
    """Read every file member of a zip archive, in the archive's order.

    Args:
        fh: the archive; read into memory first (up to ``max_bytes``) when not seekable.
        ref: provenance of the archive.
        read_member: reads one member stream.
        max_bytes: larger members (and unseekable archives) are rejected.
    """
    if not fh.seekable():
        raw = _read_limited(fh, None, max_bytes)
        if raw is None:
            yield reject(ref, "too_large", f"zip member over ingest.max_item_bytes ({max_bytes} bytes)")
            return
        fh = io.BytesIO(raw)
    with zipfile.ZipFile(fh) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            child = InputRef(path=ref.path, member=member_name(ref.member, info.filename))
            if _zip_is_link(info):
                yield reject(child, "not_a_file", "zip member is a symbolic link")
                continue
            if info.file_size > max_bytes:
                yield reject(child, "too_large", f"{info.file_size} bytes > ingest.max_item_bytes ({max_bytes})")
                continue
            with archive.open(info) as member:
                yield from read_member(member, info.filename, child)


def _zip_is_link(info: zipfile.ZipInfo) -> bool:
    # Unix mode bits live in the high 16 bits of external_attr; 0o120000 is a symlink.
    return (info.external_attr >> 16) & 0o170000 == 0o120000


def iter_tar(fh: IO[bytes], ref: InputRef, read_member: ReadMember, max_bytes: int) -> Iterator[Item]:
    """Read every member of a tar archive (compressed or not) as a stream, in order.

    Args:
        fh: the archive bytes (read once, front to back).
        ref: provenance of the archive.
        read_member: reads one member stream.
        max_bytes: larger members are rejected unread.
    """
    with tarfile.open(fileobj=fh, mode="r|*") as archive:
        for info in archive:
            if info.isdir():
                continue
            child = InputRef(path=ref.path, member=member_name(ref.member, info.name))
            if not info.isreg():
                kind = "link" if info.issym() or info.islnk() else "device or fifo"
                yield reject(child, "not_a_file", f"tar member is a {kind}, not a regular file")
                continue
            if info.size > max_bytes:
                yield reject(child, "too_large", f"{info.size} bytes > ingest.max_item_bytes ({max_bytes})")
                continue
            member = archive.extractfile(info)
            if member is None:  # pragma: no cover - regular files always have content
                continue
            with member:
                yield from read_member(member, info.name, child)
