"""Draw the documents of gold corpus v2 from the shared news collections (run once, seeded).

    python corpus/sample.py --shared ../shared/corpus      # writes corpus/gold/docs/*.jsonl
    python corpus/sample.py --shared ../shared/corpus --round 2   # then corpus/gold/docs/r2-*.jsonl

Three strata per collection (issue 12): ``candidate`` documents rich in custody and
announcement words, ``random`` documents, and ``distractor`` documents rich in the
senses that are not events (product and data "releases", bailouts, market "capture",
"held talks") with few custody words. Documents already in the first gold corpus (v1)
are excluded; they keep stratum ``v1``. Each drawn document is assigned a split by
collection and stratum (train/dev/test) before anyone annotates it, and goes into a
batch of about 90,000 characters. The word counts below are rough cues for sampling
only; no extractor output is used.

The output is committed: the project never needs ``../shared`` to build, run or test.
The split is published: never rerun with other settings after annotation has begun.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DOCS = HERE / "gold" / "docs"
SEED = 20261203
MAX_CHARS = 15000
MIN_CHARS = 100
BATCH_CHARS = 90000
BATCH_DOCS = 40
#: Shares of each collection-and-stratum cell that go to test and dev (the rest: train).
TEST_SHARE = 0.28
DEV_SHARE = 0.17

COLLECTIONS = {
    "reuters_financial_2006_2013": "reuters_financial_2006_2013/reuters_financial_2006_2013.jsonl.gz",
    "bbc_2004_2005": "bbc_2004_2005/bbc_2004_2005.jsonl.gz",
    "ag_news_test": "ag_news_test/ag_news_test.jsonl",
    "reuters21578": "reuters21578/reuters21578.jsonl.gz",
}
HTML_COLLECTIONS = (
    "scrapinghub_article_extraction_benchmark",
    "trafilatura_eval_news_en",
    "mozilla_readability_fixtures",
    "goose3_fixtures",
    "newspaper4k_fixtures",
)
#: Documents to draw per collection and stratum. ``candidate`` takes every document with a
#: release cue (release mentions are the scarcest) and then the ``candidate`` documents
#: richest in arrest cues, then the ``announcement`` documents richest in announcement cues
#: (these are ``candidate`` documents too).
PLAN: dict[str, dict[str, int]] = {
    "reuters_financial_2006_2013": {"candidate": 60, "announcement": 20, "random": 15, "distractor": 15},
    "bbc_2004_2005": {"candidate": 30, "random": 12, "distractor": 10},
    "ag_news_test": {"candidate": 40, "random": 30, "distractor": 15},
    "reuters21578": {"candidate": 15, "announcement": 10, "random": 30, "distractor": 10},
    "html": {"candidate": 12, "random": 6, "distractor": 4},
}

STRATA = ("candidate", "random", "distractor")
#: Round 2 (drawn after the first batches showed about 3.5 mentions per document, fewer
#: than the 3,000 the corpus needs): the documents richest in custody and announcement
#: cues among those not drawn yet, per collection. All ``candidate``.
PLAN_ROUND2: dict[str, int] = {
    "reuters_financial_2006_2013": 45,
    "ag_news_test": 25,
    "bbc_2004_2005": 12,
    "reuters21578": 12,
    "html": 4,
}

_ARREST = re.compile(
    r"\b(arrest\w*|detain\w*|detention|jail\w*|imprison\w*|custody|remand\w*|apprehend\w*|captured)\b", re.I
)
_RELEASE = re.compile(
    r"\b(releas\w*|freed|free(?:s|ing)?|liberat\w*|parole\w*|pardon\w*|bail(?:ed)?(?! ?out)(?!-out)|freedom)\b", re.I
)
_CUSTODY = re.compile(
    r"\b(prison\w*|jail\w*|custody|detain\w*|detention|hostages?|captiv\w*|kidnap\w*|abduct\w*|inmates?|"
    r"arrest\w*|bail|parole\w*)\b",
    re.I,
)
_ANNOUNCE = re.compile(
    r"\b(announc\w*|declar\w*|statement|unveil\w*|disclos\w*|conference|communiqu\w*|filing|decree|website)\b", re.I
)
_DISTRACTOR = re.compile(
    r"\b(releas\w* (?:its|the|a|new|results|figures|data|earnings|details|funds|version|album|film|video)|"
    r"(?:data|figures|results|album|film|product|press) releas\w*|bail-?outs?|bailed out|"
    r"captur\w* (?:\w+ )?(?:market|share)|"
    r"free trade|tax-free|held (?:talks|a meeting|meetings|an auction)|freed up)\b",
    re.I,
)


def cues(text: str) -> dict[str, int]:
    """Rough word counts used to sample documents (never an annotation)."""
    release = 0
    for m in _RELEASE.finditer(text):
        if _CUSTODY.search(text[max(0, m.start() - 150) : m.end() + 150]):
            release += 1
    return {
        "arrest": len(_ARREST.findall(text)),
        "release": release,
        "announcement": len(_ANNOUNCE.findall(text)),
        "distractor": len(_DISTRACTOR.findall(text)),
    }


def _stable(key: str) -> float:
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:  # type: ignore[operator]
        for line in f:
            if line.strip():
                yield json.loads(line)


def _html_docs(shared: Path) -> Iterator[dict[str, Any]]:
    """The English HTML pages, extracted with the pipeline's own HTML ingestion."""
    sys.path.insert(0, str(HERE.parent))
    from pipeline.ingest.common import normalize_published
    from pipeline.ingest.html import html_fields
    from pipeline.records import InputRef

    for name in HTML_COLLECTIONS:
        folder = shared / "html" / name
        for meta in _jsonl(folder / "manifest.jsonl"):
            if meta.get("lang_hint") not in (None, "en"):
                continue
            raw = gzip.decompress((folder / meta["file"]).read_bytes())
            ref = InputRef(path=f"html/{name}/{meta['file']}")
            fields = html_fields(raw, ref, url=meta.get("url"))
            if not hasattr(fields, "fields"):
                continue
            f = fields.fields
            published = meta.get("published") or f.get("published")
            try:
                published = normalize_published(published) if published else None
            except ValueError:
                published = None
            if published is not None and published < "1900":
                published = None  # placeholders such as 0001-01-01 in a page's metadata
            stem = meta["file"].removesuffix(".html.gz")[:40]
            yield {
                "id": f"html-{name.split('_')[0]}-{stem}",
                "source": f.get("source"),
                "url": meta.get("url"),
                "published": published,
                "title": f.get("title") or meta.get("html_title"),
                "text": f["text"],
                "origin": f"html/{name}/{meta['file']}",
            }


