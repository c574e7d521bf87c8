"""Grammatical roles in a parsed sentence: the subject, agent and patient of a verb."""

from __future__ import annotations

from pipeline.classify.syntax import SentView

#: Dependencies through which a verb shares its subject, time and place with its head.
SHARING_DEPS = frozenset({"conj", "xcomp", "advcl", "pcomp"})
RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})


def patient(v: SentView, i: int) -> int | None:
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
            return resolve_relative(v, subj)
        if v.dep(cur) == "acl" and v.tag(cur) == "VBN":
            return v.head(cur)
        if v.dep(cur) == "conj" and v.head(cur) != cur and v.pos(v.head(cur)) == "VERB":
            cur = v.head(cur)
            continue
        return None
    return None


def agent(v: SentView, i: int) -> int | None:
    """The doer of verb i: active subject, ``by``-agent of a passive, or an inherited subject."""
    if v.is_passive(i):
        for a in v.kids(i, "agent"):
            objs = v.kids(a, "pobj")
            if objs:
                return objs[0]
        return None
    return subject(v, i)


def subject(v: SentView, i: int) -> int | None:
    """The subject of verb i, inherited through conj/xcomp/advcl chains when absent."""
    cur = i
    for _ in range(v.n):
        subj = v.kid(cur, "nsubj")
        if subj is not None:
            return resolve_relative(v, subj)
        if v.dep(cur) in ("relcl",) and v.head(cur) != cur:
            return v.head(cur)
        if v.dep(cur) not in SHARING_DEPS or v.head(cur) == cur:
            return None
        if v.dep(cur) == "advcl" and v.tag(cur) not in ("VBG", "VBN"):
            return None
        cur = v.head(cur)
    return None


def resolve_relative(v: SentView, i: int) -> int:
    """Map a relative pronoun subject to the noun its clause modifies."""
    if v.word(i) in RELATIVE_PRONOUNS:
        clause = v.head(i)
        if v.dep(clause) == "relcl":
            return v.head(clause)
    return i
