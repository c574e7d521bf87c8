"""Gold vs predicted event records -> scores, a Markdown report and an accuracy gate.

Plain functions in pipeline order: :func:`load_gold_entries` and :func:`load_predictions`
read and check the inputs, :func:`match_spans` pairs mentions one-to-one,
:func:`evaluate` scores every document and aggregates, :func:`render_markdown` and
:meth:`Evaluation.to_json` present the result, and :func:`check_floors` /
:func:`pin_floors` gate accuracy against pinned floors. :func:`add_cli` registers
``newsevents evaluate``. The gold format and the metrics are described in
``docs/evaluation.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from pipeline.config import load_config
from pipeline.errors import ConfigError, GoldError, InputError
from pipeline.gold import GoldDocument, GoldEvent, parse_gold_line
from pipeline.records import EVENT_TYPES, ROLES_BY_TYPE, Article, EventRecord, InputRef, Rejection

Mode = Literal["exact", "overlap"]
MODES: tuple[Mode, ...] = ("exact", "overlap")
LEVELS: tuple[str, ...] = (
    "trigger_identification",
    "trigger_classification",
    "argument_identification",
    "argument_classification",
)
ATTRIBUTES: tuple[str, ...] = ("modality", "time", "count")
NONE_LABEL = "none"

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 20240613
DEFAULT_CONFIDENCE = 0.95
DEFAULT_TOLERANCE = 0.005
FLOORS_VERSION = 1

#: The argument role that names an event's main participant (document-level record score).
MAIN_ROLE: dict[str, str] = {"arrest": "person", "release": "person", "announcement": "speaker"}

_TITLES = (
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "president",
    "vice president",
    "prime minister",
    "minister",
    "chancellor",
    "secretary",
    "senator",
    "sen",
    "rep",
    "representative",
    "governor",
    "gov",
    "mayor",
    "judge",
    "justice",
    "general",
    "gen",
    "colonel",
    "col",
    "captain",
    "capt",
    "king",
    "queen",
    "prince",
    "princess",
    "sheikh",
    "pope",
    "rev",
    "reverend",
    "father",
    "ayatollah",
)
_TITLE_RE = re.compile(
    r"^(?:(?:" + "|".join(sorted((re.escape(t) for t in _TITLES), key=len, reverse=True)) + r")\.?\s+)+"
)
_POSSESSIVE_RE = re.compile(r"(?<=\w)'s\b|(?<=s)'(?=\s|$)")
_PUNCT_RE = re.compile(r"[^\w\s'-]+")
_SPACE_RE = re.compile(r"\s+")
_SENTENCE_BOUNDARIES = (". ", "! ", "? ", "\n")


# --------------------------------------------------------------------------- loading


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
    """

    by_doc: dict[str, list[EventRecord]] = field(default_factory=dict)
    unknown: dict[str, int] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)


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
        for lineno, line in _read_lines(path):
            doc = parse_gold_line(line, path, lineno)
            if doc.id in seen:
                raise GoldError(
                    f"{path}:{lineno}: field id: duplicate document id {doc.id!r} (first at {seen[doc.id]}). "
                    "Give every gold document a unique id."
                )
            seen[doc.id] = f"{path}:{lineno}"
            entries.append(GoldEntry(doc=doc, path=path, line=lineno))
    return entries


def _read_lines(path: Path) -> Iterable[tuple[int, str]]:
    try:
        with path.open(encoding="utf-8") as fh:
            lines = list(fh)
    except OSError as e:
        raise InputError(f"Cannot read {path}: {e.strerror}. Pass an existing JSONL file.") from e
    return ((lineno, line) for lineno, line in enumerate(lines, 1) if line.strip())


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
    if record.time is not None:
        spans.append(("time", record.time.start, record.time.end, record.time.text, True))
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


def parse_prediction_line(line: str, path: Path, lineno: int) -> EventRecord:
    """Parse one prediction line as an :class:`EventRecord`.

    Raises:
        GoldError: naming the file, line and field of the problem.
    """
    try:
        raw: Any = json.loads(line)
    except json.JSONDecodeError as e:
        raise GoldError(f"{path}:{lineno}: not valid JSON ({e.msg}). Fix the line or remove it.") from e
    try:
        return EventRecord.model_validate(raw)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(record)"
        raise GoldError(
            f"{path}:{lineno}: field {where}: {first['msg']}. Predictions must be EventRecord JSON lines."
        ) from e


def load_predictions(paths: Sequence[Path], gold: Sequence[GoldEntry]) -> Predictions:
    """Load EventRecord JSONL files and group them by ``provenance.doc_id``.

    Records of documents that are not in the gold data are counted, not scored.

    Args:
        paths: prediction files (the output of ``newsevents extract``).
        gold: the gold documents; their texts are used to check predicted offsets.

    Returns:
        The grouped predictions.

    Raises:
        GoldError: naming the file, line and field of a malformed record, or of an offset
            that does not match the gold text.
    """
    texts = {entry.doc.id: entry.doc.text for entry in gold}
    preds = Predictions(by_doc={doc_id: [] for doc_id in texts})
    for path in paths:
        for lineno, line in _read_lines(path):
            record = parse_prediction_line(line, path, lineno)
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


