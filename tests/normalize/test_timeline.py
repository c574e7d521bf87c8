"""pipeline.normalize.timeline on hand-built articles: explicit, context and publication dates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import ModelError
from pipeline.normalize.dates import resolve_against
from pipeline.normalize.timeline import TimeChooser, assign_times, candidate_options, load_chooser
from pipeline.records import (
    AnalyzedArticle,
    ArgumentCandidate,
    Article,
    EntityMention,
    EventCandidate,
    InputRef,
    Sentence,
    Span,
)

PUBLISHED = "2010-05-12"  # a Wednesday


def article(text: str, dates: list[str], published: str | None = PUBLISHED) -> AnalyzedArticle:
    """An article split into sentences at '. ', with the given DATE expressions as entities."""
    sentences, start = [], 0
    for i, piece in enumerate(text.split(". ")):
        end = start + len(piece)
        sentences.append(Sentence(index=i, start=start, end=end))
        start = end + 2
    entities = []
    for d in dates:
        at = text.index(d)
        entities.append(EntityMention(text=d, start=at, end=at + len(d), label="DATE"))
    return AnalyzedArticle(
        article=Article(id="a", text=text, published=published, input=InputRef(path="t")),
        sentences=sentences,
        entities=entities,
    )


def cand(analyzed: AnalyzedArticle, trigger: str, etype: str = "arrest", **kw: Any) -> EventCandidate:
    """A candidate on the first occurrence of ``trigger``; ``time`` and ``person`` name spans."""
    text = analyzed.article.text
    at = text.index(trigger)
    sentence = next(s.index for s in analyzed.sentences if s.start <= at < s.end)
    args = []
    if "person" in kw:
        p = text.index(kw.pop("person"))
        args.append(ArgumentCandidate(role="person", start=p, end=p + len(text[p:].split(" ")[0]), text=""))
        args[-1] = args[-1].model_copy(update={"text": text[args[-1].start : args[-1].end]})
    time = None
    if "time" in kw:
        t = text.index(kw.pop("time"))
        words = text[t:].split(".")[0]
        time = Span(text=words, start=t, end=t + len(words))
    return EventCandidate(
        type=etype,  # type: ignore[arg-type]
        trigger=Span(text=trigger, start=at, end=at + len(trigger)),
        sentence_index=sentence,
        arguments=args,
        time=time,
        confidence=0.9,
        extractor="test",
        **kw,
    )


def test_explicit_and_narrative_expressions() -> None:
    a = article("Police arrested Ana on Monday. They freed Ben the day before", ["Monday", "the day before"])
    times = assign_times(a, [cand(a, "arrested", time="Monday", tense="past"), cand(a, "freed", "release")])
    assert (times[0].value, times[0].basis) == ("2010-05-10", "explicit")
    # "the day before" is its own sentence's expression, counted from the story's Monday
    assert (times[1].value, times[1].basis, times[1].text) == ("2010-05-09", "explicit", "the day before")
    assert resolve_against("the next year", "2009") is not None


def test_a_later_mention_of_the_same_event_takes_its_date() -> None:
    a = article("In May police arrested Guanipa. Later his detention was criticised", ["May"])
    arrest = cand(a, "arrested", person="Guanipa", time="May", tense="past")
    detention = cand(a, "detention", person="Guanipa", tense="past")
    times = assign_times(a, [arrest, detention])
    assert (times[1].value, times[1].basis, times[1].text) == ("2010-05", "context", "May")


def test_the_narrative_date_of_the_previous_sentence() -> None:
    a = article("On Sunday riot police moved in. They detained 30 people", ["Sunday"])
    (time,) = assign_times(a, [cand(a, "detained", tense="past")])
    assert (time.value, time.basis) == ("2010-05-09", "context")


def test_a_lede_in_the_past_is_the_news_of_the_day() -> None:
    a = article("Police have arrested a man. The man is 30", [])
    (time,) = assign_times(a, [cand(a, "arrested", tense="past")])
    assert (time.value, time.basis, time.text, time.start) == ("2010-05-12", "published", None, None)
    undated = article("Police have arrested a man. The man is 30", [], published=None)
    assert assign_times(undated, [cand(undated, "arrested", tense="past")]) == [None]


def test_hypothetical_generic_and_future_events_get_only_their_own_expression() -> None:
    a = article("On Sunday police met. They called for his release. Police often detain people", ["Sunday"])
    times = assign_times(
        a,
        [
            cand(a, "release", "release", modality="hypothetical", tense="past"),
            cand(a, "detain", modality="generic", tense="present"),
        ],
    )
    assert times == [None, None]


def test_tense_not_modality_decides_the_direction_of_a_weekday() -> None:
    a = article("He will be freed on Friday. He was detained on Friday", ["Friday", "on Friday"])
    text = a.article.text
    second = text.index("Friday", text.index("detained"))
    future = cand(a, "freed", "release", time="Friday", tense="future", modality="planned")
    # a past-tense arrest that a modality error calls "planned" stays in the past
    past = cand(a, "detained", tense="past", modality="planned").model_copy(
        update={"time": Span(text="Friday", start=second, end=second + 6)}
    )
    times = assign_times(a, [future, past])
    assert [t.value for t in times] == ["2010-05-14", "2010-05-07"]


def test_the_options_are_nearby_dates_the_publication_date_and_none() -> None:
    a = article("On Sunday riot police moved in. In March they met. They detained 30 people", ["Sunday", "March"])
    cands = [cand(a, "detained", tense="past")]
    ((explicit, options),) = candidate_options(a, cands)
    assert explicit is None
    assert [(o.kind, o.time.value if o.time else None) for o in options] == [
        ("anchor", "2010-05-09"),
        ("anchor", "2010-03"),
        ("published", "2010-05-12"),
        ("none", None),
    ]
    assert options[1].features["anchor_gap1"] == 1.0 and options[0].features["anchor_gap2"] == 1.0
    assert all(o.time.basis == "context" for o in options[:2] if o.time)
    # an event whose own expression resolves has no options: that value is its time
    march = a.article.text.index("March")
    dated = cands[0].model_copy(update={"time": Span(text="March", start=march, end=march + 5)})
    ((own, none_left),) = candidate_options(a, [dated])
    assert (own.value, own.basis, none_left) == ("2010-03", "explicit", [])  # type: ignore[union-attr]


def test_the_chooser_takes_the_option_with_the_highest_score() -> None:
    a = article("On Sunday riot police moved in. They detained 30 people", ["Sunday"])
    cands = [cand(a, "detained", tense="past")]
    prefer_published = TimeChooser({"published": 2.0, "anchor": 1.0})
    prefer_none = TimeChooser({"none": 1.0})
    assert assign_times(a, cands, chooser=prefer_published)[0].basis == "published"  # type: ignore[union-attr]
    assert assign_times(a, cands, chooser=prefer_none) == [None]


def test_a_missing_chooser_says_how_to_train_it(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"train_timeline\.py"):
        load_chooser(str(tmp_path))
