"""Compressed and archived inputs, read as streams: nothing is extracted to disk.

``.gz`` wraps one file, ``.zip`` and ``.tar`` (plain or ``.tar.gz``/``.tgz``/``.tar.bz2``/
``.tar.xz``) hold many. Each member is dispatched on its own suffix by the ``read_member``
callback (a ``.jsonl`` inside a ``.tar.gz``, an ``.html`` inside a ``.zip``), and its name
is kept in provenance (``InputRef.member``; nested archives join names with ``!``).
Members that are not regular files (links, devices, fifos) are rejected with reason
``not_a_file``; a damaged archive ends with a ``corrupt`` rejection and the run goes on.
Member names are only provenance: nothing is ever written to disk, so names such as
``../../etc/passwd`` or ``/etc/passwd`` are harmless.

Bombs: every compressed input gets an :class:`ExpansionBudget` (``ingest.max_expanded_bytes``
and ``ingest.max_expansion_ratio``). Bytes produced by each decompression layer are charged
to it (declared member sizes of zip and tar before they are read or skipped, gzip output as
it is read); past the budget :class:`ExpansionLimitError` stops the whole input, which
becomes one ``too_large`` rejection after the items read before.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from typing import IO, Any, cast

from pipeline.ingest.common import ArticleFields, reject
from pipeline.records import InputRef, Rejection

Item = ArticleFields | Rejection
#: Reads one stream: (bytes, name to dispatch on, provenance) -> items.
ReadMember = Callable[[IO[bytes], str, InputRef], Iterator[Item]]
#: Expanded bytes allowed whatever the ratio: small, very compressible files are fine.
RATIO_GRACE_BYTES = 16_000_000


class ExpansionLimitError(Exception):
    """A compressed input expanded past its :class:`ExpansionBudget` (a zip or gzip bomb)."""


class ExpansionBudget:
    """How many bytes one compressed input may expand to, all nested layers together.

    Args:
        max_bytes: absolute limit (``ingest.max_expanded_bytes``).
        max_ratio: limit per byte of the input on disk (``ingest.max_expansion_ratio``),
            applied past :data:`RATIO_GRACE_BYTES`.
        compressed_size: size of the input on disk; None (a stream) applies ``max_bytes`` only.
    """

    def __init__(self, max_bytes: int, max_ratio: float, compressed_size: int | None) -> None:
        self.limit = max_bytes
        if compressed_size is not None:
            self.limit = min(max_bytes, max(RATIO_GRACE_BYTES, int(max_ratio * compressed_size)))
        self.max_ratio = max_ratio
        self.compressed_size = compressed_size
        self.used = 0

    def charge(self, n: int, what: str) -> None:
        """Count ``n`` expanded bytes of ``what``.

        Raises:
            ExpansionLimitError: when the input has now expanded past its limit.
        """
        self.used += n
        if self.used > self.limit:
            ratio = "" if self.compressed_size is None else f" ({self.used / max(self.compressed_size, 1):.0f}x)"
            raise ExpansionLimitError(
                f"{what} expands the input to over {self.limit} bytes{ratio}: over ingest.max_expanded_bytes "
                f"or ingest.max_expansion_ratio ({self.max_ratio:g}x), a decompression bomb; raise them "
                "if the archive is genuine (the items before were read)"
            )


class MeteredReader(io.RawIOBase):
    """A read-only stream that charges every byte read from ``inner`` to a budget.

    Args:
        inner: the decompressed stream.
        budget: the input's expansion budget.
        what: named in the error (the file or member).
    """

    def __init__(self, inner: IO[bytes], budget: ExpansionBudget, what: str) -> None:
        super().__init__()
        self.inner = inner
        self.budget = budget
        self.what = what

    def readable(self) -> bool:
        """Always True."""
        return True

    def readinto(self, buffer: Any) -> int:
        """Read into ``buffer`` and charge the bytes read."""
        view = memoryview(buffer).cast("B")
        data = self.inner.read(len(view))
        view[: len(data)] = data
        self.budget.charge(len(data), self.what)
        return len(data)


def metered(inner: IO[bytes], budget: ExpansionBudget, what: str) -> IO[bytes]:
    """Return ``inner`` buffered and metered: reads (and readline) charge ``budget``."""
    return cast(IO[bytes], io.BufferedReader(MeteredReader(inner, budget, what), buffer_size=1 << 16))


def member_name(outer: str | None, name: str) -> str:
    """Return the provenance name of ``name`` inside the member ``outer`` (``outer!name``)."""
    return f"{outer}!{name}" if outer else name


def strip_gz(name: str) -> str:
    """Return ``name`` without its ``.gz`` suffix (``a.jsonl.gz`` -> ``a.jsonl``)."""
    return name[:-3] if name.lower().endswith(".gz") else name


def iter_gzip(
    fh: IO[bytes], name: str, ref: InputRef, read_member: ReadMember, budget: ExpansionBudget
) -> Iterator[Item]:
    """Decompress a ``.gz`` stream and read the file inside by its name without ``.gz``.

    Args:
        fh: the compressed bytes.
        name: the ``.gz`` file or member name.
        ref: provenance of the compressed file.
        read_member: reads the decompressed stream.
        budget: charged with every decompressed byte.
    """
    with gzip.GzipFile(fileobj=fh, mode="rb") as inner:
        yield from read_member(metered(cast(IO[bytes], inner), budget, ref.label()), strip_gz(name), ref)


def _read_limited(fh: IO[bytes], size: int | None, max_bytes: int) -> bytes | None:
    """Read a member whole if it is at most ``max_bytes`` (None when larger)."""
    if size is not None and size > max_bytes:
        return None
    raw = fh.read(max_bytes + 1)
    return None if len(raw) > max_bytes else raw


def iter_zip(
    fh: IO[bytes],
    ref: InputRef,
    read_member: ReadMember,
    max_bytes: int,
    budget: ExpansionBudget,
    members: slice | None = None,
) -> Iterator[Item]:
    """Read every file member of a zip archive (or the slice ``members`` of them), in the archive's order.

    Args:
        fh: the archive; read into memory first (up to ``max_bytes``) when not seekable.
        ref: provenance of the archive.
        read_member: reads one member stream.
        max_bytes: larger members (and unseekable archives) are rejected.
        budget: charged with the declared size of every member read (zipfile enforces it).
        members: only these members, by index (a shard of the archive, :mod:`pipeline.shards`).
    """
    if not fh.seekable():
        raw = _read_limited(fh, None, max_bytes)
        if raw is None:
            yield reject(ref, "too_large", f"zip member over ingest.max_item_bytes ({max_bytes} bytes)")
            return
        fh = io.BytesIO(raw)
    with zipfile.ZipFile(fh) as archive:
        infos = archive.infolist()
        for info in infos if members is None else infos[members]:
            if info.is_dir():
                continue
            child = InputRef(path=ref.path, member=member_name(ref.member, info.filename))
            if _zip_is_link(info):
                yield reject(child, "not_a_file", "zip member is a symbolic link")
                continue
            if info.file_size > max_bytes:
                yield reject(child, "too_large", f"{info.file_size} bytes > ingest.max_item_bytes ({max_bytes})")
                continue
            budget.charge(info.file_size, child.label())
            with archive.open(info) as member:
                yield from read_member(member, info.filename, child)


def _zip_is_link(info: zipfile.ZipInfo) -> bool:
    # Unix mode bits live in the high 16 bits of external_attr; 0o120000 is a symlink.
    return (info.external_attr >> 16) & 0o170000 == 0o120000


def iter_tar(
    fh: IO[bytes], ref: InputRef, read_member: ReadMember, max_bytes: int, budget: ExpansionBudget
) -> Iterator[Item]:
    """Read every member of a tar archive (compressed or not) as a stream, in order.

    Args:
        fh: the archive bytes (read once, front to back).
        ref: provenance of the archive.
        read_member: reads one member stream.
        max_bytes: larger members are rejected unread.
        budget: charged with the size of every member, read or skipped (a stream decompresses both).
    """
    with tarfile.open(fileobj=fh, mode="r|*") as archive:
        for info in archive:
            if info.isdir():
                continue
            child = InputRef(path=ref.path, member=member_name(ref.member, info.name))
            budget.charge(info.size, child.label())
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
