"""Within-document actor resolution on hand-built mentions (no spaCy)."""

from __future__ import annotations

from pipeline.normalize.actors import fold, resolve_actors
from pipeline.records import EntityMention


def mentions(text: str, names: list[tuple[str, str]]) -> list[EntityMention]:
    out, pos = [], 0
    for name, label in names:
        start = text.index(name, pos)
        out.append(EntityMention(text=name, start=start, end=start + len(name), label=label))
        pos = start + len(name)
    return out


TEXT = (
    "Police held Carlos Ruiz Vega, son of the activist Ana Ruiz, in Lima. "
    "Ms. Ruiz said Mr. Ruiz Vega was beaten. Later Mr. Ruiz was moved. Peru's U.S. allies and the United States "
    "reacted. Later Ms. Ruiz spoke."
)


def resolved() -> dict[str, str]:
    ms = mentions(
        TEXT,
        [
            ("Carlos Ruiz Vega", "PERSON"),
            ("Ana Ruiz", "PERSON"),
            ("Lima", "GPE"),
            ("Ruiz", "PERSON"),
            ("Ruiz Vega", "PERSON"),
            ("Ruiz", "PERSON"),
            ("U.S.", "GPE"),
            ("United States", "GPE"),
            ("Ruiz", "PERSON"),
        ],
    )
    res = resolve_actors("doc", ms, TEXT)
    return {f"{m.text}@{m.start}": e.name for e in res.entities for m in e.mentions}


def test_full_names_absorb_their_parts() -> None:
    names = resolved()
    ruiz_vega = TEXT.index("Ruiz Vega was")
    assert names[f"Ruiz Vega@{ruiz_vega}"] == "Carlos Ruiz Vega"


def test_titles_choose_by_gender_and_surname() -> None:
    names = resolved()
    ms_ruiz = TEXT.index("Ruiz said")
    assert names[f"Ruiz@{ms_ruiz}"] == "Ana Ruiz"
    last_ruiz = TEXT.rindex("Ruiz")
    assert names[f"Ruiz@{last_ruiz}"] == "Ana Ruiz"  # Ms. Ruiz: the Ruiz addressed as a woman


def test_aliases_merge_places() -> None:
    names = resolved()
    assert names[f"U.S.@{TEXT.index('U.S.')}"] == names[f"United States@{TEXT.index('United States')}"]


def test_pronoun_antecedent_respects_gender() -> None:
    text = "Ms. Lopez met Mr. Diaz. Police later arrested him."
    ms = mentions(text, [("Lopez", "PERSON"), ("Diaz", "PERSON")])
    res = resolve_actors("d", ms, text)
    him = text.index("him")
    ent = res.antecedent(him, "him")
    assert ent is not None and ent.name == "Diaz"
    her = res.antecedent(him, "her")
    assert her is not None and her.name == "Lopez"


def test_fold_strips_accents() -> None:
    assert fold("Rodríguez") == fold("RODRIGUEZ")


def test_descriptions_join_their_appositive_name_and_nominal_actors_keep_one_id() -> None:
    from pipeline.normalize.actors import NominalActors

    text = (
        "Her brother, Tomas Vidal, was detained. Officials said her brother was moved. "
        "The government denied it; later the government freed 20 prisoners, Ana Ruiz said."
    )
    ms = mentions(text, [("Tomas Vidal", "PERSON"), ("Ana Ruiz", "PERSON")])
    nominals = NominalActors("d", text, resolve_actors("d", ms, text))
    second = text.index("her brother was")
    brother = nominals.resolve(second, second + len("her brother"))
    assert brother is not None and brother.name == "Tomas Vidal"
    first_gov = text.index("The government")
    later_gov = text.index("the government freed")
    a = nominals.resolve(first_gov, first_gov + len("The government"))
    b = nominals.resolve(later_gov, later_gov + len("the government"))
    assert a is not None and b is not None and a.entity_id == b.entity_id and a.label == "NOMINAL"
    prisoners = text.index("20 prisoners")
    assert nominals.resolve(prisoners, prisoners + len("20 prisoners")) is None  # no false apposition
    (entity,) = nominals.entities()
    assert len(entity.mentions) == 2
