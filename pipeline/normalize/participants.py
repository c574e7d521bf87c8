"""Arguments a user can aggregate on: what can never be a participant or a count is dropped.

A dateline ("LONDON (Reuters) -") or a news agency is never a speaker, person, agent or
source of the events it reports; a person is a person or group, never a date, a sum or
a product; a headline word in capitals ("ARRESTS") is no person; a count is never a
year, a date, a sum of money, a percentage or an identifier such as a ticker.
"""

from __future__ import annotations

import re

from pipeline.records import Argument

#: News agencies and wires: the reporters, not the actors, of what they report.
NEWS_AGENCIES = frozenset(
    {
        "reuters",
        "ap",
        "associated press",
        "the associated press",
        "afp",
        "agence france-presse",
        "agence france presse",
        "bloomberg",
        "dow jones",
        "xinhua",
        "kyodo",
        "yonhap",
        "interfax",
        "itar-tass",
        "tass",
        "ria",
        "ria novosti",
        "ansa",
        "efe",
        "dpa",
        "pti",
        "upi",
        "bbc",
        "cnn",
        "bernama",
        "antara",
        "kuna",
        "irna",
        "wam",
        "mena",
        "kcna",
        "jiji",
    }
)
#: Roles filled by actors (who arrests, who is held, who speaks, who is the source).
ACTOR_ROLES = frozenset({"person", "agent", "speaker", "source"})
#: Entity labels that are no person or group of people.
NOT_PEOPLE = frozenset(
    {"DATE", "TIME", "MONEY", "PERCENT", "PRODUCT", "WORK_OF_ART", "LAW", "QUANTITY", "ORDINAL", "LANGUAGE", "EVENT"}
)
_DATELINE_RE = re.compile(
    r"^\s*(?:[A-Z][A-Za-z.'/-]*(?:[ ,]+[A-Z][A-Za-z.'/-]*){0,5}\s*)?"
    r"(?:\([^)]{1,40}\)|,\s*[A-Z][a-z]{2,8}\.? \d{1,2}(?: \([^)]{1,40}\))?)\s*[-–—]+\s*",
)
_YEAR_RE = re.compile(r"^(?:1[5-9]\d\d|20\d\d|21\d\d)s?$")
_IDENTIFIER_RE = re.compile(r"[A-Za-z]\.[A-Za-z]|#|\d[A-Za-z]|[A-Za-z]\d")
_MONEY_RE = re.compile(r"[$€£¥]|\b(?:dollars?|dlrs|euros?|pounds?|yen|yuan|rupees?|cents?|pct|percent)\b|%", re.I)


def dateline_end(text: str) -> int:
    """The end of the dateline that opens the text ("LONDON (Reuters) - "), or 0."""
    m = _DATELINE_RE.match(text[:120])
    return m.end() if m else 0


def is_news_agency(name: str) -> bool:
    """True for the name of a news agency or wire ("Reuters", "the Associated Press")."""
    return re.sub(r"\s+", " ", name.strip().lower().strip(".,")) in NEWS_AGENCIES


def keep_argument(arg: Argument, dateline: int) -> bool:
    """Whether an argument can stand: not in the dateline, no agency as actor, no non-person as person."""
    if arg.start < dateline:
        return False
    if arg.role in ACTOR_ROLES and (is_news_agency(arg.text) or is_news_agency(arg.entity_name or "")):
        return False
    if arg.role == "person":
        if arg.entity_type in NOT_PEOPLE:
            return False
        letters = [c for c in arg.text if c.isalpha()]
        if len(arg.text.split()) == 1 and len(letters) > 3 and all(c.isupper() for c in letters):
            return False  # a headline word ("ARRESTS"), not a name
    if arg.role == "count":
        return is_count(arg.text)
    return True


def is_count(text: str) -> bool:
    """Whether a count span can be a number of people (no year, money, percentage, identifier)."""
    words = text.strip().split()
    last = words[-1] if words else ""
    if _YEAR_RE.match(last) and len(words) == 1:
        return False
    return not (_MONEY_RE.search(text) or _IDENTIFIER_RE.search(last))
