"""Arguments a user can aggregate on: datelines, news agencies, non-people and non-counts are dropped."""

from __future__ import annotations

import pytest

from pipeline.normalize.participants import dateline_end, is_count, keep_argument
from pipeline.records import Argument


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("LONDON (Reuters) - Police arrested", "LONDON (Reuters) - "),
        ("WASHINGTON, May 4 (Reuters) - The", "WASHINGTON, May 4 (Reuters) - "),
        ("SEOUL, Aug. 20 (Yonhap) -- North Korea", "SEOUL, Aug. 20 (Yonhap) -- "),
        ("Police arrested two men - and freed one", ""),
    ],
)
def test_dateline(text: str, dateline: str) -> None:
    assert text[: dateline_end(text)] == dateline


@pytest.mark.parametrize(
    ("count", "ok"),
    [
        ("2016", False),
        ("XOM.N", False),
        ("$5 million", False),
        ("10 percent", False),
        ("two", True),
        ("more than 50", True),
    ],
)
def test_a_count_is_never_a_year_money_percentage_or_identifier(count: str, ok: bool) -> None:
    assert is_count(count) is ok


def arg(role: str, text: str, start: int = 30, **kw: object) -> Argument:
    return Argument(role=role, text=text, start=start, end=start + len(text), **kw)  # type: ignore[arg-type]


def test_actors_that_cannot_stand() -> None:
    assert not keep_argument(arg("speaker", "LONDON", start=0), dateline=19)
    assert not keep_argument(arg("source", "Reuters"), dateline=0)
    assert not keep_argument(arg("speaker", "the Associated Press"), dateline=0)
    assert not keep_argument(arg("person", "ARRESTS"), dateline=0)
    assert not keep_argument(arg("person", "2016", entity_type="DATE"), dateline=0)
    assert not keep_argument(arg("count", "2016"), dateline=0)
    assert keep_argument(arg("person", "Juan Pablo Guanipa", entity_type="PERSON"), dateline=0)
    assert keep_argument(arg("agent", "police"), dateline=0)
