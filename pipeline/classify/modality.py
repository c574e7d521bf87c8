"""Modality of a trigger from cues in its clause: negated, hypothetical, planned, uncertain, generic."""

from __future__ import annotations

from pipeline.classify import lexicon as lx
from pipeline.classify.base import TriggerCandidate
from pipeline.classify.syntax import SentView
from pipeline.records import Modality

#: When cues of several modalities apply, the first wins (corpus/GUIDELINES.md, section 2).
MODALITY_PRECEDENCE: tuple[Modality, ...] = ("negated", "hypothetical", "planned", "uncertain", "generic")


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


def modality_of(v: SentView, trig: TriggerCandidate) -> tuple[Modality, list[str]]:
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
