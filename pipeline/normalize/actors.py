"""Within-document actor resolution: named mentions -> entities with ids.

"Mr. Guanipa" joins "Juan Pablo Guanipa" (the name whose last word it is), "Ms.
Rodríguez" joins the Rodríguez last addressed as a woman, "U.S." joins "the United
States". Each entity gets an id that is a content hash of the document id and its name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from pipeline.records import Entity, EntityMention, Span, content_hash

RESOLVED_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})
_MALE_TITLES = {"mr", "sir", "lord", "king", "prince", "father", "brother", "mister"}
_FEMALE_TITLES = {"ms", "mrs", "miss", "madam", "lady", "queen", "princess", "sister", "dame"}
_OTHER_TITLES = {
    "dr", "prof", "president", "gen", "general", "col", "colonel", "capt", "captain", "lt",
    "sgt", "sen", "senator", "rep", "gov", "governor", "judge", "justice", "minister",
    "prime", "premier", "chancellor", "secretary", "mayor", "sheikh", "ayatollah", "rev",
    "reverend", "pope", "cardinal", "bishop", "imam", "chief", "commander", "vice", "former",
    "deputy", "interim", "acting", "speaker", "ambassador", "adm", "admiral", "maj", "major",
    "st", "saint", "cmdr", "supt", "inspector", "detective", "officer", "mp", "mep",
}  # fmt: skip
_ALIASES = {
    "us": "united states", "u.s.": "united states", "u.s": "united states", "usa": "united states",
    "u.s.a.": "united states", "america": "united states", "united states of america": "united states",
    "uk": "united kingdom", "u.k.": "united kingdom", "britain": "united kingdom",
    "great britain": "united kingdom", "un": "united nations", "u.n.": "united nations",
    "eu": "european union", "e.u.": "european union", "ussr": "soviet union",
}  # fmt: skip
_POSSESSIVE = re.compile(r"(’s|'s|’|')$")
_TITLE_BEFORE = re.compile(r"\b(Mr|Mrs|Ms|Miss|Sir|Lady|Dame|Mister|Madam)\.?\s+$")


def fold(text: str) -> str:
    """Lower-case and strip accents: "Rodríguez" and "Rodriguez" fold alike."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def _name_tokens(text: str) -> tuple[list[str], str | None]:
    """Split a person mention into folded name tokens and a gender from its title."""
    words = [w for w in re.split(r"\s+", _POSSESSIVE.sub("", text.strip())) if w]
    gender = None
    while words:
        w = fold(words[0]).rstrip(".")
        if w in _MALE_TITLES:
            gender = "m"
        elif w in _FEMALE_TITLES:
            gender = "f"
        elif w not in _OTHER_TITLES:
            break
        words.pop(0)
    return [fold(w).strip(".,") for w in words if fold(w).strip(".,")], gender


def clean_name(text: str) -> str:
    """The display form of a mention: no leading "the", no titles, no possessive."""
    words = [w for w in re.split(r"\s+", _POSSESSIVE.sub("", text.strip())) if w]
    while words and fold(words[0]).rstrip(".") in _MALE_TITLES | _FEMALE_TITLES | _OTHER_TITLES | {"the"}:
        words.pop(0)
    return " ".join(words) if words else text.strip()


@dataclass
class _Cluster:
    label: str
    tokens: list[str]
    name: str
    gender: str | None = None
    mentions: list[EntityMention] = field(default_factory=list)


#: Organizations that report the news rather than act in it: never what "it" refers to.
_REPORTERS = frozenset({"reuters", "ap", "afp", "bloomberg", "dow jones", "xinhua", "kyodo", "yonhap", "bbc", "cnn"})
_MALE_PRONOUNS = {"he", "him", "his", "himself"}
_FEMALE_PRONOUNS = {"she", "her", "hers", "herself"}
#: How far back (in characters) a pronoun looks for its antecedent.
PRONOUN_WINDOW = 600


