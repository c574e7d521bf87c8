"""Produce predictions by running the extraction pipeline on the gold texts."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.config import load_config
from pipeline.errors import ConfigError
from pipeline.evaluation.load import GoldEntry, Predictions, add_prediction
from pipeline.events.merge import document_events
from pipeline.gold import GoldDocument
from pipeline.records import Article, DocumentEvent, EventRecord, InputRef, Rejection
from pipeline.xdoc_gold import XdocArticle


def predict_with_pipeline(
    gold: Sequence[GoldEntry], config_path: str | None, classifier: str | None = None
) -> Predictions:
    """Run the extraction pipeline on the gold texts, keeping their ids and published dates.

    Documents are mapped back to gold through their input reference (gold file and line),
    so the result does not depend on how the runner derives document ids.

    Args:
        gold: the gold documents.
        config_path: a ``config.yaml``, or None for the defaults.
        classifier: a registered classifier name to run instead of the configured one.

    Returns:
        The predictions, plus one entry per rejected document.

    Raises:
        ConfigError: when the pipeline runner is not available.
    """
    try:
        # Imported here: the runner loads spaCy, which only this code path needs.
        from pipeline.runner import process_articles
    except ImportError as e:
        raise ConfigError(
            f"The extraction pipeline cannot be imported ({e}). Pass --pred with an events file instead."
        ) from e
    cfg = load_config(config_path)
    if classifier is not None:
        cfg = cfg.model_copy(update={"classifier": cfg.classifier.model_copy(update={"name": classifier})})
    by_ref: dict[tuple[str, int], GoldDocument] = {}
    articles: list[Article] = []
    for entry in gold:
        doc = entry.doc
        ref = InputRef(path=str(entry.path), line=entry.line)
        by_ref[(ref.path, entry.line)] = doc
        articles.append(
            Article(
                id=doc.id,
                text=doc.text,
                title=doc.title,
                source=doc.source,
                url=doc.url,
                published=doc.published,
                input=ref,
            )
        )
    texts = {entry.doc.id: entry.doc.text for entry in gold}
    preds = Predictions(by_doc={doc_id: [] for doc_id in texts})
    for item in process_articles(articles, cfg):
        if isinstance(item, Rejection):
            preds.rejected.append(f"{item.input.label()}: {item.reason}")
            continue
        document, records = item
        gold_doc = by_ref.get((document.input.path, document.input.line or 0))
        doc_id = gold_doc.id if gold_doc is not None else document.id
        if doc_id in texts:
            preds.documents[doc_id] = document
        for record in records:
            if record.provenance.doc_id != doc_id:
                record = EventRecord.model_validate(
                    {
                        **record.model_dump(),
                        "provenance": {**record.provenance.model_dump(), "doc_id": doc_id},
                    }
                )
            add_prediction(preds, record, texts, document.input.label())
    return preds


def predict_doc_events(articles: Sequence[XdocArticle], config_path: str | None) -> list[DocumentEvent]:
    """Run the pipeline on the articles of the cross-document set and group each one's mentions into events.

    Args:
        articles: the articles (their ids are kept as document ids).
        config_path: a ``config.yaml``, or None for the defaults.

    Returns:
        The document events of every article the pipeline processed.
    """
    from pipeline.runner import process_articles

    cfg = load_config(config_path)
    stream = [
        Article(
            id=a.id,
            text=a.text,
            title=a.title,
            source=a.source,
            url=a.url,
            published=a.published,
            input=InputRef(path=f"xdoc:{a.id}"),
        )
        for a in articles
    ]
    out: list[DocumentEvent] = []
    for item in process_articles(stream, cfg):
        if isinstance(item, Rejection):
            continue
        document, records = item
        out.extend(document_events(records, document))
    return out
