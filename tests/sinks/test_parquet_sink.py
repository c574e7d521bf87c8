"""The Parquet output: schema derived from the records, round trip, month partitions, resume, DuckDB queries.

The ``doc_events`` table holds the document events of :func:`pipeline.events.merge.document_events`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.errors import SinkError
from pipeline.events.merge import document_events
from pipeline.records import DocumentEvent, DocumentRecord, EventRecord, Record, Rejection, TimeValue
from pipeline.sinks import make_sink, sink_kind
from pipeline.sinks.arrow_schema import TABLES, arrow_schema, from_row, month_of
from pipeline.sinks.parquet import COMMITS_DIR, SUCCESS_NAME, ParquetSink, parquet_root
from tests.records_factory import make_document, make_event

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "parquet.md"

ARREST = "Police arrested Juan Guanipa in Caracas on Monday, the ministry said."
RELEASE = "The government released 116 prisoners on Friday."
#: Two mentions of one arrest: one document event.
DETAINED = "Police detained Ana Lopez in Valencia on Tuesday. Ana Lopez was arrested at her home, her lawyer said."


def records() -> list[tuple[DocumentRecord, list[EventRecord]]]:
    first = make_document(ARREST, entities={"Juan Guanipa": "PERSON", "Caracas": "GPE"}, metadata={"k": [1, {"a": 2}]})
    second = make_document(RELEASE, source="BBC", published="2025-06-13T10:00:00Z")
    third = make_document("No date on this one: police detained a man.", published=None)
    fourth = make_document(DETAINED, entities={"Ana Lopez": "PERSON", "Valencia": "GPE"}, published="2025-07-09")
    return [
        (
            first,
            [
                make_event(
                    first,
                    "arrest",
                    "arrested",
                    arguments=[("person", "Juan Guanipa"), ("place", "Caracas")],
                    time=("Monday", "2025-04-28", "day"),
                )
            ],
        ),
        (second, [make_event(second, "release", "released", count=("116 prisoners", 116, False))]),
        (third, [make_event(third, "arrest", "detained")]),
        (
            fourth,
            [
                make_event(
                    fourth,
                    "arrest",
                    "detained",
                    arguments=[("person", "Ana Lopez"), ("place", "Valencia")],
                    time=("Tuesday", "2025-07-08", "day"),
                ),
                make_event(fourth, "arrest", "arrested", arguments=[("person", "Ana Lopez")]),
            ],
        ),
    ]


def expected_doc_events() -> dict[str, DocumentEvent]:
    """The document events of :func:`records`, by id, as the JSONL sink writes them."""
    return {e.id: e for document, events in records() for e in document_events(events, document)}


def write_dataset(dest: str) -> None:
    with make_sink(dest) as sink:
        for document, events in records():
            sink.write(document, events)
        sink.write_rejection(
            Rejection.model_validate({"input": {"path": "x.txt"}, "stage": "ingest", "reason": "empty"})
        )
        sink.finish()


def read_table(root: Path, table: str) -> list[dict[str, object]]:
    dataset = pq.ParquetDataset(root / table, partitioning="hive")
    return dataset.read().to_pylist()  # type: ignore[no-any-return]


def test_sink_kind_and_root() -> None:
    assert sink_kind("out/events.parquet") == sink_kind("parquet:out/") == "parquet"
    assert parquet_root("parquet:out/") == Path("out")
    assert parquet_root("out/events.parquet") == Path("out/events.parquet")
    with pytest.raises(SinkError, match="drop --documents"):
        make_sink("out/events.parquet", documents="docs.jsonl")


def test_the_schema_has_every_field_and_nests_records() -> None:
    for spec in TABLES.values():
        schema = arrow_schema(spec.model)
        assert schema.names == list(spec.model.model_fields)
    mentions = arrow_schema(EventRecord)
    assert pa.types.is_struct(mentions.field("trigger").type)
    assert pa.types.is_list(mentions.field("arguments").type)
    assert pa.types.is_struct(mentions.field("arguments").type.value_type)
    assert pa.types.is_map(mentions.field("provenance").type.field("model_versions").type)
    assert mentions.field("time").nullable and not mentions.field("event_id").nullable
    assert arrow_schema(DocumentRecord).field("metadata").type == pa.string()  # free-form: JSON
    events = arrow_schema(TABLES["doc_events"].model)
    assert TABLES["doc_events"].model is DocumentEvent
    assert pa.types.is_list(events.field("participants").type)
    assert pa.types.is_struct(events.field("participants").type.value_type)
    assert pa.types.is_struct(events.field("triggers").type.value_type)
    assert pa.types.is_list(events.field("mention_ids").type)
    assert pa.types.is_struct(events.field("provenance").type)
    assert pa.types.is_struct(events.field("provenance").type.field("input").type)
    assert events.field("time").nullable and events.field("place").nullable
    assert not events.field("id").nullable


def test_a_new_nullable_field_is_a_column_with_no_other_change() -> None:
    class TimeWithBasis(TimeValue):
        basis: str | None = None

    class Outer(Record):
        time: TimeWithBasis | None

    field = arrow_schema(Outer).field("time").type.field("basis")
    assert field.type == pa.string() and field.nullable


def test_round_trip_and_month_partitions(tmp_path: Path) -> None:
    root = tmp_path / "events.parquet"
    write_dataset(str(root))
    assert (root / SUCCESS_NAME).exists() and not (root / COMMITS_DIR).exists()
    months = sorted(p.name for p in (root / "mentions").iterdir())
    assert months == ["month=2025-05", "month=2025-06", "month=2025-07", "month=unknown"]
    expected = {r.event_id: r for _, events in records() for r in events}
    rows = read_table(root, "mentions")
    assert len(rows) == 5
    for row in rows:
        month = row.pop("month")
        record = EventRecord.model_validate(from_row(EventRecord, row))
        assert record == expected[record.event_id]
        assert month == month_of(record.provenance.published)
    documents = {d.id: d for d, _ in records()}
    for row in read_table(root, "documents"):
        row.pop("month")
        document = DocumentRecord.model_validate(from_row(DocumentRecord, row))
        assert document == documents[document.id]
    assert [r["reason"] for r in read_table(root, "rejects")] == ["empty"]


def test_document_events_round_trip_partitioned_by_month(tmp_path: Path) -> None:
    root = tmp_path / "events.parquet"
    write_dataset(str(root))
    months = sorted(p.name for p in (root / "doc_events").iterdir())
    assert months == ["month=2025-05", "month=2025-06", "month=2025-07", "month=unknown"]
    expected = expected_doc_events()
    assert len(expected) == 4  # five mentions, two of them one arrest
    rows = read_table(root, "doc_events")
    assert len(rows) == len(expected)
    for row in rows:
        month = row.pop("month")
        doc_event = DocumentEvent.model_validate(from_row(DocumentEvent, row))
        assert doc_event == expected[doc_event.id]
        assert month == month_of(doc_event.provenance.published)
    (grouped,) = [e for e in expected.values() if len(e.mention_ids) == 2]
    assert [p.name for p in grouped.participants if p.role == "person"] == ["Ana Lopez"]


def test_resume_finishes_a_commit_and_drops_stray_files(tmp_path: Path) -> None:
    root = tmp_path / "out"
    dest = f"parquet:{root}"
    (first, first_events), (second, second_events), *_ = records()
    sink = ParquetSink(dest, min_documents=1)
    sink.open()
    sink.write(first, first_events)
    sink.flush()  # committed
    sink.write(second, second_events)
    sink._commit = lambda: None  # type: ignore[method-assign]  # killed before the second commit
    sink.close()
    # A commit whose renames were cut short, and a stray temporary file of a killed writer.
    (commit,) = (root / COMMITS_DIR).glob("*.json")
    for temp, final in json.loads(commit.read_text(encoding="utf-8"))["renames"]:
        (root / final).rename(root / temp)
    (root / "mentions" / ".part-x.parquet.tmp-dead").write_bytes(b"partial")
    resumed = ParquetSink(dest, resume=True)
    with resumed:
        assert resumed.done_ids() == {first.id}
        resumed.write(second, second_events)
        resumed.finish()
    ids = sorted(r["id"] for r in read_table(root, "documents"))
    assert ids == sorted([first.id, second.id])
    doc_events = sorted(r["id"] for r in read_table(root, "doc_events"))
    assert doc_events == sorted(
        e.id for d, ev in ((first, first_events), (second, second_events)) for e in document_events(ev, d)
    )
    assert not list(root.rglob(".*tmp*"))
    with pytest.raises(SinkError, match="finished dataset"):
        ParquetSink(dest, resume=True).open()


def sql_blocks(text: str) -> list[str]:
    return re.findall(r"```sql\n(.*?)```", text, flags=re.S)


def test_the_duckdb_queries_of_the_docs_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import duckdb  # a dev dependency: the documented queries must run, never be skipped

    monkeypatch.chdir(tmp_path)
    write_dataset("out/events.parquet")
    queries = sql_blocks(DOC.read_text(encoding="utf-8"))
    assert len(queries) == 4
    con = duckdb.connect()
    by_month, arrested, releases, arrests = (con.sql(q).fetchall() for q in queries)
    assert ("2025-05", "arrest", 1) in by_month and ("2025-06", "release", 1) in by_month
    assert arrested[0][0] == "Juan Guanipa" and arrested[0][3] == "arrested"
    assert releases == [("BBC", 1, 116)]
    # Two mentions of Ana Lopez's arrest are one document event.
    assert arrests == [("Ana Lopez", "2025-07-08", "A title", 2), ("Juan Guanipa", "2025-04-28", "A title", 1)]
    # The nested columns are typed, not JSON strings.
    described = con.sql("DESCRIBE SELECT * FROM read_parquet('out/events.parquet/mentions/**/*.parquet')").fetchall()
    kinds = {row[0]: row[1] for row in described}
    assert kinds["arguments"].startswith("STRUCT(") and kinds["arguments"].endswith("[]")
    described = con.sql("DESCRIBE SELECT * FROM read_parquet('out/events.parquet/doc_events/**/*.parquet')").fetchall()
    kinds = {row[0]: row[1] for row in described}
    assert kinds["participants"].startswith("STRUCT(") and kinds["participants"].endswith("[]")
    assert kinds["provenance"].startswith("STRUCT(") and kinds["mention_ids"] == "VARCHAR[]"
    metadata = con.sql("SELECT metadata FROM read_parquet('out/events.parquet/documents/**/*.parquet')").fetchall()
    assert {"k": [1, {"a": 2}]} in [json.loads(m) for (m,) in metadata]