@dataclass(frozen=True)
class Resolution:
    """The entities of a document and a lookup from mention span to entity."""

    entities: list[Entity]
    by_span: dict[tuple[int, int], Entity]
    #: (start, entity, gender) of every person mention, in text order.
    people: list[tuple[int, Entity, str | None]] = field(default_factory=list)

    def antecedent(self, start: int, pronoun: str) -> Entity | None:
        """The person a singular pronoun at ``start`` most likely refers to.

        The nearest preceding person mention within :data:`PRONOUN_WINDOW` characters
        whose known gender does not contradict the pronoun.
        """
        word = fold(pronoun)
        if word in _MALE_PRONOUNS:
            excluded = "f"
        elif word in _FEMALE_PRONOUNS:
            excluded = "m"
        else:
            return None
        for pos, entity, gender in reversed(self.people):
            if pos >= start:
                continue
            if start - pos > PRONOUN_WINDOW:
                return None
            if gender != excluded:
                return entity
        return None

    def organization_before(self, start: int) -> Entity | None:
        """The organization named last before ``start`` (within PRONOUN_WINDOW): what "it" or "the company" is."""
        best: tuple[int, Entity] | None = None
        for (ms, _), ent in self.by_span.items():
            if (
                ent.label == "ORG"
                and ms < start
                and start - ms <= PRONOUN_WINDOW
                and (best is None or ms > best[0])
                and fold(ent.name) not in _REPORTERS
            ):
                best = (ms, ent)
        return best[1] if best else None

    def entity_for(self, start: int, end: int) -> Entity | None:
        """The entity whose mention ends the span [start, end) (the phrase's head)."""
        best: Entity | None = None
        for (ms, me), ent in self.by_span.items():
            if start <= ms and me <= end and (me == end or me + 2 >= end) and (best is None or ms <= start):
                best = ent
        return best


def _title_gender(text: str, start: int) -> str | None:
    """Gender of a title just before a mention ("Ms. Machado": NER leaves the title out)."""
    m = _TITLE_BEFORE.search(text[max(0, start - 12) : start])
    if m is None:
        return None
    return "m" if fold(m.group(1)) in _MALE_TITLES else "f"


def resolve_actors(doc_id: str, mentions: list[EntityMention], text: str = "") -> Resolution:
    """Group the named mentions of one document into entities.

    Args:
        doc_id: the document id (part of each entity id).
        mentions: spaCy entity mentions in text order.
        text: the document text (titles before mentions tell genders).

    Returns:
        Entities (with all their mentions) and a span lookup.
    """
    people = [m for m in mentions if m.label == "PERSON"]
    others = [m for m in mentions if m.label in RESOLVED_LABELS and m.label != "PERSON"]
    clusters: list[_Cluster] = []
    assignment: dict[int, _Cluster] = {}

    # Pass 1: multi-word names found anywhere form the clusters.
    for idx, m in enumerate(people):
        tokens, gender = _name_tokens(m.text)
        gender = gender or _title_gender(text, m.start)
        if len(tokens) < 2:
            continue
        target = next(
            (c for c in clusters if tokens == c.tokens or _is_sub(tokens, c.tokens) or _is_sub(c.tokens, tokens)),
            None,
        )
        if target is None:
            target = _Cluster("PERSON", tokens, clean_name(m.text), gender)
            clusters.append(target)
        elif len(tokens) > len(target.tokens):
            target.tokens, target.name = tokens, clean_name(m.text)
        if gender and not target.gender:
            target.gender = gender
        assignment[idx] = target
    # Pass 2: single names join the best cluster, in text order (titles teach genders).
    for idx, m in enumerate(people):
        if idx in assignment:
            continue
        tokens, gender = _name_tokens(m.text)
        gender = gender or _title_gender(text, m.start)
        if not tokens:
            continue
        cands = [c for c in clusters if tokens[0] in c.tokens and c.gender in (None, gender or c.gender)]
        if cands:
            # a lone name is most often the surname: the last word of the full name;
            # then a cluster already addressed with the same title; then the most recent.
            pool = [c for c in cands if c.tokens[-1] == tokens[0]] or cands
            pool = [c for c in pool if gender and c.gender == gender] or pool
            target = max(pool, key=lambda c: _last_position(c, m.start))
        else:
            target = _Cluster("PERSON", tokens, clean_name(m.text), gender)
            clusters.append(target)
        if gender and not target.gender:
            target.gender = gender
        assignment[idx] = target
    for idx, m in enumerate(people):
        if idx in assignment:
            assignment[idx].mentions.append(m)

    by_key: dict[tuple[str, str], _Cluster] = {}
    for m in others:
        name = clean_name(m.text)
        key_name = fold(name)
        key_name = _ALIASES.get(key_name, key_name)
        label = "GPE" if m.label in ("GPE", "LOC") else m.label
        key = (label, key_name)
        if key not in by_key:
            cluster = _Cluster(label, [key_name], name)
            by_key[key] = cluster
            clusters.append(cluster)
        elif len(name) > len(by_key[key].name):
            by_key[key].name = name
        by_key[key].mentions.append(m)

    entities: list[Entity] = []
    by_span: dict[tuple[int, int], Entity] = {}
    for c in clusters:
        if not c.mentions:
            continue
        c.mentions.sort(key=lambda m: m.start)
        entity = Entity(
            entity_id=content_hash(doc_id, c.label, " ".join(c.tokens)),
            name=c.name,
            label=c.mentions[0].label,
            mentions=[Span(text=m.text, start=m.start, end=m.end) for m in c.mentions],
        )
        entities.append(entity)
        for m in c.mentions:
            by_span[(m.start, m.end)] = entity
    entities.sort(key=lambda e: e.mentions[0].start)
    gender_of = {id(c): c.gender for c in clusters}
    people_index = sorted(
        (m.start, by_span[(m.start, m.end)], gender_of[id(c)])
        for c in clusters
        if c.label == "PERSON"
        for m in c.mentions
    )
    return Resolution(entities=entities, by_span=by_span, people=people_index)


