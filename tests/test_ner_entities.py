"""Named entities are cut at sentence boundaries (no name runs on into another sentence)."""

from __future__ import annotations

import spacy

from pipeline.ner import doc_to_records


def _doc(text: str, ents: list[tuple[str, str]]) -> object:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp(text)
    spans = []
    for name, label in ents:
        start = text.index(name)
        span = doc.char_span(start, start + len(name), label=label)
        assert span is not None, name
        spans.append(span)
    doc.ents = spans
    return doc


def test_a_name_across_a_sentence_end_becomes_one_mention_per_sentence() -> None:
    text = "Revenue fell more than at Goldman. Citigroup Inc reported a decline."
    sentences, entities = doc_to_records(_doc(text, [("Goldman. Citigroup Inc", "ORG")]))
    assert len(sentences) == 2
    assert [(e.text, e.label) for e in entities] == [("Goldman", "ORG"), ("Citigroup Inc", "ORG")]
    for e in entities:
        assert text[e.start : e.end] == e.text
        assert any(s.start <= e.start and e.end <= s.end for s in sentences)


def test_a_name_inside_one_sentence_is_kept_whole() -> None:
    text = "Apple Inc. said on Monday it would buy Beats. Shares rose."
    _, entities = doc_to_records(_doc(text, [("Apple Inc.", "ORG"), ("Beats", "ORG")]))
    assert [e.text for e in entities] == ["Apple Inc.", "Beats"]
