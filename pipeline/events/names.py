"""Cross-document name keys: one key for "Mr. Kerviel" and "Jérôme Kerviel", a country-bound one for "the government".

A key folds case and accents ("Rodríguez" = "Rodriguez"), drops titles ("Mr.",
"President", "former"), possessives and suffixes ("Jr."), and maps common given-name
aliases ("Bernie" -> "bernard") and country aliases ("U.S." -> "united states"). Keys carry
their kind: ``person:jerome kerviel``, ``named:societe generale``, ``nominal:government``.
A ``nominal`` key is a common noun: it says nothing about identity across documents unless
both documents are about the same country (:mod:`pipeline.events.linking` adds it).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "NOMINAL_HEADS",
    "fold",
    "given_names_compatible",
    "key_kind",
    "key_name",
    "name_key",
    "name_tokens",
    "surname",
]

_TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "mister", "madam", "madame", "dr", "doctor", "prof", "professor", "sir", "dame",
    "lord", "lady", "president", "vice", "prime", "minister", "premier", "chancellor", "secretary", "senator", "sen",
    "rep", "representative", "congressman", "congresswoman", "governor", "gov", "mayor", "judge", "justice", "general",
    "gen", "colonel", "col", "captain", "capt", "lt", "lieutenant", "sgt", "sergeant", "maj", "major", "adm", "admiral",
    "king", "queen", "prince", "princess", "sheikh", "pope", "rev", "reverend", "father", "ayatollah", "cardinal",
    "bishop", "imam", "chief", "commander", "former", "ex", "late", "deputy", "interim", "acting", "speaker",
    "ambassador", "st", "saint", "mp", "mep", "opposition", "leader", "activist", "journalist", "lawyer", "tycoon",
    "financier", "trader", "dissident", "businessman", "businesswoman", "executive", "ceo", "chairman", "founder",
})  # fmt: skip
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "esq", "phd"})
_LEADING = frozenset({"the", "a", "an"})
#: Given names and their usual short forms, both mapped to one form.
_GIVEN_ALIASES = {
    "bernie": "bernard", "bill": "william", "billy": "william", "will": "william", "bob": "robert",
    "bobby": "robert", "rob": "robert", "jim": "james", "jimmy": "james", "mike": "michael", "tom": "thomas",
    "tony": "anthony", "dick": "richard", "rick": "richard", "joe": "joseph", "dan": "daniel", "danny": "daniel",
    "dave": "david", "steve": "steven", "stephen": "steven", "chris": "christopher", "ed": "edward",
    "ted": "edward", "alex": "alexander", "sam": "samuel", "ben": "benjamin", "nick": "nicholas",
    "pat": "patrick", "jerry": "gerald", "larry": "lawrence", "matt": "matthew", "andy": "andrew", "raj": "raj",
    "jeff": "jeffrey", "geoff": "geoffrey", "ken": "kenneth", "ron": "ronald", "don": "donald", "greg": "gregory",
    "vlad": "vladimir", "sasha": "alexander", "kate": "katherine", "liz": "elizabeth", "beth": "elizabeth",
}  # fmt: skip
_PLACE_ALIASES = {
    "us": "united states", "usa": "united states", "america": "united states", "united states of america":
    "united states", "uk": "united kingdom", "britain": "united kingdom", "great britain": "united kingdom",
    "un": "united nations", "eu": "european union", "ussr": "soviet union",
}  # fmt: skip
#: Heads of common-noun actors ("the government", "police"): no identity across countries.
NOMINAL_HEADS = frozenset({
    "government", "police", "authorities", "authority", "army", "military", "ministry", "court", "prosecutors",
    "prosecutor", "regime", "forces", "officials", "official", "groups", "group", "agency", "administration", "junta",
    "president", "judge", "company", "firm", "bank", "board", "committee", "commission", "council", "parliament",
    "congress", "opposition", "rebels", "militants", "kidnappers", "prisoners", "prisoner", "detainees", "people",
    "men", "women", "activists", "protesters", "demonstrators", "students", "journalists", "suspects", "hostages",
    "workers", "members", "leaders", "soldiers", "troops", "officers", "investigators", "regulators", "state",
    "country", "embassy", "spokesman", "spokeswoman", "spokesperson", "source", "sources", "statement", "media",
})  # fmt: skip
_POSSESSIVE = re.compile(r"(?:'s|')$")
_WORD = re.compile(r"[^\W_]+(?:[.'][^\W_]+)*\.?")
#: Labels of entities that name a person, an organization or a place (spaCy's).
_PERSON_LABELS = frozenset({"PERSON"})
_NAMED_LABELS = frozenset({"ORG", "GPE", "LOC", "FAC", "NORP"})


def fold(text: str) -> str:
    """Lower-case, strip accents and unify apostrophes: "Rodríguez" and "RODRIGUEZ" fold alike."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return text.casefold()


