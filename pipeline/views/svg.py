"""Small inline-SVG charts written by hand: no plotting library, no scripts, no web fonts.

Every label passes through :func:`esc`, so text from articles can never become markup.
Each chart is a self-contained ``<svg>`` element with a ``<title>`` per mark, which the
browser shows as a tooltip.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence

__all__ = ["TYPE_COLORS", "bar_chart", "esc", "heatmap", "legend", "stacked_bars", "stacked_columns"]

#: One colour per event type, shared by every view.
TYPE_COLORS: dict[str, str] = {"arrest": "#d1495b", "release": "#2e9e5b", "announcement": "#3a6ea5"}
_FALLBACK_COLORS = ("#8e6c8a", "#e59f3c", "#5b8e7d", "#7a7a7a", "#b56576", "#4d908e")
_FONT = 'font-family="system-ui, sans-serif"'


def esc(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute (``&<>"'``)."""
    return html.escape(str(value), quote=True)


def color_for(name: str, index: int = 0) -> str:
    """Return the colour of an event type, or a fallback colour by position."""
    return TYPE_COLORS.get(name, _FALLBACK_COLORS[index % len(_FALLBACK_COLORS)])


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def _nice_max(value: float) -> int:
    """Return a round axis maximum >= value whose quarters are whole numbers."""
    quarter = max(1, math.ceil(value / 4))
    magnitude: int = 10 ** (len(str(quarter)) - 1)
    step = next(s for s in (1, 2, 3, 4, 5, 6, 8, 10) if quarter <= s * magnitude)
    return 4 * step * magnitude


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    color: str = "#3a6ea5",
    width: int = 560,
    label_width: int = 180,
    css_class: str = "chart bar-chart",
) -> str:
    """Render horizontal bars, one per (label, value), largest first as given.

    Args:
        items: the bars in display order.
        title: accessible name of the chart (``aria-label`` and ``<title>``).
        color: bar colour.
        width: total width in pixels.
        label_width: width reserved for the labels on the left.
        css_class: class attribute of the ``<svg>``.

    Returns:
        An ``<svg>`` element; a short note when ``items`` is empty.
    """
    if not items:
        return f'<p class="empty">{esc(title)}: nothing to show.</p>'
    row, pad = 22, 4
    height = len(items) * row + pad * 2
    top = max(v for _, v in items) or 1
    plot = width - label_width - 60
    parts = [
        f'<svg class="{esc(css_class)}" role="img" aria-label="{esc(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" {_FONT} font-size="12">',
        f"<title>{esc(title)}</title>",
    ]
    for i, (label, value) in enumerate(items):
        y = pad + i * row
        w = max(plot * value / top, 1 if value else 0)
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            f'<g class="bar"><title>{esc(label)}: {esc(_fmt(value))}</title>'
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end">{esc(short)}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="{esc(color)}" rx="2"/>'
            f'<text x="{label_width + w + 4:.1f}" y="{y + 15}">{esc(_fmt(value))}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _legend(series: Mapping[str, Sequence[float]], colors: Mapping[str, str], x: int, y: int) -> list[str]:
    """One swatch and name per series, left to right, text baseline at ``y``."""
    parts = []
    for j, name in enumerate(series):
        fill = colors.get(name) or color_for(name, j)
        parts.append(
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{esc(fill)}"/>'
            f'<text x="{x + 14}" y="{y}">{esc(name)}</text>'
        )
        x += 20 + 7 * len(name)
    return parts


def stacked_bars(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    title: str,
    width: int = 620,
    label_width: int = 180,
    colors: Mapping[str, str] | None = None,
    css_class: str = "chart stacked-bars",
) -> str:
    """Render horizontal bars, one per label, stacked by series (e.g. sources by event type).

    Args:
        labels: one bar per label, top to bottom.
        series: per series name, one value per label.
        title: accessible name of the chart.
        width: total width in pixels.
        label_width: width reserved for the labels on the left.
        colors: colour per series name (default :data:`TYPE_COLORS`).
        css_class: class attribute of the ``<svg>``.

    Returns:
        An ``<svg>`` element with a legend; a note when there is no data.
    """
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    if not labels or not any(totals):
        return f'<p class="empty">{esc(title)}: nothing to show.</p>'
    colors = colors or {}
    row, pad, legend_h = 22, 4, 22
    height = len(labels) * row + pad * 2 + legend_h
    top = max(totals)
    plot = width - label_width - 60
    parts = [
        f'<svg class="{esc(css_class)}" role="img" aria-label="{esc(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" {_FONT} font-size="12">',
        f"<title>{esc(title)}</title>",
    ]
    for i, label in enumerate(labels):
        y = pad + i * row
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            f'<g class="bar"><title>{esc(label)}: {esc(_fmt(totals[i]))}</title>'
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end">{esc(short)}</text></g>'
        )
        x = float(label_width)
        for j, (name, values) in enumerate(series.items()):
            if not values[i]:
                continue
            w = max(plot * values[i] / top, 1)
            fill = colors.get(name) or color_for(name, j)
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="{esc(fill)}">'
                f"<title>{esc(label)} {esc(name)}: {esc(_fmt(values[i]))}</title></rect>"
            )
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 15}">{esc(_fmt(totals[i]))}</text>')
    parts += _legend(series, colors, label_width, height - 8)
    parts.append("</svg>")
    return "".join(parts)


