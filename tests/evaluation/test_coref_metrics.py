"""MUC, B-cubed, CEAF-e and pairwise scores on hand-computed cases."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.evaluation.coref_metrics import bcubed, best_assignment, ceafe, conll_f1, coref_scores, muc, pairwise

KEY = [{1, 2, 3, 4, 5}, {6, 7}, {8, 9, 10, 11, 12}]
RESPONSE = [{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10, 11, 12}]


def test_identical_clusterings_score_one() -> None:
    scores = coref_scores(KEY, KEY)
    assert all(s.f1 == pytest.approx(1.0) for s in scores.values())
    assert conll_f1(scores) == pytest.approx(1.0)


def test_muc_of_the_textbook_example() -> None:
    # Vilain et al.: joining two key clusters costs one link of precision, none of recall.
    score = muc(KEY, RESPONSE)
    assert score.recall == pytest.approx(1.0)
    assert score.precision == pytest.approx(9 / 10)


def test_bcubed_of_the_textbook_example() -> None:
    score = bcubed(KEY, RESPONSE)
    assert score.recall == pytest.approx(1.0)
    assert score.precision == pytest.approx((5 + 2 * 2 / 7 + 5 * 5 / 7) / 12)


def test_ceafe_of_the_textbook_example() -> None:
    score = ceafe(KEY, RESPONSE)
    phi = 1.0 + 2 * 5 / (5 + 7)
    assert score.recall == pytest.approx(phi / 3)
    assert score.precision == pytest.approx(phi / 2)


def test_singletons_and_missing_mentions() -> None:
    assert muc([{1}, {2}], [{1}, {2}]).f1 == 0.0  # no links on either side
    assert bcubed([{1}, {2}], [{1}, {2}]).f1 == pytest.approx(1.0)
    # A key mention the response lacks scores 0 for recall; one only the response has, 0 for precision.
    missing = bcubed([{1, 2}], [{1}])
    assert missing.precision == pytest.approx(1.0) and missing.recall == pytest.approx(0.25)
    extra = bcubed([{1}], [{1, "p"}])
    assert extra.recall == pytest.approx(1.0) and extra.precision == pytest.approx(0.25)


def test_pairwise() -> None:
    score = pairwise([{1, 2, 3}], [{1, 2}, {3}])
    assert score.precision == pytest.approx(1.0) and score.recall == pytest.approx(1 / 3)


@given(st.lists(st.lists(st.floats(min_value=0, max_value=10), min_size=4, max_size=4), min_size=1, max_size=4))
def test_assignment_is_optimal(rows: list[list[float]]) -> None:
    pairs = best_assignment(rows)
    total = sum(rows[i][j] for i, j in pairs)
    best = max(sum(rows[i][perm[i]] for i in range(len(rows))) for perm in itertools.permutations(range(4), len(rows)))
    assert total == pytest.approx(best)
    assert len({j for _, j in pairs}) == len(pairs)


def test_scores_are_symmetric_in_precision_and_recall() -> None:
    rng = random.Random(3)
    items = list(range(30))
    for _ in range(20):
        a = [set(items[i : i + rng.randint(1, 5)]) for i in range(0, 30, 5)]
        b = [set(items[i : i + rng.randint(1, 4)]) for i in range(0, 30, 4)]
        for measure in (muc, bcubed, ceafe):
            ab, ba = measure(a, b), measure(b, a)
            assert ab.precision == pytest.approx(ba.recall) and ab.recall == pytest.approx(ba.precision)
