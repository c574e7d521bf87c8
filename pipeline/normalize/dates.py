"""Time expressions -> ISO 8601 values, anchored on the publication date.

dateparser does the parsing; a few rules that news needs and dateparser does not do are
handled first: weekday names (most recent such day on or before publication, unless the
tense is future), "last/this/next week" as ISO weeks, durations that give the start of a
range ("for the past eight months"), and "recent hours". Nothing is ever resolved
against the clock or file times: without a publication date, only absolute expressions
(with a year) get a value.

Some expressions count from the date the story is at, not from publication ("the same
day", "the day before", "the next year", "two days later"): :func:`resolve_against`
resolves them against such a reference value, which the discourse stage
(:mod:`pipeline.normalize.timeline`) supplies.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.normalize.counts import parse_number

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
_YEAR_RE = re.compile(r"\b(1[5-9]\d\d|20\d\d|21\d\d)\b")
_REL_UNIT_RE = re.compile(
    r"^(?:for |over |in |during |within )?(?:the )?(?:past|last|previous) "
    r"(?P<n>[\w-]+ )?(?P<unit>day|week|month|year)s?$",
    re.IGNORECASE,
)
#: "this month", "earlier this year" (position words are stripped first), "next year".
_THIS_NEXT_RE = re.compile(r"^(?P<which>this|current|next|coming) (?P<unit>month|year)$", re.IGNORECASE)
_RELATIVE_WEEK_RE = re.compile(r"^(?P<which>last|this|next|past|previous|coming) week(?:end)?$", re.IGNORECASE)
_TODAY_RE = re.compile(
    r"^(today|tonight|this (morning|afternoon|evening)|(in )?recent hours|earlier today|hours earlier)$", re.I
)
_SKIP_RE = re.compile(
    r"^([\w.]+-(?:year|month|week|day|hour)s?(?:-long|-old)?|\d+[- ]year[- ]old|"
    r"\d+ (a\.?m\.?|p\.?m\.?)|\d{1,2}:\d\d.*|(at )?(noon|midnight|dawn|dusk))$",
    re.I,
)
_DECADE_RE = re.compile(r"\b(1[5-9]\d0|20[0-9]0)s\b")
_MONTHS = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
_MONTH_RE = re.compile(
    r"^(?:(?P<which>last|this|next|past|previous|coming)\s+)?(?P<month>" + "|".join(_MONTHS) + r")$", re.IGNORECASE
)
#: A bare duration ("four months", "three years") is no point in time.
_DURATION_RE = re.compile(r"^(?:a|an|[\w-]+|\d+)\s+(?:day|week|month|year|hour|minute)s?$", re.IGNORECASE)
#: Vague position words that do not change the resolved period.
_POSITION_RE = re.compile(r"^(?:earlier|later|early|late|mid|(?:the )?(?:end|start|beginning|middle) of)\s+", re.I)


@dataclass(frozen=True)
class ResolvedTime:
    """A resolved time value: ISO 8601 string, granularity and what it was anchored on."""

    value: str | None
    granularity: str | None
    anchor: str | None


UNRESOLVED = ResolvedTime(None, None, None)


def parse_published(published: str | None) -> dt.date | None:
    """Return the date part of an ISO publication date or datetime, or None."""
    if not published:
        return None
    try:
        if len(published) == 10:
            return dt.date.fromisoformat(published)
        return dt.datetime.fromisoformat(published.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _shift_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + (day.month - 1) + months
    return dt.date(total // 12, total % 12 + 1, 1)


@lru_cache(maxsize=4)
def _parser(base: dt.date | None, future: bool) -> Any:
    from dateparser.date import DateDataParser

    settings: dict[str, Any] = {
        "PREFER_DATES_FROM": "future" if future else "past",
        "RETURN_TIME_AS_PERIOD": True,
        "PREFER_DAY_OF_MONTH": "first",
    }
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day, 12, 0)
    return DateDataParser(languages=["en"], settings=settings)


#: A clock time ("1600 GMT", "10:30 a.m. EST", "0800 local time"): never a year, and no date by itself.
_CLOCK_RE = re.compile(
    r"\b(?:at\s+)?(?:\d{1,2}[:.]\d{2}|\d{4})\s*(?:[ap]\.?m\.?)?\s*"
    r"(?:GMT|UTC|[ECMP][SD]?T|BST|CES?T|JST|HKT|SGT|IST|local time|hours|hrs)\b"
    r"|\b(?:at\s+)?\d{1,2}(?:[:.]\d{2})?\s*[ap]\.m\.(?=\s|$|,)",
    re.IGNORECASE,
)


def _clean(text: str) -> str:
    out = _CLOCK_RE.sub(" ", text).strip().strip(".,;:()\"'“”‘’").strip()
    out = re.sub(r"^(on|in|at|since|from|by|during|as of|until|till|before|after|around|about)\s+", "", out, flags=re.I)
    out = re.sub(r"\s+", " ", out)
    out = re.sub(r"^the\s+(?!same\b|next\b|following\b|previous\b|day\b|week\b|month\b|year\b)", "", out, flags=re.I)
    out = _POSITION_RE.sub("", out)
    out = re.sub(r"^(on|in|at)\s+", "", out, flags=re.I)
    # "November and December", "Monday to Wednesday": the first point starts the range
    out = re.split(r"\s+(?:and|to|or|through|until|[-–])\s+", out, maxsplit=1)[0]
    return out


def resolve_time(text: str, published: str | None, future: bool = False) -> ResolvedTime:
    """Resolve a time expression against the publication date (memoized: a pure function).

    Args:
        text: the time expression as it appears ("in May", "on Thursday", "last week").
        published: ISO publication date or datetime of the article, or None.
        future: True when the event is in the future tense (weekday names then look ahead).

    Returns:
        The ISO 8601 value with granularity and anchor, or an unresolved value.
    """
    return _resolve_time(text, published, future)


#: Distinct (expression, publication date, tense) resolutions kept: dateparser is the
#: normalization stage's main cost, and an article repeats its dates ("Monday", "2008").
RESOLVE_CACHE_SIZE = 8192


@lru_cache(maxsize=RESOLVE_CACHE_SIZE)
def _resolve_time(text: str, published: str | None, future: bool) -> ResolvedTime:
    base = parse_published(published)
    anchor = f"published:{base.isoformat()}" if base else None
    raw = text.strip()
    cleaned = _clean(raw)
    if not cleaned or len(cleaned) > 80 or _SKIP_RE.match(cleaned):
        return UNRESOLVED
    if _DECADE_RE.search(cleaned):
        return UNRESOLVED
    has_year = bool(_YEAR_RE.search(cleaned))

    if base is not None:
        rel = _relative(cleaned, base, future)
        if rel is not None:
            return ResolvedTime(rel[0], rel[1], anchor)
    elif not has_year:
        return UNRESOLVED
    if _DURATION_RE.match(cleaned):
        return UNRESOLVED

    if re.fullmatch(r"1[5-9]\d\d|20\d\d|21\d\d", cleaned):
        return ResolvedTime(cleaned, "year", "absolute")

    data = _parser(base, future).get_date_data(cleaned)
    if data is None or data.date_obj is None:
        return UNRESOLVED
    day = data.date_obj.date()
    period = data.period
    if period in ("time", "part_of_day"):
        period = "day"
    value = {
        "day": day.isoformat(),
        "week": _iso_week(day),
        "month": f"{day.year:04d}-{day.month:02d}",
        "year": f"{day.year:04d}",
    }.get(period or "day")
    if value is None:
        return UNRESOLVED
    return ResolvedTime(value, period, "absolute" if has_year else anchor)


def _relative(cleaned: str, base: dt.date, future: bool) -> tuple[str, str] | None:
    """Rules for expressions dateparser resolves differently from news usage."""
    low = cleaned.lower()
    if _TODAY_RE.match(low):
        return base.isoformat(), "day"
    m = _THIS_NEXT_RE.match(low)
    if m:
        shift = {"this": 0, "current": 0, "next": 1, "coming": 1}[m.group("which")]
        if m.group("unit") == "year":
            return f"{base.year + shift:04d}", "year"
        moved = _shift_months(base, shift)
        return f"{moved.year:04d}-{moved.month:02d}", "month"
    m = _RELATIVE_WEEK_RE.match(low)
    if m:
        shift = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}[m.group("which")]
        return _iso_week(base + dt.timedelta(weeks=shift)), "week"
    m = _REL_UNIT_RE.match(low)
    if m:
        n_text = (m.group("n") or "one").strip()
        parsed = parse_number(n_text)
        n = int(parsed[0]) if parsed is not None else None
        if n is None:
            return None
        unit = m.group("unit")
        if unit == "day":
            return (base - dt.timedelta(days=n)).isoformat(), "day"
        if unit == "week":
            return _iso_week(base - dt.timedelta(weeks=n)), "week"
        if unit == "month":
            start = _shift_months(base, -n)
            return f"{start.year:04d}-{start.month:02d}", "month"
        return f"{base.year - n:04d}", "year"
    m = _MONTH_RE.match(low)
    if m:
        month = _MONTHS.index(m.group("month").lower()) + 1
        which = m.group("which") or ""
        year = base.year
        if which in ("next", "coming") or (future and which != "last"):
            year += month < base.month
        elif which in ("last", "past", "previous"):
            year -= month >= base.month
        elif which != "this":
            year -= month > base.month
        return f"{year:04d}-{month:02d}", "month"
    wd = _WEEKDAY_RE.search(low)
    if wd and not _YEAR_RE.search(low) and not re.search(r"\d", low):
        target = _WEEKDAYS.index(wd.group(1).lower())
        if re.search(r"\bnext\b", low) or future:
            delta = (target - base.weekday()) % 7
            if delta == 0 and re.search(r"\bnext\b", low):
                delta = 7
            return (base + dt.timedelta(days=delta)).isoformat(), "day"
        delta = (base.weekday() - target) % 7
        if re.search(r"\blast\b", low) and delta == 0:
            delta = 7
        return (base - dt.timedelta(days=delta)).isoformat(), "day"
    return None


_UNITS = {"day": 1, "week": 7, "month": 0, "year": 0}
_NARRATIVE_RE = re.compile(
    r"^(?:(?P<same>the same|that|that same|this same) (?P<unit1>day|week|month|year)"
    r"|(?:the )?(?P<dir1>next|following|previous|preceding|prior) (?P<unit2>day|week|month|year)"
    r"|the (?P<unit3>day|week|month|year) (?P<dir2>before|after)"
    r"|(?P<n>[\w-]+) (?P<unit4>day|week|month|year)s? (?P<dir3>later|earlier|before|after))$",
    re.IGNORECASE,
)


def counts_from_narrative(text: str) -> bool:
    """True for expressions that count from the story's current date ("on the same day")."""
    return _NARRATIVE_RE.match(_clean(text).lower()) is not None