def predict_with_pipeline(gold: Sequence[GoldEntry], config_path: str | None) -> Predictions:
    """Run the extraction pipeline on the gold texts, keeping their ids and published dates.

    Documents are mapped back to gold through their input reference (gold file and line),
    so the result does not depend on how the runner derives document ids.

    Args:
        gold: the gold documents.
        config_path: a ``config.yaml``, or None for the defaults.

    Returns:
        The predictions, plus one entry per rejected document.

    Raises:
        ConfigError: when the pipeline runner is not available.
    """
    try:
        # Imported here: the runner loads spaCy, which only this code path needs.
        from pipeline.runner import process_articles
    except ImportError as e:
        raise ConfigError(
            f"The extraction pipeline cannot be imported ({e}). Pass --pred with an events file instead."
        ) from e
    cfg = load_config(config_path)
    by_ref: dict[tuple[str, int], GoldDocument] = {}
    articles: list[Article] = []
    for entry in gold:
        doc = entry.doc
        ref = InputRef(path=str(entry.path), line=entry.line)
        by_ref[(ref.path, entry.line)] = doc
        articles.append(
            Article(
                id=doc.id,
                text=doc.text,
                title=doc.title,
                source=doc.source,
                url=doc.url,
                published=doc.published,
                input=ref,
            )
        )
    texts = {entry.doc.id: entry.doc.text for entry in gold}
    preds = Predictions(by_doc={doc_id: [] for doc_id in texts})
    for item in process_articles(articles, cfg):
        if isinstance(item, Rejection):
            preds.rejected.append(f"{item.input.label()}: {item.reason}")
            continue
        document, records = item
        gold_doc = by_ref.get((document.input.path, document.input.line or 0))
        doc_id = gold_doc.id if gold_doc is not None else document.id
        for record in records:
            if record.provenance.doc_id != doc_id:
                record = EventRecord.model_validate(
                    {
                        **record.model_dump(),
                        "provenance": {**record.provenance.model_dump(), "doc_id": doc_id},
                    }
                )
            add_prediction(preds, record, texts, document.input.label())
    return preds


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class Arg:
    """An argument reduced to what is scored."""

    role: str
    start: int
    end: int
    text: str
    name: str


@dataclass(frozen=True)
class Mention:
    """A gold or predicted event mention reduced to what is scored."""

    type: str
    start: int
    end: int
    text: str
    modality: str
    args: tuple[Arg, ...]
    time_value: str | None
    count_value: int | None
    sentence: tuple[int, int]


@dataclass(frozen=True)
class EvalDocument:
    """One gold document with its gold and predicted mentions."""

    doc_id: str
    text: str
    exhaustive: bool
    published: str | None
    gold: tuple[Mention, ...]
    pred: tuple[Mention, ...]


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the offsets of the sentence around ``text[start:end]``.

    The sentence runs from the nearest boundary (". ", "! ", "? " or a newline) before the
    span to the nearest one after it.
    """
    left = 0
    for b in _SENTENCE_BOUNDARIES:
        i = text.rfind(b, 0, start)
        if i >= 0:
            left = max(left, i + len(b))
    right = len(text)
    for b in _SENTENCE_BOUNDARIES:
        i = text.find(b, end)
        if i >= 0:
            # Keep the sentence's final punctuation, not the newline.
            right = min(right, i if b == "\n" else i + 1)
    return left, max(right, end)


def gold_mention(event: GoldEvent, text: str) -> Mention:
    """Convert a gold event to a :class:`Mention`."""
    return Mention(
        type=event.type,
        start=event.trigger_start,
        end=event.trigger_end,
        text=event.trigger,
        modality=event.modality,
        args=tuple(Arg(role=a.role, start=a.start, end=a.end, text=a.text, name=a.text) for a in event.arguments),
        time_value=event.time_value,
        count_value=event.count_value,
        sentence=sentence_around(text, event.trigger_start, event.trigger_end),
    )


def pred_mention(record: EventRecord) -> Mention:
    """Convert a predicted event record to a :class:`Mention`."""
    return Mention(
        type=record.type,
        start=record.trigger.start,
        end=record.trigger.end,
        text=record.trigger.text,
        modality=record.modality,
        args=tuple(
            Arg(role=a.role, start=a.start, end=a.end, text=a.text, name=a.entity_name or a.text)
            for a in record.arguments
        ),
        time_value=record.time.value if record.time is not None else None,
        count_value=record.count.value if record.count is not None else None,
        sentence=(record.provenance.sentence.start, record.provenance.sentence.end),
    )


def make_eval_documents(gold: Sequence[GoldEntry], preds: Predictions) -> list[EvalDocument]:
    """Pair each gold document with its predicted mentions."""
    return [
        EvalDocument(
            doc_id=entry.doc.id,
            text=entry.doc.text,
            exhaustive=entry.doc.events_exhaustive,
            published=entry.doc.published,
            gold=tuple(gold_mention(e, entry.doc.text) for e in entry.doc.events),
            pred=tuple(pred_mention(r) for r in preds.by_doc.get(entry.doc.id, [])),
        )
        for entry in gold
    ]


def match_spans(
    gold: Sequence[tuple[int, int]],
    pred: Sequence[tuple[int, int]],
    mode: Mode,
    compatible: Callable[[int, int], bool] | None = None,
) -> list[tuple[int, int]]:
    """Match gold and predicted spans one-to-one.

    Greedy by best overlap: candidate pairs are taken in order of decreasing
    intersection-over-union (then overlap length, then position), so no gold span and no
    prediction is matched twice; duplicate predictions stay unmatched.

    Args:
        gold: (start, end) of each gold span.
        pred: (start, end) of each predicted span.
        mode: ``exact`` (equal offsets) or ``overlap`` (at least one shared character).
        compatible: optional extra condition on (gold index, pred index), e.g. same type.

    Returns:
        (gold index, pred index) pairs, sorted by gold index.
    """
    candidates: list[tuple[float, int, int, int]] = []
    for gi, (gs, ge) in enumerate(gold):
        for pi, (ps, pe) in enumerate(pred):
            if mode == "exact":
                if (gs, ge) != (ps, pe):
                    continue
                inter = ge - gs
            else:
                inter = min(ge, pe) - max(gs, ps)
                if inter <= 0:
                    continue
            if compatible is not None and not compatible(gi, pi):
                continue
            union = max(ge, pe) - min(gs, ps)
            candidates.append((inter / union if union else 1.0, inter, gi, pi))
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, _, gi, pi in candidates:
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        pairs.append((gi, pi))
    return sorted(pairs)


# --------------------------------------------------------------------------- scoring


@dataclass
class Counts:
    """Match counts. Precision uses only exhaustively annotated documents.

    Attributes:
        gold: gold items (all documents).
        pred: predicted items (exhaustive documents only).
        tp_gold: matched gold items (all documents): recall numerator.
        tp_pred: matched predicted items (exhaustive documents only): precision numerator.
    """

    gold: int = 0
    pred: int = 0
    tp_gold: int = 0
    tp_pred: int = 0

    def add(self, other: Counts) -> None:
        """Add ``other`` in place."""
        self.gold += other.gold
        self.pred += other.pred
        self.tp_gold += other.tp_gold
        self.tp_pred += other.tp_pred

    @property
    def precision(self) -> float:
        """Matched / predicted; 0 when nothing was predicted."""
        return self.tp_pred / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        """Matched / gold; 0 when there is no gold item."""
        return self.tp_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall; 0 when both are 0."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, Any]:
        """Return counts and scores as a JSON-ready mapping."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "gold": self.gold,
            "pred": self.pred,
            "tp_gold": self.tp_gold,
            "tp_pred": self.tp_pred,
        }


