"""Counts of people: "116", "1,200", "twelve", "dozens", "more than 100", "about 800"."""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
#: Vague quantities: (value, approximate).
_VAGUE = {
    "dozen": (12, False),
    "dozens": (24, True),
    "scores": (40, True),
    "hundreds": (200, True),
    "thousands": (2000, True),
    "tens of thousands": (20000, True),
    "hundreds of thousands": (200000, True),
    "millions": (2_000_000, True),
    "several": (3, True),
    "a few": (3, True),
    "few": (3, True),
    "a handful": (5, True),
    "handful": (5, True),
    "a couple": (2, True),
    "couple": (2, True),
    "some": (None, True),
    "many": (None, True),
}
#: Hedges before a number that make it approximate.
_APPROX = re.compile(
    r"^(about|around|roughly|approximately|some|nearly|almost|close to|more than|over|at least|"
    r"up to|as many as|less than|fewer than|under|upwards of|an estimated|estimated|an|a|"
    r"well over|just over|just under|some \d+ to|between|no fewer than|no less than|only|just)\s+",
    re.IGNORECASE,
)
_EXACT_HEDGES = {"only", "just", "an", "a"}
_NUMERIC = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def parse_number(text: str) -> tuple[int, bool] | None:
    """Parse a number in digits or words.

    Args:
        text: "116", "1,200", "twelve", "twenty-five", "two dozen", "3 million".

    Returns:
        (value, approximate) or None when the text is not a number.
    """
    t = text.strip().lower().replace("\u00a0", " ")
    if not t:
        return None
    if _NUMERIC.match(t):
        return int(float(t.replace(",", ""))), False
    if t in _VAGUE:
        value, approx = _VAGUE[t]
        return (value, approx) if value is not None else None
    words = re.split(r"[\s-]+", t.replace(" and ", " "))
    total = 0
    current = 0
    seen = False
    for w in words:
        if _NUMERIC.match(w):
            current += int(float(w.replace(",", "")))
            seen = True
        elif w in _UNITS:
            current += _UNITS[w]
            seen = True
        elif w == "dozen":
            current = (current or 1) * 12
            seen = True
        elif w in _SCALES:
            current = (current or 1) * _SCALES[w]
            if _SCALES[w] >= 1000:
                total += current
                current = 0
            seen = True
        else:
            return None
    if not seen:
        return None
    return total + current, False


def parse_count(text: str) -> tuple[int | None, bool]:
    """Parse a count phrase into (value, approximate).

    "an important number" stays (None, False): no number in it.
    """
    t = re.sub(r"\s+", " ", text.strip().lower())
    approximate = False
    while True:
        m = _APPROX.match(t)
        if not m:
            break
        if m.group(1) not in _EXACT_HEDGES:
            approximate = True
        t = t[m.end() :]
    t = re.sub(r"\s+of$", "", t)
    parsed = parse_number(t)
    if parsed is None:
        return None, False
    value, vague = parsed
    return value, approximate or vague