def _granularity_of(value: str) -> str:
    if re.fullmatch(r"\d{4}", value):
        return "year"
    if re.fullmatch(r"\d{4}-W\d{2}", value):
        return "week"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return "month"
    return "day"


def resolve_against(text: str, ref_value: str) -> ResolvedTime | None:
    """Resolve an expression that counts from the story's current date ("the day before").

    Args:
        text: the time expression.
        ref_value: the ISO value of the date the narrative is at.

    Returns:
        The resolved value (anchored on ``narrative:REF``), or None when the expression is
        not of this kind or the reference is too coarse ("the day before" a month).
    """
    m = _NARRATIVE_RE.match(_clean(text).lower())
    if m is None:
        return None
    unit = next(m.group(k) for k in ("unit1", "unit2", "unit3", "unit4") if m.group(k)).lower()
    if m.group("same"):
        shift = 0
    elif m.group("n"):
        parsed = parse_number(m.group("n"))
        if parsed is None:
            return None
        shift = int(parsed[0]) * (1 if m.group("dir3").lower() in ("later", "after") else -1)
    else:
        direction = (m.group("dir1") or m.group("dir2")).lower()
        shift = 1 if direction in ("next", "following", "after") else -1
    ref_gran = _granularity_of(ref_value)
    order = ["year", "month", "week", "day"]
    if order.index(ref_gran) < order.index(unit) and not (unit == "week" and ref_gran == "day"):
        return None  # "the day before" a month: no day can be told
    anchor = f"narrative:{ref_value}"
    if unit == "year":
        return ResolvedTime(f"{int(ref_value[:4]) + shift:04d}", "year", anchor)
    if ref_gran == "week":
        year, week = int(ref_value[:4]), int(ref_value[6:])
        day = dt.date.fromisocalendar(year, week, 1)
    elif ref_gran == "day":
        day = dt.date.fromisoformat(ref_value)
    else:
        day = dt.date(int(ref_value[:4]), int(ref_value[5:7]), 1)
    if unit == "month":  # of a week: the month its Monday is in
        moved = _shift_months(day.replace(day=1), shift)
        return ResolvedTime(f"{moved.year:04d}-{moved.month:02d}", "month", anchor)
    if unit == "week":
        return ResolvedTime(_iso_week(day + dt.timedelta(weeks=shift)), "week", anchor)
    return ResolvedTime((day + dt.timedelta(days=shift)).isoformat(), "day", anchor)
