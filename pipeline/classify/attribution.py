"""Attribution of a trigger: the source a sentence credits with the claim ("according to X", "X said")."""

from __future__ import annotations

from pipeline.classify import arguments, roles
from pipeline.classify import lexicon as lx
from pipeline.classify.base import TriggerCandidate
from pipeline.classify.syntax import SentView
from pipeline.records import ArgumentCandidate

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


def attribution_of(v: SentView, trig: TriggerCandidate) -> ArgumentCandidate | None:
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
            subj = roles.subject(v, head)
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
        subj = roles.subject(v, root)
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
                    return arguments.token_arg(v, "source", *rng)
    return arguments.actor_arg(v, "source", i)
