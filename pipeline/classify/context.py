"""Article context the rules read: whether an article speaks of custody (prison, bail, detainees)."""

from __future__ import annotations

import re

#: Whole words (any case) that speak of custody. Listed form by form: a prefix would also
#: match "bailout", "bailiff" or "captivating" in an article about finance.
CUSTODY_WORDS = frozenset(
    {
        "prison", "prisons", "prisoner", "prisoners",
        "jail", "jails", "jailed", "jailing", "jailer", "jailers", "gaol", "gaols", "gaoled",
        "custody",
        "detain", "detains", "detained", "detaining", "detainee", "detainees", "detainment",
        "detention", "detentions",
        "arrest", "arrests", "arrested", "arresting",
        "hostage", "hostages",
        "captive", "captives", "captivity",
        "bail", "bailed",
        "parole", "paroled",
        "inmate", "inmates",
        "kidnap", "kidnaps", "kidnapped", "kidnapping", "kidnappings", "kidnapper", "kidnappers",
        "abduct", "abducts", "abducted", "abducting", "abduction", "abductions",
    }
)  # fmt: skip
_CUSTODY_RE = re.compile(r"\b(?:" + "|".join(sorted(CUSTODY_WORDS, key=lambda w: (-len(w), w))) + r")\b", re.IGNORECASE)


def doc_has_custody_context(text: str) -> bool:
    """True when an article speaks of custody at least twice (prison, detainees, bail ...).

    Then a bare "the release" or "were freed" in it refers to people, not products.
    """
    return len(_CUSTODY_RE.findall(text)) >= 2
