"""Referents of pronouns and descriptions: a learned choice among the article's named entities.

A participant given as "he", "its", "they", "we" or "the company" names nobody by itself;
aggregating events by actor needs whom it stands for. :func:`referent_options` lists the
named entities of the article that it may refer to (those mentioned up to
:data:`WINDOW_BEFORE` characters before it or :data:`WINDOW_AFTER` after it), plus "none".
Each option has features: the phrase's class (male, female, neuter, plural, first person,
organization or person description, ...) crossed with the entity's label and gender, how
far back the entity was last mentioned (same sentence, sentence before, rank among the
candidates), how often and how early the article names it, and whether a description's
head word is in its name ("the bank" -> "Merchants National Bank"). A conditional logit
(``models/referents.v1``, trained by ``scripts/train_referents.py`` on the referents
annotated for train in ``corpus/gold/referents.jsonl``) scores the options; the best wins.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.normalize.actors import Resolution, fold
from pipeline.normalize.linear import LinearScorer, read_weights, shipped
from pipeline.records import Entity

ARTIFACT = "referents.v1"
WEIGHTS_FILE = "weights.json"
#: How far before the phrase (characters) an entity's mention makes it a candidate.
WINDOW_BEFORE = 2000
#: How far after it: "In a statement, it said ... the bank said"; "'We ...,' Chrysler said".
WINDOW_AFTER = 400
#: Entity labels a participant can refer to (LOC and FAC fold into GPE and ORG).
LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "GPE", "NORP": "NORP", "FAC": "ORG"}

_MALE = frozenset({"he", "him", "his", "himself"})
_FEMALE = frozenset({"she", "her", "hers", "herself"})
_NEUTER = frozenset({"it", "its", "itself"})
_PLURAL = frozenset({"they", "them", "their", "theirs", "themselves"})
_FIRST = frozenset({"i", "me", "my", "mine", "we", "us", "our", "ours"})
_DETERMINERS = frozenset({"the", "this", "that", "these", "those", "his", "her", "its", "their", "our", "my"})
#: Head nouns of descriptions, by what they describe.
_ORG_HEADS = frozenset({
    "company", "firm", "bank", "group", "agency", "maker", "carrier", "airline", "retailer", "insurer",
    "lender", "concern", "unit", "producer", "board", "corporation", "conglomerate", "giant", "operator",
    "network", "newspaper", "paper", "organisation", "organization", "party", "club", "team", "court",
    "exchange", "fund", "manufacturer", "developer", "automaker", "carmaker", "chain", "subsidiary",
    "utility", "provider", "broker", "brokerage", "bloc", "alliance", "union", "association", "institute",
})  # fmt: skip
_GOV_HEADS = frozenset({
    "government", "ministry", "police", "authorities", "army", "military", "regime", "administration",
    "junta", "state", "country", "nation", "kingdom", "republic", "cabinet", "department", "office",
    "parliament", "congress", "senate", "forces", "prosecutors", "prosecution",
})  # fmt: skip
_POSSESSIVE = re.compile(r"(’s|'s|’|')$")
_IRREGULAR_PLURALS = frozenset({"men", "women", "people", "children", "police", "staff", "crew"})
#: The entity labels each kind of phrase can stand for: "he" is never a company or a drug.
COMPATIBLE = {
    "male": frozenset({"PERSON"}),
    "female": frozenset({"PERSON"}),
    "desc_person": frozenset({"PERSON"}),
    "neuter": frozenset({"ORG", "GPE", "NORP"}),
    "desc_org": frozenset({"ORG"}),
    "desc_gov": frozenset({"GPE", "ORG", "NORP"}),
    "first": frozenset({"PERSON", "ORG", "GPE"}),
    "plural": frozenset({"PERSON", "ORG", "GPE", "NORP"}),
    "desc_plural": frozenset({"PERSON", "ORG", "GPE", "NORP"}),
}


def referent_class(phrase: str) -> str | None:
    """The kind of referring phrase ("male", "neuter", "desc_org", ...), or None for a name."""
    words = [_POSSESSIVE.sub("", w) for w in phrase.split()]
    words = [w for w in words if w]
    if not words:
        return None
    first = fold(words[0])
    if len(words) == 1:
        for cls, vocab in (("male", _MALE), ("female", _FEMALE), ("neuter", _NEUTER), ("plural", _PLURAL)):
            if first in vocab:
                return cls
        return "first" if first in _FIRST else None
    if first not in _DETERMINERS or any(w[:1].isupper() for w in words[1:]):
        return None
    head = fold(words[-1])
    if head in _ORG_HEADS:
        return "desc_org"
    if head in _GOV_HEADS:
        return "desc_gov"
    plural = head in _IRREGULAR_PLURALS or (head.endswith("s") and not head.endswith("ss"))
    return "desc_plural" if plural else "desc_person"


@dataclass(frozen=True)
class ReferentOption:
    """One entity a phrase may stand for (None: it stands for no named entity), with its features."""

    entity: Entity | None
    features: dict[str, float]


def referent_options(
    resolution: Resolution,
    text: str,
    sentence_starts: Sequence[int],
    start: int,
    end: int,
    phrase: str,
    role: str,
) -> list[ReferentOption]:
    """The options of a referring phrase at [start, end): candidate entities, then "none".

    Args:
        resolution: the article's named entities.
        text: the article text.
        sentence_starts: the start offsets of the article's sentences, ascending.
        start: the phrase's start offset.
        end: its end offset.
        phrase: its text.
        role: its argument role.

    Returns:
        An empty list when the phrase is a name (no referent to choose).
    """
    cls = referent_class(phrase)
    if cls is None:
        return []
    head = fold(_POSSESSIVE.sub("", phrase.split()[-1])) if len(phrase.split()) > 1 else ""
    here = _sentence_index(sentence_starts, start)
    first_sentence_end = sentence_starts[1] if len(sentence_starts) > 1 else math.inf
    found: list[tuple[Entity, str, int | None, int | None]] = []
    for entity in resolution.entities:
        label = LABELS.get(entity.label)
        if label is None or label not in COMPATIBLE[cls]:
            continue
        ends = [m.end for m in entity.mentions if m.end <= start and start - m.end <= WINDOW_BEFORE]
        starts = [m.start for m in entity.mentions if m.start >= end and m.start - end <= WINDOW_AFTER]
        if ends or starts:
            found.append((entity, label, max(ends) if ends else None, min(starts) if starts else None))
    recency = sorted((start - b, i) for i, (_, _, b, _) in enumerate(found) if b is not None)
    rank = {i: r for r, (_, i) in enumerate(recency)}
    label_rank: dict[int, int] = {}
    seen: dict[str, int] = {}
    for _, i in recency:
        label = found[i][1]
        label_rank[i] = seen.get(label, 0)
        seen[label] = label_rank[i] + 1
    gender = {id(entity): g for _, entity, g in resolution.people}
    options = []
    for i, (entity, label, before, after) in enumerate(found):
        f: dict[str, float] = {f"{cls}|{label}": 1.0, f"role={role}|{label}": 1.0}
        if label == "PERSON":
            f[f"{cls}|gender={gender.get(id(entity)) or 'u'}"] = 1.0
        if before is not None:
            f["log_chars_before"] = math.log1p((start - before) / 100)
            last = max((m for m in entity.mentions if m.end == before), key=lambda m: m.start)
            if last.start - sentence_starts[_sentence_index(sentence_starts, last.start)] <= _SUBJECT_REACH:
                f["last_mention_opens_sentence"] = 1.0  # most often the subject
            if _SAID.match(text, before):
                f["last_mention_said"] = 1.0
            gap = here - _sentence_index(sentence_starts, before - 1)
            f[f"sentences_before={min(gap, 2)}"] = 1.0
            f[f"{cls}|rank={min(rank[i], 2)}"] = 1.0
            f[f"{cls}|label_rank={min(label_rank[i], 2)}"] = 1.0
        else:
            f["after_only"] = 1.0
            f[f"{cls}|after_only"] = 1.0
            f["log_chars_after"] = math.log1p(((after or end) - end) / 100)
        f["log_mentions"] = math.log1p(len(entity.mentions))
        if entity.mentions[0].start < first_sentence_end:
            f["in_first_sentence"] = 1.0
        if head and head in fold(entity.name).split():
            f["head_in_name"] = 1.0
        if fold(entity.name) in _REPORTERS:
            f["news_agency"] = 1.0
        options.append(ReferentOption(entity, f))
    options.append(ReferentOption(None, {f"none|{cls}": 1.0, f"none|role={role}": 1.0}))
    return options


#: A mention this close to its sentence's start is taken for the sentence's subject.
_SUBJECT_REACH = 12
#: A mention followed by a verb of saying ("Blair said", "Intuit, the tax software maker, said").
_SAID = re.compile(r"[^.;\n]{0,60}?\b(said|says|told|announced|added)\b")
_REPORTERS = frozenset({"reuters", "ap", "afp", "bloomberg", "dow jones", "xinhua", "kyodo", "yonhap", "bbc", "cnn"})


def _sentence_index(starts: Sequence[int], offset: int) -> int:
    return max(bisect.bisect_right(starts, offset) - 1, 0)


_LAST_WORD = re.compile(r"(\w+)\.$")
_ABBREVIATIONS = frozenset({
    "Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Sen", "Rep", "Gov", "Lt", "Col", "Capt", "Sgt", "Prof", "Rev",
    "Inc", "Corp", "Co", "Ltd", "Jr", "Sr", "No", "Nos", "Mt", "Ft", "Jan", "Feb", "Mar", "Apr", "Aug",
    "Sept", "Sep", "Oct", "Nov", "Dec", "vs", "Bros", "Cos",
})  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]*[A-Z0-9])|\n\s*")


def text_sentence_starts(text: str) -> list[int]:
    """Where the sentences of a text begin, by punctuation and line breaks.

    The chooser's sentence features use this plain split rather than the NLP stage's
    sentences, so that the gold side of the evaluation, which has only the text, reads
    the same features as the pipeline.
    """
    starts = [0]
    for m in _SENTENCE_END.finditer(text):
        if m.end() >= len(text):
            break
        word = _LAST_WORD.search(text, max(0, m.start() - 24), m.start() + 1)
        if text[m.start()] == "." and word is not None and (len(word.group(1)) == 1 or word.group(1) in _ABBREVIATIONS):
            continue  # "Mr. Guanipa", "U.S. officials", "Corp. said"
        starts.append(m.end())
    return starts


class Referents:
    """What the referring phrases of one article stand for.

    Args:
        text: the article text.
        resolution: its named entities.
        chooser: the scorer (default: the shipped ``models/referents.v1``, loaded on first use).
    """

    def __init__(self, text: str, resolution: Resolution, chooser: ReferentChooser | None = None) -> None:
        self.resolution = resolution
        self.text = text
        self.starts = text_sentence_starts(text)
        self._chooser = chooser

    def resolve(self, start: int, end: int, phrase: str, role: str) -> Entity | None:
        """The named entity a pronoun or description at [start, end) stands for, or None."""
        options = referent_options(self.resolution, self.text, self.starts, start, end, phrase, role)
        if not options:
            return None
        return (self._chooser or load_referent_chooser()).choose(options)


class ReferentChooser(LinearScorer):
    """A linear scorer of :class:`ReferentOption` features; the highest-scoring option wins."""

    def score(self, option: ReferentOption) -> float:
        """The option's score: the sum of its features' weights times their values."""
        return self.score_features(option.features)

    def choose(self, options: Sequence[ReferentOption]) -> Entity | None:
        """The entity of the best option (None when "none" wins or there are no options)."""
        if not options:
            return None
        return max(options, key=self.score).entity  # max keeps the first of equal scores


@functools.cache
def load_referent_chooser(folder: str | None = None) -> ReferentChooser:
    """The trained chooser of an artifact folder (the shipped one by default), read once."""
    path = Path(folder or shipped(ARTIFACT)) / WEIGHTS_FILE
    return ReferentChooser(read_weights(path, "the referent chooser", "scripts/train_referents.py"))
