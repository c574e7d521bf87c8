"""The Markdown and JSON forms of an evaluation (the HTML form is :mod:`pipeline.views.evaluation`)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence

from pipeline.evaluation.coref_results import CorefEvaluation
from pipeline.evaluation.results import LEVELS, MODES, NONE_LABEL, Counts, Evaluation


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}"


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
        f"{ev.null_published} without a published date), "
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
        out += [
            "Attributes of matched events (trigger classification); time and count over the matched "
            "mentions whose gold mention has a value, time also per gold basis:",
            "",
        ]
        out += [*_table(["attribute", "accuracy", "correct", "scored"], acc_rows), ""]
        f1 = ms.modality_f1()
        if f1:
            names = [k for k in f1 if k != "macro"]
            out += ["Modality F1 of the non-asserted values (matched mentions):", ""]
            out += [*_table([*names, "macro"], [[_pct(f1[k]) for k in (*names, "macro")]]), ""]
        if ms.spurious:
            spurious = ", ".join(f"{k} {v}" for k, v in sorted(ms.spurious.items()))
            out += [f"Values predicted where the gold mention has none: {spurious}.", ""]
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


def _render_confusion(confusion: Counter[tuple[str, str]]) -> list[str]:
    labels = [*sorted(({g for g, _ in confusion} | {p for _, p in confusion}) - {NONE_LABEL}), NONE_LABEL]
    rows = [[g, *(str(confusion.get((g, p), 0)) for p in labels)] for g in labels]
    return [
        "Confusion (rows gold, columns predicted; matched by span, any type):",
        "",
        *_table(["gold \\ pred", *labels], rows),
    ]


def render_json(ev: Evaluation, coreference: CorefEvaluation | None = None) -> str:
    """Render the whole evaluation as indented JSON text (the ``--json`` file).

    Args:
        ev: the evaluation.
        coreference: the coreference scores, when computed (key ``coreference``).

    Returns:
        The JSON text, ending with a newline.
    """
    data = ev.to_json()
    if coreference is not None:
        data["coreference"] = coreference.to_json()
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
