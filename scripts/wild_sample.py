"""Precision in the wild: sample extracted records from unseen news, then score the judges' verdicts.

    python scripts/wild_sample.py sample --shared ../shared/corpus    # writes corpus/wild/{articles,records}.jsonl
    python scripts/wild_sample.py score                                 # reads corpus/wild/judgments.*.jsonl
    python scripts/wild_sample.py rerun --classifier hybrid.v2          # the same records from another extractor
    python scripts/wild_sample.py score --rerun hybrid.v2               # its judged share
    python scripts/wild_sample.py rerun --classifier hybrid.v2 --name hybrid.v2-timeline.v1 --carry hybrid.v2

``sample`` draws ``--articles`` articles at random (fixed seed) from every collection of
the shared corpus that is not in the gold corpus, runs the default extractor on them, and
draws ``--records`` of the records it writes, again at random. Only the articles those
records come from are copied into ``corpus/wild/`` (the project never needs ``../shared``).

Judges read each record against its article (corpus/wild/README.md) and write one line
per record: ``{"event_id", "type", "modality", "core", "time", "note"}`` where each of the
four is ``true`` (right) or ``false`` (wrong). A record is fully correct when all four are
true. ``score`` prints the share per judge, their agreement, and the adjudicated share
(``judgments.final.jsonl``) when there is one.

``rerun`` runs another extractor with the same trigger detector on the sampled articles and
writes, to ``corpus/wild/NAME/``, its records for the same 200 triggers
(``records.jsonl``) and those whose core participant or time value differ
(``changed.jsonl``, modality included). Only those are judged again, and a new verdict
replaces the carried one only for a check whose value changed (``core``, ``time`` or
``modality``); the type comes from the same detector and is carried over, and so are all
four checks of an unchanged record. ``score --rerun NAME`` combines the carried and the new verdicts.
With ``--carry EARLIER`` the records are compared with, and the verdicts carried from, an
earlier rerun (its adjudicated verdicts, themselves carried and new), for a change that is
not a new extractor (the date chooser of 0.3.0); ``--name`` names the folder.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WILD = ROOT / "corpus" / "wild"
SEED = 20261204
COLLECTIONS = (
    "reuters_financial_2006_2013/reuters_financial_2006_2013.jsonl.gz",
    "bbc_2004_2005/bbc_2004_2005.jsonl.gz",
    "ag_news_test/ag_news_test.jsonl",
    "reuters21578/reuters21578.jsonl.gz",
)
CHECKS = ("type", "modality", "core", "time")
CARRY_FILE = "carry.json"


def _jsonl(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:  # type: ignore[operator]
        return [json.loads(line) for line in f if line.strip()]


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")


FIELDS = ("id", "text", "title", "source", "url", "published")


def _extract(pipe: Any, fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The event records (as JSON) the pipeline writes for the articles' fields."""
    records: list[dict[str, Any]] = []
    for item in pipe.extract_many(fields):
        if hasattr(item, "events"):
            records += [json.loads(e.model_dump_json()) for e in item.events]
    return records


def _trigger_key(record: dict[str, Any]) -> tuple[str, int, int, str]:
    return (record["provenance"]["doc_id"], record["trigger"]["start"], record["trigger"]["end"], record["type"])


def gold_ids() -> set[str]:
    """Ids of every document drawn for the gold corpus (all batches) and of v1."""
    ids: set[str] = set()
    for path in (ROOT / "corpus" / "gold" / "docs").glob("*.jsonl"):
        ids |= {d["id"] for d in _jsonl(path)}
    return ids


def sample(args: argparse.Namespace) -> int:
    """Draw articles, extract, draw records; write corpus/wild/."""
    from pipeline import Pipeline

    rng = random.Random(SEED)
    exclude = gold_ids()
    pool: list[dict[str, Any]] = []
    for rel in COLLECTIONS:
        pool += [d for d in _jsonl(Path(args.shared) / rel) if d["id"] not in exclude and len(d["text"]) >= 100]
    articles = rng.sample(pool, args.articles)
    pipe = Pipeline()
    fields = [{k: d.get(k) for k in FIELDS} for d in articles]
    records = _extract(pipe, fields)
    chosen = rng.sample(records, min(args.records, len(records)))
    chosen.sort(key=lambda r: (r["provenance"]["doc_id"], r["trigger"]["start"]))
    used = {r["provenance"]["doc_id"] for r in chosen}
    WILD.mkdir(parents=True, exist_ok=True)
    keep = [{**f, "origin": "shared/corpus"} for f in fields if f["id"] in used]
    _write_jsonl(WILD / "articles.jsonl", keep)
    _write_jsonl(WILD / "records.jsonl", chosen)
    print(
        f"{len(articles)} articles, {len(records)} records extracted by {pipe.cfg.classifier.name}; "
        f"{len(chosen)} records from {len(used)} articles written to {WILD}"
    )
    return 0


CORE_ROLE = {"arrest": "person", "release": "person", "announcement": "speaker"}


def _core(record: dict[str, Any]) -> list[tuple[str, str | None]]:
    role = CORE_ROLE[record["type"]]
    return sorted((a["text"], a.get("entity_name")) for a in record["arguments"] if a["role"] == role)


def _time_value(record: dict[str, Any]) -> Any:
    return (record.get("time") or {}).get("value")


