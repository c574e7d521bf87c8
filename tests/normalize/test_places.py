"""Offline gazetteer: place names -> country codes."""

from __future__ import annotations

import pytest

from pipeline.normalize.places import country_code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Caracas", "VE"),
        ("Venezuela", "VE"),
        ("the United States", "US"),
        ("U.S.", "US"),
        ("Tehran", "IR"),
        ("Leeds", "GB"),
        ("Britain", "GB"),
        ("Paris", "FR"),
        ("California", "US"),
        ("Maracaibo", "VE"),
    ],
)
def test_known_places(name: str, code: str) -> None:
    assert country_code(name) == code


@pytest.mark.parametrize("name", ["El Helicoide", "the kitchen", "", "Xyzzyville"])
def test_unknown_places(name: str) -> None:
    assert country_code(name) is None