@dataclass
class Accuracy:
    """Correct / total over matched events."""

    correct: int = 0
    total: int = 0

    def add(self, other: Accuracy) -> None:
        """Add ``other`` in place."""
        self.correct += other.correct
        self.total += other.total

    @property
    def value(self) -> float | None:
        """The accuracy, or None when nothing was scored."""
        return self.correct / self.total if self.total else None

    def to_json(self) -> dict[str, Any]:
        """Return the accuracy and its counts as a JSON-ready mapping."""
        value = self.value
        return {
            "accuracy": None if value is None else round(value, 4),
            "correct": self.correct,
            "total": self.total,
        }


@dataclass(frozen=True)
class ErrorItem:
    """A false positive or false negative trigger (trigger classification, exact spans)."""

    kind: Literal["FP", "FN"]
    doc_id: str
    type: str
    trigger: str
    start: int
    end: int
    modality: str
    sentence: str
    note: str

    def to_json(self) -> dict[str, Any]:
        """Return the error as a JSON-ready mapping."""
        return {
            "kind": self.kind,
            "doc_id": self.doc_id,
            "type": self.type,
            "trigger": self.trigger,
            "start": self.start,
            "end": self.end,
            "modality": self.modality,
            "sentence": self.sentence,
            "note": self.note,
        }


@dataclass
class ModeScores:
    """Every span-based score of one matching mode."""

    levels: dict[str, Counts] = field(default_factory=lambda: {level: Counts() for level in LEVELS})
    per_type: dict[str, Counts] = field(default_factory=dict)
    per_role: dict[str, Counts] = field(default_factory=dict)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    attributes: dict[str, Accuracy] = field(default_factory=lambda: {a: Accuracy() for a in ATTRIBUTES})

    def add(self, other: ModeScores) -> None:
        """Add ``other`` in place."""
        for level, counts in other.levels.items():
            self.levels[level].add(counts)
        for key, counts in other.per_type.items():
            self.per_type.setdefault(key, Counts()).add(counts)
        for key, counts in other.per_role.items():
            self.per_role.setdefault(key, Counts()).add(counts)
        self.confusion.update(other.confusion)
        for name, acc in other.attributes.items():
            self.attributes[name].add(acc)


@dataclass
class DocScores:
    """The scores of one document: per mode, the record score and the error listing."""

    doc_id: str
    modes: dict[str, ModeScores]
    record: Counts
    errors: list[ErrorItem]


def _counts(n_gold: int, n_pred: int, tp: int, exhaustive: bool) -> Counts:
    return Counts(gold=n_gold, pred=n_pred if exhaustive else 0, tp_gold=tp, tp_pred=tp if exhaustive else 0)


def _spans(items: Sequence[Mention] | Sequence[Arg]) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in items]


