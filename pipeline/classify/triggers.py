"""Rules trigger detection: which tokens of a parsed sentence denote an arrest, release or announcement.

Every decision reads the dependency tree of one sentence (see :mod:`.syntax`) and the
word lists in :mod:`.lexicon`; nothing is matched on surface strings of whole sentences.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.classify import lexicon as lx
from pipeline.classify import roles
from pipeline.classify.base import TriggerCandidate
from pipeline.classify.syntax import SentView
from pipeline.records import EventType

_HUMAN_ENTS = frozenset({"PERSON", "NORP"})


@dataclass
class _Found:
    """A trigger while it is being found: its span may still grow ("re-arrest", "house arrest")."""

    type: EventType
    head: int
    tokens: list[int]
    confidence: float
    verbal: bool


def _is_human(v: SentView, i: int) -> bool:
    """True when token i names people: a person entity, pronoun or person noun."""
    lemma, word = v.lemma(i), v.word(i)
    if v.ent(i) in _HUMAN_ENTS:
        return True
    if v.pos(i) == "PRON":
        return word in lx.HUMAN_PRONOUNS or lemma in lx.HUMAN_PRONOUNS
    if lemma in lx.HUMAN_NOUNS or word in lx.HUMAN_NOUNS:
        return True
    if v.pos(i) == "NUM" and v.word(i) not in ("%",):
        # "freed 12", "arrested 30 of them"
        of = [p for p in v.kids(i, "prep") if v.word(p) == "of"]
        return not of or any(_is_human(v, o) for p in of for o in v.kids(p, "pobj"))
    # "dozens of protesters", "a group of activists", "the release of some of them"
    for p in v.kids(i, "prep"):
        if v.word(p) == "of":
            return any(_is_human(v, o) for o in v.kids(p, "pobj"))
    return False


def _is_non_human(v: SentView, i: int, vocab: set[str]) -> bool:
    lemma, word = v.lemma(i), v.word(i)
    if v.ent(i) in {"PRODUCT", "WORK_OF_ART", "MONEY", "PERCENT", "LAW"}:
        return True
    return lemma in vocab or word in vocab


def _custody_prep(v: SentView, i: int, preps: tuple[str, ...]) -> bool:
    """True when i has a prepositional child in ``preps`` whose object is a custody place."""
    for p in v.kids(i, "prep"):
        if v.word(p) in preps:
            for o in v.kids(p, "pobj"):
                if v.lemma(o) in lx.CUSTODY_PLACES or v.word(o) in lx.CUSTODY_PLACES:
                    return True
    return False


def _verb_trigger(v: SentView, i: int) -> _Found | None:
    lemma = v.lemma(i)
    if lemma in lx.ARREST_VERBS:
        if lemma == "intern" and (obj := roles.patient(v, i)) is not None and not _is_human(v, obj):
            return None
        return _Found("arrest", i, [i], lx.ARREST_VERBS[lemma], True)
    if lemma in lx.ARREST_VERBS_HUMAN_OBJECT:
        prt = v.kid(i, "prt")
        if lemma in ("round", "lock") and (prt is None or v.word(prt) != "up"):
            return None
        obj = roles.patient(v, i)
        if obj is None or not _is_human(v, obj) or _is_non_human(v, obj, lx.NON_HUMAN_CAPTURE):
            return None
        agent = roles.agent(v, i)
        if agent is not None and (v.lemma(agent) in lx.NON_STATE_AGENTS or v.word(agent) in lx.NON_STATE_AGENTS):
            return None
        if lx.ARREST_VERBS_HUMAN_OBJECT[lemma] <= 0:
            return None
        tokens = [i, prt] if prt is not None and prt == i + 1 else [i]
        return _Found("arrest", i, tokens, lx.ARREST_VERBS_HUMAN_OBJECT[lemma], True)
    if lemma in lx.ARREST_VERBS_TO_CUSTODY:
        if _custody_prep(v, i, ("to", "into", "in", "behind")):
            obj = roles.patient(v, i)
            if obj is not None and _is_human(v, obj):
                # "took him into custody": the trigger is the custody noun (see _noun_trigger);
                # "put him behind bars": the verb ("behind bars" alone is no arrest)
                if (lemma == "take" or lemma == "put") and not _custody_prep(v, i, ("behind",)):
                    return None
                return _Found("arrest", i, [i], 0.75, True)
        return None
    if lemma == "hold":
        return _hold_trigger(v, i)
    if lemma == "surrender" and _surrenders_to_authority(v, i):
        return _Found("arrest", i, [i], 0.65, True)
    if lemma in lx.RELEASE_VERBS:
        return _release_verb(v, i, lemma)
    if lemma in ("set", "walk") and any(
        v.lemma(c) == "free" for c in v.kids(i, "acomp", "oprd", "advmod", "dobj", "advcl", "xcomp", "ccomp")
    ):
        free = next(c for c in v.children[i] if v.lemma(c) == "free")
        tokens = [i, free] if free == i + 1 else [i]
        return _Found("release", i, tokens, 0.85, True)
    if lemma in lx.ANNOUNCE_VERBS:
        if lemma == "declare" and any(v.word(c) in ("bankrupt",) for c in v.children[i]):
            return _Found("announcement", i, [i], 0.6, True)
        return _Found("announcement", i, [i], lx.ANNOUNCE_VERBS[lemma], True)
    if lemma in lx.POST_VERBS and _public_medium(v, i):
        return _Found("announcement", i, [i], 0.7, True)
    if lemma == "report" and any(v.lemma(o) in lx.REPORTED_FIGURES for o in v.kids(i, "dobj", "nsubjpass")):
        return _Found("announcement", i, [i], 0.6, True)  # "the company reported a profit"
    return None


def _hold_trigger(v: SentView, i: int) -> _Found | None:
    """ "held in custody", "held without charge", "were held by police", "the men held by the US"."""
    if {v.lemma(c) for c in v.children[i]} & {"hostage", "captive"}:
        return None
    if _custody_prep(v, i, ("in", "at", "inside")) or any(v.word(p) == "without" for p in v.kids(i, "prep")):
        return _Found("arrest", i, [i], 0.7, True)
    passive = v.is_passive(i) or (v.dep(i) == "acl" and v.tag(i) == "VBN")
    if not passive:
        return None
    # "the meeting was held", "elections will be held": only people are held in custody
    held = v.head(i) if v.dep(i) == "acl" else roles.patient(v, i)
    if held is None or not _is_human(v, held) or v.word(held) in ("it", "that", "which"):
        return None
    for a in v.kids(i, "agent"):
        for agent in v.kids(a, "pobj"):
            if v.lemma(agent) in lx.NON_STATE_AGENTS or v.word(agent) in lx.NON_STATE_AGENTS:
                return None
    return _Found("arrest", i, [i], 0.6, True)


def _surrenders_to_authority(v: SentView, i: int) -> bool:
    """ "surrendered to authorities / to the FBI / to police"."""
    for p in v.kids(i, "prep"):
        if v.word(p) == "to":
            for o in v.kids(p, "pobj"):
                if v.lemma(o) in lx.AUTHORITIES or v.ent(o) == "ORG":
                    return True
    return False


def _public_medium(v: SentView, i: int) -> bool:
    for p in v.kids(i, "prep"):
        if v.word(p) in ("on", "in", "via"):
            for o in v.kids(p, "pobj"):
                if v.lemma(o) in {
                    "media",
                    "medium",
                    "twitter",
                    "facebook",
                    "x",
                    "instagram",
                    "telegram",
                    "website",
                    "blog",
                    "truth",
                    "account",
                    "page",
                }:
                    return True
    return False


def _release_verb(v: SentView, i: int, lemma: str) -> _Found | None:
    prt = v.kid(i, "prt")
    if prt is not None and v.word(prt) == "up":  # "freed up capital"
        return None
    conf = lx.RELEASE_VERBS[lemma]
    if v.dep(i) == "amod":  # "the freed hostages"
        head = v.head(i)
        return _Found("release", i, [i], conf - 0.1, True) if _is_human(v, head) else None
    obj = roles.patient(v, i)
    if _custody_prep(v, i, ("from",)) or any(
        v.word(p) == "on" and any(v.lemma(o) in lx.RELEASE_TERMS for o in v.kids(p, "pobj")) for p in v.kids(i, "prep")
    ):
        return _Found("release", i, [i], conf, True)
    if obj is not None:
        if _is_human(v, obj):
            return _Found("release", i, [i], conf, True)
        if _is_non_human(v, obj, lx.NON_HUMAN_OBJECTS):
            return None
        if v.ent(obj) in ("GPE", "LOC", "ORG", "FAC"):
            return None
    if v.custody_context:
        return _Found("release", i, [i], conf - 0.25, True)
    return None


def _noun_has_human_patient(v: SentView, i: int) -> bool:
    """True for "the capture of the rebels" or "his capture"."""
    of_objects = [o for p in v.kids(i, "prep") if v.word(p) == "of" for o in v.kids(p, "pobj")]
    return any(_is_human(v, o) for o in of_objects) or any(_is_human(v, c) for c in v.kids(i, "poss"))


def _with_prefix(v: SentView, i: int, compounds: list[int]) -> list[int]:
    """Trigger tokens with the modifier that names the kind: "house arrest", "re-arrest"."""
    tokens = [i]
    if i >= 2 and v.word(i - 1) == "-" and v.word(i - 2) == "re":
        tokens = [i - 2, i - 1, i]
    elif i - 1 in compounds and v.word(i - 1) in ("house", "home"):
        tokens = [i - 1, i]
    return tokens


def _bail_trigger(v: SentView, i: int) -> _Found | None:
    """ "granted bail", "denied bail", "bail was set": a release, unless a release verb governs it."""
    gov = v.head(i)
    if v.dep(i) == "pobj":
        return None  # "released on bail": the verb is the trigger
    if v.dep(i) == "compound" and v.lemma(gov) not in ("hearing", "application", "package", "request"):
        return None
    if v.lemma(gov) in lx.BAIL_VERBS or (v.dep(i) in ("nsubjpass", "nsubj") and v.pos(gov) in ("VERB", "AUX")):
        return _Found("release", i, [i], 0.6, False)
    return None


def _free_adjective(v: SentView, i: int) -> _Found | None:
    """ "remain free on bail", "he is free", "walked free": a person out of custody."""
    if v.dep(i) not in ("acomp", "oprd", "advcl", "xcomp") or not v.custody_context:
        return None
    verb = v.head(i)
    if v.lemma(verb) not in lx.FREE_COPULAS:
        return None
    subj = roles.subject(v, verb)
    if subj is None or not _is_human(v, subj):
        return None
    return _Found("release", i, [i], 0.6, False)


def _is_issued(v: SentView, i: int) -> bool:
    """ "issued a warning", "a fatwa issued in Iraq", "the decree was published"."""
    gov = v.head(i)
    if v.dep(i) in ("dobj", "nsubjpass") and v.lemma(gov) in lx.ISSUING_VERBS:
        return True
    return any(v.lemma(c) in lx.ISSUING_VERBS for c in v.kids(i, "acl"))


def _noun_trigger(v: SentView, i: int) -> _Found | None:
    lemma = v.lemma(i)
    word = v.word(i)
    compounds = [c for c in v.kids(i, "compound")]
    comp_words = {v.word(c) for c in compounds}
    if lemma in lx.ANNOUNCE_COMPOUND_HEADS and comp_words & lx.ANNOUNCE_COMPOUND_HEADS[lemma]:
        mod = next(c for c in compounds if v.word(c) in lx.ANNOUNCE_COMPOUND_HEADS[lemma])
        return _Found("announcement", i, list(range(mod, i + 1)), 0.85, False)
    if lemma in lx.ISSUED_NOUNS and _is_issued(v, i):
        mods = [c for c in compounds if c == i - 1]
        return _Found("announcement", i, [*mods, i], 0.6, False)  # "issued a profit warning"
    if lemma == "answer" and {v.word(c) for c in v.kids(i, "amod")} & {"parliamentary", "written"}:
        mods = [c for c in v.kids(i, "amod") if c == i - 1]
        return _Found("announcement", i, [*mods, i], 0.7, False)
    if lemma in ("address", "speech", "broadcast") and (
        {v.word(c) for c in v.kids(i, "amod", "compound")} & lx.PUBLIC_ADDRESS_AMODS
    ):
        return _Found("announcement", i, [i], 0.75, False)
    if lemma in lx.ANNOUNCE_NOUNS:
        if lemma == "statement" and (
            comp_words & lx.STATEMENT_BLOCKERS
            or {v.word(c) for c in v.kids(i, "amod")} & lx.STATEMENT_BLOCKERS
            or any(v.word(p) == "of" for p in v.kids(i, "prep"))
        ):
            return None
        if lemma == "declaration" and any(v.word(p) == "of" for p in v.kids(i, "prep")):
            return None
        return _Found("announcement", i, [i], lx.ANNOUNCE_NOUNS[lemma], False)
    if lemma in lx.ARREST_NOUNS or word in lx.ARREST_NOUNS:
        key = lemma if lemma in lx.ARREST_NOUNS else word
        if v.dep(i) == "compound" and v.lemma(v.head(i)) in lx.ARREST_NOUN_BLOCKERS:
            return None
        if (
            comp_words & lx.ARREST_NOUN_BLOCKERS
            or {v.word(c) for c in v.kids(i, "amod", "compound")} & lx.ARREST_NOUN_AMOD_BLOCKERS
        ):
            return None
        if key == "custody":
            gov = v.head(i)
            if v.dep(i) == "pobj" and v.word(gov) in ("in", "into", "under"):
                return _Found("arrest", i, [i], lx.ARREST_NOUNS[key], False)
            if comp_words & {"police", "military", "state", "protective"}:
                return _Found("arrest", i, [i], lx.ARREST_NOUNS[key], False)
            return None
        if key == "capture" and not _noun_has_human_patient(v, i):
            return None
        if key == "detention" and v.dep(i) == "compound":
            return None
        return _Found("arrest", i, _with_prefix(v, i, compounds), lx.ARREST_NOUNS[key], False)
    if lemma in lx.RELEASE_NOUNS or word in lx.RELEASE_NOUNS:
        key = lemma if lemma in lx.RELEASE_NOUNS else word
        if comp_words & {"press", "news", "product", "data", "film", "movie", "album", "software", "game", "earnings"}:
            return None
        objs = [o for p in v.kids(i, "prep") if v.word(p) == "of" for o in v.kids(p, "pobj")]
        possessors = v.kids(i, "poss")
        if any(_is_non_human(v, o, lx.NON_HUMAN_OBJECTS) or v.ent(o) in ("GPE", "LOC", "ORG", "FAC") for o in objs):
            return None
        if key == "liberation" and (v.ent(i) or any(v.ent(c) for c in v.children[i])):
            return None
        human = (
            any(_is_human(v, o) for o in objs)
            or any(_is_human(v, p) for p in possessors)
            or any(v.lemma(c) in lx.HUMAN_NOUNS or v.lemma(c) in ("prisoner", "hostage", "detainee") for c in compounds)
        )
        if human:
            return _Found("release", i, [i], lx.RELEASE_NOUNS[key], False)
        if v.custody_context and not possessors and not compounds:
            return _Found("release", i, [i], lx.RELEASE_NOUNS[key] - 0.25, False)
        return None
    if lemma == "bail" and v.custody_context:
        return _bail_trigger(v, i)
    return None


def find_triggers(v: SentView) -> list[TriggerCandidate]:
    """Return the trigger candidates of one parsed sentence, in token order."""
    triggers: list[_Found] = []
    for i in range(v.n):
        pos = v.pos(i)
        trig: _Found | None = None
        if pos == "VERB" or (pos == "ADJ" and v.tag(i) == "VBN"):
            trig = _verb_trigger(v, i)
        elif pos == "ADJ" and v.lemma(i) == "free":
            trig = _free_adjective(v, i)
        elif pos in ("NOUN", "PROPN"):
            trig = _noun_trigger(v, i)
        if trig is not None:
            triggers.append(trig)
    for trig in triggers:
        trig.tokens = _join_prefix(v, trig.tokens)
    # A "press release" is an announcement, never also a release; keep one trigger per token.
    claimed: set[int] = set()
    out = []
    for trig in sorted(triggers, key=lambda t: -len(t.tokens)):
        if claimed.isdisjoint(trig.tokens):
            out.append(trig)
            claimed.update(trig.tokens)
    return [
        TriggerCandidate(t.type, v.sent.index, t.head, tuple(t.tokens), t.confidence, t.verbal)
        for t in sorted(_drop_dependent_mentions(v, out), key=lambda t: t.head)
    ]


def _join_prefix(v: SentView, tokens: list[int]) -> list[int]:
    """Extend a trigger over a prefix written onto it: "re-arrest", "non-publication"."""
    first = min(tokens)
    out = list(tokens)
    while first > 0 and v.end(first - 1) == v.start(first):
        prev = v.word(first - 1)
        hyphen = prev in ("-", "–") or (prev.endswith("-") and prev[:-1].isalpha())
        prefix = prev.isalpha() and len(prev) <= 4 and v.word(first) in ("-", "–")
        if not (hyphen or prefix):
            break
        first -= 1
        out.insert(0, first)
    return sorted(set(out))


def _drop_dependent_mentions(v: SentView, triggers: list[_Found]) -> list[_Found]:
    """One event, one mention: drop a noun that only restates its governing trigger.

    "announced via press release" and "said in a statement posted on its website" are one
    announcement (the noun is its medium); "held in custody" is one arrest (the noun is
    its place). "said in a statement" keeps the noun: "said" is no trigger.
    """
    verbal = {t.head: t for t in triggers if t.verbal}
    nouns = {t.head: t for t in triggers if not t.verbal}
    drop: set[int] = set()
    for head, trig in nouns.items():
        gov = v.head(head)
        if v.dep(head) == "pobj" and v.dep(gov) == "prep":
            gov = v.head(gov)
        other = verbal.get(gov)
        if other is not None and other.type == trig.type and gov != head:
            drop.add(head)
    for head, trig in verbal.items():
        # "a statement posted on the website": the posting is the statement's medium
        gov = v.head(head)
        if (
            v.dep(head) in ("acl", "relcl")
            and gov in nouns
            and nouns[gov].type == trig.type
            and v.lemma(head) in lx.POST_VERBS
        ):
            drop.add(head)
    return [t for t in triggers if t.head not in drop]
