"""``rules.v1``: the rules trigger detector, whose own lexicon decides which sentences to parse.

Triggers come from :mod:`.triggers`; arguments, modality and attribution from the shared
interpretation stage (:mod:`.interpret`).
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.classify import lexicon as lx
from pipeline.classify.base import DetectAndInterpret, TriggerCandidate, TriggerDetector, register
from pipeline.classify.context import doc_has_custody_context
from pipeline.classify.interpret import ParseInterpreter
from pipeline.classify.syntax import SentView
from pipeline.classify.triggers import find_triggers
from pipeline.config import ClassifierConfig
from pipeline.records import AnalyzedArticle

NAME = "rules.v1"


def trigger_stems() -> tuple[str, ...]:
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


def conditional_stems() -> dict[str, frozenset[str]]:
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


_STEMS = trigger_stems()
_CONDITIONAL = conditional_stems()


class RulesDetector(TriggerDetector):
    """Triggers from lemmas and the parse (:mod:`.triggers`); parses only sentences its lexicon may match."""

    name = NAME
    #: Word beginnings of every trigger the rules know (:func:`trigger_stems`).
    STEMS: tuple[str, ...] = _STEMS
    #: Stems that are triggers only beside certain words, and those words (:func:`conditional_stems`).
    CONDITIONAL: dict[str, frozenset[str]] = _CONDITIONAL
    _strong = tuple(stem for stem in _STEMS if stem not in _CONDITIONAL)
    _weak = tuple(_CONDITIONAL)

    def needs_parse(self, words: Sequence[str]) -> bool:
        """True when a word of the sentence may be a trigger the rules can accept."""
        if any(w.startswith(self._strong) for w in words):
            return True
        present: set[str] | None = None
        for w in words:
            if w.startswith(self._weak):
                # plurals count as their singular: "individuals", "detainees"
                present = present if present is not None else set(words) | {x[:-1] for x in words if x.endswith("s")}
                companions = next(c for stem, c in self.CONDITIONAL.items() if w.startswith(stem))
                if not present.isdisjoint(companions):
                    return True
        return False

    def detect(self, analyzed: AnalyzedArticle) -> list[TriggerCandidate]:
        """Return the triggers of one article's parsed sentences, in sentence then token order."""
        text = analyzed.article.text
        custody = doc_has_custody_context(text)
        triggers: list[TriggerCandidate] = []
        for sent in analyzed.sentences:
            if sent.parsed:
                triggers += find_triggers(SentView(sent, text, doc_custody=custody))
        return triggers


class RulesClassifier(DetectAndInterpret):
    """Dictionary-and-parse rules: the baseline every other classifier is compared with."""

    def __init__(self, cfg: ClassifierConfig | None = None) -> None:
        super().__init__(RulesDetector(), ParseInterpreter(), cfg or ClassifierConfig())


@register(NAME)
def make_rules(cfg: ClassifierConfig) -> RulesClassifier:
    """Factory for ``rules.v1``."""
    return RulesClassifier(cfg)
