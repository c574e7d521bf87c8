"""The article view (``newsevents show``): documents with their entities and event triggers highlighted.

The text is drawn paragraph by paragraph with spaCy's displaCy span renderer (it stacks
overlapping spans), and beside each paragraph are the cards of the events whose triggers
it contains: type, modality, arguments, normalized time and count, source, confidence.
The mentions of one real-world event (its document event, :mod:`pipeline.events`) whose
counts disagree (116 released according to the government, 41 according to rights
groups) are shown side by side at the top, each with the sentence it comes from; the
claims of different events are never compared. A legend explains the entity labels, and a
page of several articles starts with an index.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.records import DocumentEvent, DocumentRecord, EventRecord
from pipeline.views.page import page
from pipeline.views.svg import TYPE_COLORS, esc

__all__ = [
    "ENTITY_LABELS",
    "find_conflicts",
    "render_article_page",
    "render_document",
    "split_tokens",
]

#: Colours of entity labels not in displaCy's defaults.
_ENTITY_COLOR = "#ddd"
#: What each entity label means (spaCy's OntoNotes labels, and NOMINAL for actors named by a common noun).
ENTITY_LABELS = {
    "PERSON": "people",
    "ORG": "organizations: companies, agencies, institutions",
    "GPE": "geopolitical entities: countries, cities, states",
    "LOC": "other locations: regions, mountains, bodies of water",
    "FAC": "facilities: buildings, prisons, airports, roads",
    "NORP": "nationalities, religious or political groups",
    "NOMINAL": "an actor named by a common noun (\u201cthe government\u201d, \u201crights groups\u201d), one per "
    "article",
    "DATE": "dates",
    "CARDINAL": "numbers",
}
_PARAGRAPH = re.compile(r"[^\n]+")
_TOKEN = re.compile(r"\S+")

_CSS = """
.doc-meta { color: var(--muted); font-size: 13px; margin-bottom: 8px; }
.para { display: grid; grid-template-columns: minmax(0, 3fr) minmax(260px, 2fr); gap: 16px;
        border-top: 1px dashed var(--line); padding: 4px 0; }
