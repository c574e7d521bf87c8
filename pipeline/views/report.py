"""The run dashboard (``newsevents report``): event, document and rejection records -> counters -> HTML.

:func:`summarize` folds the record streams into counters (memory grows with the number of
distinct dates, sources and people, not with the number of events); :func:`render_report`
draws them as inline SVG: mentions per type over time, by the event's own date and by the
article's publication date, each labelled as such (on an axis that leaves out the few
dates far from all others, counted under the chart), by source and modality, the people
with their arrests and releases counted once per real-world event (from their
timelines, each row linking to its timeline further down), the real-world events in a
table that filters by type, modality, source and year in the page (checkboxes and CSS
``:has()``: no script), and rejections by reason.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pipeline.ingest.dedup import DUPLICATE_REASON
from pipeline.records import (
    EVENT_TYPES,
    DocumentRecord,
    EventRecord,
    LinkedEvent,
    PersonTimeline,
    Rejection,
)
from pipeline.views.events_table import render_events_table
from pipeline.views.page import page
from pipeline.views.svg import bar_chart, esc, stacked_bars, stacked_columns
from pipeline.views.timeline import TIMELINE_CSS, person_anchor, render_timelines, timeline_filter_css

__all__ = [
    "DEFAULT_PEOPLE",
    "HistoryItem",
    "Person",
    "ReportData",
    "parse_date",
    "render_report",
    "summarize",
]

#: People listed in the dashboard.
DEFAULT_PEOPLE = 15
#: Sources drawn in the by-source chart.
DEFAULT_SOURCES = 15
#: History entries shown per person.
HISTORY_SHOWN = 10
UNKNOWN_SOURCE = "(no source)"
_GRANULARITY_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
_UNIT_RANK = {"day": 0, "month": 2, "year": 3}

_CSS = """
.totals { display: flex; flex-wrap: wrap; gap: 12px; }
.total { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 16px; min-width: 130px; }
.total .n { font-size: 24px; font-weight: 700; }
.total .what { color: var(--muted); font-size: 12px; }
.history { display: flex; flex-wrap: wrap; gap: 4px; }
.hist { border: 1px solid var(--line); border-radius: 4px; padding: 0 5px; font-size: 12px; white-space: nowrap; }
table.people td:first-child { white-space: nowrap; }
.hist.arrest { border-color: #d1495b; } .hist.release { border-color: #2e9e5b; }
.hist .by { color: var(--muted); font-size: 10px; }
"""


def parse_date(value: str | None) -> tuple[dt.date, str] | None:
    """Parse an ISO 8601 value as the records carry it, to (first day, granularity).

    Accepts ``2026``, ``2026-01``, ``2026-01-12``, ``2026-W02`` and datetimes.

    Returns:
        The first day the value covers and its granularity (day, week, month, year), or
        None for a missing or unparsable value.
    """
    if not value:
        return None
    v = value.strip()
    try:
        if len(v) == 4 and v.isdigit():
            return dt.date(int(v), 1, 1), "year"
        if len(v) == 7 and v[4] == "-" and v[5:].isdigit():
            return dt.date(int(v[:4]), int(v[5:]), 1), "month"
        if len(v) == 8 and v[4:6] == "-W":
            return dt.date.fromisocalendar(int(v[:4]), int(v[6:]), 1), "week"
        return dt.date.fromisoformat(v[:10]), "day"
    except ValueError:
        return None


@dataclass(frozen=True)
class HistoryItem:
    """One arrest or release of a person: when, what, how sure, where reported."""

    date: str
    dated_by: str
    type: str
    modality: str
    source: str
    title: str


@dataclass
class Person:
    """A person named in the documents or events."""

    name: str
    mentions: int = 0
    documents: set[str] = field(default_factory=set)
    history: list[HistoryItem] = field(default_factory=list)


@dataclass
class ReportData:
    """The counters behind the dashboard."""

    events: int = 0
    documents: int | None = None
    #: Rejected inputs, not counting duplicates (None: no rejects file read).
    rejections: int | None = None
    #: Inputs that repeated an earlier text: processed once, listed in the rejects file.
    duplicates: int | None = None
    by_type: Counter[str] = field(default_factory=Counter)
    by_modality: Counter[str] = field(default_factory=Counter)
    #: (ISO value, granularity, type) -> events, by normalized event time.
    by_event_date: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    #: (ISO date, type) -> events, by publication date.
    by_published: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    undated_events: int = 0
    unpublished_events: int = 0
    by_source: dict[str, Counter[str]] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    rejects_by_reason: Counter[str] = field(default_factory=Counter)
    rejects_by_stage: Counter[str] = field(default_factory=Counter)


def _person_name(event: EventRecord, persons: set[str]) -> list[str]:
    names = []
    for arg in event.arguments:
        if arg.role != "person":
            continue
        name = arg.entity_name or arg.text
        if arg.entity_type == "PERSON" or name in persons:
            names.append(name)
    return names


def summarize(
    events: Iterable[EventRecord],
    documents: Iterable[DocumentRecord] | None = None,
    rejections: Iterable[Rejection] | None = None,
) -> ReportData:
    """Fold events, documents and rejections into the dashboard's counters.

    Args:
        events: event records (one pass).
        documents: document records, for entity mention counts; None when not available.
        rejections: rejection records (duplicates among them are counted apart); None when
            not available.

    Returns:
        The counters.
    """
    data = ReportData()
    if documents is not None:
        data.documents = 0
        for document in documents:
            data.documents += 1
            for entity in document.entities:
                if entity.label != "PERSON":
                    continue
                person = data.people.setdefault(entity.name, Person(entity.name))
                person.mentions += len(entity.mentions)
                person.documents.add(document.id)
    from_documents = documents is not None
    for event in events:
        data.events += 1
        data.by_type[event.type] += 1
        data.by_modality[event.modality] += 1
        prov = event.provenance
        parsed = parse_date(event.time.value) if event.time is not None else None
        if parsed is None:
            data.undated_events += 1
        else:
            data.by_event_date[(parsed[0].isoformat(), parsed[1], event.type)] += 1
        published = parse_date(prov.published)
        if published is None:
            data.unpublished_events += 1
        else:
            data.by_published[(published[0].isoformat(), published[1], event.type)] += 1
        data.by_source.setdefault(prov.source or UNKNOWN_SOURCE, Counter())[event.type] += 1
        if not from_documents:
            for arg in event.arguments:
                if arg.entity_type == "PERSON":
                    name = arg.entity_name or arg.text
                    person = data.people.setdefault(name, Person(name))
                    person.mentions += 1
                    person.documents.add(prov.doc_id)
        if event.type in ("arrest", "release"):
            for name in _person_name(event, set(data.people)):
                person = data.people.setdefault(name, Person(name))
                if event.time is not None and event.time.value:
                    date, dated_by = event.time.value, "event"
                else:
                    date, dated_by = prov.published or "?", "published"
                source = next((a.entity_name or a.text for a in event.arguments if a.role == "source"), None)
                person.history.append(
                    HistoryItem(
                        date=date,
                        dated_by=dated_by,
                        type=event.type,
                        modality=event.modality,
                        source=source or prov.source or UNKNOWN_SOURCE,
                        title=prov.title or prov.doc_id,
                    )
                )
    if rejections is not None:
        data.rejections = data.duplicates = 0
        for rejection in rejections:
            if rejection.reason == DUPLICATE_REASON:
                data.duplicates += 1
                continue
            data.rejections += 1
            data.rejects_by_reason[rejection.reason] += 1
            data.rejects_by_stage[rejection.stage] += 1
    return data


# --------------------------------------------------------------------------- time axis


def _unit(dates: Sequence[dt.date]) -> str:
    span = (max(dates) - min(dates)).days
    if span <= 92:
        return "day"
    if span <= 366 * 4:
        return "month"
    return "year"


def _bucket(day: dt.date, unit: str) -> str:
    if unit == "day":
        return day.isoformat()
    if unit == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}"


def _axis(first: dt.date, last: dt.date, unit: str) -> list[str]:
    out: list[str] = []
    cur = first
    while cur <= last:
        out.append(_bucket(cur, unit))
        if unit == "day":
            cur += dt.timedelta(days=1)
        elif unit == "month":
            cur = dt.date(cur.year + cur.month // 12, cur.month % 12 + 1, 1)
        else:
            cur = dt.date(cur.year + 1, 1, 1)
    return out


#: Share of the events at each end of the date range that decides where the axis may stop.
OUTLIER_QUANTILE = 0.02


def robust_range(counter: Counter[tuple[str, str, str]]) -> tuple[dt.date, dt.date] | None:
    """The dates an axis shows: the bulk of the events, leaving out the few far from all others.

    From the 2nd to the 98th percentile of the dates (weighted by events), widened on each
    side by half that range and a month: a wrong year ("1900", a date of 2087) no longer
    squeezes years of news into a few pixels.

    Returns:
        The first and last date to show, or None when there is nothing to show.
    """
    if not counter:
        return None
    weighted = sorted((dt.date.fromisoformat(d).toordinal(), n) for (d, _, _), n in counter.items())
    total = sum(n for _, n in weighted)

    def quantile(q: float) -> int:
        seen = 0
        for day, n in weighted:
            seen += n
            if seen >= q * total:
                return day
        return weighted[-1][0]

    lo, hi = quantile(OUTLIER_QUANTILE), quantile(1 - OUTLIER_QUANTILE)
    pad = (hi - lo) // 2 + 31
    return dt.date.fromordinal(max(1, lo - pad)), dt.date.fromordinal(hi + pad)


def time_series(
    counter: Counter[tuple[str, str, str]],
) -> tuple[list[str], dict[str, list[int]], int, str, int]:
    """Turn (date, granularity, type) counts into a continuous axis of buckets per type.

    The axis covers :func:`robust_range`; the bucket size (day, month or year) follows it.
    Values coarser than the bucket (a month-level date on a day axis) and dates outside
    the range are not drawn, only counted.

    Returns:
        Bucket labels, counts per event type per bucket, the number of values too coarse
        to draw, the bucket unit, and the number of values outside the range.
    """
    bounds = robust_range(counter)
    if bounds is None:
        return [], {}, 0, "day", 0
    inside = Counter({k: n for k, n in counter.items() if bounds[0] <= dt.date.fromisoformat(k[0]) <= bounds[1]})
    outliers = sum(counter.values()) - sum(inside.values())
    counter = inside
    days = [dt.date.fromisoformat(d) for d, _, _ in counter]
    unit = _unit(days)
    fine = {k: n for k, n in counter.items() if _GRANULARITY_RANK[k[1]] <= _UNIT_RANK[unit]}
    coarse = sum(counter.values()) - sum(fine.values())
    if not fine:
        return [], {}, coarse, unit, outliers
    drawn = [dt.date.fromisoformat(d) for d, _, _ in fine]
    axis = _axis(min(drawn), max(drawn), unit)
    position = {label: i for i, label in enumerate(axis)}
    series: dict[str, list[int]] = {t: [0] * len(axis) for t in EVENT_TYPES}
    for (day, _, event_type), n in fine.items():
        series.setdefault(event_type, [0] * len(axis))[position[_bucket(dt.date.fromisoformat(day), unit)]] += n
    return axis, series, coarse, unit, outliers


# --------------------------------------------------------------------------- rendering


def _total(n: int | None, what: str) -> str:
    shown = "–" if n is None else f"{n:,}"
    return f'<div class="total"><div class="n">{esc(shown)}</div><div class="what">{esc(what)}</div></div>'


def _timeline(counter: Counter[tuple[str, str, str]], title: str, missing: int, missing_what: str) -> str:
    axis, series, coarse, unit, outliers = time_series(counter)
    notes = []
    if missing:
        notes.append(f"{missing:,} events {missing_what}")
    if coarse:
        notes.append(f"{coarse:,} events dated only to a {'week, month or year' if unit == 'day' else 'year'}")
    if outliers:
        notes.append(f"{outliers:,} events dated far from all others (a wrong year?), left off the axis")
    note = f'<p class="muted">Per {esc(unit)}. Not drawn: {esc("; ".join(notes))}.</p>' if notes else ""
    chart = stacked_columns(axis, series, title=title, css_class=f"chart column-chart {title.split()[0].lower()}")
    return f"<h3>{esc(title)}</h3>{chart}{note}"


def _people_table(data: ReportData, limit: int, timelines: Sequence[PersonTimeline] | None) -> str:
    if timelines is None:
        return _mention_people_table(data, limit)
    shown = list(timelines[:limit])
    known = {t.name for t in shown}
    # People the articles name often but who are in no arrest or release: after them.
    rest = sorted(
        (p for p in data.people.values() if p.name not in known), key=lambda p: (-p.mentions, -len(p.documents), p.name)
    )[: max(0, limit - len(shown))]
    if not shown and not rest:
        return '<p class="empty">No people found (documents carry PERSON entities; pass --documents).</p>'
    rows = []
    for t in shown:
        person = data.people.get(t.name)
        counts = Counter(c.type for c in t.changes)
        chips = "".join(
            f'<span class="hist {esc(c.type)}" title="{esc(len(c.documents))} articles · '
            f'{esc("; ".join(c.sources) or "unattributed")}">{esc(c.date or "undated")} '
            f'<span class="by">{"event date" if c.dated_by == "event" else "first reported"}</span> {esc(c.type)}'
            f"{'' if c.modality == 'asserted' else ' (' + esc(c.modality) + ')'}</span>"
            for c in t.changes[:HISTORY_SHOWN]
        )
        hidden = len(t.changes) - HISTORY_SHOWN
        more = f' <span class="muted">+{hidden} more</span>' if hidden > 0 else ""
        since = f" since {esc(t.status_since)}" if t.status_since else ""
        rows.append(
            f'<tr><td><a href="#{person_anchor(t.person_key)}">{esc(t.name)}</a></td>'
            f'<td><span class="status {esc(t.status)}">{esc(t.status)}</span>{since}'
            f'<div class="muted">as of {esc(t.as_of or "?")}</div></td>'
            f"<td class='num'>{person.mentions if person else 0:,}</td>"
            f"<td class='num'>{len(person.documents) if person else 0:,}</td><td class='num'>{counts['arrest']}</td>"
            f"<td class='num'>{counts['release']}</td><td><div class='history'>{chips}{more}</div></td></tr>"
        )
    for person in rest:
        rows.append(
            f"<tr><td>{esc(person.name)}</td><td class='muted'>no arrest or release</td>"
            f"<td class='num'>{person.mentions:,}</td><td class='num'>{len(person.documents):,}</td>"
            "<td class='num'>0</td><td class='num'>0</td><td></td></tr>"
        )
    return (
        '<table class="people"><thead><tr><th>person</th><th>status (latest report)</th><th class="num">mentions</th>'
        '<th class="num">documents</th><th class="num">arrests</th><th class="num">releases</th>'
        "<th>events (one per real-world event, however many articles)</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _mention_people_table(data: ReportData, limit: int) -> str:
    people = sorted(data.people.values(), key=lambda p: (-p.mentions, -len(p.history), p.name))[:limit]
    if not people:
        return '<p class="empty">No people found (documents carry PERSON entities; pass --documents).</p>'
    rows = []
    for person in people:
        history = sorted(person.history, key=lambda h: h.date)
        counts = Counter(h.type for h in history)
        chips = "".join(
            f'<span class="hist {esc(h.type)}" title="{esc(h.title)} · {esc(h.source)} · dated by {esc(h.dated_by)}">'
            f"{esc(h.date)} {esc(h.type)}{'' if h.modality == 'asserted' else ' (' + esc(h.modality) + ')'}</span>"
            for h in history[:HISTORY_SHOWN]
        )
        hidden = len(history) - HISTORY_SHOWN
        more = f' <span class="muted">+{hidden} more</span>' if hidden > 0 else ""
        rows.append(
            f"<tr><td>{esc(person.name)}</td><td class='num'>{person.mentions:,}</td>"
            f"<td class='num'>{len(person.documents):,}</td><td class='num'>{counts['arrest']}</td>"
            f"<td class='num'>{counts['release']}</td><td><div class='history'>{chips}{more}</div></td></tr>"
        )
    return (
        '<table class="people"><thead><tr><th>person</th><th class="num">mentions</th><th class="num">documents</th>'
        '<th class="num">arrests</th><th class="num">releases</th><th>history (date, type)</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def render_report(
    data: ReportData,
    *,
    title: str = "newsevents run report",
    people: int = DEFAULT_PEOPLE,
    timelines: Sequence[PersonTimeline] | None = None,
    linked: Sequence[LinkedEvent] | None = None,
) -> str:
    """Render the dashboard as a self-contained HTML page.

    Args:
        data: the counters from :func:`summarize`.
        title: the page title.
        people: how many people to list.
        timelines: the person timelines (:mod:`pipeline.events.timelines`): the people table
            counts each real-world arrest or release once and links to them; None lists the
            most-mentioned people with each mention of an arrest or release.
        linked: the real-world events, for the filterable events table.

    Returns:
        The HTML document.
    """
    totals = "".join(
        [
            _total(data.documents, "documents"),
            _total(data.events, "events"),
            *(_total(data.by_type.get(t, 0), f"{t} events") for t in EVENT_TYPES),
            _total(len(data.by_source), "sources"),
            _total(data.rejections, "rejected inputs"),
            _total(data.duplicates, "duplicates (processed once)"),
        ]
    )
    sources = sorted(data.by_source.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))[:DEFAULT_SOURCES]
    source_series: dict[str, list[int]] = {t: [counts.get(t, 0) for _, counts in sources] for t in EVENT_TYPES}
    source_note = (
        f'<p class="muted">Top {DEFAULT_SOURCES} of {len(data.by_source)} sources.</p>'
        if len(data.by_source) > DEFAULT_SOURCES
        else ""
    )
    modality = bar_chart(
        sorted(data.by_modality.items(), key=lambda kv: -kv[1]), title="Events by modality", color="#8e6c8a"
    )
    if data.rejections is None:
        rejects = (
            '<p class="empty">No rejects file read: pass --rejects (a JSONL run removes its rejects file '
            "when it stayed empty).</p>"
        )
    elif not data.rejections:
        rejects = "<p>No input was rejected.</p>"
    else:
        rejects = bar_chart(
            sorted(data.rejects_by_reason.items(), key=lambda kv: (-kv[1], kv[0])),
            title="Rejected inputs by reason",
            color="#e59f3c",
            css_class="chart bar-chart rejects",
        )
    events_section, filter_css = "", ""
    if linked is not None:
        table, filter_css = render_events_table(linked)
        events_section = (
            f'<section class="events-section"><h2>Events (one row per real-world event)</h2>{table}</section>'
        )
    timelines_section = ""
    if timelines is not None:
        timelines_section = (
            f'<section class="timelines"><h2>Timelines</h2>{render_timelines(timelines[:people])}</section>'
        )
        filter_css += "\n" + TIMELINE_CSS + timeline_filter_css()
    body = f"""
<section class="summary"><h2>Run summary</h2><div class="totals">{totals}</div></section>
<section class="over-time"><h2>Events per type over time</h2>
{
        _timeline(
            data.by_event_date,
            "Event date: when it happened (the time the article gives it)",
            data.undated_events,
            "whose article gives no time",
        )
    }
{
        _timeline(
            data.by_published,
            "Publication date: when the article reporting it was published",
            data.unpublished_events,
            "in articles without a publication date",
        )
    }
</section>
<div class="grid2">
<section class="by-source"><h2>Events by source</h2>
{stacked_bars([s for s, _ in sources], source_series, title="Events by source and type")}{source_note}</section>
<section class="by-modality"><h2>Events by modality</h2>{modality}</section>
</div>
<section class="people-section"><h2>People, with their arrests and releases</h2>
{_people_table(data, people, timelines)}</section>
{events_section}
<section class="rejects-section"><h2>Rejected inputs</h2>{rejects}</section>
{timelines_section}
"""
    css = _CSS + filter_css
    return page(title, body, subtitle="events per type, source and person; rejections by reason", css=css)
