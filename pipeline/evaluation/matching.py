"""Reduce gold and predicted events to scored mentions, and match their spans one-to-one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.evaluation.load import GoldEntry, Predictions
from pipeline.evaluation.results import Mode
from pipeline.gold import GoldEvent
from pipeline.records import EventRecord

_SENTENCE_BOUNDARIES = (". ", "! ", "? ", "\n")


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
    time_basis: str | None = None


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
        time_basis=event.time_basis,
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
        time_basis=record.time.basis if record.time is not None and record.time.value is not None else None,
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
