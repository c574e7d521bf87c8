"""Ingestion: input paths -> a stream of Articles (and Rejections for bad inputs).

Formats (by suffix, also inside archives): ``.txt``, ``.jsonl``, ``.csv``, ``.html``/``.htm``,
``.warc``/``.warc.gz``, ``.gz``, ``.zip``, ``.tar`` (``.tar.gz``, ``.tgz``...); ``-`` reads
JSONL from standard input. Everything is streamed: no archive is read whole or extracted.
Articles in a language other than the allowed ones are rejected (``language``);
:class:`~pipeline.ingest.dedup.Deduplicator` turns repeated texts into ``duplicate`` records.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from pipeline.config import IngestConfig
from pipeline.errors import InputError
from pipeline.ingest.common import ArticleFields, build_article
from pipeline.ingest.dedup import DUPLICATE_REASON, Deduplicator
from pipeline.ingest.language import LanguageFilter
from pipeline.ingest.sources import SUPPORTED_SUFFIXES, StreamReader, format_of
from pipeline.records import Article, Rejection

__all__ = [
    "DUPLICATE_REASON",
    "SUPPORTED_SUFFIXES",
    "Deduplicator",
    "LanguageFilter",
    "admit",
    "count_articles",
    "format_of",
    "iter_files",
    "read_inputs",
]

#: Files in input directories that are companions, not articles.
_COMPANION_SUFFIXES = (".meta.json",)


def iter_files(inputs: Iterable[str]) -> Iterator[Path]:
    """Expand input paths: files as given, directories recursively in sorted order; ``-`` is stdin.

    Raises:
        InputError: when a path given on the command line does not exist.
    """
    for name in inputs:
        path = Path(name)
        if name == "-":
            yield path
        elif path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs.sort()
                # Links to directories are not followed (they may loop) but still reported.
                links = [d for d in dirs if os.path.islink(os.path.join(root, d))]
                for fname in sorted([*files, *links]):
                    if fname.startswith(".") or fname.endswith(_COMPANION_SUFFIXES):
                        continue
                    yield Path(root) / fname
        elif path.exists() or path.is_symlink():
            yield path
        else:
            raise InputError(f"Input {name!r} does not exist. Give existing files or directories, or - for stdin.")


def read_inputs(
    inputs: Iterable[str], cfg: IngestConfig, published: str | None = None
) -> Iterator[Article | Rejection]:
    """Stream articles from files, directories, archives and stdin.

    Args:
        inputs: files or directories (recursive), or ``-`` for JSONL on stdin.
        cfg: ingestion settings.
        published: ISO date for articles that carry none.

    Yields:
        An Article per readable article in an allowed language, a Rejection per
        unusable file, member, line or article.
    """
    reader = StreamReader(cfg)
    language = LanguageFilter(cfg.language)
    for path in iter_files(inputs):
        for item in reader.read_path(path):
            yield item if isinstance(item, Rejection) else admit(item, cfg, published, language)


def admit(
    item: ArticleFields, cfg: IngestConfig, published: str | None, language: LanguageFilter
) -> Article | Rejection:
    """Build the Article of one input item and check its language: the path every input takes.

    :func:`read_inputs` and the Python API (:class:`pipeline.api.Pipeline`) both call it, so
    they reject the same items for the same reasons (``empty``, ``bad_field``, ``language`` ...).

    Args:
        item: the item's fields and where it was read.
        cfg: ingestion settings.
        published: ISO date for articles that carry none.
        language: the language filter of this run.
    """
    article = build_article(item, published_default=published, min_chars=cfg.min_chars)
    return language(article) if isinstance(article, Article) else article


#: Formats whose article count is cheap to know in advance (one per file, or one per line).
_COUNTABLE = {"txt": False, "html": False, "jsonl": True}


def count_articles(inputs: Iterable[str], budget_bytes: int = 2_000_000_000) -> int | None:
    """Estimate the number of articles in ``inputs`` for a progress bar's ETA.

    Counts files (``.txt``, ``.html``) and non-blank lines of plain ``.jsonl`` files.

    Args:
        inputs: as given to :func:`read_inputs`.
        budget_bytes: give up (return None) rather than scan more JSONL bytes than this.

    Returns:
        The count, or None when it is unknown (stdin, archives, CSV, or too much to scan).
    """
    total = 0
    scanned = 0
    for path in iter_files(inputs):
        fmt = format_of(path.name)
        if str(path) == "-" or fmt not in _COUNTABLE:
            return None
        if not _COUNTABLE[fmt]:
            total += 1
            continue
        try:
            scanned += path.stat().st_size
            if scanned > budget_bytes:
                return None
            with path.open("rb") as fh:
                total += sum(1 for line in fh if line.strip())
        except OSError:
            return None
    return total
