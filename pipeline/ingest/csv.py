"""CSV files: one article per row, columns mapped by the ``ingest.csv`` section of config.yaml.

Columns not mapped to an article field become document metadata. Empty cells are absent
values. The file is read as a stream (UTF-8, a BOM is accepted).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import IO, Any

from pipeline.config import CsvConfig
from pipeline.ingest.common import ARTICLE_KEYS, ArticleFields, reject
from pipeline.records import InputRef, Rejection

#: Article fields a column can be mapped to.
CSV_FIELDS = ("text", "id", "title", "url", "source", "published")
#: Longest cell accepted (the csv module's default, 128 KiB, is shorter than long articles).
MAX_CELL_CHARS = 2**31 - 1


def column_mapping(cfg: CsvConfig) -> dict[str, str]:
    """Return {article field: column name} for the mapped fields."""
    mapping = {name: getattr(cfg, name) for name in CSV_FIELDS}
    return {name: column for name, column in mapping.items() if column is not None}


def iter_csv(fh: IO[bytes], path: str, member: str | None, cfg: CsvConfig) -> Iterator[ArticleFields | Rejection]:
    """Yield the fields of each CSV row, or one rejection when the header lacks a mapped column.

    Args:
        fh: the CSV bytes.
        path: the file recorded in provenance.
        member: the archive member, when the stream is one.
        cfg: the column mapping.
    """
    csv.field_size_limit(MAX_CELL_CHARS)
    text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
    try:
        yield from _iter_rows(text, path, member, cfg)
    finally:
        text.detach()  # the caller owns (and closes) the byte stream


def _iter_rows(text: IO[str], path: str, member: str | None, cfg: CsvConfig) -> Iterator[ArticleFields | Rejection]:
    reader = csv.DictReader(text, delimiter=cfg.delimiter)
    header = reader.fieldnames or []
    mapping = column_mapping(cfg)
    missing = [f"{name}: {column!r}" for name, column in mapping.items() if column not in header]
    if missing:
        yield reject(
            InputRef(path=path, member=member, line=1),
            "bad_csv",
            f"columns missing from the header ({', '.join(missing)}); the header has {header}. "
            "Set ingest.csv in config.yaml to the file's column names.",
        )
        return
    mapped_columns = set(mapping.values())
    for row in reader:
        ref = InputRef(path=path, member=member, line=reader.line_num)
        if None in row:
            yield reject(ref, "bad_csv", f"row has {len(header) + len(row[None])} cells, the header {len(header)}")
            continue
        fields: dict[str, Any] = {
            # An unmapped column named like a field stays metadata, under another key.
            (f"column_{k}" if k in ARTICLE_KEYS else k): v
            for k, v in row.items()
            if k not in mapped_columns and v not in (None, "")
        }
        for name, column in mapping.items():
            value = row.get(column)
            fields[name] = value if value not in (None, "") else None
        yield ArticleFields(fields=fields, ref=ref)