.para .spans { line-height: 2.6 !important; }
.cards { display: flex; flex-direction: column; gap: 8px; padding-top: 10px; }
.card { border: 1px solid var(--line); border-left: 5px solid #999; border-radius: 6px; padding: 6px 10px;
        font-size: 13px; background: #fff; }
.card.arrest { border-left-color: #d1495b; } .card.release { border-left-color: #2e9e5b; }
.card.announcement { border-left-color: #3a6ea5; }
.card .head { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.card .trigger { font-weight: 600; }
.card dl { display: grid; grid-template-columns: max-content 1fr; gap: 1px 8px; margin: 4px 0 0; }
.card dt { color: var(--muted); }
.card dd { margin: 0; }
.conf { display: inline-block; width: 60px; height: 6px; background: #eee; border-radius: 3px; vertical-align: middle; }
.conf > span { display: block; height: 6px; border-radius: 3px; background: #555; }
.conflicts { border-color: #e59f3c; background: #fffaf2; }
.conflict-group { margin-bottom: 10px; }
.claims { display: flex; gap: 12px; flex-wrap: wrap; }
.claim { flex: 1 1 260px; border: 1px solid #f0d2a4; border-radius: 6px; background: #fff; padding: 8px 12px; }
.claim .count { font-size: 26px; font-weight: 700; }
.claim blockquote { margin: 6px 0 0; color: #333; font-size: 13px; border-left: 3px solid #eee; padding-left: 8px; }
mark { background: #fde68a; }
"""


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    label: str


def split_tokens(text: str, start: int, end: int, cuts: Iterable[int]) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into whitespace tokens, also cut at every offset in ``cuts``.

    Args:
        text: the document text.
        start: where the paragraph starts.
        end: where it ends.
        cuts: span boundaries, so that every span covers whole tokens.

    Returns:
        Token (start, end) offsets in text order.
    """
    inside = sorted({c for c in cuts if start < c < end})
    tokens: list[tuple[int, int]] = []
    for m in _TOKEN.finditer(text, start, end):
        a, b = m.start(), m.end()
        for c in inside:
            if a < c < b:
                tokens.append((a, c))
                a = c
        tokens.append((a, b))
    return tokens


def _displacy_paragraph(text: str, start: int, end: int, spans: Sequence[_Span], colors: dict[str, str]) -> str:
    from spacy import displacy

    tokens = split_tokens(text, start, end, [x for s in spans for x in (s.start, s.end)])
    index = {tok: i for i, tok in enumerate(tokens)}
    manual: list[dict[str, Any]] = []
    for span in spans:
        covered = [index[t] for t in tokens if span.start <= t[0] and t[1] <= span.end]
        if covered:
            # displaCy inserts labels unescaped: escape them here.
            manual.append({"start_token": covered[0], "end_token": covered[-1] + 1, "label": esc(span.label)})
    doc = {"text": text[start:end], "tokens": [text[a:b] for a, b in tokens], "spans": manual}
    markup: str = displacy.render(doc, style="span", manual=True, options={"colors": colors})
    return markup


def _entity_colors() -> dict[str, str]:
    from spacy.displacy.render import DEFAULT_LABEL_COLORS

    return dict(DEFAULT_LABEL_COLORS)


def find_conflicts(
    events: Sequence[EventRecord], doc_events: Sequence[DocumentEvent] | None = None
) -> list[list[EventRecord]]:
    """Group the mentions of one event whose counts differ (conflicting claims about that event).

    Args:
        events: the mention records of one document.
        doc_events: its document events (the mentions of each real-world event); without
            them, the mentions of one type are taken as one event.

    Returns:
        One group per event with at least two different count values: its mentions that
        carry a count, in text order; empty when every event's counts agree.
    """
    if doc_events is None:
        members = [[e for e in events if e.type == t] for t in TYPE_COLORS]
    else:
        by_id = {e.event_id: e for e in events}
        members = [[by_id[i] for i in d.mention_ids if i in by_id] for d in doc_events]
    groups: list[list[EventRecord]] = []
    for group in members:
        counted = sorted(
            (e for e in group if e.count is not None and e.count.value is not None), key=lambda e: e.trigger.start
        )
        if len({e.count.value for e in counted if e.count is not None}) >= 2:
            groups.append(counted)
    return groups


def _source_of(event: EventRecord, document: DocumentRecord) -> str:
    for arg in event.arguments:
        if arg.role == "source":
            return arg.entity_name or arg.text
    if event.type == "announcement":
        for arg in event.arguments:
            if arg.role == "speaker":
                return arg.entity_name or arg.text
    return f"{document.source} (publisher)" if document.source else "the article"


def _sentence_markup(event: EventRecord, text: str) -> str:
    s, e = event.provenance.sentence.start, event.provenance.sentence.end
    t0, t1 = event.trigger.start, event.trigger.end
    if not (s <= t0 <= t1 <= e):
        return esc(text[s:e])
    return f"{esc(text[s:t0])}<mark>{esc(text[t0:t1])}</mark>{esc(text[t1:e])}"


def _time_text(event: EventRecord) -> str:
    if event.time is None:
        return ""
    value = event.time.value or "unresolved"
    gran = f", {event.time.granularity}" if event.time.granularity else ""
    return f"“{event.time.text}” → {value}{gran}"


def _count_text(event: EventRecord) -> str:
    if event.count is None:
        return ""
    value = "unresolved" if event.count.value is None else str(event.count.value)
    approx = " (approximate)" if event.count.approximate else ""
    return f"“{event.count.text}” → {value}{approx}"


def _card(event: EventRecord, number: int, anchor: str, numbers: dict[str, int], document: DocumentRecord) -> str:
    rows: list[tuple[str, str]] = []
    for arg in event.arguments:
        if arg.role in ("time", "count", "source"):
            continue
        resolved = f" → {esc(arg.entity_name)}" if arg.entity_name and arg.entity_name != arg.text else ""
        kind = f' <span class="muted">{esc(arg.entity_type)}</span>' if arg.entity_type else ""
        rows.append((arg.role, f"{esc(arg.text)}{resolved}{kind}"))
    if event.time is not None:
        rows.append(("time", esc(_time_text(event))))
    if event.count is not None:
        rows.append(("count", esc(_count_text(event))))
    rows.append(("source", esc(_source_of(event, document))))
    pct = round(event.confidence * 100)
    rows.append(("confidence", f'<span class="conf"><span style="width:{pct}%"></span></span> {event.confidence:.2f}'))
    links = [f'<a href="#{anchor}-{numbers[i]}">#{numbers[i]}</a>' for i in event.reports_event_ids if i in numbers]
    if links:
        rows.append(("reports", " ".join(links)))
    links = [f'<a href="#{anchor}-{numbers[i]}">#{numbers[i]}</a>' for i in event.reported_by_event_ids if i in numbers]
    if links:
        rows.append(("reported by", " ".join(links)))
    body = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in rows)
    return (
        f'<div class="card {esc(event.type)}" id="{anchor}-{number}" data-event-id="{esc(event.event_id)}">'
        f'<div class="head"><b>#{number}</b><span class="badge {esc(event.type)}">{esc(event.type)}</span>'
        f'<span class="trigger">“{esc(event.trigger.text)}”</span>'
        f'<span class="badge modality">{esc(event.modality)}</span></div><dl>{body}</dl></div>'
    )


def _conflicts(groups: list[list[EventRecord]], document: DocumentRecord, anchor: str, numbers: dict[str, int]) -> str:
    if not groups:
        return ""
    parts = ['<section class="conflicts"><h2>Conflicting claims</h2>']
    for group in groups:
        values = " vs ".join(str(e.count.value) for e in group if e.count is not None)
        parts.append(
            f'<div class="conflict-group" data-type="{esc(group[0].type)}"><h3>'
            f'<span class="badge {esc(group[0].type)}">{esc(group[0].type)}</span> counts differ: {esc(values)}</h3>'
            '<div class="claims">'
        )
        for event in group:
            count = event.count.value if event.count is not None else None
            when = f" · {esc(_time_text(event))}" if event.time is not None else ""
            parts.append(
                f'<div class="claim"><div class="count">{esc(count)}</div>'
                f"<div>according to <b>{esc(_source_of(event, document))}</b> · {esc(event.modality)}{when} · "
                f'<a href="#{anchor}-{numbers[event.event_id]}">#{numbers[event.event_id]}</a></div>'
                f"<blockquote>{_sentence_markup(event, document.text)}</blockquote></div>"
            )
        parts.append("</div></div>")
    parts.append("</section>")
    return "".join(parts)


def render_document(
    document: DocumentRecord,
    events: Sequence[EventRecord],
    anchor: str = "ev",
    doc_events: Sequence[DocumentEvent] | None = None,
) -> str:
    """Render one document with highlighted entities and triggers, event cards and conflicts.

    Args:
        document: the document record (its text is what is shown).
        events: its event records.
        anchor: prefix of the card ids (unique per document on a page).
        doc_events: its document events: conflicting claims are compared within each.

    Returns:
        HTML sections (conflicts, then the annotated text).
    """
    text = document.text
    events = sorted(events, key=lambda e: (e.trigger.start, e.type))
    numbers = {e.event_id: n for n, e in enumerate(events, 1)}
    colors: dict[str, str] = {}
    spans: list[_Span] = []
    for entity in document.entities:
        for mention in entity.mentions:
            spans.append(_Span(mention.start, mention.end, entity.label))
    for n, event in enumerate(events, 1):
        label = f"{event.type.upper()} #{n}"
        colors[esc(label)] = TYPE_COLORS.get(event.type, "#999")
        spans.append(_Span(event.trigger.start, event.trigger.end, label))
    labels = sorted({s.label for s in spans if s.label.split(" #")[0].lower() not in TYPE_COLORS})
    paragraphs: list[str] = []
    for m in _PARAGRAPH.finditer(text):
        start, end = m.start(), m.end()
        if not text[start:end].strip():
            continue
        inside = [
            _Span(max(s.start, start), min(s.end, end), s.label) for s in spans if s.start < end and s.end > start
        ]
        cards = [
            _card(e, numbers[e.event_id], anchor, numbers, document) for e in events if start <= e.trigger.start < end
        ]
        paragraphs.append(
            f'<div class="para"><div class="text">{_displacy_paragraph(text, start, end, inside, colors)}</div>'
            f'<div class="cards">{"".join(cards)}</div></div>'
        )
    meta = " · ".join(
        esc(x)
        for x in (
            document.source,
            document.published and f"published {document.published}",
            document.url,
            f"{len(events)} events",
            f"{len(document.entities)} entities",
        )
        if x
    )
    types = {t: c for t, c in TYPE_COLORS.items() if any(e.type == t for e in events)}
    legend_items = [f'<span class="badge {esc(t)}">{esc(t)}</span>' for t in types]
    entity_colors = _entity_colors()
    legend_items += [
        f'<span class="legend-item" title="{esc(ENTITY_LABELS.get(label, label))}"><span class="swatch" '
        f'style="background:{esc(entity_colors.get(label, _ENTITY_COLOR))}"></span><b>{esc(label)}</b> '
        f"{esc(ENTITY_LABELS.get(label, ''))}</span>"
        for label in labels
    ]
    return (
        _conflicts(find_conflicts(events, doc_events), document, anchor, numbers)
        + f'<section class="article" id="{anchor}"><h2>{esc(document.title or document.id)}</h2>'
        f'<div class="doc-meta">{meta}</div><div class="legend">{"".join(legend_items)}</div>'
        + "".join(paragraphs)
        + "</section>"
    )


def _index(entries: Sequence[tuple[str, DocumentRecord, int]]) -> str:
    rows = "".join(
        f'<li><a href="#{anchor}">{esc(document.title or document.id)}</a> <span class="muted">'
        f"{esc(' · '.join(x for x in (document.source, document.published) if x))} · {n} events</span></li>"
        for anchor, document, n in entries
    )
    return f'<section class="index"><h2>Articles</h2><ol>{rows}</ol></section>'


def render_article_page(
    results: Iterable[tuple[DocumentRecord, Sequence[EventRecord]]],
    doc_events: Mapping[str, Sequence[DocumentEvent]] | None = None,
) -> str:
    """Render a self-contained HTML page with one or more documents and their events.

    Args:
        results: documents with their mention records.
        doc_events: document events by document id (conflicting claims are compared per event).
    """
    sections: list[str] = []
    titles: list[str] = []
    entries: list[tuple[str, DocumentRecord, int]] = []
    for i, (document, events) in enumerate(results, 1):
        grouped = doc_events.get(document.id) if doc_events is not None else None
        sections.append(render_document(document, events, anchor=f"d{i}", doc_events=grouped))
        titles.append(document.title or document.id)
        entries.append((f"d{i}", document, len(events)))
    if not sections:
        sections.append('<section><p class="empty">No article to show.</p></section>')
    if len(entries) > 1:
        sections.insert(0, _index(entries))
    title = titles[0] if len(titles) == 1 else f"{len(titles)} articles"
    return page(title, "\n".join(sections), subtitle="newsevents: entities and event triggers", css=_CSS)
