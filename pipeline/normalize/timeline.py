"""The date that governs each event of an article: its own expression, the discourse, or publication.

Walks an article's event candidates in text order with the date expressions the NER found
(spaCy ``DATE`` entities), and gives each event a time value and its basis
(corpus/GUIDELINES.md, section 4):

1. ``explicit``: the event's own time expression (the classifier's ``time`` argument),
   resolved against the publication date; expressions that count from the story's
   current date ("the same day", "the day before", "two years later") against the date
   the narrative is at. A planned event's "Friday" is the coming one.
2. Otherwise a learned chooser (``models/timeline.v1``, trained by
   ``scripts/train_timeline.py`` on the gold train split) picks among the event's
   options (:func:`time_options`): each resolved date expression before the trigger, in
   its sentence or in the next one (basis ``explicit`` in its own sentence, ``context``
   elsewhere); the publication date of a dated article (``published``); or no date. It
   scores where the expression stands from the trigger, its granularity, how it relates
   to the publication date, whether earlier mentions of the same type or with the same
   participants carry it, and the event's tense, modality, type and place in the article
   (a past event in the lede is the news of the day; a hypothetical one takes no date).

This replaced the hand-ordered heuristics of 0.3.0 (same participants, then same type,
then the narrative's date, then the lede): on dev, time accuracy 55.5 -> 67.0 and values
where the gold has none 44 -> 29 (models/timeline.v1/MODEL_CARD.md).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pipeline.normalize.dates import ResolvedTime, counts_from_narrative, parse_published, resolve_against, resolve_time
from pipeline.normalize.linear import LinearScorer, read_weights, shipped
from pipeline.records import AnalyzedArticle, EventCandidate, Span, TimeValue

#: Sentences at the top of an article whose past-tense events are the day's news.
LEDE_SENTENCES = 4
#: The learned chooser of an event's date among its options (scripts/train_timeline.py).
CHOOSER_ARTIFACT = "timeline.v1"
CHOOSER_FILE = "weights.json"
#: Roles whose words identify an event's participants across mentions.
PARTICIPANT_ROLES = frozenset({"person", "speaker", "agent"})
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
    chooser: TimeChooser | None = None,
) -> list[TimeValue | None]:
    """The time of each candidate (see the module docstring), in the candidates' order.

    Args:
        analyzed: the article with its sentences and entity mentions.
        candidates: the article's event candidates in text order.
        participants: per candidate, keys of its participants (resolved entity ids or
            words) that tell two mentions of one event; their words when None.
        chooser: the scorer of an event's date options (the shipped ``models/timeline.v1``
            when None).

    Returns:
        One time value (or None) per candidate.
    """
    model = chooser if chooser is not None else load_chooser()
    out: list[TimeValue | None] = []
    for explicit, options in candidate_options(analyzed, candidates, participants):
        if not options:
            out.append(explicit)
            continue
        best = max(options, key=model.score)
        out.append(best.time if best.time is not None else explicit)
    return out


def candidate_options(
    analyzed: AnalyzedArticle,
    candidates: Sequence[EventCandidate],
    participants: Sequence[frozenset[str]] | None = None,
) -> list[tuple[TimeValue | None, list[TimeOption]]]:
    """Per candidate: its own expression's time, and its date options when that is unresolved.

    Args:
        analyzed: the article with its sentences and entity mentions.
        candidates: the article's event candidates in text order.
        participants: per candidate, keys of its participants; their words when None.

    Returns:
        (explicit time or None, options) per candidate; the options are empty when the
        candidate's own expression resolved (that value is its time).
    """
    if not candidates:
        return []
    keys = list(participants) if participants is not None else [participant_words(c) for c in candidates]
    published = analyzed.article.published
    dated = parse_published(published) is not None
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
    explicits = [_explicit_of(c, anchors, published) for c in candidates]
    local = [_local_value(c, e, anchors) for c, e in zip(candidates, explicits, strict=True)]
    out: list[tuple[TimeValue | None, list[TimeOption]]] = []
    for i, explicit in enumerate(explicits):
        if explicit is not None and explicit.value is not None:
            out.append((explicit, []))
        else:
            out.append((explicit, time_options(i, candidates, keys, local, anchors, published, dated)))
    return out


@dataclass(frozen=True)
class TimeOption:
    """One date an event may take (an expression of the article, the publication date, or none)."""

    kind: Literal["anchor", "published", "none"]
    time: TimeValue | None
    features: dict[str, float]


class TimeChooser(LinearScorer):
    """A linear scorer of :class:`TimeOption` features; the highest-scoring option wins."""

    def score(self, option: TimeOption) -> float:
        """The option's score: the sum of its features' weights times their values."""
        return self.score_features(option.features)


def chooser_dir() -> Path:
    """The shipped chooser (``models/timeline.v1`` in the repository)."""
    return shipped(CHOOSER_ARTIFACT)


@functools.cache
def load_chooser(folder: str | None = None) -> TimeChooser:
    """The trained chooser of an artifact folder (the shipped one by default), read once."""
    path = Path(folder or chooser_dir()) / CHOOSER_FILE
    return TimeChooser(read_weights(path, "the time chooser", "scripts/train_timeline.py"))


def _local_value(cand: EventCandidate, explicit: TimeValue | None, anchors: Sequence[_Anchor]) -> str | None:
    """The value of a candidate's own expression (``explicit``), or of the nearest date in its sentence."""
    if explicit is not None and explicit.value is not None:
        return explicit.value
    own = [a for a in anchors if a.sentence == cand.sentence_index]
    if not own:
        return None
    return min(own, key=lambda a: _distance(a, cand)).time.value


