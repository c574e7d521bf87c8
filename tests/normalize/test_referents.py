"""Referents of pronouns and descriptions: classes, options, the chooser, its learner and the shipped weights."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from pipeline.normalize.actors import resolve_actors
from pipeline.normalize.referents import (
    ReferentChooser,
    ReferentOption,
    Referents,
    load_referent_chooser,
    referent_class,
    referent_options,
    text_sentence_starts,
)
from pipeline.records import Entity, EntityMention

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "train_referents.py"


@pytest.mark.parametrize(
    ("phrase", "cls"),
    [
        ("He", "male"),
        ("her", "female"),
        ("its", "neuter"),
        ("They", "plural"),
        ("we", "first"),
        ("The company's", "desc_org"),
        ("the government", "desc_gov"),
        ("the 24-year-old actor", "desc_person"),
        ("the two men", "desc_plural"),
        ("Juan Pablo Guanipa", None),
        ("Venezuela's government", None),  # a name in it: not a description
        ("the Treasury Department", None),
    ],
)
def test_referent_class(phrase: str, cls: str | None) -> None:
    assert referent_class(phrase) == cls


def test_sentences_are_split_at_stops_but_not_after_titles_initials_or_company_suffixes() -> None:
    text = 'Police held Mr. Guanipa. He was freed. "We are glad," she said.\nU.S. officials and Apple Inc. agreed.'
    starts = text_sentence_starts(text)
    assert [text[s:].split()[0] for s in starts] == ["Police", "He", '"We', "U.S."]


TEXT = (
    "Intuit Inc. posted a loss on Tuesday, chief executive Brad Smith said. "
    "The company said it would cut jobs. He declined to comment. Reuters reported it first."
)


def _entities() -> list[EntityMention]:
    spans = [("Intuit Inc.", "ORG"), ("Brad Smith", "PERSON"), ("Reuters", "ORG")]
    return [EntityMention(text=t, start=TEXT.index(t), end=TEXT.index(t) + len(t), label=lab) for t, lab in spans]


def _options(phrase: str, occurrence: int = 0, role: str = "speaker") -> list[ReferentOption]:
    resolution = resolve_actors("doc", _entities(), TEXT)
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(phrase, start + 1)
    return referent_options(resolution, TEXT, text_sentence_starts(TEXT), start, start + len(phrase), phrase, role)


def test_options_hold_only_compatible_entities_then_none() -> None:
    he = _options("He")
    assert [o.entity.name if o.entity else None for o in he] == ["Brad Smith", None]  # "he" is never a company
    company = _options("The company")
    assert [o.entity.name if o.entity else None for o in company] == ["Intuit Inc.", "Reuters", None]
    assert company[1].features.get("after_only") == 1.0  # Reuters is named only after the phrase
    assert company[0].features.get("last_mention_opens_sentence") == 1.0
    assert _options("Intuit Inc.") == []  # a name refers to itself


def test_the_chooser_takes_the_best_scoring_option_and_none_can_win() -> None:
    options = _options("The company")
    prefers_first = ReferentChooser({"in_first_sentence": 2.0, "none|desc_org": 1.0})
    assert prefers_first.choose(options) == options[0].entity
    assert ReferentChooser({"none|desc_org": 1.0}).choose(options) is None
    assert ReferentChooser({}).choose([]) is None


def test_the_shipped_chooser_resolves_a_pronoun_and_a_description_and_never_the_news_agency() -> None:
    load_referent_chooser.cache_clear()
    referents = Referents(TEXT, resolve_actors("doc", _entities(), TEXT))
    company = TEXT.index("The company")
    he = TEXT.index("He declined")
    assert (entity := referents.resolve(company, company + 11, "The company", "speaker")) is not None
    assert entity.name == "Intuit Inc."
    assert (person := referents.resolve(he, he + 2, "He", "speaker")) is not None
    assert person.name == "Brad Smith"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("train_referents", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["train_referents"] = module
    spec.loader.exec_module(module)
    return module


def test_annotated_names_match_entities_by_their_words() -> None:
    tr = load_script()

    def entity(name: str, *mentions: str) -> Entity:
        from pipeline.records import Span

        spans = [Span(text=m, start=0, end=len(m)) for m in (name, *mentions)]
        return Entity(entity_id="e", name=name, label="ORG", mentions=spans)

    assert tr.names_match(entity("Intuit"), "Intuit Inc.")
    assert tr.names_match(entity("Juan Pablo Guanipa", "Guanipa"), "Guanipa")
    assert tr.names_match(entity("Securities and Exchange Commission", "SEC"), "SEC")
    assert not tr.names_match(entity("Bernard Madoff", "Madoff"), "Peter Madoff")  # a shared surname is not enough
    assert not tr.names_match(entity("Gordon Brown"), "Tony Blair")


def test_the_learner_fits_several_right_options_and_none() -> None:
    tr = load_script()

    def opt(**features: float) -> ReferentOption:
        return ReferentOption(None, features)

    examples = [
        tr.Example([opt(near=1.0), opt(far=1.0), opt(none=1.0)], (0,), "d1", "train", False, "a"),
        tr.Example([opt(far=1.0), opt(near=1.0), opt(near=1.0), opt(none=1.0)], (1, 2), "d2", "train", False, "b"),
        tr.Example([opt(far=1.0), opt(none=1.0, plural=1.0)], (1,), "d3", "train", True, "c"),
        tr.Example([opt(far=1.0), opt(none=1.0)], (), "d4", "train", False, "d"),  # unreachable: left out
    ]
    vocab = tr._vocab(examples)
    w = tr.fit(examples, vocab, 0.001)
    assert w[vocab["near"]] > w[vocab["far"]]
    assert tr.right(examples, vocab, w) == [True, True, True, False]
