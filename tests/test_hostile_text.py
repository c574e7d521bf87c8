"""Text that breaks naive extractors: huge sentences, no verbs, tables, odd Unicode (real model)."""

from __future__ import annotations

import pytest

from pipeline.config import Config
from pipeline.ner import MAX_SENTENCE_TOKENS, NerStage
from pipeline.records import Article, InputRef
from pipeline.runner import process_articles

pytestmark = pytest.mark.slow

RUN_ON = "police arrested the activist and the ministry announced that guards freed prisoners held in custody "


def article(text: str) -> Article:
    return Article(id="t", text=text, input=InputRef(path="test"))


def test_fifty_thousand_character_sentence_is_parsed_in_bounded_windows() -> None:
    text = (RUN_ON * 600)[:50_000]
    (analyzed,) = list(NerStage(Config().nlp)([article(text)]))
    assert all(len(s.words) <= MAX_SENTENCE_TOKENS for s in analyzed.sentences)
    ((document, events),) = list(process_articles([article(text)], Config()))
    assert document.counts["events"] == len(events)
    assert 0 < len(events) <= len(text.split())
    for e in events:
        assert text[e.trigger.start : e.trigger.end] == e.trigger.text
        assert all(text[a.start : a.end] == a.text for a in e.arguments)


@pytest.mark.parametrize(
    "text",
    [
        " ".join(str(i) for i in range(5000)),
        "Table | " + " | ".join(f"row {i} | {i * 3.5:.1f}" for i in range(2000)),
        "\u202eRTL override\u202c arrested \u0627\u0644\u0634\u0631\u0637\u0629 "
        "e\u0301\u0301\u0301 \U0001f600 \u200b\u200d freed \ufeff" * 50,
        "\x00\x01 control \x7f characters were released \x1b[31m " * 100,
    ],
)
def test_odd_text_never_crashes_and_offsets_hold(text: str) -> None:
    results = list(process_articles([article(text)], Config()))
    assert len(results) == 1
    result = results[0]
    assert isinstance(result, tuple)
    _, events = result
    for e in events:
        assert text[e.trigger.start : e.trigger.end] == e.trigger.text
