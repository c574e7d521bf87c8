"""Property tests: random text (odd Unicode included) through ingestion, normalization and records.

No spaCy: analyzed articles and event candidates are built by hand. The properties: no
exception but a rejection, the offset invariant holds, and ids are stable across runs.
"""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.ingest.common import ArticleFields, Decoded, build_article, decode_article_bytes
from pipeline.ingest.dedup import text_digest
from pipeline.ingest.jsonl import iter_jsonl_lines
from pipeline.normalize import build_records
from pipeline.normalize.counts import parse_count
from pipeline.normalize.dates import resolve_time
from pipeline.records import (
    AnalyzedArticle,
    ArgumentCandidate,
    Article,
    EventCandidate,
    InputRef,
    Rejection,
    Sentence,
    Span,
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ODD = "\x00\x07\x1b\u202e\u202c\u200b\u200d\ufeff\u0301\u0627\U0001f600\ud800 \n\t\u00a0\u2028Éß"
#: Text with the odd characters of the adversarial suite mixed into letters and spaces.
texts = st.text(alphabet=st.sampled_from(list(ODD) + list("abc XYZ.,1")) | st.characters(), max_size=300)
REF = InputRef(path="prop.jsonl", line=1)


@SETTINGS
@given(st.binary(max_size=400))
def test_decode_bytes_never_raises(raw: bytes) -> None:
    decoded = decode_article_bytes(raw)
    if isinstance(decoded, Decoded):
        assert decoded.text == raw.decode(decoded.encoding)
    else:
        assert decoded[0] in ("empty", "binary", "encoding") and decoded[1]


@SETTINGS
@given(texts, st.sampled_from(["utf-8", "utf-16", "utf-32", "utf-8-sig"]))
def test_unicode_text_roundtrips_through_decoding(text: str, encoding: str) -> None:
    try:
        raw = text.encode(encoding)
    except UnicodeEncodeError:  # lone surrogates have no encoding
        return
    decoded = decode_article_bytes(raw)
    if isinstance(decoded, Decoded):
        assert decoded.text == text.removeprefix("\ufeff") or decoded.text == text


@SETTINGS
@given(
    st.dictionaries(
        st.sampled_from(["id", "text", "title", "source", "url", "published", "x"]),
        st.none() | st.integers() | texts | st.lists(st.integers(), max_size=2),
    )
)
def test_build_article_accepts_or_rejects(fields: dict[str, Any]) -> None:
    item = ArticleFields(fields=fields, ref=REF)
    first = build_article(item, published_default=None, min_chars=1)
    second = build_article(item, published_default=None, min_chars=1)
    assert isinstance(first, Article | Rejection)
    assert first == second  # ids are content hashes: stable
    if isinstance(first, Rejection):
        assert first.reason in ("missing_text", "bad_field", "empty")


@SETTINGS
@given(st.lists(st.binary(max_size=80) | texts.map(lambda t: json.dumps({"text": t}).encode()), max_size=8))
def test_jsonl_lines_are_each_an_article_or_a_rejection(lines: list[bytes]) -> None:
    data = b"\n".join(line.replace(b"\n", b" ") for line in lines) + b"\n"
    items = list(iter_jsonl_lines(io.BytesIO(data), "p.jsonl", max_line_bytes=60))
    assert len(items) <= len(lines)
    for item in items:
        assert item.ref.line if isinstance(item, ArticleFields) else item.input.line


@SETTINGS
@given(texts, st.integers(min_value=1, max_value=7))
def test_text_digest_equals_the_whole_text_definition(text: str, chunk: int) -> None:
    assert text_digest(text, chunk) == text_digest(text)
    assert text_digest(text) == text_digest("  " + text + "\n")  # surrounding whitespace is ignored


@SETTINGS
@given(texts, st.sampled_from([None, "2025-05-02", "2026-01-12T10:00:00Z"]))
def test_dates_and_counts_never_raise(text: str, published: str | None) -> None:
    resolve_time(text, published)
    parse_count(text)


@st.composite
def analyzed_with_candidates(draw: st.DrawFn) -> tuple[AnalyzedArticle, list[EventCandidate]]:
    """A random text with hand-made sentences and candidates whose spans are slices of it."""
    text = draw(texts.filter(lambda t: len(t) >= 4))
    article = Article(id=draw(st.text(min_size=1, max_size=10)), text=text, input=REF)
    sentence = Sentence(index=0, start=0, end=len(text))

    def span() -> tuple[int, int]:
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, min(len(text), start + 40)))
        return start, end

    candidates = []
    for _ in range(draw(st.integers(0, 3))):
        start, end = span()
        arguments = []
        for role in draw(st.lists(st.sampled_from(["person", "agent", "place", "time", "count"]), max_size=3)):
            a_start, a_end = span()
            arguments.append(ArgumentCandidate(role=role, start=a_start, end=a_end, text=text[a_start:a_end]))
        time = count = None
        if draw(st.booleans()):
            t_start, t_end = span()
            time = Span(text=text[t_start:t_end], start=t_start, end=t_end)
        if draw(st.booleans()):
            c_start, c_end = span()
            count = Span(text=text[c_start:c_end], start=c_start, end=c_end)
        candidates.append(
            EventCandidate(
                type="arrest",
                trigger=Span(text=text[start:end], start=start, end=end),
                sentence_index=0,
                arguments=arguments,
                time=time,
                count=count,
                confidence=0.5,
                extractor="rules.v1",
            )
        )
    return AnalyzedArticle(article=article, sentences=[sentence], entities=[]), candidates


@SETTINGS
@given(analyzed_with_candidates())
def test_build_records_keeps_offsets_and_stable_ids(case: tuple[AnalyzedArticle, list[EventCandidate]]) -> None:
    analyzed, candidates = case
    text = analyzed.article.text
    document, events = build_records(analyzed, candidates)
    again = build_records(analyzed, candidates)
    assert [e.event_id for e in events] == [e.event_id for e in again[1]]
    assert document.text == text
    for event in events:
        spans = [event.trigger, *event.arguments, *(s for s in (event.time, event.count) if s is not None)]
        for s in spans:
            assert text[s.start : s.end] == s.text
