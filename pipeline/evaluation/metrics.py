"""Score documents (triggers, arguments, attributes, document records) and aggregate an Evaluation."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from pipeline.evaluation.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED, bootstrap_f1
from pipeline.evaluation.load import GoldEntry, Predictions
from pipeline.evaluation.matching import Arg, EvalDocument, Mention, make_eval_documents, match_spans
from pipeline.evaluation.results import (
    MODES,
    NONE_LABEL,
    Accuracy,
    Counts,
    DocScores,
    ErrorItem,
    Evaluation,
    Mode,
    ModeScores,
)

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
        scores.modality_pairs[(gm.modality, pm.modality)] += 1
        if gm.count_value is not None:
            scores.attributes["count"].add(Accuracy(int(gm.count_value == pm.count_value), 1))
        elif pm.count_value is not None:
            scores.spurious["count"] += 1
        if gm.time_value is not None:
            correct = Accuracy(int(gm.time_value == pm.time_value), 1)
            scores.attributes["time"].add(correct)
            if gm.time_basis is not None:
                scores.attributes[f"time_{gm.time_basis}"].add(correct)
        elif pm.time_value is not None:
            scores.spurious["time"] += 1
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
