"""The custody context of an article: whole custody words, not word beginnings."""

from __future__ import annotations

import pytest

from pipeline.classify.context import doc_has_custody_context


@pytest.mark.parametrize("word", ["bailout", "custodian", "captivating"])
def test_words_that_only_begin_like_custody_words_are_not_custody(word: str) -> None:
    assert not doc_has_custody_context(f"The {word} was announced. Another {word} followed; a third {word} too.")


@pytest.mark.parametrize(
    "words",
    [
        ("custody", "custody"),
        ("prison", "prisoners"),
        ("jailed", "bail"),
        ("Detainees", "DETENTION"),
        ("hostages", "captivity"),
        ("arrested", "paroled"),
        ("kidnapped", "abducted"),
        ("inmates", "bailed"),
    ],
)
def test_custody_words_in_any_form_and_case_count(words: tuple[str, str]) -> None:
    first, second = words
    assert doc_has_custody_context(f"He spoke of {first} and then of {second}.")


def test_one_mention_is_not_enough() -> None:
    assert not doc_has_custody_context("He was in custody. The bank's bailout was approved.")
