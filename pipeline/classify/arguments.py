"""Arguments of a trigger from the parse: participants, place, time, count, crime, content, medium."""

from __future__ import annotations

from pipeline.classify import lexicon as lx
from pipeline.classify import roles
from pipeline.classify.base import TriggerCandidate
from pipeline.classify.syntax import SentView
from pipeline.records import ArgumentCandidate, Span

_TIME_ENTS = frozenset({"DATE", "TIME"})
_PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
_ACTOR_ENTS = frozenset({"PERSON", "NORP", "ORG", "GPE"})
_POSSESSIVE_PRONOUNS = frozenset({"his", "her", "their", "its", "our", "my", "your"})
#: Trigger verbs whose subject is the person in custody.
_SUBJECT_IS_PERSON = frozenset({"serve", "surrender", "remain", "stay", "spend", "languish", "walk", "go"})


def _arg(v: SentView, role: str, i: int) -> ArgumentCandidate | None:
    span = v.phrase(i)
    if span is None:
        return None
    start, end, text = span
    return ArgumentCandidate(role=role, start=start, end=end, text=text)


def token_arg(v: SentView, role: str, lo: int, hi: int) -> ArgumentCandidate | None:
    span = v.char_span(list(range(lo, hi)))
    if span is None:
        return None
    return ArgumentCandidate(role=role, start=span[0], end=span[1], text=span[2])


def _sharing_chain(v: SentView, i: int) -> list[int]:
    """i and the verbs it shares modifiers with (through conj/advcl/xcomp heads)."""
    chain = [i]
    cur = i
    for _ in range(v.n):
        if v.dep(cur) not in roles.SHARING_DEPS or v.head(cur) == cur:
            break
        if v.dep(cur) == "advcl" and v.tag(cur) not in ("VBG", "VBN") and not _infinitive(v, cur):
            break
        cur = v.head(cur)
        chain.append(cur)
    return chain


def _infinitive(v: SentView, i: int) -> bool:
    return any(v.word(a) == "to" for a in v.kids(i, "aux"))


def _time_and_place(v: SentView, trig: TriggerCandidate) -> tuple[Span | None, list[int]]:
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
        toks = v.contiguous(h, toks)
        span = v.char_span(toks)
        if span is not None:
            is_date = any(v.ent(t) == "DATE" for t in toks)
            out.append((is_date, Span(text=span[2], start=span[0], end=span[1])))
    return out


#: Custody words that are states, not places ("remanded in custody" has no place).
_NOT_PLACES = frozenset({"custody", "detention", "captivity", "confinement", "arrest"})


def _places_of(v: SentView, owner: int) -> list[int]:
    """Places attached to ``owner``: named places, and places of custody or events
    ("at his hotel", "in a downtown Manhattan jail"); conjoined places each count."""
    out = []
    for p in v.kids(owner, "prep"):
        if v.word(p) in ("in", "at", "from", "near", "outside", "inside", "across", "throughout"):
            for o in v.kids(p, "pobj"):
                if v.ent(o) in _PLACE_ENTS or (
                    not v.ent(o) and v.lemma(o) in lx.PLACE_NOUNS and v.lemma(o) not in _NOT_PLACES
                ):
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


def count_of_span(v: SentView, start: int, end: int) -> Span | None:
    """The number heading a participant span: "two French hostages", "three of its commanders".

    The span's syntactic head is its token whose head lies outside it; the number is read
    from that token as for a parsed participant (:func:`_count_of`), also where the span
    leaves it out ("detainees" of "the 11 current terror detainees"). None when the span
    covers no token, has no single head, or its head carries no number.
    """
    first, last = v.token_at(start), v.token_at(end - 1)
    if first is None or last is None:
        return None
    inside = range(first, last + 1)
    heads = [i for i in inside if v.head(i) not in inside or v.head(i) == i]
    return _count_of(v, heads[0]) if len(heads) == 1 else None


def _num_span(v: SentView, i: int) -> Span | None:
    """The number with its hedges and parts: "more than 50", "at least 20", "3 million"."""
    below = set(v.subtree(i))
    toks = [i]
    while toks[0] - 1 in below and v.pos(toks[0] - 1) not in ("DET", "PUNCT"):
        toks.insert(0, toks[0] - 1)  # the hedge or number words before it, contiguous
    toks += [c for c in below if c > i and v.dep(c) in ("compound", "nummod", "quantmod") and c == toks[-1] + 1]
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


def _medium_of(v: SentView, trig: TriggerCandidate) -> ArgumentCandidate | None:
    owners = _sharing_chain(v, trig.head) if trig.verbal else [trig.head]
    for owner in owners:
        for p in v.kids(owner, "prep"):
            if v.word(p) in ("on", "in", "via", "at", "through", "during") and _is_medium(v, p):
                o = v.kids(p, "pobj")[0]
                if set(trig.tokens) & set(v.subtree(o)):
                    continue
                return _arg(v, "medium", o)
    return None


def actor_arg(v: SentView, role: str, i: int) -> ArgumentCandidate | None:
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
        if v.word(c) in roles.RELATIVE_PRONOUNS:
            continue  # an unresolved "that"/"which" names nobody
        a = actor_arg(v, role, c)
        if a is not None:
            out.append(a)
    return out


def extract_arguments(v: SentView, trig: TriggerCandidate) -> tuple[list[ArgumentCandidate], Span | None, Span | None]:
    """Return (arguments, time span, count span) of a trigger."""
    args: list[ArgumentCandidate] = []
    count: Span | None = None
    h = trig.head
    if trig.verbal:
        agent = roles.agent(v, h) if v.dep(h) != "amod" else None
        patient = roles.patient(v, h) if v.dep(h) != "amod" else v.head(h)
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


def _noun_args(v: SentView, trig: TriggerCandidate) -> list[ArgumentCandidate]:
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
            subj = roles.subject(v, gov)
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
                patient = roles.patient(v, verb)
                if patient is None and v.lemma(verb) in ("remain", "be", "stay", "spend", "languish", "die", "sit"):
                    patient = roles.subject(v, verb)
                if patient is not None and not any(a.role == "person" for a in args):
                    args += _people_args(v, "person", patient)
                agent = roles.agent(v, verb)
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
