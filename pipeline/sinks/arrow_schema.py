"""The Arrow schema of the Parquet tables, derived from the pydantic records (and rows <-> records).

The schema is never written by hand: :func:`arrow_schema` reads the fields of a record
class, so a field added to a record (a nullable ``basis`` on ``TimeValue``) is a column of
the Parquet output with no change here. Nested records become structs, lists and tuples
become lists, ``dict[str, int]`` and ``dict[str, str]`` become maps: DuckDB and pandas read
them as structs, lists and maps. Only free-form ``dict[str, Any]`` fields (``metadata``)
are JSON strings, as their values have no fixed type.

A table is one line of :data:`TABLES`: its record class and the publication date that
partitions it by month. Linked events (cross-document) would be added the same way.
"""

from __future__ import annotations

import json
import re
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

import pyarrow as pa
from pydantic import BaseModel

from pipeline.errors import ConfigError
from pipeline.records import DocumentEvent, DocumentRecord, EventRecord, Record, Rejection

#: Partition column of the monthly tables, and its value for records without a publication date.
MONTH_COLUMN = "month"
NO_MONTH = "unknown"
_MONTH = re.compile(r"^(\d{4})-(\d{2})")


@dataclass(frozen=True)
class TableSpec:
    """One Parquet table: the record class of its rows and, for monthly tables, the date to partition on.

    Args:
        name: the table's directory under the dataset root.
        model: the record class (its fields are the columns).
        published: returns a record's publication date (ISO), or None for an unpartitioned table.
    """

    name: str
    model: type[Record]
    published: Callable[[Any], str | None] | None = None


#: The tables of a Parquet output. ``mentions``: one row per event mention (the event
#: record of the JSONL output); ``documents``: one per processed document; ``doc_events``: one
#: per document event (the real-world events of a document, grouping its mentions: the
#: ``.doc_events.jsonl`` file of the JSONL output); ``rejects``: one per rejected input.
TABLES: dict[str, TableSpec] = {
    "mentions": TableSpec("mentions", EventRecord, lambda r: r.provenance.published),
    "documents": TableSpec("documents", DocumentRecord, lambda r: r.published),
    "doc_events": TableSpec("doc_events", DocumentEvent, lambda r: r.provenance.published),
    "rejects": TableSpec("rejects", Rejection),
}


def month_of(published: str | None) -> str:
    """Return the ``YYYY-MM`` partition of a publication date, or :data:`NO_MONTH`."""
    match = _MONTH.match(published or "")
    return f"{match[1]}-{match[2]}" if match else NO_MONTH


def _is_json(annotation: Any) -> bool:
    if get_origin(annotation) is dict:
        _key, value = get_args(annotation)
        return value is Any or get_origin(value) is not None
    return annotation is Any


def _non_null(annotation: Any) -> tuple[Any, bool]:
    """Return (annotation without None, nullable)."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        nullable = len(args) < len(get_args(annotation))
        if len(args) == 1:
            return args[0], nullable
        raise ConfigError(f"No Arrow type for the union {annotation}: give the record field one type.")
    return annotation, False


_SCALARS: dict[Any, pa.DataType] = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}


def arrow_type(annotation: Any) -> tuple[pa.DataType, bool]:
    """Return the Arrow type of a field annotation and whether it is nullable.

    Raises:
        ConfigError: a field type with no Arrow mapping (add one here).
    """
    inner, nullable = _non_null(annotation)
    if _is_json(inner):
        return pa.string(), nullable
    origin = get_origin(inner)
    if inner in _SCALARS:
        return _SCALARS[inner], nullable
    if origin is Literal:
        return pa.string(), nullable
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return pa.struct(arrow_fields(inner)), nullable
    if origin in (list, tuple):
        (item,) = [a for a in get_args(inner) if a is not Ellipsis]
        return pa.list_(arrow_type(item)[0]), nullable
    if origin is dict:
        key, value = get_args(inner)
        return pa.map_(arrow_type(key)[0], arrow_type(value)[0]), nullable
    raise ConfigError(f"No Arrow type for {annotation!r}: map it in pipeline/sinks/arrow_schema.py.")


def arrow_fields(model: type[BaseModel]) -> list[pa.Field]:
    """Return the Arrow fields of a record class, one per pydantic field, in declaration order."""
    fields = []
    for name, info in model.model_fields.items():
        dtype, nullable = arrow_type(info.annotation)
        fields.append(pa.field(name, dtype, nullable=nullable))
    return fields


def arrow_schema(model: type[BaseModel]) -> pa.Schema:
    """Return the Arrow schema of the rows of a record class."""
    return pa.schema(arrow_fields(model))


def _to_cell(annotation: Any, value: Any) -> Any:
    inner, _ = _non_null(annotation)
    if value is None:
        return None
    if _is_json(inner):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return to_row(inner, value)
    if get_origin(inner) in (list, tuple):
        (item,) = [a for a in get_args(inner) if a is not Ellipsis]
        return [_to_cell(item, v) for v in value]
    return value


def to_row(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """Return the Arrow row of a record's ``model_dump()`` (free-form dicts become JSON)."""
    return {name: _to_cell(info.annotation, data.get(name)) for name, info in model.model_fields.items()}


def _from_cell(annotation: Any, value: Any) -> Any:
    inner, _ = _non_null(annotation)
    if value is None:
        return None
    if _is_json(inner):
        return json.loads(value)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return from_row(inner, value)
    origin = get_origin(inner)
    if origin in (list, tuple):
        (item,) = [a for a in get_args(inner) if a is not Ellipsis]
        return [_from_cell(item, v) for v in value]
    if origin is dict:
        return dict(value)
    return value


def from_row(model: type[BaseModel], row: dict[str, Any]) -> dict[str, Any]:
    """Return the fields to validate a record from one of its Arrow rows (``model.model_validate``)."""
    return {name: _from_cell(info.annotation, row.get(name)) for name, info in model.model_fields.items()}


def records_table(spec: TableSpec, records: list[Any]) -> pa.Table:
    """Return the Arrow table of ``records`` (all of ``spec.model``)."""
    rows = [to_row(spec.model, r.model_dump()) for r in records]
    return pa.Table.from_pylist(rows, schema=arrow_schema(spec.model))
