"""Build the gold corpus from the adjudicated annotation sheets: train/dev/test, agreement, statistics.

    python corpus/build_gold.py              # every batch must have its final sheet
    python corpus/build_gold.py --partial --out DIR   # while annotation goes on: adjudicated batches only

Reads the batches in ``corpus/gold/docs/`` (documents with their split, fixed before
annotation by corpus/sample.py; a text the collections repeat under two ids is kept once,
test first, so nothing leaks between splits) and their adjudicated sheets
``corpus/gold/sheets/BATCH/final.jsonl``; writes ``corpus/gold/{train,dev,test}.jsonl``,
``AGREEMENT.md`` (the two independent passes of every batch against each other, per
type and attribute), ``ADJUDICATION.md`` (the adjudicators' notes) and ``STATS.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import annotate  # noqa: E402  (corpus/annotate.py, beside this script)

GOLD = HERE / "gold"
SPLITS = ("train", "dev", "test")
MODALITIES = ("asserted", "planned", "negated", "hypothetical", "generic", "uncertain")


def batches() -> list[str]:
    """Every batch name, in a stable order."""
    return sorted(p.stem for p in (GOLD / "docs").glob("*.jsonl"))


def gold_document(doc: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any]:
    """A gold JSONL record (pipeline/gold.py) from a batch document and its adjudicated events."""
    out = {k: doc.get(k) for k in ("id", "source", "url", "published", "title", "text")}
    out["events_exhaustive"] = True
    out["events"] = events
    for k in ("split", "origin", "collection", "stratum"):
        out[k] = doc.get(k)
    return out


def drop_repeated_texts(split_docs: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Keep each text once (the collections repeat some articles under two ids).

    A text in two splits would leak between them: the copy in test is kept, then the one
    in dev, then the first in train. Returns the ids dropped.
    """
    seen: set[str] = set()
    dropped: list[str] = []
    for split in ("test", "dev", "train"):
        kept = []
        for doc in sorted(split_docs[split], key=lambda d: d["id"]):
            if doc["text"] in seen:
                dropped.append(doc["id"])
                continue
            seen.add(doc["text"])
            kept.append(doc)
        split_docs[split] = kept
    return dropped


def agreement_section(names: list[str]) -> list[str]:
    """Agreement of passes A and B over the given batches, overall and per split."""
    lines: list[str] = []
    groups: dict[str, list[str]] = {"all batches drawn for v2 (both passes under guidelines v2)": []}
    for split in SPLITS:
        groups[f"{split} (v2 batches)"] = []
    groups["v1 documents (pass A: the v1 annotation, guidelines v1; pass B: v2)"] = []
    per_batch: list[str] = []
    agr_by: dict[str, annotate.Agreement] = {k: annotate.Agreement() for k in groups}
    for name in names:
        folder = GOLD / "sheets" / name
        if not (folder / "a.jsonl").is_file() or not (folder / "b.jsonl").is_file():
            continue
        docs = annotate.load_batch(name)
        a = annotate.resolve_sheet(docs, folder / "a.jsonl")
        b = annotate.resolve_sheet(docs, folder / "b.jsonl")
        one = annotate.agreement(docs, a, b)
        split = next(iter(docs.values()))["split"]
        keys = (
            ["v1 documents (pass A: the v1 annotation, guidelines v1; pass B: v2)"]
            if name.startswith("v1-")
            else ["all batches drawn for v2 (both passes under guidelines v2)", f"{split} (v2 batches)"]
        )
        for doc_id in sorted(set(a.events) & set(b.events)):
            for key in keys:
                agr_by[key].add(a.events[doc_id], b.events[doc_id])
        na = sum(one.per_type[(t, "a")] for t in annotate.TYPES)
        nb = sum(one.per_type[(t, "b")] for t in annotate.TYPES)
        m = sum(one.per_type[(t, "matched")] for t in annotate.TYPES)
        f1 = 2 * m / (na + nb) if na + nb else 1.0
        modality = f"{one.attrs[('modality', 'same')]} of {one.attrs[('modality', 'n')]}"
        per_batch.append(f"| {name} | {split} | {one.docs} | {na} | {nb} | {m} | {f1:.2f} | {modality} |")
    for title, agr in agr_by.items():
        if not agr.docs:
            continue
        lines += [f"### {title}: {agr.docs} documents", "", *agr.rows(), ""]
    lines += [
        "### Per batch",
        "",
        "| batch | split | documents | triggers A | triggers B | agreed (same type) | F1 | modality agreed |",
        "|---|---|---|---|---|---|---|---|",
        *per_batch,
        "",
    ]
    return lines


