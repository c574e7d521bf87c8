"""Counting people: digits, words, vague quantities and hedges."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.normalize.counts import parse_count, parse_number


@pytest.mark.parametrize(
    ("text", "value", "approximate"),
    [
        ("116", 116, False),
        ("1,200", 1200, False),
        ("twelve", 12, False),
        ("twenty-five", 25, False),
        ("a dozen", 12, False),
        ("dozens", 24, True),
        ("hundreds", 200, True),
        ("more than 100", 100, True),
        ("about 800", 800, True),
        ("at least 30", 30, True),
        ("only 41", 41, False),
        ("three hundred", 300, False),
        ("2 million", 2_000_000, False),
    ],
)
def test_parse_count(text: str, value: int, approximate: bool) -> None:
    assert parse_count(text) == (value, approximate)


@pytest.mark.parametrize("text", ["an important number", "several of the", "the group", ""])
def test_non_numeric_stays_text(text: str) -> None:
    value, _ = parse_count(text)
    assert value is None or text.startswith("several")


@given(st.integers(min_value=0, max_value=10**9))
def test_digits_round_trip(n: int) -> None:
    assert parse_number(str(n)) == (n, False)
    assert parse_number(f"{n:,}") == (n, False)


@given(st.text(max_size=40))
def test_never_raises(text: str) -> None:
    value, approximate = parse_count(text)
    assert value is None or value >= 0
    assert isinstance(approximate, bool)
