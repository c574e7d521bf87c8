"""The HTML form of the ``newsevents evaluate`` report (``--html FILE``).

The same numbers as :func:`pipeline.evaluation.report.render_markdown`, with each mode's confusion
matrix drawn as a heatmap and the error listing as a table with the trigger marked in
its sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.evaluation.coref_metrics import CONLL_MEASURES, Fraction
from pipeline.evaluation.coref_report import MEASURE_TITLES
from pipeline.evaluation.coref_results import SETTING_TITLES, CorefEvaluation
from pipeline.evaluation.results import LEVELS, MODES, NONE_LABEL, Counts, ErrorItem, Evaluation
from pipeline.views.page import page
from pipeline.views.svg import esc, heatmap

__all__ = ["render_evaluation"]

_CSS = """
td.FP { color: #b0302f; font-weight: 700; } td.FN { color: #8a5a00; font-weight: 700; }
.errors td.sentence { max-width: 760px; }
.errors tr.doc th { background: #e8ebf0; }
"""


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}"


def _row(name: str, c: Counts, ci: tuple[float, float] | None = None, with_ci: bool = False) -> str:
    cells = [_pct(c.precision), _pct(c.recall), _pct(c.f1)]
    if with_ci:
        cells.append("" if ci is None else f"{100 * ci[0]:.1f}–{100 * ci[1]:.1f}")
    cells += [str(c.gold), str(c.tp_gold), str(c.pred), str(c.tp_pred)]
    return f"<tr><th>{esc(name)}</th>" + "".join(f'<td class="num">{esc(x)}</td>' for x in cells) + "</tr>"


def _head(first: str, with_ci: bool = False) -> str:
    cols = ["P", "R", "F1", *(["F1 95% CI"] if with_ci else []), "gold", "found", "pred*", "correct*"]
    return f"<thead><tr><th>{esc(first)}</th>" + "".join(f'<th class="num">{c}</th>' for c in cols) + "</tr></thead>"


def _marked(sentence: str, trigger: str) -> str:
    i = sentence.find(trigger) if trigger else -1
    if i < 0:
        return esc(sentence)
    j = i + len(trigger)
    return f"{esc(sentence[:i])}<mark>{esc(sentence[i:j])}</mark>{esc(sentence[j:])}"


def _errors(errors: Sequence[ErrorItem]) -> str:
    if not errors:
        return '<p class="empty">No trigger errors.</p>'
    rows: list[str] = []
    current = None
    for e in errors:
        if e.doc_id != current:
            current = e.doc_id
            rows.append(f'<tr class="doc"><th colspan="6">{esc(e.doc_id)}</th></tr>')
        rows.append(
            f'<tr class="error"><td class="{esc(e.kind)}">{esc(e.kind)}</td><td>{esc(e.type)}</td>'
            f"<td>{esc(e.modality)}</td><td>{e.start}:{e.end}</td>"
            f'<td class="sentence">{_marked(e.sentence, e.trigger)}</td><td class="muted">{esc(e.note)}</td></tr>'
        )
    return (
        '<table class="errors"><thead><tr><th>kind</th><th>type</th><th>modality</th><th>span</th>'
        f"<th>sentence (trigger marked)</th><th>note</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _fraction_row(name: str, f: Fraction, ci: tuple[float, float] | None) -> str:
    interval = "" if ci is None else f"{100 * ci[0]:.1f}–{100 * ci[1]:.1f}"
    cells = [_pct(f.precision), _pct(f.recall), _pct(f.f1), interval]
    return f"<tr><th>{esc(name)}</th>" + "".join(f'<td class="num">{esc(x)}</td>' for x in cells) + "</tr>"


def _coref(cev: CorefEvaluation) -> str:
    head = (
        '<thead><tr><th>measure</th><th class="num">P</th><th class="num">R</th><th class="num">F1</th>'
        '<th class="num">F1 95% CI</th></tr></thead>'
    )
    parts = ['<section class="coreference"><h2>Event coreference within documents</h2>']
    scored = [(name, s) for name, s in cev.within.items() if s.documents]
    if not scored:
        left = cev.unlabeled_documents
        parts.append(f'<p class="empty">Not scored: no gold document labels its events ({left} documents).</p>')
    for name, s in scored:
        rows = "".join(_fraction_row(MEASURE_TITLES[m], s.scores[m], s.intervals.get(m)) for m in CONLL_MEASURES)
        conll = s.intervals.get("conll")
        interval = "" if conll is None else f"{100 * conll[0]:.1f}–{100 * conll[1]:.1f}"
        rows += (
            f'<tr class="conll"><th>CoNLL F1</th><td></td><td></td><td class="num"><b>{_pct(s.conll)}</b></td>'
            f'<td class="num">{esc(interval)}</td></tr>'
        )
        parts.append(
            f'<h3>{esc(SETTING_TITLES.get(name, name))}</h3><p class="muted">{s.documents} documents, '
            f"{s.key_mentions} gold mentions in {s.key_events} gold events; {s.response_mentions} mentions "
            f"clustered into {s.response_events} events; names from {esc(s.resolution)}.</p>"
            f'<table class="coref {esc(name)}">{head}<tbody>{rows}</tbody></table>'
        )
    parts.append("</section>")
    if cev.cross:
        rows = "".join(_fraction_row(c.setting, c.pairwise, c.interval) for c in cev.cross.values())
        notes = "; ".join(
            f"{esc(c.setting)}: {c.documents} documents, {c.gold_events} real-world events, "
            f"{c.gold_doc_events} reports, {c.linked} linked events"
            for c in cev.cross.values()
        )
        parts.append(
            '<section class="linking"><h2>Event linking across documents (pairwise)</h2>'
            f'<p class="muted">{notes}.</p><table class="xdoc">{head}<tbody>{rows}</tbody></table></section>'
        )
    return "".join(parts)


def render_evaluation(ev: Evaluation, coreference: CorefEvaluation | None = None) -> str:
    """Render an evaluation as a self-contained HTML page.

    Args:
        ev: the result of :func:`pipeline.evaluation.metrics.evaluate`.
        coreference: the coreference scores, when computed (a section after the mention scores).

    Returns:
        The HTML document.
    """
    parts = [
        '<section class="summary"><h2>Summary</h2><p>'
        f"{ev.documents} documents ({ev.exhaustive_documents} exhaustive: precision counts only there; "
        f"{ev.null_published} without a published date), {ev.gold_events} gold events, "
        f"{ev.pred_events} predicted events. Scores in %; F1 95% CI from {ev.resamples} document resamples "
        f"(seed {ev.seed}). Columns: gold items, gold items found, predictions* and correct predictions* "
        "(*: exhaustive documents only).</p>"
    ]
    if ev.unknown:
        parts.append(
            f"<p><b>{sum(ev.unknown.values())} predictions for {len(ev.unknown)} unknown document ids were not "
            f"scored:</b> {esc(', '.join(sorted(ev.unknown)))}</p>"
        )
    if ev.rejected:
        parts.append(f"<p><b>{len(ev.rejected)} gold documents were rejected:</b> {esc('; '.join(ev.rejected))}</p>")
    parts.append("</section>")
    for mode in MODES:
        ms = ev.modes[mode]
        levels = "".join(
            _row(level.replace("_", " "), ms.levels[level], ev.intervals.get(f"{mode}.{level}"), True)
            for level in LEVELS
        )
        types = "".join(_row(t, c) for t, c in sorted(ms.per_type.items()))
        roles = "".join(_row(r, c) for r, c in sorted(ms.per_role.items()))
        attrs = "".join(
            f'<tr><th>{esc(name)}</th><td class="num">{_pct(a.value)}</td><td class="num">{a.correct}</td>'
            f'<td class="num">{a.total}</td></tr>'
            for name, a in ms.attributes.items()
        )
        labels = [*sorted(({g for g, _ in ms.confusion} | {p for _, p in ms.confusion}) - {NONE_LABEL}), NONE_LABEL]
        matrix = heatmap(
            labels,
            labels,
            dict(ms.confusion),
            title=f"Confusion matrix, {mode} spans (rows gold, columns predicted)",
            css_class=f"chart heatmap confusion {mode}",
        )
        parts.append(
            f'<section class="mode {esc(mode)}"><h2>{esc(mode.capitalize())} spans</h2>'
            f"<table>{_head('level', True)}<tbody>{levels}</tbody></table>"
            f'<div class="grid2"><div><h3>Per type</h3><table>{_head("type")}<tbody>{types}</tbody></table>'
            f"<h3>Per argument role</h3><table>{_head('role')}<tbody>{roles}</tbody></table>"
            "<h3>Attributes of matched events</h3><table><thead><tr><th>attribute</th>"
            '<th class="num">accuracy</th><th class="num">correct</th><th class="num">scored</th></tr></thead>'
            f"<tbody>{attrs}</tbody></table></div>"
            f"<div><h3>Confusion (matched by span, any type)</h3>{matrix}</div></div></section>"
        )
    if coreference is not None:
        parts.append(_coref(coreference))
    record = _row("records", ev.record, ev.intervals.get("record"), True)
    parts.append(
        '<section class="records"><h2>Document records (type, main participant, time)</h2>'
        f"<table>{_head('', True)}<tbody>{record}</tbody></table></section>"
    )
    parts.append(
        f'<section class="error-list"><h2>Errors (trigger classification, exact spans): {len(ev.errors)}</h2>'
        f"{_errors(ev.errors)}</section>"
    )
    return page("Event extraction evaluation", "\n".join(parts), subtitle="newsevents evaluate", css=_CSS)