def _same_role(gargs: Sequence[Arg], pargs: Sequence[Arg]) -> Callable[[int, int], bool]:
    return lambda i, j: gargs[i].role == pargs[j].role


def score_mode(doc: EvalDocument, mode: Mode) -> tuple[ModeScores, list[tuple[int, int]]]:
    """Score one document with one matching mode.

    Returns:
        The scores and the trigger-classification matching (gold index, pred index).
    """
    gold, pred, exh = doc.gold, doc.pred, doc.exhaustive
    scores = ModeScores()
    ident = match_spans(_spans(gold), _spans(pred), mode)
    classified = match_spans(_spans(gold), _spans(pred), mode, lambda g, p: gold[g].type == pred[p].type)
    scores.levels["trigger_identification"] = _counts(len(gold), len(pred), len(ident), exh)
    scores.levels["trigger_classification"] = _counts(len(gold), len(pred), len(classified), exh)
    gold_types = Counter(m.type for m in gold)
    pred_types = Counter(m.type for m in pred)
    tp_types = Counter(gold[g].type for g, _ in classified)
    for t in sorted(set(gold_types) | set(pred_types)):
        scores.per_type[t] = _counts(gold_types[t], pred_types[t], tp_types[t], exh)

    # Arguments count only inside correctly classified events; the arguments of every
    # other gold (predicted) event are false negatives (positives).
    gold_roles = Counter(a.role for m in gold for a in m.args)
    pred_roles = Counter(a.role for m in pred for a in m.args)
    tp_ident = 0
    tp_roles: Counter[str] = Counter()
    for g, p in classified:
        gargs, pargs = gold[g].args, pred[p].args
        tp_ident += len(match_spans(_spans(gargs), _spans(pargs), mode))
        for ga, _ in match_spans(_spans(gargs), _spans(pargs), mode, _same_role(gargs, pargs)):
            tp_roles[gargs[ga].role] += 1
    n_gold_args, n_pred_args = sum(gold_roles.values()), sum(pred_roles.values())
    scores.levels["argument_identification"] = _counts(n_gold_args, n_pred_args, tp_ident, exh)
    scores.levels["argument_classification"] = _counts(n_gold_args, n_pred_args, sum(tp_roles.values()), exh)
    for r in sorted(set(gold_roles) | set(pred_roles)):
        scores.per_role[r] = _counts(gold_roles[r], pred_roles[r], tp_roles[r], exh)

    matched_gold = {g for g, _ in ident}
    matched_pred = {p for _, p in ident}
    for g, p in ident:
        scores.confusion[(gold[g].type, pred[p].type)] += 1
    for g, m in enumerate(gold):
        if g not in matched_gold:
            scores.confusion[(m.type, NONE_LABEL)] += 1
    if exh:
        for p, m in enumerate(pred):
            if p not in matched_pred:
                scores.confusion[(NONE_LABEL, m.type)] += 1

    for g, p in classified:
        gm, pm = gold[g], pred[p]
        scores.attributes["modality"].add(Accuracy(int(gm.modality == pm.modality), 1))
        scores.attributes["count"].add(Accuracy(int(gm.count_value == pm.count_value), 1))
        if doc.published is not None:
            scores.attributes["time"].add(Accuracy(int(gm.time_value == pm.time_value), 1))
    return scores, classified


def normalize_name(name: str) -> str:
    """Normalize a participant name for the record score.

    Strips accents, case, leading titles ("Mr.", "President", ...), possessive "'s" and
    punctuation: "President Nicolás Maduro's" -> "nicolas maduro".
    """
    decomposed = unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
    out = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    out = _SPACE_RE.sub(" ", out).strip()
    out = _POSSESSIVE_RE.sub("", out)
    out = _TITLE_RE.sub("", out)
    out = _PUNCT_RE.sub(" ", out)
    return _SPACE_RE.sub(" ", out).strip(" '-")


def main_participant(mention: Mention) -> str | None:
    """Return the normalized name of the event's person (arrest/release) or speaker."""
    role = MAIN_ROLE.get(mention.type)
    args = sorted((a for a in mention.args if a.role == role), key=lambda a: (a.start, a.end))
    return normalize_name(args[0].name) if args else None


def record_tuples(mentions: Iterable[Mention], score_time: bool) -> set[tuple[str, str | None, str | None]]:
    """Return the document's set of (type, main participant, time value) tuples."""
    return {(m.type, main_participant(m), m.time_value if score_time else None) for m in mentions}


def score_document(doc: EvalDocument) -> DocScores:
    """Score one document in every mode, with its record score and error listing."""
    modes: dict[str, ModeScores] = {}
    classified: list[tuple[int, int]] = []
    for mode in MODES:
        modes[mode], matched = score_mode(doc, mode)
        if mode == "exact":
            classified = matched
    score_time = doc.published is not None
    gold_set = record_tuples(doc.gold, score_time)
    pred_set = record_tuples(doc.pred, score_time)
    record = _counts(len(gold_set), len(pred_set), len(gold_set & pred_set), doc.exhaustive)
    return DocScores(doc_id=doc.doc_id, modes=modes, record=record, errors=list_errors(doc, classified))


