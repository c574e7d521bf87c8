"""Exact-duplicate detection and language identification."""

from __future__ import annotations

import sys

import pytest

from pipeline.config import LanguageConfig
from pipeline.ingest import DUPLICATE_REASON, Deduplicator, LanguageFilter
from pipeline.ingest.dedup import text_digest
from pipeline.records import Article, InputRef, Rejection


def make_article(doc_id: str, text: str) -> Article:
    return Article(id=doc_id, text=text, input=InputRef(path="t.jsonl", line=1))


def test_normalization_ignores_whitespace_and_case() -> None:
    assert text_digest("Police  arrested\n\ntwo MEN.") == text_digest("police arrested two men.")
    assert text_digest("Police arrested two men.") != text_digest("Police arrested three men.")


def test_duplicate_points_to_the_first_document() -> None:
    dedup = Deduplicator()
    first = make_article("first", "Police arrested two men on Monday.")
    assert dedup(first) is first
    repeat = dedup(make_article("second", "police arrested  two men on monday."))
    assert isinstance(repeat, Rejection)
    assert repeat.reason == DUPLICATE_REASON and repeat.stage == "dedup"
    assert repeat.detail == "same text as document first"
    assert len(dedup) == 1


def test_memory_per_article() -> None:
    """The documented cost: about 150 bytes per distinct article (under 250 asserted)."""
    dedup = Deduplicator()
    n = 20_000
    before = sys.getsizeof(dedup._first)
    for i in range(n):
        dedup(make_article(f"{i:016x}", f"article number {i}"))
    keys = sum(sys.getsizeof(k) for k in dedup._first)
    values = sum(sys.getsizeof(v) for v in dedup._first.values())
    per_article = (sys.getsizeof(dedup._first) - before + keys + values) / n
    assert per_article < 250


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("The company announced on Tuesday that it would open a new factory in Ohio next year.", True),
        ("La police a arrêté trois suspects mardi soir à Paris après une longue enquête.", False),
        ("Die Polizei hat am Montag in Berlin zwei Männer nach einem Raubüberfall festgenommen.", False),
    ],
)
def test_language_filter(text: str, kept: bool) -> None:
    article = make_article("x", text)
    out = LanguageFilter(LanguageConfig())(article)
    assert (out is article) == kept
    if not kept:
        assert isinstance(out, Rejection) and out.reason == "language"


def test_other_languages_can_be_allowed() -> None:
    article = make_article("x", "La police a arrêté trois suspects mardi soir à Paris après une longue enquête.")
    assert LanguageFilter(LanguageConfig(allowed=("en", "fr")))(article) is article