def name_tokens(name: str, titles: bool = True) -> list[str]:
    """Split a name into folded tokens without leading articles and titles, possessives or suffixes.

    "Mr. Jérôme Kerviel's" -> ["jerome", "kerviel"]; "Jean-Claude Juncker" -> ["jean", "claude", "juncker"].

    Args:
        name: the name as written.
        titles: drop leading titles ("Mr.", "President"): for people, not for "General Motors".
    """
    raw = name.replace("-", " ").split()
    # A heading in capitals before a name ("CUSTODY Kerviel" in a factbox) is no part of it.
    while len(raw) > 1 and len(raw[0]) > 1 and raw[0].isupper() and raw[0].isalpha() and not raw[1].isupper():
        raw.pop(0)
    words = [_POSSESSIVE.sub("", w).rstrip(".") for w in _WORD.findall(fold(" ".join(raw)))]
    words = [w.replace(".", "") for w in words if w]
    while words and ((titles and words[0] in _TITLES) or words[0] in _LEADING):
        words.pop(0)
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    return [w for w in words if w]


@lru_cache(maxsize=65536)
def name_key(name: str, label: str | None = None) -> str | None:
    """Return the cross-document key of a participant name, or None when it names nothing.

    Args:
        name: the most informative name of the participant ("Jérôme Kerviel", "the government").
        label: its entity label (PERSON, ORG, GPE, NOMINAL, ...), None when unresolved.

    Returns:
        ``person:GIVEN... SURNAME`` for people, ``named:...`` for organizations and places,
        ``nominal:HEAD`` for common nouns; None for pronouns, numbers and empty names.
    """
    tokens = name_tokens(name, titles=label not in _NAMED_LABELS)
    if not tokens or all(t.isdigit() for t in tokens):
        return None
    if label in _PERSON_LABELS:
        given = [_GIVEN_ALIASES.get(t, t) for t in tokens[:-1]]
        return "person:" + " ".join([*given, tokens[-1]])
    joined = " ".join(tokens)
    if label in _NAMED_LABELS:
        return "named:" + _PLACE_ALIASES.get(joined, joined)
    if tokens[-1] in NOMINAL_HEADS or label == "NOMINAL":
        return "nominal:" + tokens[-1]
    if label is None and _capitalized(name):
        # An unresolved proper name (gold arguments, or NER missed it): treat as a person name.
        given = [_GIVEN_ALIASES.get(t, t) for t in tokens[:-1]]
        return "person:" + " ".join([*given, tokens[-1]])
    return "nominal:" + tokens[-1]


def _capitalized(name: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w'.-]*", name) if fold(w).rstrip(".") not in _LEADING]
    return bool(words) and all(w[0].isupper() for w in words) and fold(words[-1]).rstrip(".") not in NOMINAL_HEADS


def key_kind(key: str) -> str:
    """``person``, ``named`` or ``nominal``."""
    return key.split(":", 1)[0]


def key_name(key: str) -> str:
    """The folded name part of a key."""
    return key.split(":", 1)[1]


def surname(key: str) -> str:
    """The last token of a key's name (a person's surname; the block of person keys)."""
    return key_name(key).rsplit(" ", 1)[-1]


@lru_cache(maxsize=65536)
def given_names_compatible(a: str, b: str) -> bool:
    """True when two person keys can name one person.

    The surnames must be equal; the given names of one must be a prefix of the other's,
    initials matching whole names ("j kerviel" = "jerome kerviel"), and a bare surname
    ("kerviel") is compatible with any given names.
    """
    ta, tb = key_name(a).split(), key_name(b).split()
    if ta[-1] != tb[-1]:
        return False
    ga, gb = ta[:-1], tb[:-1]
    for x, y in zip(ga, gb, strict=False):
        if x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y)):
            continue
        return False
    return True