def list_errors(doc: EvalDocument, classified: Sequence[tuple[int, int]]) -> list[ErrorItem]:
    """List the unmatched gold (FN) and, on exhaustive documents, predicted (FP) triggers.

    A note names the closest overlapping mention of the other side, so boundary and type
    errors are told apart from plain misses.
    """
    matched_gold = {g for g, _ in classified}
    matched_pred = {p for _, p in classified}
    errors: list[ErrorItem] = []

    def note(m: Mention, others: Sequence[Mention], label: str) -> str:
        near = [o for o in others if min(o.end, m.end) > max(o.start, m.start)]
        if not near:
            return ""
        o = max(near, key=lambda o: min(o.end, m.end) - max(o.start, m.start))
        what = "type" if (o.start, o.end) == (m.start, m.end) else "span"
        return f"{what}: {label} {o.type} {o.text!r} [{o.start}:{o.end}]"

    def item(kind: Literal["FP", "FN"], m: Mention, others: Sequence[Mention], label: str) -> ErrorItem:
        s, e = m.sentence
        sentence = " ".join(doc.text[s:e].split())
        return ErrorItem(kind, doc.doc_id, m.type, m.text, m.start, m.end, m.modality, sentence, note(m, others, label))

    for g, m in enumerate(doc.gold):
        if g not in matched_gold:
            errors.append(item("FN", m, doc.pred, "predicted"))
    if doc.exhaustive:
        for p, m in enumerate(doc.pred):
            if p not in matched_pred:
                errors.append(item("FP", m, doc.gold, "gold"))
    return sorted(errors, key=lambda e: (e.start, e.kind))


def _bootstrap_keys() -> list[str]:
    levels = [f"{mode}.{level}" for mode in MODES for level in LEVELS]
    # per event type: "overlap.type.arrest" (trigger classification of that type)
    types = [f"{mode}.type.{t}" for mode in MODES for t in EVENT_TYPES]
    return [*levels, *types, "record"]


def _doc_counts(doc: DocScores, key: str) -> Counts:
    if key == "record":
        return doc.record
    parts = key.split(".")
    if len(parts) == 3:
        return doc.modes[parts[0]].per_type.get(parts[2], Counts())
    mode, level = parts
    return doc.modes[mode].levels[level]


def bootstrap_f1(
    docs: Sequence[DocScores],
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    confidence: float = DEFAULT_CONFIDENCE,
) -> dict[str, tuple[float, float]]:
    """Return percentile bootstrap confidence intervals of the micro F1 figures.

    Documents are resampled with replacement; each resample sums the documents' counts.

    Args:
        docs: per-document scores.
        resamples: number of bootstrap resamples.
        seed: random seed, fixed so reports are reproducible.
        confidence: the interval's coverage.

    Returns:
        ``{"exact.trigger_classification": (low, high), ..., "record": (low, high)}``;
        empty when there are no documents.
    """
    if not docs or resamples <= 0:
        return {}
    keys = _bootstrap_keys()
    table = [[_doc_counts(d, key) for key in keys] for d in docs]
    rng = random.Random(seed)
    n = len(docs)
    samples: dict[str, list[float]] = {key: [] for key in keys}
    for _ in range(resamples):
        weights = Counter(rng.randrange(n) for _ in range(n))
        for k, key in enumerate(keys):
            total = Counts()
            for i, w in weights.items():
                c = table[i][k]
                total.add(Counts(c.gold * w, c.pred * w, c.tp_gold * w, c.tp_pred * w))
            samples[key].append(total.f1)
    alpha = (1.0 - confidence) / 2
    out: dict[str, tuple[float, float]] = {}
    for key, values in samples.items():
        values.sort()
        lo = values[min(len(values) - 1, int(alpha * len(values)))]
        hi = values[min(len(values) - 1, int((1.0 - alpha) * len(values)))]
        out[key] = (round(lo, 4), round(hi, 4))
    return out


@dataclass
class Evaluation:
    """The aggregated result of an evaluation."""

    documents: int
    exhaustive_documents: int
    gold_events: int
    pred_events: int
    modes: dict[str, ModeScores]
    record: Counts
    intervals: dict[str, tuple[float, float]]
    errors: list[ErrorItem]
    unknown: dict[str, int]
    rejected: list[str]
    null_published: int
    resamples: int
    seed: int

    def to_json(self) -> dict[str, Any]:
        """Return the whole evaluation as a JSON-ready mapping (the ``--json`` output)."""
        modes: dict[str, Any] = {}
        for mode, ms in self.modes.items():
            levels = {}
            for level, counts in ms.levels.items():
                levels[level] = counts.to_json()
                ci = self.intervals.get(f"{mode}.{level}")
                levels[level]["f1_ci"] = list(ci) if ci else None
            confusion: dict[str, dict[str, int]] = {}
            for (g, p), n in sorted(ms.confusion.items()):
                confusion.setdefault(g, {})[p] = n
            modes[mode] = {
                **levels,
                "per_type": {
                    k: {**v.to_json(), "f1_ci": _json_ci(self.intervals.get(f"{mode}.type.{k}"))}
                    for k, v in sorted(ms.per_type.items())
                },
                "per_role": {k: v.to_json() for k, v in sorted(ms.per_role.items())},
                "attributes": {k: v.to_json() for k, v in ms.attributes.items()},
                "confusion": confusion,
            }
        record = self.record.to_json()
        ci = self.intervals.get("record")
        record["f1_ci"] = list(ci) if ci else None
        return {
            "documents": self.documents,
            "exhaustive_documents": self.exhaustive_documents,
            "null_published_documents": self.null_published,
            "gold_events": self.gold_events,
            "pred_events": self.pred_events,
            "modes": modes,
            "record": record,
            "unknown_documents": {
                "documents": len(self.unknown),
                "predictions": sum(self.unknown.values()),
                "ids": sorted(self.unknown),
            },
            "rejected": self.rejected,
            "bootstrap": {"resamples": self.resamples, "seed": self.seed, "confidence": DEFAULT_CONFIDENCE},
            "errors": [e.to_json() for e in self.errors],
        }


