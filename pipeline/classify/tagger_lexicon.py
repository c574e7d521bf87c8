"""Which sentences the learned tagger reads: words that begin like a trigger of its training data.

The stems are learned with the model (``scripts/train_tagger.py`` writes them into the
artifact's config): each word of a gold trigger in the training split gives a stem (the
word itself up to five letters, else all but three letters, at least five: "arrested",
"arrest" and "arrests" share ``arres``), and a stem is kept when at least
``min_share`` of the training words that begin with it are inside a trigger, so "go"
(from "going to jail") or "out" (from "out on bail") do not make every sentence a
candidate. A sentence with no word beginning with a kept stem is not tagged: this keeps
the encoder off most of an article, at the price of missing triggers whose words never
occur in the training triggers (the model card reports that coverage on dev).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

#: Words up to this length are their own stem.
SHORT_WORD = 5
DEFAULT_MIN_SHARE = 0.03
WORD_RE = re.compile(r"[a-z][a-z'\-]*")


def stem(word: str) -> str:
    """The prefix that stands for a trigger word."""
    return word if len(word) <= SHORT_WORD else word[: max(SHORT_WORD, len(word) - 3)]


def learn_stems(
    sentences: Iterable[tuple[str, Sequence[tuple[int, int]]]], min_share: float = DEFAULT_MIN_SHARE
) -> tuple[str, ...]:
    """Stems of the trigger words of a training set, kept when they are triggers often enough.

    Args:
        sentences: (sentence text, trigger spans in it) pairs: every training sentence,
            with or without triggers, so the share of trigger uses can be counted.
        min_share: the least share of a stem's word occurrences that must be in triggers.

    Returns:
        The kept stems, sorted.
    """
    tokens: list[tuple[str, bool]] = []
    for text, spans in sentences:
        for m in WORD_RE.finditer(text.lower()):
            inside = any(m.start() < e and s < m.end() for s, e in spans)
            tokens.append((m.group(), inside))
    proposed = {stem(w) for w, inside in tokens if inside}
    seen: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    for word, inside in tokens:
        for n in range(1, len(word) + 1):
            prefix = word[:n]
            if prefix in proposed:
                seen[prefix] += 1
                hits[prefix] += inside
    return tuple(sorted(s for s in proposed if hits[s] / seen[s] >= min_share))


def has_candidate(words: Sequence[str], stems: tuple[str, ...]) -> bool:
    """True when a (lower-cased) word of the sentence begins with one of the stems."""
    return any(w.startswith(stems) for w in words)
