"""Navigation over a parsed Sentence record: children, subtrees, noun-phrase spans."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from functools import cached_property

from pipeline.classify.lexicon import CUSTODY_CONTEXT
from pipeline.records import Sentence

#: Dependents left out of an argument span: they add clauses, not the participant's name.
_SPAN_EXCLUDED_DEPS = frozenset({"relcl", "appos", "acl", "advcl", "punct", "cc", "conj", "parataxis", "prep", "dep"})
_EDGE_STRIP_POS = frozenset({"PUNCT", "CCONJ", "SPACE"})
_EDGE_STRIP_WORDS = frozenset({"“", "”", '"', "'", "‘", "’", ",", "(", ")", "-", "—", "–"})
#: Punctuation that joins words inside a name or phrase ("24-year-old", "AC/DC").
_JOINING_PUNCT = frozenset({"-", "–", "/", "&", "'", "’", "."})
#: Heads whose "of"-phrase names the participant ("one of the prisoners", "leader of the party").
_OF_HEADS = frozenset({
    "one", "two", "three", "some", "many", "most", "all", "none", "each", "several", "group", "number",
    "dozens", "hundreds", "thousands", "scores", "members", "member", "leader", "head", "chief", "president",
    "total", "batch", "handful", "majority", "couple", "pair", "dozen", "rest", "wave", "string",
    "director", "chairman", "founder", "son", "daughter", "wife", "husband", "father", "mother", "brother",
    "sister", "family", "families", "relatives", "supporters", "citizens", "nationals", "residents",
    "employees", "staff", "crew", "minister", "secretary", "governor", "mayor", "ministry", "department",
    "government", "office", "spokesman", "spokeswoman", "spokesperson", "others",
})  # fmt: skip
_HONORIFICS = frozenset({"mr", "mr.", "ms", "ms.", "mrs", "mrs.", "dr", "dr.", "miss", "sir", "dame", "lord", "lady"})


class SentView:
    """Read-only helpers over one parsed sentence.

    Token indices are relative to the sentence; character offsets are absolute.
    """

    def __init__(self, sent: Sentence, text: str, doc_custody: bool = False) -> None:
        self.sent = sent
        self.text = text
        self.n = len(sent.words)
        self.doc_custody = doc_custody

    @cached_property
    def custody_context(self) -> bool:
        """True when the sentence or its document speaks of custody (prison, bail ...)."""
        if self.doc_custody:
            return True
        return any(
            w.lower() in CUSTODY_CONTEXT or lem.lower() in CUSTODY_CONTEXT
            for w, lem in zip(self.sent.words, self.sent.lemmas, strict=True)
        )

    @cached_property
    def children(self) -> list[list[int]]:
        """Children of each token, in order."""
        kids: list[list[int]] = [[] for _ in range(self.n)]
        for i, head in enumerate(self.sent.heads):
            if 0 <= head < self.n and head != i:
                kids[head].append(i)
        return kids

    @cached_property
    def root(self) -> int:
        """The root token (the first token that heads itself)."""
        return next((i for i in range(self.n) if self.head(i) == i), 0)

    @cached_property
    def _by_word(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        for i, w in enumerate(self.sent.words):
            index.setdefault(w.lower(), []).append(i)
        return index

    def tokens_with_word(self, word: str) -> list[int]:
        """Indices of the tokens whose lower-cased text is ``word``."""
        return self._by_word.get(word, [])

    def token_at(self, offset: int) -> int | None:
        """The token covering absolute character ``offset`` (binary search)."""
        starts = self.sent.starts
        lo = bisect.bisect_right(starts, offset) - 1
        if lo >= 0 and offset < self.end(lo):
            return lo
        return None

    def head(self, i: int) -> int:
        """The head of token i (itself for the root)."""
        h = self.sent.heads[i]
        return h if 0 <= h < self.n else i

    def lemma(self, i: int) -> str:
        """Lower-cased lemma of token i."""
        return self.sent.lemmas[i].lower()

    def word(self, i: int) -> str:
        """Lower-cased word of token i."""
        return self.sent.words[i].lower()

    def dep(self, i: int) -> str:
        """Dependency label of token i."""
        return self.sent.deps[i]

    def pos(self, i: int) -> str:
        """Coarse part of speech of token i."""
        return self.sent.pos[i]

    def tag(self, i: int) -> str:
        """Fine-grained tag of token i."""
        return self.sent.tags[i]

    def ent(self, i: int) -> str:
        """Entity label of token i ('' outside entities)."""
        return self.sent.ent_types[i]

    def start(self, i: int) -> int:
        """Absolute start offset of token i."""
        return self.sent.starts[i]

    def end(self, i: int) -> int:
        """Absolute end offset of token i."""
        return self.sent.starts[i] + len(self.sent.words[i])

    @cached_property
    def _kids_by_dep(self) -> list[dict[str, list[int]]]:
        index: list[dict[str, list[int]]] = [{} for _ in range(self.n)]
        for i, kids in enumerate(self.children):
            for c in kids:
                index[i].setdefault(self.sent.deps[c], []).append(c)
        return index

    def kids(self, i: int, *deps: str) -> list[int]:
        """Children of i with one of ``deps`` (all children when none given), in order."""
        if not deps:
            return self.children[i]
        by_dep = self._kids_by_dep[i]
        if len(deps) == 1:
            return by_dep.get(deps[0], [])
        return sorted(c for d in deps for c in by_dep.get(d, []))

    def kid(self, i: int, *deps: str) -> int | None:
        """First child of i with one of ``deps``."""
        found = self.kids(i, *deps)
        return found[0] if found else None

    def ancestors(self, i: int) -> Iterator[int]:
        """Heads of i up to the root (bounded by sentence length: no cycles)."""
        seen = 0
        cur = i
        while seen < self.n:
            h = self.head(cur)
            if h == cur:
                return
            yield h
            cur = h
            seen += 1

    def subtree(self, i: int, exclude: frozenset[str] = frozenset()) -> list[int]:
        """Token indices of the subtree of i, without children whose dep is in ``exclude``."""
        out: list[int] = []
        stack = [i]
        while stack:
            cur = stack.pop()
            out.append(cur)
            for c in self.children[cur]:
                if c != i and self.dep(c) not in exclude:
                    stack.append(c)
        return sorted(out)

    def char_span(self, tokens: list[int]) -> tuple[int, int, str] | None:
        """Return (start, end, text) covering ``tokens`` contiguously, edges trimmed."""
        toks = sorted(tokens)
        while toks and (self.pos(toks[0]) in _EDGE_STRIP_POS or self.sent.words[toks[0]] in _EDGE_STRIP_WORDS):
            toks.pop(0)
        while toks and (
            self.pos(toks[-1]) in _EDGE_STRIP_POS
            or self.sent.words[toks[-1]] in _EDGE_STRIP_WORDS
            or self.dep(toks[-1]) == "case"
        ):
            toks.pop()
        if not toks:
            return None
        start, end = self.start(toks[0]), self.end(toks[-1])
        return start, end, self.text[start:end]

    def phrase(self, i: int, keep_of: bool = True) -> tuple[int, int, str] | None:
        """The noun-phrase span headed by i, without clauses, appositions and conjuncts.

        ``of``-phrases are kept ("leader of the opposition") when ``keep_of``.
        """
        named = self.entity_span_at(i)
        if named is not None and self.ent(i) in ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"):
            # a name says it all: "Macaulay Culkin", not "Former child star Macaulay Culkin"
            lo, hi = named
            if lo > 0 and self.word(lo - 1) in _HONORIFICS:
                lo -= 1
            if lo > 0 and self.word(lo - 1) == "the" and self.ent(i) != "PERSON":
                lo -= 1
            return self.char_span(list(range(lo, hi)))
        toks = self.subtree(i, exclude=_SPAN_EXCLUDED_DEPS - {"punct"})
        toks = [t for t in toks if self.dep(t) != "punct" or self._joins(t)]
        if keep_of and (self.lemma(i) in _OF_HEADS or self.word(i) in _OF_HEADS or self.pos(i) == "NUM"):
            for p in self.kids(i, "prep"):
                if self.word(p) == "of":
                    toks.extend(self.subtree(p, exclude=_SPAN_EXCLUDED_DEPS))
        toks = self.contiguous(i, sorted(set(toks)))
        return self.char_span(toks)

    def _joins(self, t: int) -> bool:
        """True for punctuation inside a word ("24-year-old"), not between words ("AP - Iraqi")."""
        if self.word(t) not in _JOINING_PUNCT or t == 0 or t + 1 >= self.n:
            return False
        return self.end(t - 1) == self.start(t) and self.end(t) == self.start(t + 1)

    def contiguous(self, i: int, toks: list[int]) -> list[int]:
        """Keep the contiguous run of tokens around i (drops far-flung dependents)."""
        if not toks:
            return toks
        pos = toks.index(i) if i in toks else 0
        lo = hi = pos
        while lo > 0 and toks[lo - 1] == toks[lo] - 1:
            lo -= 1
        while hi < len(toks) - 1 and toks[hi + 1] == toks[hi] + 1:
            hi += 1
        return toks[lo : hi + 1]

    def conjuncts(self, i: int) -> list[int]:
        """i and its conjuncts ("X and Y" -> [X, Y])."""
        out = [i]
        stack = [i]
        while stack:
            cur = stack.pop()
            for c in self.kids(cur, "conj"):
                if self.pos(c) in ("NOUN", "PROPN", "PRON", "NUM") and c not in out:
                    out.append(c)
                    stack.append(c)
        return out

    def entity_span_at(self, i: int) -> tuple[int, int] | None:
        """Token range [lo, hi) of the named entity covering token i."""
        if not self.ent(i):
            return None
        lo = i
        while lo > 0 and self.sent.ent_iobs[lo] == "I" and self.ent(lo - 1) == self.ent(i):
            lo -= 1
        hi = i + 1
        while hi < self.n and self.sent.ent_iobs[hi] == "I":
            hi += 1
        return lo, hi

    def is_passive(self, i: int) -> bool:
        """True for a passive verb (auxpass or nsubjpass child)."""
        return bool(self.kids(i, "auxpass", "nsubjpass"))