def evaluate(
    gold: Sequence[GoldEntry],
    preds: Predictions,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> Evaluation:
    """Score predictions against gold.

    Args:
        gold: the gold documents.
        preds: predictions grouped by gold document id.
        resamples: bootstrap resamples for the F1 confidence intervals (0 to skip).
        seed: bootstrap seed.

    Returns:
        The aggregated evaluation.
    """
    docs = make_eval_documents(gold, preds)
    per_doc = [score_document(doc) for doc in docs]
    modes: dict[str, ModeScores] = {mode: ModeScores() for mode in MODES}
    record = Counts()
    errors: list[ErrorItem] = []
    for ds in per_doc:
        for mode in MODES:
            modes[mode].add(ds.modes[mode])
        record.add(ds.record)
        errors.extend(ds.errors)
    return Evaluation(
        documents=len(docs),
        exhaustive_documents=sum(d.exhaustive for d in docs),
        gold_events=sum(len(d.gold) for d in docs),
        pred_events=sum(len(d.pred) for d in docs),
        modes=modes,
        record=record,
        intervals=bootstrap_f1(per_doc, resamples, seed),
        errors=errors,
        unknown=dict(preds.unknown),
        rejected=list(preds.rejected),
        null_published=sum(d.published is None for d in docs),
        resamples=resamples,
        seed=seed,
    )


# --------------------------------------------------------------------------- rendering


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}"


def _json_ci(interval: tuple[float, float] | None) -> list[float] | None:
    return list(interval) if interval else None


def _ci(interval: tuple[float, float] | None) -> str:
    return "" if interval is None else f"{100 * interval[0]:.1f}–{100 * interval[1]:.1f}"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


#: Columns of a P/R/F1 table; predicted counts cover exhaustive documents only.
_COUNT_COLUMNS = ("P", "R", "F1", "gold", "found", "pred*", "correct*")


def _counts_row(name: str, c: Counts) -> list[str]:
    counts = [str(c.gold), str(c.tp_gold), str(c.pred), str(c.tp_pred)]
    return [name, _pct(c.precision), _pct(c.recall), _pct(c.f1), *counts]


def _with_ci(row: list[str], ci: tuple[float, float] | None) -> list[str]:
    return [*row[:4], _ci(ci), *row[4:]]


def render_markdown(ev: Evaluation, full: bool = True) -> str:
    """Render the evaluation as Markdown.

    Args:
        ev: the evaluation.
        full: False for the short form printed to stdout (main tables only); True adds
            per-role scores, the confusion matrices and the error listing.

    Returns:
        The Markdown text.
    """
    out = ["# Event extraction evaluation", ""]
    out.append(
        f"{ev.documents} documents ({ev.exhaustive_documents} exhaustive: precision counts only there; "
        f"{ev.null_published} without a published date: time not scored there), "
        f"{ev.gold_events} gold events, {ev.pred_events} predicted events. "
        f"Scores in %; F1 95% CI from {ev.resamples} document resamples (seed {ev.seed})."
    )
    out.append("")
    if ev.unknown:
        ids = ", ".join(sorted(ev.unknown))
        out.append(
            f"**{sum(ev.unknown.values())} predictions for {len(ev.unknown)} unknown document ids were not "
            f"scored:** {ids}"
        )
        out.append("")
    if ev.rejected:
        out.append(f"**{len(ev.rejected)} gold documents were rejected by the pipeline:** " + "; ".join(ev.rejected))
        out.append("")
    out.append(
        "Columns: gold items, gold items found, predictions* and correct predictions* (*: exhaustive documents only)."
    )
    out.append("")
    header = ["level", *_COUNT_COLUMNS[:3], "F1 95% CI", *_COUNT_COLUMNS[3:]]
    for mode in MODES:
        ms = ev.modes[mode]
        out += [f"## {mode.capitalize()} spans", ""]
        rows = [
            _with_ci(_counts_row(level.replace("_", " "), ms.levels[level]), ev.intervals.get(f"{mode}.{level}"))
            for level in LEVELS
        ]
        out += [*_table(header, rows), ""]
        type_rows = [
            _with_ci(_counts_row(t, c), ev.intervals.get(f"{mode}.type.{t}")) for t, c in sorted(ms.per_type.items())
        ]
        out += [*_table(["type", *_COUNT_COLUMNS[:3], "F1 95% CI", *_COUNT_COLUMNS[3:]], type_rows), ""]
        acc_rows = [[name, _pct(a.value), str(a.correct), str(a.total)] for name, a in ms.attributes.items()]
        out += ["Attributes of matched events (trigger classification):", ""]
        out += [*_table(["attribute", "accuracy", "correct", "scored"], acc_rows), ""]
        if full:
            role_rows = [_counts_row(r, c) for r, c in sorted(ms.per_role.items())]
            out += [*_table(["argument role", *_COUNT_COLUMNS], role_rows), ""]
            out += [*_render_confusion(ms.confusion), ""]
    out += ["## Document records (type, main participant, time)", ""]
    record_row = _with_ci(_counts_row("", ev.record), ev.intervals.get("record"))[1:]
    out += [*_table(header[1:], [record_row]), ""]
    if full:
        out += [f"## Errors (trigger classification, exact spans): {len(ev.errors)}", ""]
        current = None
        for e in ev.errors:
            if e.doc_id != current:
                out += [] if current is None else [""]
                current = e.doc_id
                out += [f"### {e.doc_id}", ""]
            note = f" ({e.note})" if e.note else ""
            out.append(f"- **{e.kind}** {e.type} {e.trigger!r} [{e.start}:{e.end}] {e.modality}{note}")
            out.append(f"  > {e.sentence}")
        out.append("")
    return "\n".join(out)


