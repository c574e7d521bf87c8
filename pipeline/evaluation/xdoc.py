"""Score cross-document linking against the cross-document gold set (corpus/xdoc): pairwise P/R/F1.

A gold real-world event is reported by several articles, one report (a trigger) per
article. Two settings:

- **gold document events**: each report becomes a document event built from the
  annotation (type, the names the article uses, the time it gives, the place, its
  publication date); the linker (:mod:`pipeline.events.linking`) links them.
- **predicted** (end to end): the pipeline runs on the articles; each report is the
  document event whose mentions include one overlapping its trigger (same type), and the
  linker links the pipeline's document events.

Scored: the pairs of reports of different articles put in one linked event, against
the pairs of one gold event. The bootstrap resamples gold events; a wrong link between
two gold events counts half to each.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from pipeline.evaluation.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED
from pipeline.evaluation.coref_metrics import Fraction
from pipeline.evaluation.coref_results import CrossScores
from pipeline.evaluation.results import DEFAULT_CONFIDENCE
from pipeline.events.linking import link_events
from pipeline.events.names import name_key
from pipeline.normalize.places import country_code
from pipeline.records import (
    DocumentEvent,
    EventProvenance,
    InputRef,
    Participant,
    TimeClaim,
    TriggerRef,
    content_hash,
)
from pipeline.xdoc_gold import XdocArticle, XdocEvent, trigger_span

__all__ = ["Report", "gold_document_events", "score_links", "score_xdoc_gold", "score_xdoc_predicted"]

_MAIN_ROLE = {"arrest": "person", "release": "person", "announcement": "speaker"}
GOLD_EXTRACTOR = "gold"


@dataclass(frozen=True)
class Report:
    """A gold report: its event label, article and trigger span."""

    event: str
    doc: str
    start: int
    end: int
    type: str


def reports_of(events: Sequence[XdocEvent], articles: dict[str, XdocArticle]) -> list[tuple[Report, XdocEvent, int]]:
    """Every report whose trigger is found, with its event and its index in the event's reports."""
    out = []
    for event in events:
        for i, report in enumerate(event.reports):
            article = articles.get(report.doc)
            span = trigger_span(report, article.text) if article is not None else "no article"
            if isinstance(span, str):
                continue
            out.append((Report(event.event, report.doc, span[0], span[1], event.type), event, i))
    return out


def gold_document_events(
    events: Sequence[XdocEvent], articles: dict[str, XdocArticle]
) -> list[tuple[Report, DocumentEvent]]:
    """Build one document event per gold report, from the annotation alone."""
    out = []
    for report, event, i in reports_of(events, articles):
        annotation = event.reports[i]
        article = articles[report.doc]
        mention_id = content_hash(report.doc, report.type, str(report.start), str(report.end))
        role = _MAIN_ROLE[event.type]
        names = annotation.names or [p.name for p in event.participants if p.role == role]
        participants = [
            Participant(role=role, name=name, key=name_key(name, "PERSON"), mention_ids=[mention_id]) for name in names
        ]
        time = None
        if annotation.time_value is not None:
            time = TimeClaim(value=annotation.time_value, text="", doc_id=report.doc, mention_id=mention_id)
        place = None
        if event.place:
            place = Participant(role="place", name=event.place, country_code=country_code(event.place))
        out.append(
            (
                report,
                DocumentEvent(
                    id=content_hash(report.doc, report.type, mention_id),
                    type=event.type,
                    modality=annotation.modality,
                    participants=participants,
                    time=time,
                    time_claims=[time] if time else [],
                    place=place,
                    mention_ids=[mention_id],
                    triggers=[
                        TriggerRef(
                            mention_id=mention_id,
                            text=annotation.trigger,
                            start=report.start,
                            end=report.end,
                            sentence_index=0,
                            modality=annotation.modality,
                        )
                    ],
                    provenance=EventProvenance(
                        doc_id=report.doc,
                        source=article.source,
                        url=article.url,
                        title=article.title,
                        published=article.published,
                        input=InputRef(path=f"xdoc:{report.doc}"),
                        extractor=GOLD_EXTRACTOR,
                        pipeline_version="",
                    ),
                ),
            )
        )
    return out