def _collection_docs(shared: Path, name: str) -> Iterator[dict[str, Any]]:
    if name == "html":
        yield from _html_docs(shared)
        return
    rel = COLLECTIONS[name]
    for doc in _jsonl(shared / rel):
        yield {
            "id": doc["id"],
            "source": doc.get("source"),
            "url": doc.get("url"),
            "published": doc.get("published"),
            "title": doc.get("title"),
            "text": doc["text"],
            "origin": f"{rel}#{doc['id']}",
        }


def _v1_ids() -> set[str]:
    ids: set[str] = set()
    for path in (HERE / "gold" / "annotators").glob("*.jsonl"):
        ids |= {d["id"] for d in _jsonl(path)}
    return ids


def draw(shared: Path) -> list[dict[str, Any]]:
    """Every drawn document with its collection, stratum and cues."""
    rng = random.Random(SEED)
    exclude = _v1_ids()
    drawn: list[dict[str, Any]] = []
    for name, plan in PLAN.items():
        pool = []
        for doc in _collection_docs(shared, name):
            if doc["id"] in exclude or not MIN_CHARS <= len(doc["text"]) <= MAX_CHARS:
                continue
            doc["collection"] = name
            doc["cues"] = cues(doc["text"])
            pool.append(doc)
        taken: set[str] = set()

        releases = [d for d in pool if d["cues"]["release"] >= 1]
        arrests = [d for d in pool if d["cues"]["release"] == 0 and d["cues"]["arrest"] >= 2]
        arrests.sort(key=lambda d: (-d["cues"]["arrest"], _stable(d["id"])))
        chosen = releases + arrests[: plan["candidate"]]
        picked = {d["id"] for d in chosen}
        announcements = [d for d in pool if d["id"] not in picked and d["cues"]["announcement"] >= 3]
        announcements.sort(key=lambda d: (-d["cues"]["announcement"], _stable(d["id"])))
        chosen += announcements[: plan.get("announcement", 0)]
        distractors = [
            d for d in pool if d["cues"]["distractor"] >= 1 and d["cues"]["release"] + d["cues"]["arrest"] <= 1
        ]
        for stratum, docs in (("candidate", chosen),):
            for d in docs:
                taken.add(d["id"])
                drawn.append({**d, "stratum": stratum})
        rest = [d for d in distractors if d["id"] not in taken]
        rng.shuffle(rest)
        for d in rest[: plan["distractor"]]:
            taken.add(d["id"])
            drawn.append({**d, "stratum": "distractor"})
        rest = [d for d in pool if d["id"] not in taken]
        rng.shuffle(rest)
        for d in rest[: plan["random"]]:
            drawn.append({**d, "stratum": "random"})
        got = {s: sum(1 for d in drawn if d["collection"] == name and d["stratum"] == s) for s in STRATA}
        print(f"{name}: pool {len(pool)}, drawn {got}", file=sys.stderr)
    return drawn