def render_html(ev: Evaluation) -> str:
    """Render the full report as a self-contained HTML page (confusion matrices as charts).

    Args:
        ev: the evaluation.

    Returns:
        The HTML document (see :mod:`pipeline.views.evaluation`).
    """
    from pipeline.views.evaluation import render_evaluation

    return render_evaluation(ev)


def _render_confusion(confusion: Counter[tuple[str, str]]) -> list[str]:
    labels = [*sorted(({g for g, _ in confusion} | {p for _, p in confusion}) - {NONE_LABEL}), NONE_LABEL]
    rows = [[g, *(str(confusion.get((g, p), 0)) for p in labels)] for g in labels]
    return [
        "Confusion (rows gold, columns predicted; matched by span, any type):",
        "",
        *_table(["gold \\ pred", *labels], rows),
    ]


# --------------------------------------------------------------------------- floors


def flat_scores(ev: Evaluation) -> dict[str, float]:
    """Return the gated scores as a flat mapping, e.g. ``exact.trigger_classification.f1``.

    Accuracies that scored nothing are left out.
    """
    out: dict[str, float] = {}
    for mode in MODES:
        ms = ev.modes[mode]
        for level in LEVELS:
            c = ms.levels[level]
            out[f"{mode}.{level}.precision"] = round(c.precision, 4)
            out[f"{mode}.{level}.recall"] = round(c.recall, 4)
            out[f"{mode}.{level}.f1"] = round(c.f1, 4)
        for name, acc in ms.attributes.items():
            if acc.value is not None:
                out[f"{mode}.{name}.accuracy"] = round(acc.value, 4)
    out["record.precision"] = round(ev.record.precision, 4)
    out["record.recall"] = round(ev.record.recall, 4)
    out["record.f1"] = round(ev.record.f1, 4)
    return out


def gold_digest(paths: Sequence[Path]) -> str:
    """Return a SHA-256 digest of the gold files' contents (independent of paths and order)."""
    digests = []
    for path in paths:
        try:
            digests.append(hashlib.sha256(path.read_bytes()).hexdigest())
        except OSError as e:
            raise InputError(f"Cannot read {path}: {e.strerror}.") from e
    return hashlib.sha256("\n".join(sorted(digests)).encode()).hexdigest()


def _read_floors(path: Path) -> dict[str, Any]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise InputError(f"Cannot read floors file {path}: {e.strerror}. Create it with --pin-floors.") from e
    except json.JSONDecodeError as e:
        raise ConfigError(f"{path} is not valid JSON ({e.msg}). Re-pin it with --pin-floors.") from e
    if not isinstance(data, dict) or not isinstance(data.get("floors"), dict) or "gold_sha256" not in data:
        raise ConfigError(f"{path}: expected an object with 'gold_sha256' and 'floors'. Re-pin it with --pin-floors.")
    return data


def check_floors(scores: dict[str, float], digest: str, floors_path: Path) -> list[str]:
    """Compare scores with pinned floors.

    Args:
        scores: the current :func:`flat_scores`.
        digest: the current :func:`gold_digest`.
        floors_path: the floors file.

    Returns:
        One message per failure (gold digest changed, score missing or below its floor
        by more than the file's tolerance); empty when the gate passes.

    Raises:
        InputError, ConfigError: when the floors file cannot be read.
    """
    data = _read_floors(floors_path)
    tolerance = float(data.get("tolerance", DEFAULT_TOLERANCE))
    failures: list[str] = []
    if data["gold_sha256"] != digest:
        failures.append(
            f"gold digest {digest[:12]} differs from the pinned {str(data['gold_sha256'])[:12]}: "
            f"the gold data changed; re-pin with --pin-floors {floors_path} "
            "(add --allow-lower if a score drops)"
        )
    for key, floor in sorted(data["floors"].items()):
        current = scores.get(key)
        if current is None:
            failures.append(f"{key}: no score (floor {floor})")
        elif current < float(floor) - tolerance:
            failures.append(f"{key}: {current:.4f} is below its floor {float(floor):.4f} (tolerance {tolerance})")
    return failures


