"""``rules.v1``: event triggers, arguments, modality and attribution from lemmas and the parse.

Every decision reads the dependency tree of one sentence (see :mod:`.syntax`) and the
word lists in :mod:`.lexicon`; nothing is matched on surface strings of whole sentences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.classify import lexicon as lx
from pipeline.classify.base import Classifier, register
from pipeline.classify.syntax import SentView
from pipeline.config import ClassifierConfig
from pipeline.records import AnalyzedArticle, ArgumentCandidate, EventCandidate, EventType, Modality, Span

NAME = "rules.v1"
#: When cues of several modalities apply, the first wins (corpus/GUIDELINES.md, section 2).
MODALITY_PRECEDENCE: tuple[Modality, ...] = ("negated", "hypothetical", "planned", "uncertain", "generic")
#: Dependencies through which a verb shares its subject, time and place with its head.
_SHARING_DEPS = frozenset({"conj", "xcomp", "advcl", "pcomp"})
_CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "advcl", "relcl", "conj", "parataxis", "acl", "pcomp"})
_TIME_ENTS = frozenset({"DATE", "TIME"})
_PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
_HUMAN_ENTS = frozenset({"PERSON", "NORP"})
_ACTOR_ENTS = frozenset({"PERSON", "NORP", "ORG", "GPE"})
_RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})
#: Trigger verbs whose subject is the person in custody.
_POSSESSIVE_PRONOUNS = frozenset({"his", "her", "their", "its", "our", "my", "your"})
_SUBJECT_IS_PERSON = frozenset({"serve", "surrender", "remain", "stay", "spend", "languish", "walk", "go"})
_CUSTODY_RE = re.compile(
    r"\b(prison|jail|gaol|custody|detain|detention|arrest|hostage|captiv|bail|parole|inmate|kidnap|abduct)",
    re.IGNORECASE,
)
_REPORT_NOUNS = frozenset(
    {
        "count",
        "tally",
        "report",
        "figure",
        "figures",
        "estimate",
        "statement",
        "data",
        "record",
        "records",
        "list",
        "survey",
        "study",
        "account",
        "accounts",
    }
)


@dataclass
class Trigger:
    """A trigger found in a sentence: its type, head token and span tokens."""

    type: EventType
    head: int
    tokens: list[int]
    confidence: float
    verbal: bool
    notes: list[str] = field(default_factory=list)


# --- trigger detection -------------------------------------------------------------------


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


def doc_has_custody_context(text: str) -> bool:
    """True when an article speaks of custody at least twice (prison, detainees, bail ...).

    Then a bare "the release" or "were freed" in it refers to people, not products.
    """
    return len(_CUSTODY_RE.findall(text)) >= 2


def _patient(v: SentView, i: int) -> int | None:
    """The affected participant of verb i.

    Direct object, passive subject, the noun a participle modifies ("the men jailed
    without charge"), or the patient shared with a conjoined verb ("were arrested and
    freed on bail").
    """
    cur = i
    for _ in range(v.n):
        obj = v.kid(cur, "dobj")
        if obj is not None:
            return obj
        subj = v.kid(cur, "nsubjpass")
        if subj is not None:
            return _resolve_relative(v, subj)
        if v.dep(cur) == "acl" and v.tag(cur) == "VBN":
            return v.head(cur)
        if v.dep(cur) == "conj" and v.head(cur) != cur and v.pos(v.head(cur)) == "VERB":
            cur = v.head(cur)
            continue
        return None
    return None


def _agent(v: SentView, i: int) -> int | None:
    """The doer of verb i: active subject, ``by``-agent of a passive, or an inherited subject."""
    if v.is_passive(i):
        for a in v.kids(i, "agent"):
            objs = v.kids(a, "pobj")
            if objs:
                return objs[0]
        return None
    return _subject(v, i)


def _subject(v: SentView, i: int) -> int | None:
    """The subject of verb i, inherited through conj/xcomp/advcl chains when absent."""
    cur = i
    for _ in range(v.n):
        subj = v.kid(cur, "nsubj")
        if subj is not None:
            return _resolve_relative(v, subj)
        if v.dep(cur) in ("relcl",) and v.head(cur) != cur:
            return v.head(cur)
        if v.dep(cur) not in _SHARING_DEPS or v.head(cur) == cur:
            return None
        if v.dep(cur) == "advcl" and v.tag(cur) not in ("VBG", "VBN"):
            return None
        cur = v.head(cur)
    return None


def _resolve_relative(v: SentView, i: int) -> int:
    """Map a relative pronoun subject to the noun its clause modifies."""
    if v.word(i) in _RELATIVE_PRONOUNS:
        clause = v.head(i)
        if v.dep(clause) == "relcl":
            return v.head(clause)
    return i


def _verb_trigger(v: SentView, i: int) -> Trigger | None:
    lemma = v.lemma(i)
    if lemma in lx.ARREST_VERBS:
        if lemma == "intern" and (obj := _patient(v, i)) is not None and not _is_human(v, obj):
            return None
        return Trigger("arrest", i, [i], lx.ARREST_VERBS[lemma], True)
    if lemma in lx.ARREST_VERBS_HUMAN_OBJECT:
        prt = v.kid(i, "prt")
        if lemma in ("round", "lock") and (prt is None or v.word(prt) != "up"):
            return None
        obj = _patient(v, i)
        if obj is None or not _is_human(v, obj) or _is_non_human(v, obj, lx.NON_HUMAN_CAPTURE):
            return None
        agent = _agent(v, i)
        if agent is not None and (v.lemma(agent) in lx.NON_STATE_AGENTS or v.word(agent) in lx.NON_STATE_AGENTS):
            return None
        if lx.ARREST_VERBS_HUMAN_OBJECT[lemma] <= 0:
            return None
        tokens = [i, prt] if prt is not None and prt == i + 1 else [i]
        return Trigger("arrest", i, tokens, lx.ARREST_VERBS_HUMAN_OBJECT[lemma], True)
    if lemma in lx.ARREST_VERBS_TO_CUSTODY:
        if _custody_prep(v, i, ("to", "into", "in", "behind")):
            obj = _patient(v, i)
            if obj is not None and _is_human(v, obj):
                # "took him into custody": the trigger is the custody noun (see _noun_trigger)
                if lemma == "take" or lemma == "put":
                    return None
                return Trigger("arrest", i, [i], 0.75, True)
        return None
    if lemma == "hold":
        return _hold_trigger(v, i)
    if lemma == "surrender" and _surrenders_to_authority(v, i):
        return Trigger("arrest", i, [i], 0.65, True)
    if lemma == "serve" and any(
        v.lemma(o) in ("sentence", "term", "time") and (v.lemma(o) != "time" or o == i + 1) for o in v.kids(i, "dobj")
    ):
        return Trigger("arrest", i, [i], 0.6, True)
    if lemma in lx.RELEASE_VERBS:
        return _release_verb(v, i, lemma)
    if lemma == "bail" and v.custody_context and not any(v.word(p) == "out" for p in v.kids(i, "prt", "prep")):
        return Trigger("release", i, [i], 0.6, True)  # "he was bailed", not banks "bailed out"
    if lemma in ("set", "walk") and any(
        v.lemma(c) == "free" for c in v.kids(i, "acomp", "oprd", "advmod", "dobj", "advcl", "xcomp", "ccomp")
    ):
        free = next(c for c in v.children[i] if v.lemma(c) == "free")
        tokens = [i, free] if free == i + 1 else [i]
        return Trigger("release", i, tokens, 0.85, True)
    if lemma in lx.ANNOUNCE_VERBS:
        if lemma == "declare" and any(v.word(c) in ("bankrupt",) for c in v.children[i]):
            return Trigger("announcement", i, [i], 0.6, True)
        return Trigger("announcement", i, [i], lx.ANNOUNCE_VERBS[lemma], True)
    if lemma in lx.POST_VERBS and _public_medium(v, i):
        return Trigger("announcement", i, [i], 0.7, True)
    if lemma == "make" and (pub := next((c for c in v.children[i] if v.word(c) == "public"), None)) is not None:
        return Trigger("announcement", i, [i, pub] if pub == i + 1 else [i], 0.7, True)  # "will make public"
    if lemma == "report" and any(v.lemma(o) in lx.REPORTED_FIGURES for o in v.kids(i, "dobj", "nsubjpass")):
        return Trigger("announcement", i, [i], 0.6, True)  # "the company reported a profit"
    return None


def _hold_trigger(v: SentView, i: int) -> Trigger | None:
    """ "held in custody", "held without charge", "were held by police", "the men held by the US"."""
    if {v.lemma(c) for c in v.children[i]} & {"hostage", "captive"}:
        return None
    if _custody_prep(v, i, ("in", "at", "inside")) or any(v.word(p) == "without" for p in v.kids(i, "prep")):
        return Trigger("arrest", i, [i], 0.7, True)
    passive = v.is_passive(i) or (v.dep(i) == "acl" and v.tag(i) == "VBN")
    if not passive:
        return None
    # "the meeting was held", "elections will be held": only people are held in custody
    held = v.head(i) if v.dep(i) == "acl" else _patient(v, i)
    if held is None or not _is_human(v, held) or v.word(held) in ("it", "that", "which"):
        return None
    for a in v.kids(i, "agent"):
        for agent in v.kids(a, "pobj"):
            if v.lemma(agent) in lx.NON_STATE_AGENTS or v.word(agent) in lx.NON_STATE_AGENTS:
                return None
    return Trigger("arrest", i, [i], 0.6, True)


def _surrenders_to_authority(v: SentView, i: int) -> bool:
    """ "surrendered to authorities / to the FBI / to police"."""
    for p in v.kids(i, "prep"):
        if v.word(p) == "to":
            for o in v.kids(p, "pobj"):
                if v.lemma(o) in lx.AUTHORITIES or v.ent(o) == "ORG":
                    return True
    return False


def _agent_is_authority(v: SentView, i: int) -> bool:
    agent = _agent(v, i)
    if agent is None:
        return False
    return v.lemma(agent) in lx.AUTHORITIES


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


def _release_verb(v: SentView, i: int, lemma: str) -> Trigger | None:
    prt = v.kid(i, "prt")
    if prt is not None and v.word(prt) == "up":  # "freed up capital"
        return None
    conf = lx.RELEASE_VERBS[lemma]
    if v.dep(i) == "amod":  # "the freed hostages"
        head = v.head(i)
        return Trigger("release", i, [i], conf - 0.1, True) if _is_human(v, head) else None
    obj = _patient(v, i)
    if _custody_prep(v, i, ("from",)) or any(
        v.word(p) == "on" and any(v.lemma(o) in lx.RELEASE_TERMS for o in v.kids(p, "pobj")) for p in v.kids(i, "prep")
    ):
        return Trigger("release", i, [i], conf, True)
    if obj is not None:
        if _is_human(v, obj):
            return Trigger("release", i, [i], conf, True)
        if _is_non_human(v, obj, lx.NON_HUMAN_OBJECTS):
            return None
        if v.ent(obj) in ("GPE", "LOC", "ORG", "FAC"):
            return None
    if v.custody_context:
        return Trigger("release", i, [i], conf - 0.25, True)
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


def _bail_trigger(v: SentView, i: int) -> Trigger | None:
    """ "granted bail", "denied bail", "bail was set": a release, unless a release verb governs it."""
    gov = v.head(i)
    if v.dep(i) == "pobj":
        return None  # "released on bail": the verb is the trigger
    if v.dep(i) == "compound" and v.lemma(gov) not in ("hearing", "application", "package", "request"):
        return None
    if v.lemma(gov) in lx.BAIL_VERBS or (v.dep(i) in ("nsubjpass", "nsubj") and v.pos(gov) in ("VERB", "AUX")):
        return Trigger("release", i, [i], 0.6, False)
    return None


def _free_adjective(v: SentView, i: int) -> Trigger | None:
    """ "remain free on bail", "he is free", "walked free": a person out of custody."""
    if v.dep(i) not in ("acomp", "oprd", "advcl", "xcomp") or not v.custody_context:
        return None
    verb = v.head(i)
    if v.lemma(verb) not in lx.FREE_COPULAS:
        return None
    subj = _subject(v, verb)
    if subj is None or not _is_human(v, subj):
        return None
    return Trigger("release", i, [i], 0.6, False)


def _is_issued(v: SentView, i: int) -> bool:
    """ "issued a warning", "a fatwa issued in Iraq", "the decree was published"."""
    gov = v.head(i)
    if v.dep(i) in ("dobj", "nsubjpass") and v.lemma(gov) in lx.ISSUING_VERBS:
        return True
    return any(v.lemma(c) in lx.ISSUING_VERBS for c in v.kids(i, "acl"))


def _noun_trigger(v: SentView, i: int) -> Trigger | None:
    lemma = v.lemma(i)
    word = v.word(i)
    compounds = [c for c in v.kids(i, "compound")]
    comp_words = {v.word(c) for c in compounds}
    if lemma in lx.ANNOUNCE_COMPOUND_HEADS and comp_words & lx.ANNOUNCE_COMPOUND_HEADS[lemma]:
        mod = next(c for c in compounds if v.word(c) in lx.ANNOUNCE_COMPOUND_HEADS[lemma])
        return Trigger("announcement", i, list(range(mod, i + 1)), 0.85, False)
    if lemma in lx.ISSUED_NOUNS and _is_issued(v, i):
        mods = [c for c in compounds if c == i - 1]
        return Trigger("announcement", i, [*mods, i], 0.6, False)  # "issued a profit warning"
    if lemma == "answer" and {v.word(c) for c in v.kids(i, "amod")} & {"parliamentary", "written"}:
        mods = [c for c in v.kids(i, "amod") if c == i - 1]
        return Trigger("announcement", i, [*mods, i], 0.7, False)
    if lemma in ("address", "speech", "broadcast") and (
        {v.word(c) for c in v.kids(i, "amod", "compound")} & lx.PUBLIC_ADDRESS_AMODS
    ):
        return Trigger("announcement", i, [i], 0.75, False)
    if lemma in lx.ANNOUNCE_NOUNS:
        if lemma == "statement" and (
            comp_words & lx.STATEMENT_BLOCKERS
            or {v.word(c) for c in v.kids(i, "amod")} & lx.STATEMENT_BLOCKERS
            or any(v.word(p) == "of" for p in v.kids(i, "prep"))
        ):
            return None
        if lemma == "declaration" and any(v.word(p) == "of" for p in v.kids(i, "prep")):
            return None
        return Trigger("announcement", i, [i], lx.ANNOUNCE_NOUNS[lemma], False)
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
                return Trigger("arrest", i, [i], lx.ARREST_NOUNS[key], False)
            if comp_words & {"police", "military", "state", "protective"}:
                return Trigger("arrest", i, [i], lx.ARREST_NOUNS[key], False)
            return None
        if key == "capture" and not _noun_has_human_patient(v, i):
            return None
        if key == "detention" and v.dep(i) == "compound":
            return None
        return Trigger("arrest", i, _with_prefix(v, i, compounds), lx.ARREST_NOUNS[key], False)
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
            return Trigger("release", i, [i], lx.RELEASE_NOUNS[key], False)
        if v.custody_context and not possessors and not compounds:
            return Trigger("release", i, [i], lx.RELEASE_NOUNS[key] - 0.25, False)
        return None
    if lemma == "bail" and v.custody_context:
        return _bail_trigger(v, i)
    if word == "bars" and v.dep(i) == "pobj" and v.word(v.head(i)) == "behind":
        prep = v.head(i)
        return Trigger("arrest", i, [prep, i] if prep == i - 1 else [i], 0.7, False)
    return None


def find_triggers(v: SentView) -> list[Trigger]:
    """Return the triggers of one sentence, in order."""
    triggers: list[Trigger] = []
    for i in range(v.n):
        pos = v.pos(i)
        trig: Trigger | None = None
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
        if v.lemma(trig.head) == "serve" and trig.head + 1 < v.n and v.word(trig.head + 1) == "time":
            trig.tokens = [*trig.tokens, trig.head + 1]  # "served time"
    # A "press release" is an announcement, never also a release; keep one trigger per token.
    claimed: set[int] = set()
    out = []
    for trig in sorted(triggers, key=lambda t: -len(t.tokens)):
        if claimed.isdisjoint(trig.tokens):
            out.append(trig)
            claimed.update(trig.tokens)
    return sorted(_drop_dependent_mentions(v, out), key=lambda t: t.head)


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


def _drop_dependent_mentions(v: SentView, triggers: list[Trigger]) -> list[Trigger]:
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


# --- arguments ---------------------------------------------------------------------------


def _arg(v: SentView, role: str, i: int) -> ArgumentCandidate | None:
    span = v.phrase(i)
    if span is None:
        return None
    start, end, text = span
    return ArgumentCandidate(role=role, start=start, end=end, text=text)


def _token_arg(v: SentView, role: str, lo: int, hi: int) -> ArgumentCandidate | None:
    span = v.char_span(list(range(lo, hi)))
    if span is None:
        return None
    return ArgumentCandidate(role=role, start=span[0], end=span[1], text=span[2])


def _sharing_chain(v: SentView, i: int) -> list[int]:
    """i and the verbs it shares modifiers with (through conj/advcl/xcomp heads)."""
    chain = [i]
    cur = i
    for _ in range(v.n):
        if v.dep(cur) not in _SHARING_DEPS or v.head(cur) == cur:
            break
        if v.dep(cur) == "advcl" and v.tag(cur) not in ("VBG", "VBN") and not _infinitive(v, cur):
            break
        cur = v.head(cur)
        chain.append(cur)
    return chain


def _infinitive(v: SentView, i: int) -> bool:
    return any(v.word(a) == "to" for a in v.kids(i, "aux"))


def _time_and_place(v: SentView, trig: Trigger) -> tuple[Span | None, list[int]]:
    """Find the event's own time expression and place tokens.

    Dates win over clock times ("In May ... at 2 a.m." -> "In May"); the trigger's own
    modifiers win over those it shares with governing verbs.
    """
    owners = _sharing_chain(v, trig.head) if trig.verbal else [trig.head]
    if not trig.verbal and v.dep(trig.head) == "pobj":
        # "remains in detention since May": the modifiers of the verb
        owners.append(v.head(v.head(trig.head)))
    found: list[tuple[int, int, Span]] = []
    for rank, owner in enumerate(owners):
        for is_date, span in _times_of(v, owner):
            found.append((0 if is_date else 1, rank, span))
    places: list[int] = []
    for owner in owners:
        places = _places_of(v, owner)
        if places:
            break
    if not found:
        return None, places
    found.sort(key=lambda f: (f[0], f[1]))
    return found[0][2], places


def _times_of(v: SentView, owner: int) -> list[tuple[bool, Span]]:
    """Time expressions attached to ``owner``: (is a date, span)."""
    heads: list[int] = []
    for c in v.children[owner]:
        dep = v.dep(c)
        if dep in ("npadvmod", "tmod", "advmod", "obl", "nmod") or (dep == "poss" and v.ent(c) in _TIME_ENTS):
            heads.append(c)
        elif dep == "prep" and v.word(c) != "according":
            heads += v.kids(c, "pobj")
            for pp in v.kids(c, "prep"):  # "as of Sunday"
                heads += v.kids(pp, "pobj")
    out: list[tuple[bool, Span]] = []
    for h in heads:
        toks = [t for t in v.subtree(h, exclude=frozenset({"relcl", "acl", "prep"})) if v.ent(t) in _TIME_ENTS]
        if h not in toks:
            continue
        toks = v._contiguous(h, toks)
        span = v.char_span(toks)
        if span is not None:
            is_date = any(v.ent(t) == "DATE" for t in toks)
            out.append((is_date, Span(text=span[2], start=span[0], end=span[1])))
    return out


def _places_of(v: SentView, owner: int) -> list[int]:
    """Places attached to ``owner``: named places, and places of custody or events
    ("at his hotel", "in a downtown Manhattan jail"); conjoined places each count."""
    out = []
    for p in v.kids(owner, "prep"):
        if v.word(p) in ("in", "at", "from", "near", "outside", "inside", "across", "throughout"):
            for o in v.kids(p, "pobj"):
                if v.ent(o) in _PLACE_ENTS or (not v.ent(o) and v.lemma(o) in lx.PLACE_NOUNS):
                    out += [c for c in v.conjuncts(o) if v.ent(c) in _PLACE_ENTS or v.lemma(c) in lx.PLACE_NOUNS]
    return out


def _count_of(v: SentView, i: int) -> Span | None:
    """The number of people phrase attached to noun i ("116 prisoners", "more than 100")."""
    if v.pos(i) == "NUM":
        return _num_span(v, i)
    if v.lemma(i) in ("dozen", "dozens", "hundreds", "thousands", "scores", "hundred", "thousand"):
        return _num_span(v, i)
    for c in v.kids(i, "nummod"):
        if v.ent(c) in ("MONEY", "PERCENT", "DATE", "TIME"):
            continue
        return _num_span(v, c)
    for p in v.kids(i, "prep"):
        # "some of the 30 detainees"
        if v.word(p) == "of":
            for o in v.kids(p, "pobj"):
                found = _count_of(v, o)
                if found is not None:
                    return found
    return None


def _num_span(v: SentView, i: int) -> Span | None:
    toks = [i] + [
        c for c in v.subtree(i) if c != i and v.dep(c) in ("quantmod", "advmod", "compound", "nummod") and c < i
    ]
    toks = sorted(set(toks))
    span = v.char_span(toks)
    if span is None:
        return None
    return Span(text=span[2], start=span[0], end=span[1])


def _crime_of(v: SentView, i: int) -> int | None:
    for p in v.kids(i, "prep"):
        w = v.word(p)
        if w == "for" and (gerunds := v.kids(p, "pcomp")):  # "for spreading rumours"
            return gerunds[0]
        for o in v.kids(p, "pobj"):
            if w in ("on", "over") and v.lemma(o) in lx.CRIME_HEADS:
                for pp in v.kids(o, "prep"):
                    if v.word(pp) in ("of", "for"):
                        objs = v.kids(pp, "pobj") or v.kids(pp, "pcomp")
                        if objs:
                            return objs[0]
                return o
            if (
                w in lx.CRIME_PREPS
                and v.ent(o) not in _TIME_ENTS | {"PERSON", "GPE", "ORG", "MONEY"}
                and v.pos(o) == "NOUN"
            ):
                return o
    return None


def _content_of(v: SentView, i: int) -> ArgumentCandidate | None:
    comp = v.kid(i, "ccomp") or v.kid(i, "dobj") or v.kid(i, "nsubjpass")
    if comp is None and v.dep(i) == "acl" and v.tag(i) == "VBN":
        comp = v.head(i)  # "a deal announced in February"
        span = v.phrase(comp)
        return None if span is None else ArgumentCandidate(role="content", start=span[0], end=span[1], text=span[2])
    if comp is None:
        for p in v.kids(i, "prep"):
            if v.word(p) in ("of", "on") and not _is_medium(v, p):
                objs = v.kids(p, "pobj")
                if objs:
                    comp = objs[0]
                    break
    if comp is None:
        return None
    toks = v.subtree(comp)
    toks = [t for t in toks if not (v.dep(t) == "mark" and v.head(t) == comp)]
    span = v.char_span(toks)
    if span is None:
        return None
    return ArgumentCandidate(role="content", start=span[0], end=span[1], text=span[2])


def _is_medium(v: SentView, prep: int) -> bool:
    return any(v.lemma(o) in lx.MEDIUM_NOUNS or v.word(o) in lx.MEDIUM_NOUNS for o in v.kids(prep, "pobj"))


def _medium_of(v: SentView, trig: Trigger) -> ArgumentCandidate | None:
    owners = _sharing_chain(v, trig.head) if trig.verbal else [trig.head]
    for owner in owners:
        for p in v.kids(owner, "prep"):
            if v.word(p) in ("on", "in", "via", "at", "through", "during") and _is_medium(v, p):
                o = v.kids(p, "pobj")[0]
                if set(trig.tokens) & set(v.subtree(o)):
                    continue
                return _arg(v, "medium", o)
    return None


def _actor_arg(v: SentView, role: str, i: int) -> ArgumentCandidate | None:
    """An actor phrase, preferring an appositive name ("his brother, Jorge Rodríguez")."""
    for a in v.kids(i, "appos"):
        if v.ent(a) in _ACTOR_ENTS and v.ent(i) not in _ACTOR_ENTS:
            return _arg(v, role, a)
    return _arg(v, role, i)


def _has_own_determiner(v: SentView, i: int) -> bool:
    """ "Nine men ... and another man": each conjunct is counted or determined on its own."""
    return bool(v.kids(i, "det", "nummod", "poss")) or v.pos(i) == "NUM"


def _is_named(v: SentView, i: int) -> bool:
    return bool(v.ent(i)) or v.pos(i) in ("PROPN", "PRON")


def _people_args(v: SentView, role: str, i: int) -> list[ArgumentCandidate]:
    """One argument per participant: "Mr. Guanipa and Ms. Machado" gives two.

    Conjoined common nouns describing one actor ("her brother and congressional
    speaker") stay one argument.
    """
    conj = v.conjuncts(i)
    heads = conj if all(_is_named(v, c) or _has_own_determiner(v, c) for c in conj) else [i]
    out = []
    for c in heads:
        if v.word(c) in _RELATIVE_PRONOUNS:
            continue  # an unresolved "that"/"which" names nobody
        a = _actor_arg(v, role, c)
        if a is not None:
            out.append(a)
    return out


def extract_arguments(v: SentView, trig: Trigger) -> tuple[list[ArgumentCandidate], Span | None, Span | None]:
    """Return (arguments, time span, count span) of a trigger."""
    args: list[ArgumentCandidate] = []
    count: Span | None = None
    h = trig.head
    if trig.verbal:
        agent = _agent(v, h) if v.dep(h) != "amod" else None
        patient = _patient(v, h) if v.dep(h) != "amod" else v.head(h)
        if trig.type == "announcement":
            if agent is not None:
                args += _people_args(v, "speaker", agent)
            content = _content_of(v, h)
            if content is not None:
                args.append(content)
        else:
            if (v.lemma(h) in _SUBJECT_IS_PERSON and patient is None) or v.lemma(h) in ("serve", "surrender"):
                patient, agent = agent, None  # "he served a jail term", "she surrendered to police"
            if agent is not None and agent != patient:
                args += _people_args(v, "agent", agent)
            if patient is not None:
                args += _people_args(v, "person", patient)
                count = _count_of(v, patient)
            if trig.type == "arrest":
                crime = _crime_of(v, h)
                if crime is not None and (a := _arg(v, "crime", crime)) is not None:
                    args.append(a)
    else:
        args += _noun_args(v, trig)
        if trig.type != "announcement":
            for c in v.kids(h, "nummod"):
                count = _num_span(v, c)
            if count is None:
                for a in args:
                    if a.role == "person":
                        pidx = _token_at(v, a.start)
                        if pidx is not None:
                            count = _count_of(v, pidx)
    time, places = _time_and_place(v, trig)
    if not places:
        # "arrested by police in Tehran": the place hangs on a participant
        for a in list(args):
            if a.role in ("agent", "person") and (tok := _token_at(v, a.end - 1)) is not None:
                places = [
                    o
                    for p in v.kids(tok, "prep")
                    if v.word(p) in ("in", "at")
                    for o in v.kids(p, "pobj")
                    if v.ent(o) in _PLACE_ENTS
                ]
                if places:
                    break
    for p in places:
        if (a := _arg(v, "place", p)) is not None:
            args.append(a)
    if trig.type == "announcement" and (m := _medium_of(v, trig)) is not None:
        args.append(m)
    if time is not None:
        args.append(ArgumentCandidate(role="time", start=time.start, end=time.end, text=time.text))
    if count is not None and trig.type != "announcement":
        args.append(ArgumentCandidate(role="count", start=count.start, end=count.end, text=count.text))
    return _dedupe(args), time, count


def _noun_args(v: SentView, trig: Trigger) -> list[ArgumentCandidate]:
    h = trig.head
    args: list[ArgumentCandidate] = []
    person_role = "speaker" if trig.type == "announcement" else "person"
    for p in v.kids(h, "poss"):
        if v.ent(p) in _TIME_ENTS:
            continue  # "Friday's press conference"
        if v.word(p) not in ("its",) or trig.type == "announcement":
            args += _people_args(v, person_role, p)
    for prep in v.kids(h, "prep"):
        w = v.word(prep)
        for o in v.kids(prep, "pobj"):
            if w == "of" and trig.type != "announcement":
                args += _people_args(v, "person", o)
            elif w in ("by", "from") and trig.type == "announcement" and v.ent(o) in _ACTOR_ENTS | {""}:
                args += _people_args(v, "speaker", o)
            elif w == "by" and trig.type != "announcement":
                args += _people_args(v, "agent", o)
    if trig.type == "announcement":
        # "X issued a statement", "X said in a statement", "X told a news conference"
        gov = v.head(h)
        if v.dep(h) == "pobj":
            gov = v.head(gov)
        speakers = [a for a in args if a.role == "speaker"]
        pronoun_only = bool(speakers) and all(a.text.lower() in _POSSESSIVE_PRONOUNS for a in speakers)
        if gov != h and v.pos(gov) in ("VERB", "AUX") and (not speakers or pronoun_only):
            subj = _subject(v, gov)
            if subj is not None and subj != h and h not in v.subtree(subj):
                named = _people_args(v, "speaker", subj)
                if named and (not pronoun_only or _is_named(v, subj)):
                    args = [a for a in args if a not in speakers] + named
            if v.lemma(gov) in ("say", "tell", "state", "add", "announce", "write"):
                content = v.kid(gov, "ccomp")
                if content is not None and (c := _content_from(v, content)) is not None:
                    args.append(c)
        acl = v.kid(h, "acl", "relcl")
        if acl is not None and v.lemma(acl) in ("say", "announce", "state", "claim", "declare", "warn"):
            content = v.kid(acl, "ccomp")
            if content is not None and (c := _content_from(v, content)) is not None:
                args.append(c)
        if not any(a.role == "content" for a in args):
            # "the publication of the legal advice", "a statement on the budget deficit"
            for p in v.kids(h, "prep"):
                if v.word(p) in ("of", "on", "about") and not _is_medium(v, p):
                    for o in v.kids(p, "pobj") or v.kids(p, "pcomp"):
                        if (c := _content_from(v, o)) is not None:
                            args.append(c)
                    break
    else:
        # "custody" and "behind bars": the arrested are the subject or object of the verb
        gov = v.head(h)
        if v.dep(h) == "pobj":
            verb = v.head(gov)
            if v.pos(verb) in ("VERB", "AUX"):
                patient = _patient(v, verb)
                if patient is None and v.lemma(verb) in ("remain", "be", "stay", "spend", "languish", "die", "sit"):
                    patient = _subject(v, verb)
                if patient is not None and not any(a.role == "person" for a in args):
                    args += _people_args(v, "person", patient)
                agent = _agent(v, verb)
                if v.lemma(verb) in ("take", "put", "throw", "send", "place", "hold") and agent is not None:
                    args += _people_args(v, "agent", agent)
        if trig.type == "arrest":
            crime = _crime_of(v, h)
            if crime is not None and (a := _arg(v, "crime", crime)) is not None:
                args.append(a)
    return args


def _content_from(v: SentView, comp: int) -> ArgumentCandidate | None:
    toks = [t for t in v.subtree(comp) if not (v.dep(t) == "mark" and v.head(t) == comp)]
    span = v.char_span(toks)
    if span is None:
        return None
    return ArgumentCandidate(role="content", start=span[0], end=span[1], text=span[2])


def _token_at(v: SentView, offset: int) -> int | None:
    return v.token_at(offset)


def _dedupe(args: list[ArgumentCandidate]) -> list[ArgumentCandidate]:
    seen: set[tuple[str, int, int]] = set()
    out = []
    for a in args:
        key = (a.role, a.start, a.end)
        if key not in seen:
            seen.add(key)
            out.append(a)
    return out


# --- modality ----------------------------------------------------------------------------


#: Dependencies through which a governor's modality reaches the trigger ("plans to free",
#: "called for his release", "refused to release him"). Not nsubj: "the arrest has not
#: affected the company" is an asserted arrest.
_MODALITY_CLIMB = frozenset({"xcomp", "pobj", "pcomp", "prep", "dobj", "amod", "compound", "poss", "oprd", "attr"})


def _clause_chain(v: SentView, i: int) -> list[int]:
    """The trigger and the words governing it up to its own clause's top (no ccomp climb)."""
    chain = [i]
    cur = i
    for _ in range(v.n):
        dep = v.dep(cur)
        if v.head(cur) == cur:
            break
        infinitival = dep == "acl" and any(v.word(a) == "to" for a in v.kids(cur, "aux"))
        if dep in _MODALITY_CLIMB or infinitival:
            cur = v.head(cur)
            chain.append(cur)
            continue
        break
    return chain


def _demand_path(v: SentView, governor: int, child: int) -> bool:
    """ "call for X" and "call on Y to X" are demands; "call X a nightmare" is not."""
    if v.lemma(governor) != "call":
        return True
    return v.dep(child) == "xcomp" or (v.dep(child) == "prep" and v.word(child) in ("for", "on"))


def modality_of(v: SentView, trig: Trigger) -> tuple[Modality, list[str]]:
    """Return the modality of a trigger and the cues that decided it."""
    cues: dict[str, list[str]] = {m: [] for m in ("negated", "hypothetical", "planned", "uncertain", "generic")}
    if any(v.word(t).startswith("non") for t in trig.tokens[:1]) and len(trig.tokens) > 1:
        cues["negated"].append("non-")  # "non-publication"
    chain = _clause_chain(v, trig.head)
    for idx, tok in enumerate(chain):
        kids = v.children[tok]
        words = {v.word(c) for c in kids if v.dep(c) in ("neg", "advmod", "det", "preconj")}
        is_governor = idx > 0
        lemma = v.lemma(tok)
        if any(v.dep(c) == "neg" for c in kids):
            cues["negated"].append(f"neg on {v.word(tok)}")
        if not is_governor and ("no" in words or "never" in words):
            cues["negated"].append("no/never")
        if "never" in words:
            cues["negated"].append("never")
        if is_governor and lemma in lx.NEGATING_GOVERNORS:
            cues["negated"].append(f"governed by {lemma}")
        if (
            is_governor
            and (lemma in lx.DEMAND_GOVERNORS or lemma in lx.DEMAND_NOUNS)
            and _demand_path(v, tok, chain[idx - 1])
        ):
            cues["hypothetical"].append(f"demand {lemma}")
        if is_governor and lemma in lx.HEDGE_NOUNS and v.pos(tok) == "NOUN":
            cues["uncertain"].append(f"under {lemma}")
        if is_governor and lemma in lx.HEDGE_GOVERNORS:
            cues["uncertain"].append(f"governed by {lemma}")
        if is_governor and lemma in lx.PLANNING_GOVERNORS and v.pos(tok) in ("VERB", "ADJ", "NOUN"):
            cues["planned"].append(f"governed by {lemma}")
        auxes = [v.word(c) for c in kids if v.dep(c) in ("aux", "auxpass")]
        _modal_cues(auxes, v.tag(tok), cues)
        for c in kids:
            w = v.word(c)
            if v.dep(c) == "advmod" and w in lx.HEDGE_ADVERBS:
                cues["uncertain"].append(w)
            if v.dep(c) == "amod" and w in lx.HEDGE_AMODS:
                cues["uncertain"].append(w)
            if v.dep(c) == "amod" and w in lx.PLANNING_AMODS:
                cues["planned"].append(w)
            if v.dep(c) == "advmod" and w in lx.GENERIC_ADVERBS:
                cues["generic"].append(w)
            if v.dep(c) == "mark" and w in ("if", "unless", "whether"):
                cues["hypothetical"].append(w)
        if v.dep(tok) == "advcl" and any(v.word(m) in ("if", "unless") for m in v.kids(tok, "mark")):
            cues["hypothetical"].append("if-clause")
        for clause in v.kids(tok, "advcl"):
            # "would release them once their employer leaves", "would be freed if he took the offer"
            if any(v.word(m) in lx.CONDITION_MARKS for m in v.kids(clause, "mark")):
                cues["hypothetical"].append("condition")
        _generic_cues(v, tok, cues)
        if v.dep(tok) in ("ccomp", "advcl", "relcl", "conj", "ROOT", "parataxis"):
            if v.dep(tok) == "ccomp":
                _complement_cues(v, v.head(tok), cues)
            break
    for m in MODALITY_PRECEDENCE:
        if cues[m]:
            return m, cues[m]
    return "asserted", []


def _complement_cues(v: SentView, governor: int, cues: dict[str, list[str]]) -> None:
    """Modality a verb of hoping, denying or believing lends to the clause it governs."""
    lemma = v.lemma(governor)
    if lemma in lx.HOPE_GOVERNORS:
        cues["hypothetical"].append(f"complement of {lemma}")
    elif lemma in ("deny", "dismiss", "refute"):
        cues["negated"].append(f"complement of {lemma}")
    elif lemma in lx.HEDGE_GOVERNORS and lemma not in ("understand",):
        cues["uncertain"].append(f"complement of {lemma}")


def _generic_cues(v: SentView, tok: int, cues: dict[str, list[str]]) -> None:
    """Habitual present: "Microsoft announces flaws every month", "people get released when ..."."""
    if v.tag(tok) not in ("VBZ", "VBP") or v.kids(tok, "aux", "auxpass"):
        if not (v.tag(tok) == "VBN" and any(v.word(a) in ("get", "gets", "is", "are") for a in v.kids(tok, "auxpass"))):
            return
        if not any(v.tag(a) in ("VBZ", "VBP") for a in v.kids(tok, "auxpass")):
            return
    for c in v.children[tok]:
        dets = {v.word(d) for d in v.kids(c, "det")}
        if v.dep(c) in ("npadvmod", "advmod") and dets & {"every", "each"}:
            cues["generic"].append("every")
        if v.dep(c) == "advcl" and any(v.word(m) in ("when", "whenever") for m in v.kids(c, "mark")):
            cues["generic"].append("when-clause")
        if v.dep(c) in ("dobj", "nsubjpass", "nsubj") and dets & {"any", "every", "all"}:
            cues["generic"].append(f"{sorted(dets)[0]} {v.word(c)}")


def _modal_cues(auxes: list[str], tag: str, cues: dict[str, list[str]]) -> None:
    if not auxes:
        return
    joined = " ".join(auxes)
    if "would" in auxes or "'d" in auxes:
        if "have" in auxes:
            cues["hypothetical"].append("would have")
        else:
            cues["planned"].append("would")
    if set(auxes) & lx.FUTURE_AUX:
        cues["planned"].append("will")
    if "may" in auxes or "might" in auxes:
        if "have" in auxes:
            cues["uncertain"].append("may have")
        else:
            cues["hypothetical"].append("may/might")
    for m in ("could", "should", "must", "can", "ought"):
        if m in auxes:
            if m == "could" and "have" in auxes:
                cues["hypothetical"].append("could have")
            elif m in ("must",) and "have" in auxes:
                cues["uncertain"].append("must have")
            elif m == "can":
                continue
            else:
                cues["hypothetical"].append(m)
    if joined.startswith("to") and not auxes[1:]:
        return


# --- attribution -------------------------------------------------------------------------


def attribution_of(v: SentView, trig: Trigger) -> ArgumentCandidate | None:
    """Who the sentence attributes the event to: "according to X", "X said/counted ..."."""
    # "according to X" anywhere in the sentence
    for i in v.tokens_with_word("according"):
        for p in v.kids(i, "prep"):
            for o in v.kids(p, "pobj"):
                return _source_arg(v, o)
    # climb from the trigger to a verb of saying/counting that governs it
    cur = trig.head
    for _ in range(v.n):
        head = v.head(cur)
        if head == cur:
            break
        dep = v.dep(cur)
        lemma = v.lemma(head)
        claims = lemma in lx.ATTRIBUTION_VERBS and dep in ("ccomp", "dobj", "parataxis", "xcomp", "conj")
        # "Liberty called for his release", "leaders alluded to a major release": the caller is the source
        demands = lemma in lx.DEMAND_GOVERNORS | lx.ALLUSION_VERBS and dep in ("prep", "dobj", "xcomp")
        if (claims or demands) and head != trig.head and v.pos(head) in ("VERB", "AUX"):
            if trig.type == "announcement" and v.lemma(head) in ("say", "tell", "add"):
                break
            subj = _subject(v, head)
            if subj is not None:
                return _source_arg(v, subj)
            break
        cur = head
    # "..., police said." parsed with the saying verb as the sentence root over the trigger
    root = v.root
    if (
        root != trig.head
        and v.lemma(root) in ("say", "tell", "report", "add", "confirm")
        and any(v.dep(c) in ("ccomp", "parataxis") for c in v.children[root])
        and root in v.ancestors(trig.head)
    ):
        subj = _subject(v, root)
        if subj is not None and subj not in (trig.head, *v.ancestors(trig.head)):
            return _source_arg(v, subj)
    return None


def _source_arg(v: SentView, i: int) -> ArgumentCandidate | None:
    """The source phrase; for "a count by Foro Penal" the named actor inside it."""
    if v.ent(i) == "" and v.lemma(i) in _REPORT_NOUNS:
        for t in v.subtree(i):
            if v.ent(t) in ("ORG", "PERSON", "NORP", "GPE") and t != i:
                rng = v.entity_span_at(t)
                if rng is not None:
                    return _token_arg(v, "source", *rng)
    return _actor_arg(v, "source", i)


# --- the classifier ----------------------------------------------------------------------


def _trigger_stems() -> tuple[str, ...]:
    """Word beginnings of every trigger the rules know, for the parse-or-not test."""
    lemmas = (
        set(lx.ARREST_VERBS)
        | set(lx.ARREST_VERBS_HUMAN_OBJECT)
        | set(lx.ARREST_NOUNS)
        | set(lx.RELEASE_VERBS)
        | set(lx.RELEASE_NOUNS)
        | set(lx.ANNOUNCE_VERBS)
        | set(lx.ANNOUNCE_NOUNS)
        | set(lx.ANNOUNCE_COMPOUND_HEADS)
        | {"free", "hold", "address", "speech", "broadcast", "tweet", "bars"}
        | lx.CUSTODY_PLACES
    )
    stems = {lemma[:-1] if lemma.endswith("e") and len(lemma) > 4 else lemma for lemma in lemmas}
    # irregular forms of "hold", "seize", "capture" ... and of the verbs of posting
    stems |= {"held", "seiz", "caught", "nabb", "jailed", "freed", "posted", "wrote", "written", "writing", "posting"}
    stems |= {"bail", "surrender", "serv", "publish", "public"}
    stems |= {"report", "issu", "bulletin", "answer"}
    stems -= {"lock", "round", "post", "writ", "intern"}  # too common alone; their objects decide
    stems |= {"locked", "locking", "rounded", "rounding", "interned", "internment"}
    return tuple(sorted(stems))


def _conditional_stems() -> dict[str, frozenset[str]]:
    """Stems that are triggers only beside certain words, and those words.

    "reported" is an announcement only with results ("reported a profit"), "held" an
    arrest only with custody words; without the companion word the rules cannot fire,
    so the sentence need not be parsed.
    """
    custody = frozenset(lx.CUSTODY_CONTEXT | lx.AUTHORITIES | {"without", "hostage", "hostages"})
    people = frozenset(custody | lx.HUMAN_NOUNS | lx.HUMAN_PRONOUNS)
    media = frozenset(lx.MEDIUM_NOUNS | {"social", "online"})
    return {
        "report": frozenset(lx.REPORTED_FIGURES),
        "hold": custody,
        "held": people | {"by"},
        "free": people,
        "cell": custody,
        "serv": frozenset({"sentence", "term", "time"}),
        "public": frozenset({"make", "made", "making", "makes"}),
        "issu": frozenset(lx.ISSUED_NOUNS) | {"profit"},
        "posted": media,
        "posting": media,
        "wrote": media,
        "written": media,
        "writing": media,
        "tweet": media,
        "address": frozenset(lx.PUBLIC_ADDRESS_AMODS),
        "conferenc": frozenset({"news", "press"}),
        "briefing": frozenset({"news", "press", "media"}),
        "answer": frozenset({"parliamentary", "written"}),
    }


_CONDITIONAL = _conditional_stems()


class RulesClassifier(Classifier):
    """Dictionary-and-parse rules: the baseline every other classifier is compared with."""

    name = NAME
    _stems = _trigger_stems()
    _conditional = _CONDITIONAL
    _strong = tuple(stem for stem in _stems if stem not in _CONDITIONAL)
    _weak = tuple(_CONDITIONAL)

    def __init__(self, cfg: ClassifierConfig | None = None) -> None:
        self.cfg = cfg or ClassifierConfig()

    def needs_parse(self, words: Sequence[str]) -> bool:
        """True when a word of the sentence may be a trigger the rules can accept."""
        if any(w.startswith(self._strong) for w in words):
            return True
        present: set[str] | None = None
        for w in words:
            if w.startswith(self._weak):
                # plurals count as their singular: "individuals", "detainees"
                present = present if present is not None else set(words) | {x[:-1] for x in words if x.endswith("s")}
                companions = next(c for stem, c in self._conditional.items() if w.startswith(stem))
                if not present.isdisjoint(companions):
                    return True
        return False

    def classify(self, analyzed: AnalyzedArticle) -> list[EventCandidate]:
        """Return the event candidates of one article, in text order."""
        text = analyzed.article.text
        candidates: list[EventCandidate] = []
        custody = doc_has_custody_context(text)
        for sent in analyzed.sentences:
            if not sent.parsed:
                continue
            v = SentView(sent, text, doc_custody=custody)
            sentence_candidates = classify_sentence(v, self.name)
            offset = len(candidates)
            for cand in sentence_candidates:
                if cand.confidence < self.cfg.min_confidence:
                    continue
                candidates.append(cand.model_copy(update={"reports": [r + offset for r in cand.reports]}))
        return candidates


def classify_sentence(
    v: SentView, extractor: str = NAME, triggers: list[Trigger] | None = None
) -> list[EventCandidate]:
    """Return the event candidates of one parsed sentence.

    Args:
        v: the parsed sentence.
        extractor: versioned name recorded in provenance.
        triggers: triggers decided by another classifier; the rules' own when None.
            Arguments, modality and attribution come from the rules either way.

    Returns:
        Candidates in trigger order; ``reports`` indices are relative to this list.
    """
    if triggers is None:
        triggers = find_triggers(v)
    cands: list[EventCandidate] = []
    speakers: dict[int, ArgumentCandidate] = {}
    contents: dict[int, tuple[int, int]] = {}
    for trig in triggers:
        args, time, count = extract_arguments(v, trig)
        modality, _ = modality_of(v, trig)
        source = attribution_of(v, trig)
        if source is not None and not any(
            a.start <= source.start < a.end for a in args if a.role in ("speaker", "agent")
        ):
            args.append(source)
        trigger_span = v.char_span(trig.tokens)
        if trigger_span is None:
            continue
        idx = len(cands)
        if trig.type == "announcement":
            for a in args:
                if a.role == "speaker" and idx not in speakers:
                    speakers[idx] = a
                if a.role == "content":
                    contents[idx] = (a.start, a.end)
        cands.append(
            EventCandidate(
                type=trig.type,
                trigger=Span(text=trigger_span[2], start=trigger_span[0], end=trigger_span[1]),
                sentence_index=v.sent.index,
                modality=modality,
                arguments=args,
                time=time,
                count=count,
                confidence=round(trig.confidence, 3),
                extractor=extractor,
            )
        )
    # Link announcements to the events inside their content; the speaker becomes the source.
    linked: list[EventCandidate] = []
    reports: dict[int, list[int]] = {i: [] for i in contents}
    for j, cand in enumerate(cands):
        for i, (cs, ce) in contents.items():
            if i != j and cs <= cand.trigger.start and cand.trigger.end <= ce:
                reports[i].append(j)
                if i in speakers and not any(a.role == "source" for a in cand.arguments):
                    sp = speakers[i]
                    src = ArgumentCandidate(role="source", start=sp.start, end=sp.end, text=sp.text)
                    cands[j] = cand = cand.model_copy(update={"arguments": [*cand.arguments, src]})
    for j, cand in enumerate(cands):
        linked.append(cand.model_copy(update={"reports": reports.get(j, [])}) if reports.get(j) else cand)
    return linked


@register(NAME)
def make_rules(cfg: ClassifierConfig) -> Classifier:
    """Factory for ``rules.v1``."""
    return RulesClassifier(cfg)