def _drawn_ids() -> set[str]:
    ids: set[str] = set()
    for path in DOCS.glob("*.jsonl"):
        ids |= {d["id"] for d in _jsonl(path)}
    return ids


def draw_round2(shared: Path) -> list[dict[str, Any]]:
    """Round 2: the most cue-rich documents not drawn in round 1 nor in v1."""
    exclude = _v1_ids() | _drawn_ids()
    drawn: list[dict[str, Any]] = []
    for name, n in PLAN_ROUND2.items():
        pool = []
        for doc in _collection_docs(shared, name):
            if doc["id"] in exclude or not MIN_CHARS <= len(doc["text"]) <= MAX_CHARS:
                continue
            c = cues(doc["text"])
            if c["arrest"] + c["release"] == 0 and c["announcement"] < 4:
                continue
            doc.update(collection=name, cues=c, stratum="candidate")
            pool.append(doc)

        def score(d: dict[str, Any]) -> float:
            c = d["cues"]
            return 3.0 * c["release"] + 2.0 * c["arrest"] + min(c["announcement"], 8)

        pool.sort(key=lambda d: (-score(d), _stable(d["id"])))
        drawn += pool[:n]
        print(f"{name}: pool {len(pool)}, drawn {len(pool[:n])}", file=sys.stderr)
    return drawn


def assign_splits(docs: list[dict[str, Any]]) -> None:
    """Split each collection-and-stratum cell by a stable hash order: test, dev, then train."""
    cells: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for d in docs:
        cells.setdefault((d["collection"], d["stratum"]), []).append(d)
    for cell in cells.values():
        cell.sort(key=lambda d: _stable("split" + d["id"]))
        n_test = round(len(cell) * TEST_SHARE)
        n_dev = round(len(cell) * DEV_SHARE)
        for i, d in enumerate(cell):
            d["split"] = "test" if i < n_test else "dev" if i < n_test + n_dev else "train"


def batches(docs: list[dict[str, Any]], prefix: str = "") -> dict[str, list[dict[str, Any]]]:
    """Batches of about BATCH_CHARS characters, one split each, collections mixed."""
    out: dict[str, list[dict[str, Any]]] = {}
    for split in ("test", "dev", "train"):
        mine = sorted((d for d in docs if d["split"] == split), key=lambda d: _stable("batch" + d["id"]))
        n = 0
        cur: list[dict[str, Any]] = []
        for d in mine:
            if cur and (sum(len(x["text"]) for x in cur) + len(d["text"]) > BATCH_CHARS or len(cur) >= BATCH_DOCS):
                n += 1
                out[f"{prefix}{split}-{n:02d}"] = cur
                cur = []
            cur.append(d)
        if cur:
            n += 1
            out[f"{prefix}{split}-{n:02d}"] = cur
    return out


def main(argv: list[str] | None = None) -> int:
    """Draw, split and batch the documents; write corpus/gold/docs/BATCH.jsonl."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared corpus folder (../shared/corpus)")
    parser.add_argument("--dry-run", action="store_true", help="print the plan, write nothing")
    parser.add_argument("--round", type=int, choices=(1, 2), default=1, help="sampling round (2: after round 1)")
    args = parser.parse_args(argv)
    docs = draw(args.shared) if args.round == 1 else draw_round2(args.shared)
    assign_splits(docs)
    groups = batches(docs, prefix="" if args.round == 1 else "r2-")
    totals: dict[str, dict[str, int]] = {}
    for d in docs:
        t = totals.setdefault(d["split"], {"docs": 0, "chars": 0, "arrest": 0, "release": 0, "announcement": 0})
        t["docs"] += 1
        t["chars"] += len(d["text"])
        for k in ("arrest", "release", "announcement"):
            t[k] += d["cues"][k]
    for split, t in totals.items():
        print(f"{split}: {t}", file=sys.stderr)
    print(f"{len(groups)} batches", file=sys.stderr)
    if args.dry_run:
        return 0
    DOCS.mkdir(parents=True, exist_ok=True)
    keys = ("id", "source", "url", "published", "title", "text", "origin", "collection", "stratum", "split")
    for name, group in groups.items():
        lines = [json.dumps({k: d[k] for k in keys}, ensure_ascii=False) for d in group]
        (DOCS / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
