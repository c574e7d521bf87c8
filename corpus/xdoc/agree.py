"""Agreement of two cross-document passes: pairwise F1 on the article pairs they link.

    python corpus/xdoc/agree.py corpus/xdoc/a.jsonl corpus/xdoc/b.jsonl

An event reported by articles X, Y and Z links the pairs (X, Y), (X, Z), (Y, Z) for its
type; an article reports one event at most once. Pass B's pairs are scored against pass
A's (F1 is symmetric); per type as well. Also: the events whose article sets are equal.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path


def pairs(path: Path) -> tuple[dict[str, set[tuple[str, str]]], Counter[tuple[str, frozenset[str]]]]:
    """Linked article pairs per type, and each event's type and article set."""
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    events: Counter[tuple[str, frozenset[str]]] = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        event = json.loads(line)
        docs = sorted({r["doc"] for r in event["reports"]})
        events[(event["type"], frozenset(docs))] += 1
        out[event["type"]] |= set(combinations(docs, 2))
    return out, events


def f1(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> str:
    both = len(a & b)
    p = both / len(b) if b else 0.0
    r = both / len(a) if a else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.3f} R {r:.3f} F1 {f:.3f} ({both} of {len(a)} / {len(b)} pairs)"


def main(argv: list[str]) -> int:
    """Print the agreement of two passes."""
    (pa, ea), (pb, eb) = pairs(Path(argv[0])), pairs(Path(argv[1]))
    every_a = {(t, *pair) for t, ps in pa.items() for pair in ps}
    every_b = {(t, *pair) for t, ps in pb.items() for pair in ps}
    print(f"pairwise, all types: {f1(every_a, every_b)}")
    for t in sorted(set(pa) | set(pb)):
        print(f"  {t}: {f1(pa.get(t, set()), pb.get(t, set()))}")
    same = sum((ea & eb).values())
    print(f"events with the same type and articles: {same} of {sum(ea.values())} (A) / {sum(eb.values())} (B)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