def pin_floors(
    scores: dict[str, float],
    digest: str,
    gold_paths: Sequence[Path],
    floors_path: Path,
    allow_lower: bool = False,
) -> dict[str, Any]:
    """Write the current scores and gold digest as floors.

    Args:
        scores: the current :func:`flat_scores`.
        digest: the current :func:`gold_digest`.
        gold_paths: the gold files, recorded for readers.
        floors_path: the floors file to write.
        allow_lower: permit lowering (or dropping) a floor of an existing file.

    Returns:
        The data written.

    Raises:
        ConfigError: when a floor would be lowered without ``allow_lower``.
    """
    tolerance = DEFAULT_TOLERANCE
    if floors_path.exists():
        old = _read_floors(floors_path)
        tolerance = float(old.get("tolerance", DEFAULT_TOLERANCE))
        lowered = [
            f"{key} {float(floor):.4f} -> {scores[key]:.4f}" if key in scores else f"{key} {float(floor):.4f} -> none"
            for key, floor in sorted(old["floors"].items())
            if key not in scores or scores[key] < float(floor)
        ]
        if lowered and not allow_lower:
            raise ConfigError(
                f"Pinning would lower floors in {floors_path}: {', '.join(lowered)}. "
                "Pass --allow-lower if that is intended."
            )
    data = {
        "version": FLOORS_VERSION,
        "gold": [path.as_posix() for path in gold_paths],
        "gold_sha256": digest,
        "tolerance": tolerance,
        "floors": dict(sorted(scores.items())),
    }
    try:
        floors_path.parent.mkdir(parents=True, exist_ok=True)
        floors_path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    except OSError as e:
        raise InputError(f"Cannot write {floors_path}: {e.strerror}.") from e
    return data


# --------------------------------------------------------------------------- command line


def add_cli(sub: Any) -> None:
    """Register the ``evaluate`` subcommand on the ``newsevents`` subparsers."""
    p: argparse.ArgumentParser = sub.add_parser(
        "evaluate",
        help="score predicted events against gold annotations",
        description="Score event records against gold (docs/evaluation.md). Without --pred the "
        "pipeline runs on the gold texts.",
    )
    p.add_argument(
        "--gold",
        action="append",
        required=True,
        type=Path,
        metavar="GOLD.jsonl",
        help="gold file (repeatable)",
    )
    p.add_argument(
        "--pred",
        action="append",
        type=Path,
        metavar="PRED.jsonl",
        help="EventRecord JSONL predictions (repeatable); default: run the pipeline",
    )
    p.add_argument("--config", default=None, help="config.yaml for the pipeline run (without --pred)")
    p.add_argument("--report", type=Path, help="write the full Markdown report here")
    p.add_argument("--json", type=Path, dest="json_out", help="write all scores as JSON here")
    p.add_argument("--html", type=Path, dest="html_out", help="write the full report as HTML here")
    p.add_argument("--resamples", type=int, default=DEFAULT_RESAMPLES, help="bootstrap resamples (0 to skip)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="bootstrap seed")
    gate = p.add_mutually_exclusive_group()
    gate.add_argument(
        "--check-floors",
        type=Path,
        metavar="FLOORS.json",
        help="exit 1 when a score falls below its pinned floor or the gold changed",
    )
    gate.add_argument(
        "--pin-floors",
        type=Path,
        metavar="FLOORS.json",
        help="write the current scores and gold digest as floors",
    )
    p.add_argument("--allow-lower", action="store_true", help="let --pin-floors lower existing floors")
    p.set_defaults(func=run_evaluate)


def run_evaluate(args: argparse.Namespace) -> int:
    """Run ``newsevents evaluate`` from parsed arguments and return the exit code."""
    gold_paths: list[Path] = args.gold
    gold = load_gold_entries(gold_paths)
    preds = load_predictions(args.pred, gold) if args.pred else predict_with_pipeline(gold, args.config)
    ev = evaluate(gold, preds, resamples=args.resamples, seed=args.seed)
    print(render_markdown(ev, full=False))
    if args.report is not None:
        _write(args.report, render_markdown(ev, full=True))
        print(f"Full report: {args.report}")
    if args.json_out is not None:
        _write(args.json_out, json.dumps(ev.to_json(), indent=2, ensure_ascii=False) + "\n")
    if args.html_out is not None:
        _write(args.html_out, render_html(ev))
        print(f"HTML report: {args.html_out}")
    scores = flat_scores(ev)
    if args.pin_floors is not None:
        pin_floors(scores, gold_digest(gold_paths), gold_paths, args.pin_floors, args.allow_lower)
        print(f"Pinned {len(scores)} floors in {args.pin_floors}")
    if args.check_floors is not None:
        failures = check_floors(scores, gold_digest(gold_paths), args.check_floors)
        for failure in failures:
            print(f"FLOOR FAIL {failure}", file=sys.stderr)
        if failures:
            return 1
        print(f"Floors ok ({args.check_floors})")
    return 0


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        raise InputError(f"Cannot write {path}: {e.strerror}. Choose a writable path.") from e