def stacked_columns(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    title: str,
    width: int = 760,
    height: int = 240,
    colors: Mapping[str, str] | None = None,
    css_class: str = "chart column-chart",
) -> str:
    """Render vertical columns, one per category, stacked by series (e.g. months by event type).

    Args:
        categories: x-axis labels in order (e.g. ``2026-01``).
        series: per series name, one value per category.
        title: accessible name of the chart.
        width: total width in pixels.
        height: total height in pixels.
        colors: colour per series name (default :data:`TYPE_COLORS`).
        css_class: class attribute of the ``<svg>``.

    Returns:
        An ``<svg>`` element with axis, ticks and a legend; a note when there is no data.
    """
    totals = [sum(values[i] for values in series.values()) for i in range(len(categories))]
    if not categories or not any(totals):
        return f'<p class="empty">{esc(title)}: nothing to show.</p>'
    colors = colors or {}
    left, right, top_pad, bottom = 44, 10, 26, 46
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    top = _nice_max(max(totals))
    slot = plot_w / len(categories)
    bar_w = max(min(slot * 0.8, 40), 1)
    parts = [
        f'<svg class="{esc(css_class)}" role="img" aria-label="{esc(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" {_FONT} font-size="11">',
        f"<title>{esc(title)}</title>",
    ]
    for k in range(5):
        value = top * k / 4
        y = top_pad + plot_h - plot_h * k / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{esc(_fmt(value))}</text>'
        )
    every = max(1, int(len(categories) / (plot_w / 56)) + 1)
    for i, category in enumerate(categories):
        x = left + i * slot + (slot - bar_w) / 2
        y = top_pad + plot_h
        for j, (name, values) in enumerate(series.items()):
            value = values[i]
            if not value:
                continue
            h = plot_h * value / top
            y -= h
            fill = colors.get(name) or color_for(name, j)
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{esc(fill)}">'
                f"<title>{esc(category)} {esc(name)}: {esc(_fmt(value))}</title></rect>"
            )
        if i % every == 0:
            cx = left + i * slot + slot / 2
            parts.append(
                f'<text x="{cx:.1f}" y="{top_pad + plot_h + 14}" text-anchor="middle" fill="#333">'
                f"{esc(category)}</text>"
            )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top_pad + plot_h}" y2="{top_pad + plot_h}" stroke="#888"/>'
    )
    parts += _legend(series, colors, left, height - 7)
    parts.append("</svg>")
    return "".join(parts)


def heatmap(
    rows: Sequence[str],
    cols: Sequence[str],
    values: Mapping[tuple[str, str], int],
    *,
    title: str,
    row_title: str = "gold",
    col_title: str = "predicted",
    cell: int = 92,
    css_class: str = "chart heatmap",
) -> str:
    """Render a matrix of counts as coloured cells (a confusion matrix).

    Args:
        rows: row labels (top to bottom).
        cols: column labels (left to right).
        values: count per (row, column); missing cells are 0.
        title: accessible name of the chart.
        row_title: axis name of the rows.
        col_title: axis name of the columns.
        cell: cell size in pixels.
        css_class: class attribute of the ``<svg>``.

    Returns:
        An ``<svg>`` element; diagonal cells are green, others red, darker for larger counts.
    """
    if not rows or not cols:
        return f'<p class="empty">{esc(title)}: nothing to show.</p>'
    left, top_pad = 120, 54
    width, height = left + cell * len(cols) + 10, top_pad + cell * len(rows) + 10
    peak = max(values.values(), default=0) or 1
    parts = [
        f'<svg class="{esc(css_class)}" role="img" aria-label="{esc(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" {_FONT} font-size="12">',
        f"<title>{esc(title)}</title>",
        f'<text x="{left + cell * len(cols) / 2:.0f}" y="14" text-anchor="middle" font-weight="bold">'
        f"{esc(col_title)} →</text>",
        f'<text x="8" y="{top_pad - 8}" font-weight="bold">{esc(row_title)} ↓</text>',
    ]
    for j, col in enumerate(cols):
        parts.append(
            f'<text x="{left + j * cell + cell / 2:.0f}" y="{top_pad - 8}" text-anchor="middle">{esc(col)}</text>'
        )
    for i, row in enumerate(rows):
        y = top_pad + i * cell
        parts.append(f'<text x="{left - 8}" y="{y + cell / 2 + 4:.0f}" text-anchor="end">{esc(row)}</text>')
        for j, col in enumerate(cols):
            n = values.get((row, col), 0)
            alpha = 0.08 + 0.82 * n / peak if n else 0.0
            base = "46,158,91" if row == col else "209,73,91"
            fill = f"rgba({base},{alpha:.2f})" if n else "#f6f6f6"
            ink = "#fff" if alpha > 0.55 else "#222"
            x = left + j * cell
            parts.append(
                f'<g class="cell"><title>{esc(row_title)} {esc(row)}, {esc(col_title)} {esc(col)}: {n}</title>'
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{fill}" rx="3"/>'
                f'<text x="{x + cell / 2 - 1:.0f}" y="{y + cell / 2 + 4:.0f}" text-anchor="middle" fill="{ink}">'
                f"{n}</text></g>"
            )
    parts.append("</svg>")
    return "".join(parts)


def legend(items: Mapping[str, str]) -> str:
    """Render an HTML legend: a coloured swatch and a label per item."""
    chips = "".join(
        f'<span class="legend-item"><span class="swatch" style="background:{esc(color)}"></span>{esc(label)}</span>'
        for label, color in items.items()
    )
    return f'<div class="legend">{chips}</div>'
