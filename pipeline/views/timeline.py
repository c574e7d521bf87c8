"""The person timeline view (``newsevents people --html``): each person's arrests, releases and status.

Each person is a section (its anchor :func:`person_anchor`, so other pages can link to
it) with the status as of the latest report and the changes in date order. Each date
says whether it is the event's own date or the day the event was first reported; the
claims the articles disagree on (dates, counts) are listed side by side, each with its
article. Filters by status and by type work in the page without scripts: checkboxes and
CSS ``:has()`` rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.records import PersonTimeline, StatusChange
from pipeline.views.page import page
from pipeline.views.svg import esc

__all__ = ["TIMELINE_CSS", "person_anchor", "render_timeline_page", "render_timelines", "timeline_filter_css"]

STATUSES = ("held", "released", "unknown")
STATUS_COLORS = {"held": "#d1495b", "released": "#2e9e5b", "unknown": "#7a7a7a"}
_TYPES = ("arrest", "release", "announcement")

TIMELINE_CSS = """
.filters { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; font-size: 13px; }
.filters fieldset { border: 1px solid var(--line); border-radius: 6px; padding: 4px 10px; }
.person { border-left: 5px solid #7a7a7a; }
.person.status-held { border-left-color: #d1495b; } .person.status-released { border-left-color: #2e9e5b; }
.status { display: inline-block; padding: 0 8px; border-radius: 10px; color: #fff; font-weight: 600; font-size: 12px; }
.status.held { background: #d1495b; } .status.released { background: #2e9e5b; } .status.unknown { background: #7a7a7a; }
ol.changes { list-style: none; margin: 8px 0 0; padding: 0 0 0 14px; border-left: 2px solid var(--line); }
ol.changes li { position: relative; margin: 0 0 10px; padding-left: 10px; }
ol.changes li::before { content: ""; position: absolute; left: -21px; top: 6px; width: 10px; height: 10px;
  border-radius: 50%; background: #999; }
ol.changes li.arrest::before { background: #d1495b; } ol.changes li.release::before { background: #2e9e5b; }
ol.changes li.announcement::before { background: #3a6ea5; }
.when { font-variant-numeric: tabular-nums; font-weight: 600; }
.dated { font-size: 11px; color: var(--muted); border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; }
.claims-box { border: 1px solid #f0d2a4; background: #fffaf2; border-radius: 6px; padding: 4px 8px; margin-top: 4px;
  font-size: 12px; }
.docs { font-size: 12px; color: var(--muted); }
"""

_SLUG = re.compile(r"[^a-z0-9]+")


def person_anchor(person_key: str) -> str:
    """The id of a person's section: ``p-`` and the key's letters ("person:jerome kerviel" -> "p-jerome-kerviel")."""
    return "p-" + _SLUG.sub("-", person_key.split(":", 1)[-1].lower()).strip("-")


def timeline_filter_css() -> str:
    """The CSS rules that make the status and type checkboxes filter the timelines."""
    rules = [f"body:has(#f-status-{s}:not(:checked)) .person.status-{s} {{ display: none; }}" for s in STATUSES] + [
        f"body:has(#f-type-{t}:not(:checked)) ol.changes li.{t} {{ display: none; }}" for t in _TYPES
    ]
    return "\n".join(rules)


def _filters(timelines: Sequence[PersonTimeline]) -> str:
    counts = {s: sum(1 for t in timelines if t.status == s) for s in STATUSES}
    status = "".join(
        f'<label><input type="checkbox" id="f-status-{s}" checked> <span class="status {s}">{s}</span> '
        f"({counts[s]})</label> "
        for s in STATUSES
    )
    types = "".join(
        f'<label><input type="checkbox" id="f-type-{t}" checked> <span class="badge {t}">{t}</span></label> '
        for t in _TYPES
    )
    return (
        '<div class="filters"><fieldset><legend>status</legend>'
        f"{status}</fieldset><fieldset><legend>event type</legend>{types}</fieldset></div>"
    )


def _when(change: StatusChange) -> str:
    if change.date is None:
        return '<span class="when">undated</span>'
    label = "event date" if change.dated_by == "event" else "first reported"
    title = (
        "the date the articles give for the event"
        if change.dated_by == "event"
        else "no article gives the event's date: the publication date of the first report"
    )
    gran = f", {esc(change.granularity)}" if change.granularity and change.granularity != "day" else ""
    return f'<span class="when">{esc(change.date)}</span> <span class="dated" title="{esc(title)}">{label}{gran}</span>'


def _claims(change: StatusChange) -> str:
    if not change.conflicting:
        return ""
    parts = []
    if "time" in change.conflicting:
        times = "; ".join(f"{esc(c.value)} ({esc(c.doc_id)})" for c in change.time_claims)
        parts.append(f"<div><b>dates differ</b>: {times}</div>")
    if "count" in change.conflicting:
        counts = "; ".join(
            f"{esc(c.value)} according to {esc(c.source or 'an unattributed report')} ({esc(c.doc_id)})"
            for c in change.count_claims
        )
        parts.append(f"<div><b>counts differ</b>: {counts}</div>")
    return f'<div class="claims-box">Conflicting claims, kept apart: {"".join(parts)}</div>'


def _change(change: StatusChange) -> str:
    place = f" · {esc(change.place)}" if change.place else ""
    sources = f" · according to {esc('; '.join(change.sources))}" if change.sources else ""
    docs = "; ".join(
        f"{esc(d.published[:10] if d.published else 'undated')} {esc(d.source or '')} {esc(d.title or d.doc_id)}"
        for d in change.documents[:5]
    )
    more = f" (+{len(change.documents) - 5} more)" if len(change.documents) > 5 else ""
    modality = "" if change.modality == "asserted" else f' <span class="badge modality">{esc(change.modality)}</span>'
    return (
        f'<li class="{esc(change.type)}" data-event-id="{esc(change.event_id)}">{_when(change)} '
        f'<span class="badge {esc(change.type)}">{esc(change.type)}</span>{modality}{place}{sources}'
        f'<div class="docs">{len(change.documents)} article{"s" if len(change.documents) != 1 else ""}: '
        f"{docs}{more}</div>{_claims(change)}</li>"
    )


def _person(timeline: PersonTimeline) -> str:
    since = f" since {esc(timeline.status_since)}" if timeline.status_since else ""
    as_of = f" as of {esc(timeline.as_of)} (the latest report)" if timeline.as_of else ""
    other = [n for n in timeline.names if n != timeline.name]
    aka = f'<div class="muted">also named: {esc(", ".join(other))}</div>' if other else ""
    return (
        f'<section class="person status-{esc(timeline.status)}" id="{person_anchor(timeline.person_key)}">'
        f'<h3>{esc(timeline.name)} <span class="status {esc(timeline.status)}">{esc(timeline.status)}</span></h3>'
        f'<div class="muted">{esc(timeline.status)}{since}{as_of}</div>{aka}'
        f'<ol class="changes">{"".join(_change(c) for c in timeline.changes)}</ol></section>'
    )


def render_timelines(timelines: Sequence[PersonTimeline]) -> str:
    """Render the filters and one section per person (for a page of its own or inside the report)."""
    if not timelines:
        return '<p class="empty">No person is the subject of an arrest or a release.</p>'
    legend = (
        '<p class="muted">Status as of the latest report about the person: the latest asserted arrest '
        '(<span class="status held">held</span>) or release (<span class="status released">released</span>) '
        'decides; <span class="status unknown">unknown</span> without either. Dates are the events\' own '
        "(<i>event date</i>) or, when no article gives one, the day the event was first reported "
        "(<i>first reported</i>).</p>"
    )
    return legend + _filters(timelines) + "".join(_person(t) for t in timelines)


def render_timeline_page(timelines: Sequence[PersonTimeline], title: str = "newsevents: people") -> str:
    """Render a self-contained page of person timelines."""
    held = sum(1 for t in timelines if t.status == "held")
    subtitle = f"{len(timelines)} people, {held} held according to the latest report"
    return page(title, render_timelines(timelines), subtitle=subtitle, css=TIMELINE_CSS + timeline_filter_css())
