"""The date that governs each event of an article: its own expression, the discourse, or publication.

Walks an article's event candidates in text order with the date expressions the NER found
(spaCy ``DATE`` entities), and gives each event a time value and its basis
(corpus/GUIDELINES.md, section 4):

1. ``explicit``: the event's own time expression, resolved against the publication date;
   expressions that count from the story's current date ("the same day", "the day
   before", "two years later") against the date the narrative is at.
2. ``context``, an earlier mention of the same event: the time of an earlier candidate
   of the same type that shares a participant (same resolved name or words).
   Failing that, for an event told in the past, the time of the last earlier event of the
   same type: news articles mostly retell one arrest, one release or one announcement
   (measured on the gold train split: time accuracy 0.51 -> 0.59, at the price of more
   values where the gold has none). A state told in the present ("remains in detention")
   does not take it: on dev that gave 10 wrong values for 2 right ones.
3. ``context``, the narrative's date: the last date expression before the trigger in its
   own or the two previous sentences, when the event is told in the past.
4. ``published``: an event told in the past or present perfect in the first four sentences
   of a dated article is the news of the day.

Hypothetical and generic events and events in the future tense get only (1): their date
cannot be read off the story's current date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.normalize.dates import ResolvedTime, counts_from_narrative, parse_published, resolve_against, resolve_time
from pipeline.records import AnalyzedArticle, EventCandidate, Span, TimeValue

#: Sentences at the top of an article whose past-tense events are the day's news.
LEDE_SENTENCES = 4
#: How many sentences back a date expression still sets the narrative's date.
NARRATIVE_WINDOW = 2
#: Whether an event with no time of its own takes that of the last earlier event of its type.
SAME_TYPE_FALLBACK = True
#: Roles whose words identify an event's participants across mentions.
PARTICIPANT_ROLES = frozenset({"person", "speaker", "agent"})
_NO_DISCOURSE = frozenset({"hypothetical", "generic"})
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]+")
_STOP = frozenset(
    {"the", "a", "an", "his", "her", "their", "its", "he", "she", "they", "it", "him", "them", "mr", "ms"}
)


@dataclass(frozen=True)
class _Anchor:
    """A resolved date expression of the article."""

    start: int
    end: int
    text: str
    sentence: int
    time: ResolvedTime


def participant_words(candidate: EventCandidate) -> frozenset[str]:
    """The content words of a candidate's participants (person, speaker, agent)."""
    words: set[str] = set()
    for arg in candidate.arguments:
        if arg.role in PARTICIPANT_ROLES:
            words |= {w.lower() for w in _WORD_RE.findall(arg.text)} - _STOP
    return frozenset(words)


def _sentence_of(starts: Sequence[tuple[int, int, int]], offset: int) -> int:
    for start, end, index in starts:
        if start <= offset < end:
            return index
    return -1


def assign_times(
    analyzed: AnalyzedArticle,
    candidates: Sequence[EventCandidate],
    participants: Sequence[frozenset[str]] | None = None,
) -> list[TimeValue | None]:
    """The time of each candidate (see the module docstring), in the candidates' order.

    Args:
        analyzed: the article with its sentences and entity mentions.
        candidates: the article's event candidates in text order.
        participants: per candidate, keys of its participants (resolved entity ids or
            words) that tell two mentions of one event; their words when None.

    Returns:
        One time value (or None) per candidate.
    """
    keys = list(participants) if participants is not None else [participant_words(c) for c in candidates]
    published = analyzed.article.published
    base = parse_published(published)
    sentences = [(s.start, s.end, s.index) for s in analyzed.sentences]
    anchors: list[_Anchor] = []
    for ent in sorted(analyzed.entities, key=lambda e: e.start):
        if ent.label != "DATE":
            continue
        narrative = counts_from_narrative(ent.text)
        if narrative and anchors:
            resolved = resolve_against(ent.text, anchors[-1].time.value or "") if anchors[-1].time.value else None
        else:
            resolved = None if narrative else resolve_time(ent.text, published)
        if resolved is not None and resolved.value is not None:
            anchors.append(_Anchor(ent.start, ent.end, ent.text, _sentence_of(sentences, ent.start), resolved))

    out: list[TimeValue | None] = []
    for i, cand in enumerate(candidates):
        out.append(_time_of(cand, i, candidates, keys, out, anchors, published, base is not None))
    return out


def _copy(time: TimeValue, basis: str) -> TimeValue:
    return TimeValue(**{**time.model_dump(), "basis": basis})


def _time_value(span: Span | _Anchor, resolved: ResolvedTime, basis: str) -> TimeValue:
    """The time of an event: the expression ``span`` and what it resolved to."""
    return TimeValue(
        text=span.text,
        start=span.start,
        end=span.end,
        value=resolved.value,
        granularity=resolved.granularity,
        anchor=resolved.anchor,
        basis=basis,
    )


def _from_anchor(a: _Anchor, basis: str, published: str | None, future: bool) -> TimeValue:
    return _time_value(a, resolve_time(a.text, published, future=True) if future else a.time, basis)


def _time_of(
    cand: EventCandidate,
    i: int,
    candidates: Sequence[EventCandidate],
    keys: Sequence[frozenset[str]],
    done: Sequence[TimeValue | None],
    anchors: Sequence[_Anchor],
    published: str | None,
    dated: bool,
) -> TimeValue | None:
    before = [a for a in anchors if a.end <= cand.trigger.start]
    future = cand.tense == "future"
    explicit: TimeValue | None = None
    if cand.time is not None:
        explicit = _explicit(cand.time, cand, before, published)
        if explicit.value is not None:
            return explicit
    own = [a for a in anchors if a.sentence == cand.sentence_index]
    if own and cand.modality != "generic":
        nearest = min(own, key=lambda a: min(abs(a.start - cand.trigger.end), abs(cand.trigger.start - a.end)))
        return _from_anchor(nearest, "explicit", published, future)
    if cand.modality in _NO_DISCOURSE or future:
        return explicit
    for j in range(i - 1, -1, -1):
        other, time = candidates[j], done[j]
        if time is None or time.value is None or other.type != cand.type:
            continue
        if keys[i] and keys[i] & keys[j]:
            return _copy(time, "context")
    if SAME_TYPE_FALLBACK and cand.tense == "past":
        for j in range(i - 1, -1, -1):
            time = done[j]
            if time is not None and time.value is not None and candidates[j].type == cand.type:
                return _copy(time, "context")
    if cand.tense != "past":
        return explicit
    here = cand.sentence_index
    recent = [a for a in before if here - NARRATIVE_WINDOW <= a.sentence <= here]
    if recent:
        return _from_anchor(recent[-1], "context", published, False)
    if dated and here < LEDE_SENTENCES and published:
        day = published[:10]
        return TimeValue(
            text=None, start=None, end=None, value=day, granularity="day", anchor=f"published:{day}", basis="published"
        )
    return explicit


def _explicit(span: Span, cand: EventCandidate, before: Sequence[_Anchor], published: str | None) -> TimeValue:
    resolved: ResolvedTime | None = None
    if counts_from_narrative(span.text) and before and before[-1].time.value:
        resolved = resolve_against(span.text, before[-1].time.value)
    if resolved is None:
        resolved = resolve_time(span.text, published, future=cand.tense == "future")
    return _time_value(span, resolved, "explicit")
