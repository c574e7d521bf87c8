"""Helpers for the ingestion tests: real HTML fixtures and archives built on the fly."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HTML_DIR = FIXTURES / "html"


def html_manifest() -> list[dict[str, Any]]:
    """The manifest lines of the real HTML fixture pages."""
    return [json.loads(line) for line in (HTML_DIR / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def page_bytes(name: str) -> bytes:
    """The uncompressed bytes of a fixture page."""
    return gzip.decompress((HTML_DIR / name).read_bytes())


@pytest.fixture
def jsonl_bytes() -> bytes:
    """Three English articles as JSONL."""
    lines = [
        {"id": "a1", "text": "Police arrested two men on Monday after a robbery in the city centre, officials said."},
        {"id": "a2", "text": "The company announced on Tuesday that it would open a new factory in Ohio next year."},
        {
            "id": "a3",
            "text": "The government released three political prisoners on Friday after talks with the opposition.",
        },
    ]
    return "".join(json.dumps(line) + "\n" for line in lines).encode()
