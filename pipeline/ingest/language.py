"""Language identification: articles not in an allowed language are rejected.

py3langid ships its model inside the package, so nothing is downloaded. The identifier
loads lazily, once per process (about 0.8 s), and reads only the first
``language.sample_chars`` characters of each text (about 1 ms an article).
"""

from __future__ import annotations

import threading
from typing import Any

from pipeline.config import LanguageConfig
from pipeline.ingest.common import reject
from pipeline.records import Article, Rejection

_IDENTIFIER: Any = None
_LOCK = threading.Lock()


def load_identifier() -> Any:
    """Return the py3langid identifier with normalized probabilities (loaded once per process)."""
    global _IDENTIFIER
    with _LOCK:
        if _IDENTIFIER is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _IDENTIFIER = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _IDENTIFIER


def identify(text: str, sample_chars: int = 2000) -> tuple[str, float]:
    """Return the most likely ISO 639-1 language of ``text`` and its probability.

    Args:
        text: the text to identify.
        sample_chars: how many leading characters are read.
    """
    lang, prob = load_identifier().classify(text[:sample_chars])
    return str(lang), float(prob)


class LanguageFilter:
    """Reject articles whose language is, with enough confidence, not an allowed one.

    Uncertain identifications (below ``min_confidence``) are accepted: short or mixed
    texts are better processed than lost.

    Args:
        cfg: the ``ingest.language`` section.
    """

    def __init__(self, cfg: LanguageConfig) -> None:
        self.cfg = cfg
        self.allowed = frozenset(code.lower() for code in cfg.allowed)

    def __call__(self, article: Article) -> Article | Rejection:
        """Return the article, or its rejection with reason ``language``."""
        if not self.cfg.enabled:
            return article
        lang, prob = identify(article.text, self.cfg.sample_chars)
        if lang in self.allowed or prob < self.cfg.min_confidence:
            return article
        return reject(
            article.input,
            "language",
            f"identified as {lang!r} (p={prob:.2f}); allowed: {', '.join(sorted(self.allowed))} "
            "(ingest.language.allowed in config.yaml)",
        )