def stats_lines(split_docs: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Counts per split: documents, mentions by type, modality, time basis, collection, stratum."""
    lines = ["# Gold corpus statistics", "", "Written by `python corpus/build_gold.py`.", ""]
    header = "| | " + " | ".join(SPLITS) + " | all |"
    sep = "|---" * (len(SPLITS) + 2) + "|"

    def row(name: str, values: list[int]) -> str:
        return f"| {name} | " + " | ".join(str(v) for v in values) + f" | {sum(values)} |"

    events = {s: [e for d in split_docs[s] for e in d["events"]] for s in SPLITS}
    lines += ["## Size", "", header, sep]
    lines.append(row("documents", [len(split_docs[s]) for s in SPLITS]))
    lines.append(row("mentions", [len(events[s]) for s in SPLITS]))
    for t in annotate.TYPES:
        lines.append(row(f"  {t}", [sum(e["type"] == t for e in events[s]) for s in SPLITS]))
    lines.append(row("not asserted", [sum(e["modality"] != "asserted" for e in events[s]) for s in SPLITS]))
    for m in MODALITIES[1:]:
        lines.append(row(f"  {m}", [sum(e["modality"] == m for e in events[s]) for s in SPLITS]))
    lines.append(row("with a time value", [sum(e["time_value"] is not None for e in events[s]) for s in SPLITS]))
    for basis in annotate.BASES:
        lines.append(row(f"  basis {basis}", [sum(e["time_basis"] == basis for e in events[s]) for s in SPLITS]))
    lines.append(row("with a count value", [sum(e["count_value"] is not None for e in events[s]) for s in SPLITS]))
    lines.append(
        row(
            "real-world events (clusters)",
            [len({(d["id"], e["event"]) for d in split_docs[s] for e in d["events"]}) for s in SPLITS],
        )
    )
    for key in ("collection", "stratum"):
        lines += ["", f"## Documents by {key}", "", header, sep]
        values = sorted({d[key] for s in SPLITS for d in split_docs[s]})
        for v in values:
            lines.append(row(str(v), [sum(d[key] == v for d in split_docs[s]) for s in SPLITS]))
    return [*lines, ""]


def main(argv: list[str] | None = None) -> int:
    """Build the splits and reports from the final sheets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partial", action="store_true", help="skip batches that have no final sheet yet")
    parser.add_argument("--out", type=Path, default=GOLD, help="output folder (default corpus/gold)")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    names = batches()
    done = [n for n in names if (GOLD / "sheets" / n / "final.jsonl").is_file()]
    missing = sorted(set(names) - set(done))
    if missing and not args.partial:
        print(f"{len(missing)} batches have no final sheet: {', '.join(missing)} (use --partial)", file=sys.stderr)
        return 1
    split_docs: dict[str, list[dict[str, Any]]] = {s: [] for s in SPLITS}
    for doc, events in annotate.iter_final(done):
        split_docs[doc["split"]].append(gold_document(doc, events))
    dropped = drop_repeated_texts(split_docs)
    if dropped:
        print(f"{len(dropped)} documents repeat the text of another: dropped {', '.join(dropped)}")
    for split, docs in split_docs.items():
        docs.sort(key=lambda d: d["id"])
        path = out / f"{split}.jsonl"
        path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
        counts = Counter(e["type"] for d in docs for e in d["events"])
        print(f"{path}: {len(docs)} documents, {sum(counts.values())} mentions {dict(counts)}")
    agreement = [
        "# Inter-annotator agreement",
        "",
        "Every document was annotated in two independent passes (A and B) under corpus/GUIDELINES.md,",
        "then adjudicated (corpus/gold/ADJUDICATION.md). Triggers match one-to-one by character",
        "overlap, same type first; attributes are compared on matched mentions of the same type.",
        "Written by `python corpus/build_gold.py` (`python corpus/annotate.py agree` for one batch).",
        "",
        "The annotators were separate sessions of one large language model, each given only the",
        "guidelines and the texts. Agreement between two instances of one model is likely higher",
        "than between two people: read these figures as consistency, not as a human ceiling.",
        "",
        *agreement_section(names),
    ]
    if missing:
        agreement.insert(2, f"Partial build: {len(missing)} batches not adjudicated yet ({', '.join(missing)}).\n")
    (out / "AGREEMENT.md").write_text("\n".join(agreement), encoding="utf-8")
    notes = [
        "# Adjudication notes",
        "",
        "The adjudicators' decisions per batch (corpus/gold/sheets/BATCH/final.notes.md).",
        "",
    ]
    for name in done:
        path = GOLD / "sheets" / name / "final.notes.md"
        if path.is_file():
            notes += [f"## {name}", "", path.read_text(encoding="utf-8").strip(), ""]
    (out / "ADJUDICATION.md").write_text("\n".join(notes), encoding="utf-8")
    (out / "STATS.md").write_text("\n".join(stats_lines(split_docs)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
