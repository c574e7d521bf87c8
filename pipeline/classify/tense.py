"""Grammatical tense of a trigger's clause (past, present, future), read from the parse.

Dates need it, not the modality: "will be freed on Friday" is the coming Friday and "was
arrested on Friday" the last one, whatever modality the event is given, so a modality
error does not move a date. A noun trigger takes the tense of the verb that governs it
("his release was announced" -> past).
"""

from __future__ import annotations

from pipeline.classify.syntax import SentView
from pipeline.records import Tense

#: Auxiliaries and governors that put an event in the future.
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
_FUTURE_GOVERNORS = frozenset(
    {"plan", "expect", "schedule", "set", "due", "intend", "prepare", "aim", "propose", "promise", "vow", "agree"}
)
#: How far up the tree the tense is looked for.
_MAX_CLIMB = 6


def _verb_tense(v: SentView, i: int) -> Tense | None:
    auxes = v.kids(i, "aux", "auxpass")
    words = [v.word(a) for a in auxes]
    if any(w in _FUTURE_AUX for w in words) or ("going" in words and "to" in words):
        return "future"
    tags = [v.tag(a) for a in auxes] + [v.tag(i)]
    if any(t == "VBD" for t in tags) or "had" in words:
        return "past"
    if v.tag(i) == "VBN" and any(w in ("has", "have", "'s", "'ve") for w in words):
        return "past"  # present perfect: the event happened
    if any(t in ("VBZ", "VBP") for t in tags):
        return "present"
    return None


def tense_of(v: SentView, head: int) -> Tense | None:
    """The tense of the clause of token ``head``, or None when the parse does not tell.

    Climbs from the trigger to the nearest verb that carries a tense: "plans to release"
    and "is expected to announce" are future, "the jailed tycoon" past.
    """
    cur = head
    for _ in range(_MAX_CLIMB):
        if v.pos(cur) in ("VERB", "AUX"):
            if v.dep(cur) == "xcomp" and v.lemma(v.head(cur)) in _FUTURE_GOVERNORS:
                return "future"
            tense = _verb_tense(v, cur)
            if tense is not None:
                return tense
        elif v.dep(cur) == "amod" and v.tag(cur) == "VBN":
            return "past"
        if v.head(cur) == cur:
            return None
        cur = v.head(cur)
    return None