def _event_terms(reports: Sequence[Report], cluster_of: dict[Report, str]) -> dict[str, list[float]]:
    """Per gold event: [gold pairs, correct pairs, predicted pairs] (a wrong pair counts half to each event)."""
    terms: dict[str, list[float]] = {r.event: [0.0, 0.0, 0.0] for r in reports}
    for a, b in combinations(reports, 2):
        if a.doc == b.doc:
            continue
        same_gold = a.event == b.event
        same_pred = cluster_of[a] == cluster_of[b]
        if same_gold:
            terms[a.event][0] += 1
            if same_pred:
                terms[a.event][1] += 1
                terms[a.event][2] += 1
        elif same_pred:
            terms[a.event][2] += 0.5
            terms[b.event][2] += 0.5
    return terms


def _fraction(terms: Sequence[list[float]]) -> Fraction:
    gold = sum(t[0] for t in terms)
    correct = sum(t[1] for t in terms)
    pred = sum(t[2] for t in terms)
    return Fraction(correct, pred, correct, gold)


def score_links(
    reports: Sequence[Report],
    cluster_of: dict[Report, str],
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> tuple[Fraction, tuple[float, float] | None]:
    """Pairwise P/R of the cross-document links between gold reports, with a bootstrap F1 interval.

    Args:
        reports: the gold reports.
        cluster_of: the linked event of each report (reports the system missed get their own).
        resamples: bootstrap resamples (of gold events).
        seed: bootstrap seed.
    """
    terms = _event_terms(reports, cluster_of)
    total = _fraction(list(terms.values()))
    if resamples <= 0 or not terms:
        return total, None
    rng = random.Random(seed)
    labels = sorted(terms)
    samples = sorted(_fraction([terms[rng.choice(labels)] for _ in labels]).f1 for _ in range(resamples))
    alpha = (1.0 - DEFAULT_CONFIDENCE) / 2
    lo = samples[min(len(samples) - 1, int(alpha * len(samples)))]
    hi = samples[min(len(samples) - 1, int((1.0 - alpha) * len(samples)))]
    return total, (round(lo, 4), round(hi, 4))


def score_xdoc_gold(
    events: Sequence[XdocEvent],
    articles: dict[str, XdocArticle],
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> CrossScores:
    """Link the gold document events and score the links."""
    built = gold_document_events(events, articles)
    linked = link_events([event for _, event in built])
    cluster_by_event = {member: c.id for c in linked for member in c.doc_event_ids}
    cluster_of = {report: cluster_by_event[event.id] for report, event in built}
    pairwise, interval = score_links([r for r, _ in built], cluster_of, resamples, seed)
    return CrossScores(
        documents=len({r.doc for r, _ in built}),
        gold_events=len({r.event for r, _ in built}),
        gold_doc_events=len(built),
        linked=sum(1 for c in linked if len(c.documents) > 1),
        pairwise=pairwise,
        interval=interval,
        setting="gold document events",
    )


def score_xdoc_predicted(
    events: Sequence[XdocEvent],
    articles: dict[str, XdocArticle],
    doc_events: Sequence[DocumentEvent],
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> CrossScores:
    """Link the pipeline's document events of the articles and score the links of the gold reports.

    Args:
        events: the gold events.
        articles: the articles.
        doc_events: the pipeline's document events of the articles (``provenance.doc_id`` = article id).
        resamples: bootstrap resamples.
        seed: bootstrap seed.
    """
    linked = link_events(doc_events)
    cluster_by_event = {member: c.id for c in linked for member in c.doc_event_ids}
    reports = [r for r, _, _ in reports_of(events, articles)]
    cluster_of: dict[Report, str] = {}
    by_doc: dict[str, list[DocumentEvent]] = {}
    for event in doc_events:
        by_doc.setdefault(event.provenance.doc_id, []).append(event)
    for report in reports:
        found = next(
            (
                e
                for e in by_doc.get(report.doc, [])
                if e.type == report.type and any(t.start < report.end and report.start < t.end for t in e.triggers)
            ),
            None,
        )
        # A report the pipeline missed links to nothing: a cluster of its own.
        cluster_of[report] = cluster_by_event[found.id] if found is not None else f"missed:{report}"
    pairwise, interval = score_links(reports, cluster_of, resamples, seed)
    return CrossScores(
        documents=len({r.doc for r in reports}),
        gold_events=len({r.event for r in reports}),
        gold_doc_events=len(reports),
        linked=sum(1 for c in linked if len(c.documents) > 1),
        pairwise=pairwise,
        interval=interval,
        setting="predicted document events (end to end)",
    )
