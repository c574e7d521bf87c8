"""Coreference scores of clusterings: MUC, B-cubed, CEAF-e, their CoNLL average, and pairwise links.

A clustering is a list of clusters, each a set of mention ids (singletons included, as
event coreference scorers do). Every measure returns a :class:`Fraction` pair of
numerators and denominators for precision and recall, so that documents are summed
(micro-averaged) before dividing, as the CoNLL reference scorer does for a file of
several documents. Mentions that only one side has (a predicted mention that matches no
gold mention, a gold mention that was not found) are handled as in the reference scorer:
they count against the side that lacks them.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

Cluster = frozenset[Hashable]
Clustering = Sequence[Collection[Hashable]]

#: The measures averaged into the CoNLL F1.
CONLL_MEASURES = ("muc", "bcubed", "ceafe")
#: Every measure reported within documents.
COREF_MEASURES = (*CONLL_MEASURES, "conll")


@dataclass
class Fraction:
    """Numerators and denominators of precision and recall, summable over documents."""

    p_num: float = 0.0
    p_den: float = 0.0
    r_num: float = 0.0
    r_den: float = 0.0

    def add(self, other: Fraction) -> None:
        """Add ``other`` in place."""
        self.p_num += other.p_num
        self.p_den += other.p_den
        self.r_num += other.r_num
        self.r_den += other.r_den

    def scaled(self, weight: int) -> Fraction:
        """Return the fraction with every term multiplied by ``weight`` (a bootstrap draw count)."""
        return Fraction(self.p_num * weight, self.p_den * weight, self.r_num * weight, self.r_den * weight)

    @property
    def precision(self) -> float:
        """p_num / p_den; 0 when there is nothing predicted."""
        return self.p_num / self.p_den if self.p_den else 0.0

    @property
    def recall(self) -> float:
        """r_num / r_den; 0 when there is nothing in the key."""
        return self.r_num / self.r_den if self.r_den else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall; 0 when both are 0."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, Any]:
        """Return the scores (and their terms) as a JSON-ready mapping."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "terms": [round(x, 4) for x in (self.p_num, self.p_den, self.r_num, self.r_den)],
        }


def _clusters(clustering: Clustering) -> list[Cluster]:
    return [frozenset(c) for c in clustering if c]


def _index(clusters: Sequence[Cluster]) -> dict[Hashable, int]:
    return {m: i for i, c in enumerate(clusters) for m in c}


def _muc_side(key: Sequence[Cluster], response_index: dict[Hashable, int]) -> tuple[float, float]:
    num = den = 0.0
    for cluster in key:
        # Mentions the other side lacks are each a partition of their own.
        parts = {response_index.get(m, ("missing", m)) for m in cluster}
        num += len(cluster) - len(parts)
        den += len(cluster) - 1
    return num, den


def muc(key: Clustering, response: Clustering) -> Fraction:
    """MUC (Vilain et al. 1995): the links each side needs to join its clusters.

    Args:
        key: gold clusters of mention ids.
        response: predicted clusters of mention ids.
    """
    k, r = _clusters(key), _clusters(response)
    r_num, r_den = _muc_side(k, _index(r))
    p_num, p_den = _muc_side(r, _index(k))
    return Fraction(p_num, p_den, r_num, r_den)


def _bcubed_side(key: Sequence[Cluster], response: Sequence[Cluster]) -> tuple[float, float]:
    response_index = _index(response)
    num = 0.0
    for cluster in key:
        overlaps: dict[int, int] = {}
        for m in cluster:
            i = response_index.get(m)
            if i is not None:
                overlaps[i] = overlaps.get(i, 0) + 1
        num += sum(n * n for n in overlaps.values()) / len(cluster)
    return num, float(sum(len(c) for c in key))


def bcubed(key: Clustering, response: Clustering) -> Fraction:
    """B-cubed (Bagga and Baldwin 1998): per mention, the overlap of its key and response clusters."""
    k, r = _clusters(key), _clusters(response)
    r_num, r_den = _bcubed_side(k, r)
    p_num, p_den = _bcubed_side(r, k)
    return Fraction(p_num, p_den, r_num, r_den)


def best_assignment(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Return the one-to-one assignment of rows to columns with the largest total weight.

    The Hungarian algorithm (Kuhn-Munkres, O(n^3)) on a rectangular matrix of
    non-negative weights.

    Args:
        weights: ``weights[i][j]`` for row ``i`` and column ``j``; rows of equal length.

    Returns:
        (row, column) pairs, at most ``min(rows, columns)`` of them.
    """
    rows = len(weights)
    cols = len(weights[0]) if rows else 0
    if not rows or not cols:
        return []
    n = max(rows, cols)
    top = max(max(row) for row in weights)
    # Minimize cost = top - weight on a square matrix padded with zero-weight cells.
    cost = [[top - (weights[i][j] if i < rows and j < cols else 0.0) for j in range(n)] for i in range(n)]
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (n + 1)
    match = [0] * (n + 1)  # match[j] = row assigned to column j (1-based, 0: none)
    way = [0] * (n + 1)
    for i in range(1, n + 1):
        match[0] = i
        j0 = 0
        minv = [inf] * (n + 1)
        used = [False] * (n + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = match[j0], inf, 0
            for j in range(1, n + 1):
                if used[j]:
                    continue
                cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                if cur < minv[j]:
                    minv[j], way[j] = cur, j0
                if minv[j] < delta:
                    delta, j1 = minv[j], j
            for j in range(n + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if match[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
    return sorted((match[j] - 1, j - 1) for j in range(1, n + 1) if match[j] - 1 < rows and j - 1 < cols)


def ceafe(key: Clustering, response: Clustering) -> Fraction:
    """Entity-based CEAF (Luo 2005, phi4): the best one-to-one alignment of key and response clusters."""
    k, r = _clusters(key), _clusters(response)
    if not k or not r:
        return Fraction(0.0, float(len(r)), 0.0, float(len(k)))
    r_index = _index(r)
    weights = [[0.0] * len(r) for _ in k]
    for i, cluster in enumerate(k):
        for m in cluster:
            j = r_index.get(m)
            if j is not None:
                weights[i][j] += 1.0
        for j in {r_index[m] for m in cluster if m in r_index}:
            weights[i][j] = 2 * weights[i][j] / (len(cluster) + len(r[j]))
    total = sum(weights[i][j] for i, j in best_assignment(weights))
    return Fraction(total, float(len(r)), total, float(len(k)))


def pairwise(key: Clustering, response: Clustering) -> Fraction:
    """Pairwise links: precision and recall of the mention pairs put in one cluster."""
    k_pairs = _pairs(_clusters(key))
    r_pairs = _pairs(_clusters(response))
    common = float(len(k_pairs & r_pairs))
    return Fraction(common, float(len(r_pairs)), common, float(len(k_pairs)))


def _pairs(clusters: Sequence[Cluster]) -> set[frozenset[Hashable]]:
    return {frozenset(pair) for c in clusters for pair in combinations(sorted(c, key=repr), 2)}


def coref_scores(key: Clustering, response: Clustering) -> dict[str, Fraction]:
    """Return MUC, B-cubed and CEAF-e of one document (the CoNLL average is taken after summing)."""
    return {"muc": muc(key, response), "bcubed": bcubed(key, response), "ceafe": ceafe(key, response)}


def conll_f1(scores: dict[str, Fraction]) -> float:
    """The CoNLL F1: the mean of the MUC, B-cubed and CEAF-e F1."""
    return sum(scores[m].f1 for m in CONLL_MEASURES) / len(CONLL_MEASURES)