def _is_sub(short: list[str], long: list[str]) -> bool:
    """True when ``short`` is a contiguous run of ``long`` ending at its end or start."""
    n = len(short)
    if n == 0 or n > len(long):
        return False
    return long[-n:] == short or long[:n] == short


def _last_position(c: _Cluster, before: int) -> int:
    positions = [m.start for m in c.mentions if m.start < before]
    return max(positions) if positions else -1


#: Heads of common-noun actors that keep one identity within an article ("the government").
NOMINAL_ACTOR_HEADS = frozenset({
    "government", "police", "authorities", "authority", "army", "military", "ministry", "court",
    "prosecutors", "prosecutor", "regime", "forces", "officials", "groups", "group", "agency",
    "administration", "junta", "president", "judge", "company", "firm", "bank", "board", "committee",
    "commission", "council", "parliament", "congress", "opposition", "rebels", "militants", "kidnappers",
})  # fmt: skip
_POSSESSIVE_DETERMINERS = frozenset({"his", "her", "their", "its", "my", "our", "your"})
_LEADING = re.compile(r"^(the|a|an|this|that|these|those)\s+", re.IGNORECASE)


class NominalActors:
    """Gives entity ids to actors named by a description, within one document.

    "his father" joins the person it stands in apposition to anywhere in the article
    ("his father Juan Pablo Guanipa"); "the government" mentioned three times becomes one
    entity of label NOMINAL.

    Args:
        doc_id: the document id (part of each entity id).
        text: the document text.
        resolution: the named entities of the document.
    """

    def __init__(self, doc_id: str, text: str, resolution: Resolution) -> None:
        self.doc_id = doc_id
        self.text = text
        self.resolution = resolution
        self._person_starts = {start: ent for (start, _), ent in resolution.by_span.items() if ent.label == "PERSON"}
        self._nominals: dict[str, tuple[str, str, list[Span]]] = {}

    def resolve(self, start: int, end: int) -> Entity | None:
        """The entity a descriptive phrase at [start, end) refers to, or None."""
        phrase = self.text[start:end]
        if not phrase.strip() or fold(phrase) in _MALE_PRONOUNS | _FEMALE_PRONOUNS:
            return None
        alias = self.apposition(phrase)
        if alias is not None:
            return alias
        key = fold(_LEADING.sub("", phrase.strip()))
        head = key.split()[-1] if key.split() else ""
        if head not in NOMINAL_ACTOR_HEADS:
            return None
        entity_id, name, mentions = self._nominals.setdefault(
            key, (content_hash(self.doc_id, "NOMINAL", key), _LEADING.sub("", phrase.strip()), [])
        )
        mentions.append(Span(text=phrase, start=start, end=end))
        return Entity(entity_id=entity_id, name=name, label="NOMINAL", mentions=list(mentions))

    def apposition(self, phrase: str) -> Entity | None:
        """The person a relational phrase stands in apposition to anywhere in the article ("his father X")."""
        words = phrase.split()
        relational = 0 < len(words) <= 4 and (
            fold(words[0]) in _POSSESSIVE_DETERMINERS or any(w.endswith(("’s", "'s")) for w in words[:-1])
        )
        if not relational:
            return None  # "political prisoners, Ramón Guanipa Linares" is no apposition
        pattern = re.compile(re.escape(phrase) + r",?\s+", re.IGNORECASE)
        for m in pattern.finditer(self.text):
            entity = self._person_starts.get(m.end())
            if entity is not None:
                return entity
        return None

    def entities(self) -> list[Entity]:
        """The nominal entities seen so far, with all their mentions."""
        return [
            Entity(entity_id=eid, name=name, label="NOMINAL", mentions=sorted(ms, key=lambda s: s.start))
            for eid, name, ms in self._nominals.values()
        ]
