"""Carry the first gold corpus (v1, 84 documents) into the v2 batches: documents and pass A.

    python corpus/v1_sheets.py      # writes corpus/gold/docs/v1-*.jsonl and corpus/gold/sheets/v1-*/a.jsonl

The v1 annotations (corpus/gold/annotators/, guidelines version 1) become the first
pass of these documents; a second independent pass under version 2 and adjudication
follow as for every other batch. v1 documents read while the rules were written (the old
dev split and the seed) go to train; the old test split, never read, stays test. Each v1
mention gets its own event label (v1 had no clusters) and, when it has a time value, the
basis ``explicit`` (v1 gave values only for time expressions in the sentence).
Run once, before the second pass; it was run on 2026-12-03.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold"
BATCH_DOCS = 30


def main() -> int:
    """Write the v1 batches and their pass-A sheets."""
    docs = []
    for name in ("dev", "test"):
        for line in (GOLD / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            d["split"] = "test" if name == "test" else "train"
            docs.append(d)
    for split in ("train", "test"):
        mine = sorted((d for d in docs if d["split"] == split), key=lambda d: d["id"])
        for k in range(0, len(mine), BATCH_DOCS):
            batch = f"v1-{split}-{k // BATCH_DOCS + 1:02d}"
            group = mine[k : k + BATCH_DOCS]
            rows, sheet = [], []
            for d in group:
                origin = d.get("origin") or ""
                collection = origin.split("/")[0].split(".")[0].split("#")[0] or "seed"
                rows.append(
                    {
                        "id": d["id"],
                        "source": d.get("source"),
                        "url": d.get("url"),
                        "published": d.get("published"),
                        "title": d.get("title"),
                        "text": d["text"],
                        "origin": origin,
                        "collection": collection,
                        "stratum": "v1",
                        "split": split,
                    }
                )
                events = []
                for i, e in enumerate(d["events"], 1):
                    events.append(
                        {
                            "type": e["type"],
                            "trigger": e["trigger"],
                            "trigger_start": e["trigger_start"],
                            "modality": e["modality"],
                            "args": [
                                {"role": a["role"], "text": a["text"], "start": a["start"]} for a in e["arguments"]
                            ],
                            "time_value": e.get("time_value"),
                            "time_basis": "explicit" if e.get("time_value") else None,
                            "count_value": e.get("count_value"),
                            "count_approximate": e.get("count_approximate"),
                            "event": f"E{i}",
                            **({"note": e["note"]} if e.get("note") else {}),
                        }
                    )
                sheet.append({"id": d["id"], "events": events})
            (GOLD / "docs" / f"{batch}.jsonl").write_text(
                "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
            )
            out = GOLD / "sheets" / batch
            out.mkdir(parents=True, exist_ok=True)
            (out / "a.jsonl").write_text(
                "".join(json.dumps(s, ensure_ascii=False) + "\n" for s in sheet), encoding="utf-8"
            )
            print(batch, len(group), "documents")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
