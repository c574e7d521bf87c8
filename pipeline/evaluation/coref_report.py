"""The Markdown form of the coreference scores (the HTML form is in :mod:`pipeline.views.evaluation`)."""

from __future__ import annotations

from pipeline.evaluation.coref_metrics import CONLL_MEASURES
from pipeline.evaluation.coref_results import SETTING_TITLES, CorefEvaluation

__all__ = ["MEASURE_TITLES", "render_coref_markdown"]

MEASURE_TITLES = {"muc": "MUC", "bcubed": "B-cubed", "ceafe": "CEAF-e", "conll": "CoNLL F1"}


def _pct(value: float) -> str:
    return f"{100 * value:.1f}"


def _ci(interval: tuple[float, float] | None) -> str:
    return "" if interval is None else f"{100 * interval[0]:.1f}–{100 * interval[1]:.1f}"


def render_coref_markdown(cev: CorefEvaluation) -> str:
    """Render the coreference scores as Markdown sections.

    Args:
        cev: the coreference evaluation.

    Returns:
        The Markdown text (within documents, then across documents when scored).
    """
    out = ["## Event coreference within documents", ""]
    if not cev.within or not any(s.documents for s in cev.within.values()):
        out += [f"Not scored: no gold document labels its mentions' events ({cev.unlabeled_documents} documents).", ""]
    else:
        left = cev.unlabeled_documents
        note = f" {left} documents without event labels were left out." if left else ""
        out += [
            "Gold events are the `event` labels of the gold mentions (singletons included); scores in %, "
            f"F1 95% CI from {cev.resamples} document resamples.{note}",
            "",
            "| mentions | measure | P | R | F1 | F1 95% CI |",
            "|---|---|---|---|---|---|",
        ]
        for name, scores in cev.within.items():
            title = SETTING_TITLES.get(name, name)
            for measure in CONLL_MEASURES:
                f = scores.scores[measure]
                row = [_pct(f.precision), _pct(f.recall), _pct(f.f1), _ci(scores.intervals.get(measure))]
                out.append(f"| {title} | {MEASURE_TITLES[measure]} | " + " | ".join(row) + " |")
            out.append(
                f"| {title} | **CoNLL F1** | | | **{_pct(scores.conll)}** | {_ci(scores.intervals.get('conll'))} |"
            )
        out.append("")
        out += [
            "| mentions | documents | gold mentions | gold events | mentions clustered | events built | names from |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, s in cev.within.items():
            out.append(
                f"| {SETTING_TITLES.get(name, name)} | {s.documents} | {s.key_mentions} | {s.key_events} | "
                f"{s.response_mentions} | {s.response_events} | {s.resolution} |"
            )
        out.append("")
    if cev.cross:
        out += [
            "## Event linking across documents",
            "",
            "Pairwise: the pairs of reports (document events) of different documents put in one linked event, "
            "against the pairs of one gold real-world event; F1 95% CI from resampling gold events.",
            "",
            "| linked | documents | gold events | reports | linked events | P | R | F1 | F1 95% CI |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for c in cev.cross.values():
            f = c.pairwise
            out.append(
                f"| {c.setting} | {c.documents} | {c.gold_events} | {c.gold_doc_events} | {c.linked} | "
                f"{_pct(f.precision)} | {_pct(f.recall)} | {_pct(f.f1)} | {_ci(c.interval)} |"
            )
        out.append("")
    return "\n".join(out)