def _distance(a: _Anchor, cand: EventCandidate) -> int:
    return max(0, a.start - cand.trigger.end, cand.trigger.start - a.end)


def _explicit_of(cand: EventCandidate, anchors: Sequence[_Anchor], published: str | None) -> TimeValue | None:
    if cand.time is None:
        return None
    return _explicit(cand.time, cand, [a for a in anchors if a.end <= cand.trigger.start], published)


def time_options(
    i: int,
    candidates: Sequence[EventCandidate],
    keys: Sequence[frozenset[str]],
    local: Sequence[str | None],
    anchors: Sequence[_Anchor],
    published: str | None,
    dated: bool,
) -> list[TimeOption]:
    """The dates candidate ``i`` may take, each with the features the chooser scores.

    The options are the resolved date expressions before the trigger in the article, in
    its own sentence and in the next, one per value (the nearest); the publication date
    of a dated article; and no date. Features describe where the expression stands from
    the trigger, its granularity, how it relates to the publication date, whether earlier
    mentions of the same type or with the same participants carry it, and (on the
    publication date and "no date" options) the event's tense, modality, type and place in
    the article.

    Args:
        i: the candidate's index in ``candidates``.
        candidates: the article's candidates in text order.
        keys: per candidate, its participant keys.
        local: per candidate, the value of its own expression or nearest in-sentence date.
        anchors: the article's resolved date expressions in text order.
        published: the publication date (ISO), if any.
        dated: whether the publication date parses.
    """
    cand = candidates[i]
    here = cand.sentence_index
    future = cand.tense == "future"
    tense = cand.tense or "none"
    pub_day = published[:10] if dated and published else None
    earlier_same = {local[j] for j in range(i) if candidates[j].type == cand.type and local[j]}
    shared = {local[j] for j in range(i) if local[j] and keys[i] and keys[i] & keys[j]}
    nearest_same = next((local[j] for j in range(i - 1, -1, -1) if candidates[j].type == cand.type and local[j]), None)
    reachable = [a for a in anchors if a.end <= cand.trigger.start or a.sentence in (here, here + 1)]
    last_before = max((a.start for a in anchors if a.end <= cand.trigger.start), default=-1)
    counts: dict[str, int] = {}
    for a in anchors:
        counts[a.time.value or ""] = counts.get(a.time.value or "", 0) + 1
    by_value: dict[str, _Anchor] = {}
    for a in reachable:
        value = a.time.value or ""
        kept = by_value.get(value)
        if kept is None or (abs(a.sentence - here), _distance(a, cand)) < (
            abs(kept.sentence - here),
            _distance(kept, cand),
        ):
            by_value[value] = a
    options: list[TimeOption] = []
    for value, a in by_value.items():
        own = a.sentence == here
        gap = here - a.sentence
        f: dict[str, float] = {
            "anchor": 1.0,
            "anchor_own": float(own),
            "anchor_own_after": float(own and a.start >= cand.trigger.end),
            "anchor_next": float(a.sentence == here + 1),
            "anchor_gap1": float(gap == 1),
            "anchor_gap2": float(gap == 2),
            "anchor_gap3_5": float(3 <= gap <= 5),
            "anchor_gap6": float(gap >= 6),
            "anchor_last_before": float(a.start == last_before),
            "anchor_close": 1.0 / (1.0 + _distance(a, cand) / 20.0) if own else 0.0,
            f"anchor_gran_{a.time.granularity or 'none'}": 1.0,
            "anchor_repeated": min(counts.get(value, 1) - 1, 3) / 3.0,
            "anchor_narrative": float((a.time.anchor or "").startswith("narrative:")),
            "anchor_lede": float(a.sentence < LEDE_SENTENCES),
            "anchor_earlier_same_type": float(value in earlier_same),
            "anchor_nearest_same_type": float(value == nearest_same),
            "anchor_same_participants": float(value in shared),
            f"anchor_own_{tense}": float(own),
            f"anchor_far_{tense}": float(not own),
        }
        if pub_day is not None and value:
            f["anchor_is_published_day"] = float(value == pub_day)
            f["anchor_after_published"] = float(value[:10] > pub_day[: len(value[:10])])
            f["anchor_after_published_past"] = f["anchor_after_published"] * float(cand.tense == "past")
            f["anchor_year_before_published"] = float(value[:4] < pub_day[:4])
        basis = "explicit" if own else "context"
        options.append(TimeOption("anchor", _from_anchor(a, basis, published, future and own), f))
    event = {
        f"tense_{tense}": 1.0,
        f"modality_{cand.modality}": 1.0,
        f"type_{cand.type}": 1.0,
        "lede": float(here < LEDE_SENTENCES),
        "first": float(here == 0),
        "no_anchor_before": float(last_before < 0),
        "anchor_in_sentence": float(any(a.sentence == here for a in anchors)),
        "verbal_past": float(cand.tense == "past"),
    }
    if pub_day is not None:
        f = {"published": 1.0, **{f"published_{k}": v for k, v in event.items()}}
        f["published_earlier_same_type"] = float(pub_day in earlier_same)
        f["published_same_participants"] = float(pub_day in shared)
        day = TimeValue(
            text=None,
            start=None,
            end=None,
            value=pub_day,
            granularity="day",
            anchor=f"published:{pub_day}",
            basis="published",
        )
        options.append(TimeOption("published", day, f))
    options.append(
        TimeOption(
            "none",
            None,
            {"none": 1.0, **{f"none_{k}": v for k, v in event.items()}, "none_undated": float(pub_day is None)},
        )
    )
    return options


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


def _explicit(span: Span, cand: EventCandidate, before: Sequence[_Anchor], published: str | None) -> TimeValue:
    resolved: ResolvedTime | None = None
    if counts_from_narrative(span.text) and before and before[-1].time.value:
        resolved = resolve_against(span.text, before[-1].time.value)
    if resolved is None:
        resolved = resolve_time(span.text, published, future=cand.tense == "future")
    return _time_value(span, resolved, "explicit")
