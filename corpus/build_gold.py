"""Merge the annotators' files into the fixed dev/test split of the gold corpus.

    python corpus/build_gold.py          # writes corpus/gold/dev.jsonl and test.jsonl

Each document goes to ``test`` when the SHA-256 of its text falls in the lowest 30% (so
identical texts always share a split, and the split never depends on file order). When
two annotators annotated the same document, the first file in name order is kept and
the pair is scored against each other in ``corpus/gold/AGREEMENT.md``. The split is
published: never change TEST_SHARE or the hash, or reported test scores stop comparing.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANNOTATORS = HERE / "gold" / "annotators"
TEST_SHARE = 0.3
#: Documents read while the rules were written (the seed article is the acceptance
#: example of the pipeline): always dev, so the test split stays unseen.
SEEN_IN_DEVELOPMENT = frozenset({"seed-venezuela-prisoners"})


def split_of(text: str) -> str:
    """Return ``test`` or ``dev`` for a document text (stable, content-based)."""
    bucket = int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "test" if bucket < TEST_SHARE else "dev"


def _trigger_agreement(a: dict, b: dict) -> tuple[int, int, int, int]:
    """(matched by overlap, same type too, count in a, count in b)."""
    used: set[int] = set()
    matched = typed = 0
    for ea in a["events"]:
        for j, eb in enumerate(b["events"]):
            if j in used:
                continue
            if ea["trigger_start"] < eb["trigger_end"] and eb["trigger_start"] < ea["trigger_end"]:
                used.add(j)
                matched += 1
                typed += ea["type"] == eb["type"]
                break
    return matched, typed, len(a["events"]), len(b["events"])


def main() -> int:
    """Build dev.jsonl, test.jsonl and AGREEMENT.md from the annotators' files."""
    kept: dict[str, tuple[str, dict]] = {}
    doubles: list[tuple[str, str, str, tuple[int, int, int, int]]] = []
    for path in sorted(ANNOTATORS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            doc = json.loads(line)
            if doc["id"] in kept:
                first_file, first = kept[doc["id"]]
                if first["text"] != doc["text"]:
                    print(f"{doc['id']}: same id, different text in {first_file} and {path.name}", file=sys.stderr)
                    return 1
                doubles.append((doc["id"], first_file, path.name, _trigger_agreement(first, doc)))
                continue
            kept[doc["id"]] = (path.name, doc)
    splits: dict[str, list[dict]] = {"dev": [], "test": []}
    for _, doc in kept.values():
        split = "dev" if doc["id"] in SEEN_IN_DEVELOPMENT else split_of(doc["text"])
        doc = {**doc, "split": split}
        splits[doc["split"]].append(doc)
    for name, docs in splits.items():
        docs.sort(key=lambda d: d["id"])
        out = HERE / "gold" / f"{name}.jsonl"
        out.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
        counts: dict[str, int] = {}
        for d in docs:
            for e in d["events"]:
                counts[e["type"]] = counts.get(e["type"], 0) + 1
        print(f"{out.relative_to(HERE.parent)}: {len(docs)} documents, {sum(counts.values())} events {counts}")
    lines = [
        "# Inter-annotator agreement",
        "",
        "Documents annotated independently by two annotators (the first file's version is the gold).",
        "Triggers are matched one-to-one by character overlap.",
        "",
        "| document | kept | other | triggers kept | triggers other | matched | same type | F1 (span) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    tot = [0, 0, 0, 0]
    for doc_id, fa, fb, (m, t, na, nb) in doubles:
        f1 = 2 * m / (na + nb) if na + nb else 1.0
        lines.append(f"| {doc_id} | {fa} | {fb} | {na} | {nb} | {m} | {t} | {f1:.2f} |")
        tot = [tot[0] + m, tot[1] + t, tot[2] + na, tot[3] + nb]
    if doubles:
        f1 = 2 * tot[0] / (tot[2] + tot[3])
        lines += ["", f"Overall: {tot[0]} matched of {tot[2]} / {tot[3]} triggers, span F1 {f1:.2f}, "
                  f"type agreement on matched {tot[1] / max(tot[0], 1):.2f}.", ""]
    (HERE / "gold" / "AGREEMENT.md").write_text("\n".join(lines), encoding="utf-8")
    notes = ["# Disagreements resolved during annotation", "", "Second-pass changes and hard calls, per annotator file.", ""]
    for path in sorted(ANNOTATORS.glob("*.disagreements.md")):
        notes += [f"## {path.name.removesuffix('.disagreements.md')}", "", path.read_text(encoding="utf-8").strip(), ""]
    (HERE / "gold" / "DISAGREEMENTS.md").write_text("\n".join(notes), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
