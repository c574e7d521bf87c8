"""Time values as day ranges: "2025-05" is May 1 to May 31, "2026-W02" a Monday to a Sunday.

Event times are ISO 8601 values of different granularities; comparing them means
comparing the ranges of days they cover. Days are proleptic ordinals (``date.toordinal``),
integers that databases can subtract portably.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["GRANULARITY_RANK", "DaySpan", "day_span", "published_day"]

#: Finer first: a day is more specific than a week, a week than a month, a month than a year.
GRANULARITY_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


@dataclass(frozen=True)
class DaySpan:
    """The days an ISO value covers, as ordinals, with its granularity."""

    first: int
    last: int
    granularity: str

    def overlaps(self, other: DaySpan, tolerance: int = 0) -> bool:
        """True when the two spans share a day, or come within ``tolerance`` days of each other."""
        return self.first <= other.last + tolerance and other.first <= self.last + tolerance

    def contains(self, other: DaySpan) -> bool:
        """True when every day of ``other`` is in this span."""
        return self.first <= other.first and other.last <= self.last

    @property
    def rank(self) -> int:
        """How coarse the span is (0: a day, 3: a year)."""
        return GRANULARITY_RANK.get(self.granularity, 3)

    def iso_first(self) -> str:
        """The first day as ISO 8601."""
        return dt.date.fromordinal(self.first).isoformat()


def day_span(value: str | None) -> DaySpan | None:
    """Parse an ISO 8601 value (``2026``, ``2026-01``, ``2026-W02``, ``2026-01-12``, a datetime).

    Returns:
        The days it covers, or None for a missing or unparsable value.
    """
    if not value:
        return None
    v = value.strip()
    try:
        if len(v) == 4 and v.isdigit():
            return DaySpan(dt.date(int(v), 1, 1).toordinal(), dt.date(int(v), 12, 31).toordinal(), "year")
        if len(v) == 7 and v[4] == "-" and v[5:].isdigit():
            year, month = int(v[:4]), int(v[5:])
            first = dt.date(year, month, 1)
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return DaySpan(first.toordinal(), following.toordinal() - 1, "month")
        if len(v) == 8 and v[4:6] == "-W" and v[6:].isdigit():
            monday = dt.date.fromisocalendar(int(v[:4]), int(v[6:]), 1).toordinal()
            return DaySpan(monday, monday + 6, "week")
        day = dt.date.fromisoformat(v[:10]).toordinal()
        return DaySpan(day, day, "day")
    except ValueError:
        return None


def published_day(published: str | None) -> int | None:
    """The day of a publication date or datetime as an ordinal (None when missing or unparsable)."""
    span = day_span(published[:10] if published else None)
    return span.first if span is not None and span.granularity == "day" else None