def rerun(args: argparse.Namespace) -> int:
    """Extract the sampled articles with another extractor; keep the records of the sampled triggers."""
    from pipeline import Pipeline

    base = WILD / args.carry if args.carry else WILD
    judged = _jsonl(base / "records.jsonl")
    articles = _jsonl(WILD / "articles.jsonl")
    pipe = Pipeline(classifier=args.classifier)
    found = {_trigger_key(r): r for r in _extract(pipe, [{k: d.get(k) for k in FIELDS} for d in articles])}
    out = WILD / (args.name or args.classifier)
    out.mkdir(parents=True, exist_ok=True)
    records, changed, missing = [], [], 0
    for old in judged:
        new = found.get(_trigger_key(old))
        if new is None:
            missing += 1
            continue
        new = {**new, "judged_as": old["event_id"], "judged_modality": old["modality"]}
        records.append(new)
        if _core(new) != _core(old) or _time_value(new) != _time_value(old) or new["modality"] != old["modality"]:
            changed.append(new)
    _write_jsonl(out / "records.jsonl", records)
    _write_jsonl(out / "changed.jsonl", changed)
    if args.carry:
        (out / CARRY_FILE).write_text(json.dumps({"carry": args.carry}) + "\n", "utf-8")
    print(
        f"{args.classifier}: {len(records)} of {len(judged)} records of {base} found again ({missing} not); "
        f"{len(changed)} with another core participant, time value or modality written to {out / 'changed.jsonl'}"
    )
    return 0


def _judgments(path: Path) -> dict[str, dict[str, Any]]:
    return {j["event_id"]: j for j in _jsonl(path)}


def score(args: argparse.Namespace) -> int:
    """Share of fully correct records per judge, agreement, and the adjudicated share."""
    if args.rerun:
        return _score_rerun(WILD / args.rerun)
    records = [r["event_id"] for r in _jsonl(WILD / "records.jsonl")]
    judges = {p.name.split(".")[1]: _judgments(p) for p in sorted(WILD.glob("judgments.*.jsonl"))}
    _print_judges(records, judges)
    return 0


def _print_judges(records: list[str], judges: dict[str, dict[str, dict[str, Any]]]) -> None:
    for name, judged in judges.items():
        missing = [r for r in records if r not in judged]
        full = sum(all(judged[r][c] for c in CHECKS) for r in records if r in judged)
        per = {c: sum(bool(judged[r][c]) for r in records if r in judged) for c in CHECKS}
        print(
            f"{name}: {full}/{len(records)} fully correct ({full / len(records):.1%}); right per check {per}"
            + (f"; {len(missing)} not judged" if missing else "")
        )
    passes = [j for n, j in judges.items() if n not in ("final", "sampled extractor")]
    if len(passes) == 2:
        a, b = passes
        same = sum(all(a[r][c] == b[r][c] for c in CHECKS) for r in records if r in a and r in b)
        print(f"agreement of the two judges on all four checks: {same}/{len(records)}")


def _base_of(folder: Path) -> Path:
    """The folder whose verdicts a rerun carries: another rerun's (``carry.json``) or the sample's."""
    carry = folder / CARRY_FILE
    return WILD / json.loads(carry.read_text("utf-8"))["carry"] if carry.is_file() else WILD


def _combined(folder: Path, fresh: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """A rerun's verdicts: the carried ones for unchanged records, new core and time for changed ones."""
    base = _final_verdicts(_base_of(folder))
    before = {r["event_id"]: r for r in _jsonl(_base_of(folder) / "records.jsonl")}
    changed = {r["event_id"] for r in _jsonl(folder / "changed.jsonl")}
    combined = {}
    for r in _jsonl(folder / "records.jsonl"):
        old = base[r["judged_as"]]
        if r["event_id"] in changed and r["event_id"] in fresh:
            again, prior = fresh[r["event_id"]], before[r["judged_as"]]
            combined[r["event_id"]] = {
                **old,
                "core": again["core"] if _core(r) != _core(prior) else old["core"],
                "time": again["time"] if _time_value(r) != _time_value(prior) else old["time"],
                "modality": again["modality"] if r["modality"] != prior["modality"] else old["modality"],
            }
        elif r["event_id"] not in changed:
            combined[r["event_id"]] = old
    return combined


def _final_verdicts(folder: Path) -> dict[str, dict[str, Any]]:
    """The adjudicated verdicts of the sample (``folder`` is corpus/wild) or of a rerun."""
    if folder == WILD:
        return _judgments(WILD / "judgments.final.jsonl")
    return _combined(folder, _judgments(folder / "judgments.final.jsonl"))


def _score_rerun(folder: Path) -> int:
    """The rerun's share: carried verdicts for unchanged records, new core and time verdicts for changed ones."""
    base = _base_of(folder)
    records = _jsonl(folder / "records.jsonl")
    changed = {r["event_id"] for r in _jsonl(folder / "changed.jsonl")}
    print(f"{len(records)} records, {len(changed)} judged again (core, time), the others carried over from {base}")
    carried = _final_verdicts(base)
    judges: dict[str, dict[str, dict[str, Any]]] = {
        "sampled extractor": {r["event_id"]: carried[r["judged_as"]] for r in records}
    }
    for path in sorted(folder.glob("judgments.*.jsonl")):
        judges[path.name.split(".")[1]] = _combined(folder, _judgments(path))
    _print_judges([r["event_id"] for r in records], judges)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("sample")
    p.add_argument("--shared", required=True)
    p.add_argument("--articles", type=int, default=800)
    p.add_argument("--records", type=int, default=200)
    p.set_defaults(func=sample)
    p = sub.add_parser("score")
    p.add_argument("--rerun", help="score the records of corpus/wild/NAME/ (after `rerun`)")
    p.set_defaults(func=score)
    p = sub.add_parser("rerun")
    p.add_argument("--classifier", required=True, help="an extractor with the sampled records' trigger detector")
    p.add_argument("--name", help="the folder under corpus/wild/ to write (default: the classifier's name)")
    p.add_argument("--carry", help="compare with, and carry the verdicts of, this earlier rerun (a folder name)")
    p.set_defaults(func=rerun)
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
