"""Ingestion: input paths -> a stream of Articles (and Rejections for bad inputs)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from pipeline.config import IngestConfig
from pipeline.errors import InputError
from pipeline.ingest.common import ArticleFields, build_article, reject
from pipeline.ingest.jsonl import read_jsonl
from pipeline.ingest.text import read_txt
from pipeline.records import Article, InputRef, Rejection

__all__ = ["SUPPORTED_SUFFIXES", "iter_files", "read_inputs"]

#: File suffixes this version reads.
SUPPORTED_SUFFIXES = (".txt", ".jsonl")
#: Files in input directories that are companions, not articles.
_COMPANION_SUFFIXES = (".meta.json",)


def iter_files(inputs: Iterable[str]) -> Iterator[Path]:
    """Expand input paths: files as given, directories recursively in sorted order.

    Raises:
        InputError: when a path given on the command line does not exist.
    """
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs.sort()
                for fname in sorted(files):
                    if fname.startswith(".") or fname.endswith(_COMPANION_SUFFIXES):
                        continue
                    yield Path(root) / fname
        elif path.exists() or path.is_symlink():
            yield path
        else:
            raise InputError(f"Input {name!r} does not exist. Give existing files or directories.")


def _read_file(path: Path, cfg: IngestConfig) -> Iterator[ArticleFields | Rejection]:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from read_jsonl(path)
    elif suffix == ".txt":
        yield read_txt(path, parse_scraped_pages=cfg.parse_scraped_txt)
    else:
        yield reject(
            InputRef(path=str(path)),
            "unsupported_format",
            f"suffix {suffix or '(none)'!r}; supported: {', '.join(SUPPORTED_SUFFIXES)}",
        )


def read_inputs(
    inputs: Iterable[str], cfg: IngestConfig, published: str | None = None
) -> Iterator[Article | Rejection]:
    """Stream articles from files and directories.

    Args:
        inputs: files or directories (recursive).
        cfg: ingestion settings.
        published: ISO date for articles that carry none.

    Yields:
        An Article per readable article, a Rejection per unusable file or line.
    """
    for path in iter_files(inputs):
        for item in _read_file(path, cfg):
            if isinstance(item, Rejection):
                yield item
            else:
                yield build_article(item, published_default=published, min_chars=cfg.min_chars)
