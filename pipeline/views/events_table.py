"""The table of real-world events (one row per linked event), filtered in the page by type, modality, source and year.

No script: every filter is a checkbox or radio button, and a CSS ``:has()`` rule hides
the rows it excludes (``body:has(#f-t-arrest:not(:checked)) tr.ev.t-arrest``). Each
row says whether its date is the event's own or the day it was first reported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pipeline.records import EVENT_TYPES, MODALITIES, LinkedEvent
from pipeline.views.svg import esc

__all__ = ["EVENTS_SHOWN", "EVENTS_TABLE_CSS", "render_events_table"]

UNKNOWN_SOURCE = "(no source)"
EVENTS_TABLE_CSS = """
table.events td { font-size: 12px; }
table.events .by { color: var(--muted); font-size: 10px; }
.event-filters { display: flex; flex-wrap: wrap; gap: 10px; font-size: 12px; margin-bottom: 8px; }
.event-filters fieldset { border: 1px solid var(--line); border-radius: 6px; padding: 2px 8px; }
"""


#: Real-world events listed in the filterable table (the most recently reported first).
EVENTS_SHOWN = 500
#: Sources and years offered as filters.
FILTER_SOURCES = 8
FILTER_YEARS = 15


def _event_year(event: LinkedEvent) -> str | None:
    value = event.time.value if event.time is not None else event.first_reported
    return value[:4] if value else None


def render_events_table(linked: Sequence[LinkedEvent]) -> tuple[str, str]:
    """Render the filterable table of real-world events.

    Args:
        linked: the linked events (the most recently reported :data:`EVENTS_SHOWN` are listed).

    Returns:
        The HTML (filters, then the table) and the CSS rules that make the filters work.
    """
    if not linked:
        return '<p class="empty">No event.</p>', ""
    events = sorted(linked, key=lambda e: (e.last_reported or "", e.id), reverse=True)[:EVENTS_SHOWN]
    source_counts = Counter(d.source or UNKNOWN_SOURCE for e in events for d in e.documents)
    sources = [name for name, _ in source_counts.most_common(FILTER_SOURCES)]
    years = sorted({y for y in map(_event_year, events) if y}, reverse=True)[:FILTER_YEARS]
    rows = []
    for e in events:
        publishers = sorted({d.source or UNKNOWN_SOURCE for d in e.documents})
        classes = [f"t-{e.type}", f"m-{e.modality}", *(f"s-{sources.index(p)}" for p in publishers if p in sources)]
        year = _event_year(e)
        if year in years:
            classes.append(f"y-{year}")
        if e.time is not None:
            when = f'{esc(e.time.value)} <span class="by">event date</span>'
        else:
            when = f'{esc((e.first_reported or "undated")[:10])} <span class="by">first reported</span>'
        people = ", ".join(p.name for p in e.participants if p.role in ("person", "speaker"))
        conflict = " ".join(
            label
            for label, claims in (
                ("time", {c.value for c in e.time_claims}),
                ("count", {c.value for c in e.count_claims}),
            )
            if len(claims) > 1
        )
        rows.append(
            f'<tr class="ev {" ".join(classes)}"><td>{when}</td><td><span class="badge {esc(e.type)}">'
            f"{esc(e.type)}</span></td><td>{esc(e.modality)}</td><td>{esc(people)}</td>"
            f"<td>{esc(e.place.name if e.place else '')}</td><td>{esc(', '.join(publishers))}</td>"
            f'<td class="num">{len(e.documents)}</td><td>{esc(conflict)}</td></tr>'
        )

    def boxes(prefix: str, values: Sequence[str]) -> str:
        return "".join(
            f'<label><input type="checkbox" id="f-{prefix}-{esc(v)}" checked> {esc(v)}</label> ' for v in values
        )

    def radios(name: str, labels: Sequence[str]) -> str:
        options = [f'<label><input type="radio" name="{name}" id="f-{name}-all" checked> all</label>']
        options += [
            f'<label><input type="radio" name="{name}" id="f-{name}-{i}"> {esc(label)}</label>'
            for i, label in enumerate(labels)
        ]
        return " ".join(options)

    css = [f"body:has(#f-t-{t}:not(:checked)) tr.ev.t-{t} {{ display: none; }}" for t in EVENT_TYPES]
    css += [f"body:has(#f-m-{m}:not(:checked)) tr.ev.m-{m} {{ display: none; }}" for m in MODALITIES]
    css += [f"body:has(#f-src-{i}:checked) tr.ev:not(.s-{i}) {{ display: none; }}" for i in range(len(sources))]
    css += [f"body:has(#f-year-{i}:checked) tr.ev:not(.y-{y}) {{ display: none; }}" for i, y in enumerate(years)]
    note = (
        f'<p class="muted">The {EVENTS_SHOWN:,} most recently reported of {len(linked):,} events.</p>'
        if len(linked) > EVENTS_SHOWN
        else ""
    )
    controls = (
        '<div class="event-filters">'
        f"<fieldset><legend>type</legend>{boxes('t', EVENT_TYPES)}</fieldset>"
        f"<fieldset><legend>modality</legend>{boxes('m', MODALITIES)}</fieldset>"
        f"<fieldset><legend>source</legend>{radios('src', sources)}</fieldset>"
        f"<fieldset><legend>year (event date, else first report)</legend>{radios('year', years)}</fieldset></div>"
    )
    table = (
        '<table class="events"><thead><tr><th>date</th><th>type</th><th>modality</th><th>people</th><th>place</th>'
        '<th>sources</th><th class="num">articles</th><th>claims differ on</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return controls + note + table, EVENTS_TABLE_CSS + "\n".join(css)
