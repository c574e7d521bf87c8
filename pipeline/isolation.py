"""Per-document isolation: an exception while analysing one article becomes its ``internal_error`` rejection.

Only configuration, model-loading and sink failures (:data:`FATAL_ERRORS`) stop a run; any
other exception raised by a stage for one article (an offset error, a parser surprise, a
classifier or normalizer bug) rejects that article and the run goes on with the others.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from pipeline.errors import ConfigError, ModelError, SinkError
from pipeline.records import Article, Rejection

#: Errors that stop a run: every article would fail the same way.
FATAL_ERRORS: tuple[type[Exception], ...] = (ConfigError, ModelError, SinkError)
INTERNAL_ERROR = "internal_error"
#: Innermost frames of the traceback written into the rejection's detail.
DETAIL_FRAMES = 4

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


def internal_error(article: Article, stage: str, exc: Exception) -> Rejection:
    """The rejection of ``article`` after ``exc`` in ``stage``; the full traceback goes to the log.

    The detail names the exception type and message and the innermost frames
    (``file:line in function``), enough to find the bug from the rejects file.
    """
    log.error("%s failed on %s (%s)", stage, article.input.label(), article.id, exc_info=exc)
    frames = traceback.extract_tb(exc.__traceback__)[-DETAIL_FRAMES:]
    where = " < ".join(f"{Path(f.filename).name}:{f.lineno} in {f.name}" for f in reversed(frames))
    detail = f"{type(exc).__name__}: {exc}" + (f" [at {where}]" if where else "")
    return Rejection(input=article.input, stage=stage, reason=INTERNAL_ERROR, detail=detail)


def per_document(
    items: Sequence[T],
    run: Callable[[Sequence[T]], Iterable[R]],
    article_of: Callable[[T], Article],
    stage: str,
) -> list[R | Rejection]:
    """Run a batched stage so that an exception rejects only the article that raised it.

    The batch runs as one; when it raises, each item runs alone, and the items that still
    raise become ``internal_error`` rejections. :data:`FATAL_ERRORS` are raised.

    Args:
        items: the batch.
        run: the stage over a batch, returning one result per item, in order.
        article_of: the article an item stands for (for the rejection).
        stage: the stage name recorded on rejections (``ner``, ``classify``, ``normalize``).

    Returns:
        One result or rejection per item, in order.
    """
    if not items:
        return []
    try:
        return list(run(items))
    except FATAL_ERRORS:
        raise
    except Exception as e:
        if len(items) == 1:
            return [internal_error(article_of(items[0]), stage, e)]
    out: list[R | Rejection] = []
    for item in items:
        try:
            out += run([item])
        except FATAL_ERRORS:
            raise
        except Exception as e:
            out.append(internal_error(article_of(item), stage, e))
    return out
