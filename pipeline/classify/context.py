"""Article context the rules read: whether an article speaks of custody (prison, bail, detainees)."""

from __future__ import annotations

import re

_CUSTODY_RE = re.compile(
    r"\b(prison|jail|gaol|custody|detain|detention|arrest|hostage|captiv|bail|parole|inmate|kidnap|abduct)",
    re.IGNORECASE,
)


def doc_has_custody_context(text: str) -> bool:
    """True when an article speaks of custody at least twice (prison, detainees, bail ...).

    Then a bare "the release" or "were freed" in it refers to people, not products.
    """
    return len(_CUSTODY_RE.findall(text)) >= 2
