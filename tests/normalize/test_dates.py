"""Time normalization against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.normalize.dates import parse_published, resolve_against, resolve_time

PUB = "2026-01-12"  # a Monday


@pytest.mark.parametrize(
    ("text", "value", "granularity"),
    [
        ("In May", "2025-05", "month"),
        ("on Thursday", "2026-01-08", "day"),
        ("Saturday", "2026-01-10", "day"),
        ("On Monday morning", "2026-01-12", "day"),
        ("last Monday", "2026-01-05", "day"),
        ("last week", "2026-W02", "week"),
        ("next week", "2026-W04", "week"),
        ("the past eight months", "2025-05", "month"),
        ("for the past two years", "2024", "year"),
        ("in 2017", "2017", "year"),
        ("January 8, 2026", "2026-01-08", "day"),
        ("March 2024", "2024-03", "month"),
        ("in recent hours", "2026-01-12", "day"),
        ("yesterday", "2026-01-11", "day"),
        ("earlier this month", "2026-01", "month"),
        ("later this month", "2026-01", "month"),
        ("this year", "2026", "year"),
        ("last year", "2025", "year"),
        ("next year", "2027", "year"),
        ("early next year", "2027", "year"),
        ("next month", "2026-02", "month"),
        ("the end of 2012", "2012", "year"),
    ],
)
def test_resolves_against_publication(text: str, value: str, granularity: str) -> None:
    got = resolve_time(text, PUB)
    assert (got.value, got.granularity) == (value, granularity)


def test_weekday_in_future_tense_looks_ahead() -> None:
    assert resolve_time("on Friday", PUB, future=True).value == "2026-01-16"


def test_no_publication_date_only_absolute() -> None:
    assert resolve_time("on Thursday", None).value is None
    assert resolve_time("in May", None).value is None
    got = resolve_time("in October 1996", None)
    assert (got.value, got.anchor) == ("1996-10", "absolute")


@pytest.mark.parametrize(
    "text",
    ["2 a.m.", "8-year-old", "the 1990s", "", "a long time ago in a galaxy", "10-year", "the three months to June 30"],
)
def test_unresolvable_stays_text(text: str) -> None:
    assert resolve_time(text, PUB).value is None


def test_anchor_names_the_publication_date() -> None:
    assert resolve_time("on Thursday", PUB).anchor == "published:2026-01-12"


def test_parse_published_accepts_datetimes() -> None:
    assert parse_published("2009-03-23T14:37:00-04:00") == dt.date(2009, 3, 23)
    assert parse_published("not a date") is None


@given(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)),
    st.sampled_from(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]),
)
def test_weekdays_resolve_to_the_most_recent_such_day(published: dt.date, weekday: str) -> None:
    got = resolve_time(f"on {weekday.title()}", published.isoformat())
    assert got.value is not None
    day = dt.date.fromisoformat(got.value)
    assert 0 <= (published - day).days < 7
    assert day.strftime("%A").lower() == weekday


@given(st.text(max_size=60), st.one_of(st.none(), st.dates().map(dt.date.isoformat)))
def test_never_raises_and_values_are_iso(text: str, published: str | None) -> None:
    got = resolve_time(text, published)
    if got.value is not None:
        assert got.granularity in ("day", "week", "month", "year")
        assert got.value[:4].isdigit()


@pytest.mark.parametrize(
    ("text", "ref", "value"),
    [
        ("the same day", "2026-01-08", "2026-01-08"),
        ("on the day before", "2026-01-08", "2026-01-07"),
        ("the next day", "2026-01-08", "2026-01-09"),
        ("two days later", "2026-01-08", "2026-01-10"),
        ("the following week", "2026-01-08", "2026-W03"),
        ("the year before", "2017", "2016"),
        ("the next year", "2026-01-08", "2027"),
        ("that month", "2025-05-02", "2025-05"),
        ("the next month", "2012-W32", "2012-09"),  # a week's month: that of its Monday (Aug 6)
        ("the same month", "2025-05", "2025-05"),
        ("the day before", "2025-05", None),  # a month tells no day
        ("on Thursday", "2026-01-08", None),  # not counted from the story's date
    ],
)
def test_expressions_counted_from_the_story_date(text: str, ref: str, value: str | None) -> None:
    got = resolve_against(text, ref)
    assert (got.value if got else None) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1600 GMT", None),  # a clock time, not the year 1600
        ("0800 local time", None),
        ("at 1600 GMT on Tuesday", "2010-05-11"),
        ("10:30 a.m. EST Monday", "2010-05-10"),
        ("on Friday at 2 p.m.", "2010-05-07"),
        ("in 1987", "1987"),
    ],
)
def test_a_clock_time_is_no_date_and_never_a_year(text: str, value: str | None) -> None:
    assert resolve_time(text, "2010-05-12").value == value
