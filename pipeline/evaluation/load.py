"""Read the evaluation's inputs: gold documents and predicted records, checked against the gold texts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import GoldError
from pipeline.gold import GoldDocument, read_gold
from pipeline.jsonl_reader import read_numbered_records
from pipeline.records import ROLES_BY_TYPE, DocumentRecord, EventRecord

#: What to do about a malformed prediction line.
PREDICTION_HINT = "Predictions must be EventRecord JSON lines (as newsevents extract writes them)."


@dataclass(frozen=True)
class GoldEntry:
    """A gold document with the file and line it was read from."""

    doc: GoldDocument
    path: Path
    line: int


@dataclass
class Predictions:
    """Predicted event records grouped by gold document id, plus what could not be scored.

    Attributes:
        by_doc: records per known gold document id.
        unknown: number of records per document id that is not in the gold data.
        rejected: pipeline rejections (only when the pipeline ran), as ``input: reason``.
        documents: the pipeline's document records by gold id (only when the pipeline ran):
            the entities coreference resolves gold arguments to.
    """

    by_doc: dict[str, list[EventRecord]] = field(default_factory=dict)
    unknown: dict[str, int] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    documents: dict[str, DocumentRecord] = field(default_factory=dict)


def load_gold_entries(paths: Sequence[Path]) -> list[GoldEntry]:
    """Load and check gold files, keeping each document's file and line.

    Args:
        paths: gold JSONL files; document ids must be unique across them.

    Returns:
        The documents in file order.

    Raises:
        InputError: when a file cannot be read.
        GoldError: naming the file, line and field of the first bad line, or a duplicate id.
    """
    entries: list[GoldEntry] = []
    seen: dict[str, str] = {}
    for path in paths:
        for lineno, doc in read_gold(path):
            if doc.id in seen:
                raise GoldError(
                    f"{path}:{lineno}: field id: duplicate document id {doc.id!r} (first at {seen[doc.id]}). "
                    "Give every gold document a unique id."
                )
            seen[doc.id] = f"{path}:{lineno}"
            entries.append(GoldEntry(doc=doc, path=path, line=lineno))
    return entries


def check_prediction(record: EventRecord, text: str) -> list[str]:
    """Return the vocabulary and offset problems of one predicted record against its gold text.

    Args:
        record: a validated event record.
        text: the gold text of the record's document.

    Returns:
        Messages naming the field; empty when the record is consistent with ``text``.
    """
    problems: list[str] = []
    allowed = ROLES_BY_TYPE[record.type]
    spans: list[tuple[str, int, int, str, bool]] = [
        ("trigger", record.trigger.start, record.trigger.end, record.trigger.text, False)
    ]
    for j, arg in enumerate(record.arguments):
        if arg.role not in allowed:
            problems.append(f"arguments[{j}].role: {arg.role!r} is not a role of {record.type}")
        spans.append((f"arguments[{j}]", arg.start, arg.end, arg.text, False))
    tm = record.time
    if tm is not None and tm.start is not None and tm.end is not None and tm.text is not None:
        spans.append(("time", tm.start, tm.end, tm.text, True))
    if record.count is not None:
        spans.append(("count", record.count.start, record.count.end, record.count.text, True))
    n = len(text)
    for where, start, end, span_text, may_be_empty in spans:
        if not (0 <= start <= end <= n and (may_be_empty or start < end)):
            problems.append(f"{where}.start/end: {start}..{end} out of range for a text of {n} characters")
        elif text[start:end] != span_text:
            problems.append(f"{where}.text: gold text[{start}:{end}] is {text[start:end]!r}, not {span_text!r}")
    sent = record.provenance.sentence
    if not 0 <= sent.start <= sent.end <= n:
        problems.append(f"provenance.sentence: {sent.start}..{sent.end} out of range")
    return problems


def load_predictions(paths: Sequence[Path], gold: Sequence[GoldEntry]) -> Predictions:
    """Load EventRecord JSONL files and group them by ``provenance.doc_id``.

    Records of documents that are not in the gold data are counted, not scored.

    Args:
        paths: prediction files (the output of ``newsevents extract``).
        gold: the gold documents; their texts are used to check predicted offsets.

    Returns:
        The grouped predictions.

    Raises:
        InputError: when a file cannot be read.
        GoldError: naming the file, line and field of a malformed record, or of an offset
            that does not match the gold text.
    """
    texts = {entry.doc.id: entry.doc.text for entry in gold}
    preds = Predictions(by_doc={doc_id: [] for doc_id in texts})
    for path in paths:
        for lineno, record in read_numbered_records(
            path, EventRecord, "predictions file", error=GoldError, hint=PREDICTION_HINT
        ):
            add_prediction(preds, record, texts, f"{path}:{lineno}")
    return preds


def add_prediction(preds: Predictions, record: EventRecord, texts: dict[str, str], where: str) -> None:
    """Check one record against its gold text and file it under its document.

    Raises:
        GoldError: when a field is inconsistent with the gold text.
    """
    doc_id = record.provenance.doc_id
    if doc_id not in texts:
        preds.unknown[doc_id] = preds.unknown.get(doc_id, 0) + 1
        return
    problems = check_prediction(record, texts[doc_id])
    if problems:
        raise GoldError(f"{where} (doc {doc_id}, event {record.event_id}): field " + "; field ".join(problems))
    preds.by_doc[doc_id].append(record)
