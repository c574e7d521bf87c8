"""Annotation sheets: show documents, turn anchors into offsets, measure agreement, merge for adjudication.

    python corpus/annotate.py show BATCH [--id ID]          # the documents of a batch, to read
    python corpus/annotate.py check BATCH SHEET             # resolve anchors, report every problem
    python corpus/annotate.py agree BATCH SHEET_A SHEET_B   # agreement per type and attribute
    python corpus/annotate.py merge BATCH SHEET_A SHEET_B -o MERGED   # the adjudication sheet

A batch is ``corpus/gold/docs/BATCH.jsonl`` (documents with their split); sheets live in
``corpus/gold/sheets/BATCH/`` (``a.jsonl`` and ``b.jsonl``: the two independent passes,
``final.jsonl``: the adjudicated one). The sheet format is in corpus/GUIDELINES.md,
section 7: one line per document, events located by ``anchor`` (a unique substring
holding the trigger) or by explicit ``trigger_start``/``start`` offsets.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DOCS = HERE / "gold" / "docs"
SHEETS = HERE / "gold" / "sheets"

TYPES = ("arrest", "release", "announcement")
MODALITIES = ("asserted", "planned", "negated", "hypothetical", "generic", "uncertain")
BASES = ("explicit", "context", "published")
ROLES = {
    "arrest": {"agent", "person", "place", "time", "crime", "count", "source"},
    "release": {"agent", "person", "place", "time", "count", "source"},
    "announcement": {"speaker", "content", "medium", "place", "time", "source"},
}
_TIME_VALUE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?|-W\d{2})?$")
_EVENT_KEYS = {
    "type", "trigger", "anchor", "trigger_start", "modality", "args", "time_value", "time_basis",
    "count_value", "count_approximate", "event", "note",
}  # fmt: skip
_ARG_KEYS = {"role", "text", "anchor", "start"}
#: Keys of a merged (adjudication) sheet that a final sheet must no longer carry.
_MERGE_KEYS = {"status", "conflicts"}


def load_batch(batch: str) -> dict[str, dict[str, Any]]:
    """The documents of a batch by id."""
    path = DOCS / f"{batch}.jsonl"
    if not path.is_file():
        raise SystemExit(f"no batch {batch!r}: {path} does not exist (see corpus/gold/docs/)")
    return {d["id"]: d for d in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if d}


def read_sheet(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(line number, object) per non-empty line; a malformed line stops with file:line."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append((n, json.loads(line)))
        except json.JSONDecodeError as e:
            raise SystemExit(f"{path}:{n}: not JSON: {e}") from e
    return out


def paragraph_of(text: str, pos: int) -> tuple[int, int]:
    """The paragraph (between blank lines or line breaks) that holds ``pos``."""
    start = max(text.rfind("\n", 0, pos) + 1, 0)
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def at_word_boundaries(text: str, start: int, end: int) -> bool:
    """True unless the span cuts a word: "he" inside "the" is not the pronoun "he"."""
    if start >= end:
        return False
    cut_left = start > 0 and text[start].isalnum() and text[start - 1].isalnum()
    cut_right = end < len(text) and text[end - 1].isalnum() and text[end].isalnum()
    return not (cut_left or cut_right)


def _nearest(text: str, needle: str, lo: int, hi: int, near: int) -> int | None:
    """The occurrence of ``needle`` in text[lo:hi] nearest to ``near`` that is a whole word."""
    best: int | None = None
    i = text.find(needle, lo, hi)
    while i >= 0:
        whole = at_word_boundaries(text, i, i + len(needle))
        if whole and (best is None or abs(i - near) < abs(best - near)):
            best = i
        i = text.find(needle, i + 1, hi)
    return best


def _first_word(haystack: str, needle: str) -> int:
    """The first whole-word occurrence of needle in haystack (-1 if none)."""
    i = haystack.find(needle)
    while i >= 0 and not at_word_boundaries(haystack, i, i + len(needle)):
        i = haystack.find(needle, i + 1)
    return i


@dataclass
class Resolved:
    """A sheet turned into gold events, with the problems found on the way."""

    events: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def resolve_event(text: str, ev: dict[str, Any], where: str, final: bool) -> tuple[dict[str, Any] | None, list[str]]:
    """One sheet event -> a gold event with offsets, or None and the problems."""
    problems: list[str] = []
    unknown = set(ev) - _EVENT_KEYS - (set() if final else _MERGE_KEYS)
    if unknown:
        problems.append(f"{where}: unknown keys {sorted(unknown)}")
    etype, trigger = ev.get("type"), ev.get("trigger")
    if etype not in TYPES:
        return None, [*problems, f"{where}: type {etype!r} is not one of {', '.join(TYPES)}"]
    if not isinstance(trigger, str) or not trigger:
        return None, [*problems, f"{where}: trigger missing"]
    if isinstance(ev.get("trigger_start"), int):
        t0 = ev["trigger_start"]
        if text[t0 : t0 + len(trigger)] != trigger:
            return None, [*problems, f"{where}: text at trigger_start {t0} is {text[t0 : t0 + len(trigger)]!r}"]
    else:
        anchor = ev.get("anchor") or trigger
        hits = [m.start() for m in re.finditer(re.escape(anchor), text)]
        if len(hits) != 1:
            what = "anchor" if ev.get("anchor") else "trigger (no anchor given)"
            return None, [
                *problems,
                f"{where}: {what} {anchor!r} occurs {len(hits)} times in the text; it must occur once",
            ]
        inside = _first_word(anchor, trigger)
        if inside < 0:
            return None, [*problems, f"{where}: trigger {trigger!r} is not inside anchor {anchor!r}"]
        t0 = hits[0] + inside
    t1 = t0 + len(trigger)
    if not at_word_boundaries(text, t0, t1):
        problems.append(f"{where}: trigger {trigger!r} at {t0} cuts a word ({text[max(0, t0 - 10) : t1 + 10]!r})")
    modality = ev.get("modality")
    if modality not in MODALITIES:
        problems.append(f"{where}: modality {modality!r} is not one of {', '.join(MODALITIES)}")
    p0, p1 = paragraph_of(text, t0)
    args = []
    for j, arg in enumerate(ev.get("args") or []):
        aw = f"{where}.args[{j}]"
        if set(arg) - _ARG_KEYS:
            problems.append(f"{aw}: unknown keys {sorted(set(arg) - _ARG_KEYS)}")
        role, atext = arg.get("role"), arg.get("text")
        if role not in ROLES[etype]:
            problems.append(f"{aw}: role {role!r} is not a role of {etype} ({', '.join(sorted(ROLES[etype]))})")
            continue
        if not isinstance(atext, str) or not atext.strip() or atext != atext.strip():
            problems.append(f"{aw}: text {atext!r} must be non-empty without surrounding spaces")
            continue
        if isinstance(arg.get("start"), int):
            a0 = arg["start"]
            if text[a0 : a0 + len(atext)] != atext:
                problems.append(f"{aw}: text at start {a0} is {text[a0 : a0 + len(atext)]!r}, not {atext!r}")
                continue
        elif arg.get("anchor"):
            hits = [m.start() for m in re.finditer(re.escape(arg["anchor"]), text)]
            if len(hits) != 1 or atext not in arg["anchor"]:
                problems.append(f"{aw}: anchor {arg['anchor']!r} must occur once and contain {atext!r}")
                continue
            a0 = hits[0] + max(_first_word(arg["anchor"], atext), 0)
        else:
            found = _nearest(text, atext, p0, p1, t0)
            if found is None:
                problems.append(f"{aw}: {atext!r} is not in the trigger's paragraph; give it an anchor")
                continue
            a0 = found
        if not at_word_boundaries(text, a0, a0 + len(atext)):
            problems.append(f"{aw}: {atext!r} at {a0} cuts a word ({text[max(0, a0 - 10) : a0 + len(atext) + 10]!r})")
            continue
        args.append({"role": role, "text": atext, "start": a0, "end": a0 + len(atext)})
    tv, basis = ev.get("time_value"), ev.get("time_basis")
    if tv is not None and (not isinstance(tv, str) or not _TIME_VALUE.match(tv)):
        problems.append(f"{where}: time_value {tv!r} is not YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Www")
    if (tv is None) != (basis is None):
        problems.append(f"{where}: time_value and time_basis go together (both set or both null)")
    if basis is not None and basis not in BASES:
        problems.append(f"{where}: time_basis {basis!r} is not one of {', '.join(BASES)}")
    cv = ev.get("count_value")
    if cv is not None and (not isinstance(cv, int) or isinstance(cv, bool) or cv < 0):
        problems.append(f"{where}: count_value {cv!r} must be a non-negative integer or null")
    if etype == "announcement" and cv is not None:
        problems.append(f"{where}: announcements carry no count")
    if not isinstance(ev.get("event"), str) or not ev.get("event"):
        problems.append(f"{where}: event label missing (E1, E2, ...: mentions of one real-world event share it)")
    out = {
        "type": etype,
        "trigger": trigger,
        "trigger_start": t0,
        "trigger_end": t1,
        "modality": modality if modality in MODALITIES else "asserted",
        "arguments": sorted(args, key=lambda a: (a["start"], a["role"])),
        "time_value": tv,
        "time_basis": basis,
        "count_value": cv,
        "count_approximate": (bool(ev.get("count_approximate")) if cv is not None else None),
        "event": ev.get("event"),
    }
    if ev.get("note"):
        out["note"] = ev["note"]
    return out, problems


def resolve_sheet(docs: dict[str, dict[str, Any]], path: Path, final: bool = False) -> Resolved:
    """Resolve every line of a sheet against the batch's documents."""
    res = Resolved()
    for n, obj in read_sheet(path):
        doc_id = obj.get("id")
        if doc_id not in docs:
            res.problems.append(f"{path.name}:{n}: id {doc_id!r} is not a document of this batch")
            continue
        if doc_id in res.events:
            res.problems.append(f"{path.name}:{n}: document {doc_id} appears twice")
            continue
        text = docs[doc_id]["text"]
        events = []
        seen: set[tuple[int, int]] = set()
        for i, ev in enumerate(obj.get("events") or []):
            where = f"{path.name}:{n} {doc_id} events[{i}]"
            if final and set(ev) & _MERGE_KEYS:
                res.problems.append(
                    f"{where}: adjudication markers {sorted(set(ev) & _MERGE_KEYS)} left in a final sheet"
                )
            gold, problems = resolve_event(text, ev, where, final)
            res.problems += problems
            if gold is not None:
                key = (gold["trigger_start"], gold["trigger_end"])
                if key in seen:
                    res.problems.append(f"{where}: a second event with the same trigger span {key}")
                seen.add(key)
                events.append(gold)
        res.events[doc_id] = sorted(events, key=lambda e: (e["trigger_start"], e["type"]))
    missing = sorted(set(docs) - set(res.events))
    if missing:
        res.problems.append(f"{path.name}: {len(missing)} documents have no line: {', '.join(missing[:8])}")
    return res


# --- agreement ------------------------------------------------------------------------------


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["trigger_start"] < b["trigger_end"] and b["trigger_start"] < a["trigger_end"]


def match(ea: list[dict[str, Any]], eb: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one trigger matching by overlap, same-type pairs first."""
    pairs: list[tuple[int, int]] = []
    used_a: set[int] = set()
    used_b: set[int] = set()
    for same_type in (True, False):
        for i, a in enumerate(ea):
            if i in used_a:
                continue
            for j, b in enumerate(eb):
                if j in used_b or not _overlap(a, b) or (same_type and a["type"] != b["type"]):
                    continue
                pairs.append((i, j))
                used_a.add(i)
                used_b.add(j)
                break
    return sorted(pairs)


def _args(e: dict[str, Any]) -> list[tuple[str, int, int]]:
    return [(a["role"], a["start"], a["end"]) for a in e["arguments"]]


def _arg_matches(a: dict[str, Any], b: dict[str, Any]) -> int:
    used: set[int] = set()
    n = 0
    for role, s, e in _args(a):
        for j, (r2, s2, e2) in enumerate(_args(b)):
            if j not in used and role == r2 and s < e2 and s2 < e:
                used.add(j)
                n += 1
                break
    return n


@dataclass
class Agreement:
    """Counts for agreement between two passes."""

    per_type: Counter[tuple[str, str]] = field(default_factory=Counter)
    attrs: Counter[tuple[str, str]] = field(default_factory=Counter)
    modality_pairs: Counter[tuple[str, str]] = field(default_factory=Counter)
    args: Counter[str] = field(default_factory=Counter)
    links: Counter[str] = field(default_factory=Counter)
    docs: int = 0

    def add(self, ea: list[dict[str, Any]], eb: list[dict[str, Any]]) -> None:
        """Add one document's two versions."""
        self.docs += 1
        pairs = match(ea, eb)
        for e in ea:
            self.per_type[(e["type"], "a")] += 1
        for e in eb:
            self.per_type[(e["type"], "b")] += 1
        same = [(i, j) for i, j in pairs if ea[i]["type"] == eb[j]["type"]]
        for i, _ in same:
            self.per_type[(ea[i]["type"], "matched")] += 1
        self.per_type[("any", "overlap")] += len(pairs)
        for i, j in same:
            a, b = ea[i], eb[j]
            self.modality_pairs[(a["modality"], b["modality"])] += 1
            self.attrs[("modality", "n")] += 1
            self.attrs[("modality", "same")] += a["modality"] == b["modality"]
            self.attrs[("span", "n")] += 1
            self.attrs[("span", "same")] += (a["trigger_start"], a["trigger_end"]) == (
                b["trigger_start"],
                b["trigger_end"],
            )
            for key in ("time_value", "time_basis", "count_value"):
                if a[key] is not None or b[key] is not None:
                    self.attrs[(key, "n")] += 1
                    self.attrs[(key, "same")] += a[key] == b[key]
            self.args["a"] += len(a["arguments"])
            self.args["b"] += len(b["arguments"])
            self.args["matched"] += _arg_matches(a, b)
        # cluster links among matched mentions: are i and k the same event in both passes?
        for x in range(len(same)):
            for y in range(x + 1, len(same)):
                (i1, j1), (i2, j2) = same[x], same[y]
                la = ea[i1]["event"] == ea[i2]["event"]
                lb = eb[j1]["event"] == eb[j2]["event"]
                self.links["a"] += la
                self.links["b"] += lb
                self.links["both"] += la and lb

    def kappa(self) -> float:
        """Cohen's kappa of modality on matched mentions."""
        n = sum(self.modality_pairs.values())
        if not n:
            return math.nan
        po = sum(v for (x, y), v in self.modality_pairs.items() if x == y) / n
        pa = Counter[str]()
        pb = Counter[str]()
        for (x, y), v in self.modality_pairs.items():
            pa[x] += v
            pb[y] += v
        pe = sum(pa[m] * pb[m] for m in MODALITIES) / (n * n)
        return (po - pe) / (1 - pe) if pe < 1 else 1.0

    def rows(self) -> list[str]:
        """Markdown table rows."""

        def f1(m: int, na: int, nb: int) -> str:
            return f"{2 * m / (na + nb):.2f}" if na + nb else "n/a"

        out = ["| measure | A | B | agreed | F1 / share |", "|---|---|---|---|---|"]
        tot = [0, 0, 0]
        for t in TYPES:
            na, nb, m = self.per_type[(t, "a")], self.per_type[(t, "b")], self.per_type[(t, "matched")]
            tot = [tot[0] + na, tot[1] + nb, tot[2] + m]
            out.append(f"| trigger {t} (overlap, same type) | {na} | {nb} | {m} | {f1(m, na, nb)} |")
        out.append(f"| trigger, all types | {tot[0]} | {tot[1]} | {tot[2]} | {f1(tot[2], tot[0], tot[1])} |")
        for key, label in (
            ("span", "exact trigger span (matched)"),
            ("modality", "modality (matched)"),
            ("time_value", "time value (matched, either set)"),
            ("time_basis", "time basis (matched, either set)"),
            ("count_value", "count value (matched, either set)"),
        ):
            n, s = self.attrs[(key, "n")], self.attrs[(key, "same")]
            out.append(f"| {label} | | | {s} of {n} | {s / n:.2f} |" if n else f"| {label} | | | 0 of 0 | n/a |")
        out.append(f"| modality, Cohen's kappa | | | | {self.kappa():.2f} |")
        a, b, m = self.args["a"], self.args["b"], self.args["matched"]
        out.append(f"| arguments of matched mentions (overlap, same role) | {a} | {b} | {m} | {f1(m, a, b)} |")
        la, lb, lm = self.links["a"], self.links["b"], self.links["both"]
        out.append(f"| same-event links among matched mentions | {la} | {lb} | {lm} | {f1(lm, la, lb)} |")
        return out


def agreement(docs: dict[str, dict[str, Any]], a: Resolved, b: Resolved) -> Agreement:
    """Agreement between two resolved passes over the same documents."""
    agr = Agreement()
    for doc_id in sorted(set(a.events) & set(b.events)):
        agr.add(a.events[doc_id], b.events[doc_id])
    return agr


# --- merge for adjudication -----------------------------------------------------------------


def _sheet_event(e: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": e["type"],
        "trigger": e["trigger"],
        "trigger_start": e["trigger_start"],
        "modality": e["modality"],
        "args": [{"role": a["role"], "text": a["text"], "start": a["start"]} for a in e["arguments"]],
        "time_value": e["time_value"],
        "time_basis": e["time_basis"],
        "count_value": e["count_value"],
        "count_approximate": e["count_approximate"],
        "event": e["event"],
    }
    if e.get("note"):
        out["note"] = e["note"]
    return out


_COMPARED = ("type", "trigger", "modality", "time_value", "time_basis", "count_value", "count_approximate")


def merge_doc(ea: list[dict[str, Any]], eb: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The adjudication view of one document: agreed events, conflicts, and one-sided events."""
    pairs = match(ea, eb)
    # B's cluster labels are renamed to A's through matched mentions, else to fresh labels.
    rename: dict[str, str] = {}
    for i, j in pairs:
        rename.setdefault(eb[j]["event"], ea[i]["event"])
    used = {e["event"] for e in ea}
    fresh = (f"E{k}" for k in range(1, 10_000) if f"E{k}" not in used)
    for e in eb:
        if e["event"] not in rename:
            rename[e["event"]] = next(fresh)
    out: list[dict[str, Any]] = []
    matched_b = {j for _, j in pairs}
    by_a = dict(pairs)
    for i, a in enumerate(ea):
        ev = _sheet_event(a)
        if i in by_a:
            b = eb[by_a[i]]
            conflicts = {k: {"A": a[k], "B": b[k]} for k in _COMPARED if a[k] != b[k]}
            if sorted(_args(a)) != sorted(_args(b)):
                conflicts["args"] = {
                    "A": [f"{x['role']}: {x['text']} @{x['start']}" for x in a["arguments"]],
                    "B": [f"{x['role']}: {x['text']} @{x['start']}" for x in b["arguments"]],
                }
            # same partition? the matched mentions clustered with this one, in each pass
            mates_a = sorted(k for k, jj in pairs if k != i and ea[k]["event"] == a["event"])
            mates_b = sorted(k for k, jj in pairs if k != i and eb[jj]["event"] == b["event"])
            if rename[b["event"]] != a["event"] or mates_a != mates_b:
                names = [f"{e['trigger']}@{e['trigger_start']}" for e in ea]
                conflicts["event"] = {
                    "A": f"{a['event']} with {[names[k] for k in mates_a]}",
                    "B": f"{rename[b['event']]} with {[names[k] for k in mates_b]}",
                }
            ev["status"] = "both"
            if conflicts:
                ev["conflicts"] = conflicts
        else:
            ev["status"] = "only_A"
        out.append(ev)
    for j, b in enumerate(eb):
        if j not in matched_b:
            ev = _sheet_event(b)
            ev["event"] = rename[b["event"]]
            ev["status"] = "only_B"
            out.append(ev)
    return sorted(out, key=lambda e: e["trigger_start"])


# --- commands -------------------------------------------------------------------------------


def cmd_show(args: argparse.Namespace) -> int:
    """Print the documents of a batch (or one) for reading."""
    docs = load_batch(args.batch)
    for doc in docs.values():
        if args.id and doc["id"] not in args.id:
            continue
        print(f"=== {doc['id']} | published: {doc.get('published')} | source: {doc.get('source')}")
        print(f"=== title (not annotated): {doc.get('title')}")
        print(doc["text"])
        print()
    return 0


def _resolve_or_report(docs: dict[str, dict[str, Any]], path: Path, final: bool = False) -> Resolved:
    res = resolve_sheet(docs, path, final)
    for p in res.problems:
        print(p, file=sys.stderr)
    return res


def _summary(res: Resolved) -> str:
    c = Counter(e["type"] for evs in res.events.values() for e in evs)
    m = Counter(e["modality"] for evs in res.events.values() for e in evs)
    tv = sum(e["time_value"] is not None for evs in res.events.values() for e in evs)
    return (
        f"{len(res.events)} documents, {sum(c.values())} events ({', '.join(f'{t} {c[t]}' for t in TYPES)}), "
        f"not asserted {sum(c.values()) - m['asserted']}, with time value {tv}"
    )


def cmd_check(args: argparse.Namespace) -> int:
    """Resolve a sheet; print its problems and a summary."""
    docs = load_batch(args.batch)
    res = _resolve_or_report(docs, Path(args.sheet), final=args.final)
    print(_summary(res))
    print(f"{len(res.problems)} problems")
    return 1 if res.problems else 0


def cmd_agree(args: argparse.Namespace) -> int:
    """Agreement between two sheets of one batch."""
    docs = load_batch(args.batch)
    a = _resolve_or_report(docs, Path(args.sheet_a))
    b = _resolve_or_report(docs, Path(args.sheet_b))
    print("\n".join(agreement(docs, a, b).rows()))
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    """Write the adjudication sheet of two passes."""
    docs = load_batch(args.batch)
    a = _resolve_or_report(docs, Path(args.sheet_a))
    b = _resolve_or_report(docs, Path(args.sheet_b))
    lines = []
    stats = Counter[str]()
    for doc_id in docs:
        merged = merge_doc(a.events.get(doc_id, []), b.events.get(doc_id, []))
        for ev in merged:
            stats[ev["status"]] += 1
            stats["conflicts"] += "conflicts" in ev
        lines.append(json.dumps({"id": doc_id, "events": merged}, ensure_ascii=False))
    Path(args.output).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.output}: {dict(stats)}")
    return 0


def iter_final(batches: Iterable[str]) -> Iterable[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """(document, gold events) for every document of the given batches' final sheets."""
    for batch in batches:
        docs = load_batch(batch)
        res = resolve_sheet(docs, SHEETS / batch / "final.jsonl", final=True)
        if res.problems:
            raise SystemExit(f"{batch}/final.jsonl has {len(res.problems)} problems, first: {res.problems[0]}")
        for doc_id, doc in docs.items():
            yield doc, res.events[doc_id]


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("show", help="print a batch's documents")
    p.add_argument("batch")
    p.add_argument("--id", action="append", help="only this document (repeatable)")
    p.set_defaults(func=cmd_show)
    p = sub.add_parser("check", help="resolve a sheet and report problems")
    p.add_argument("batch")
    p.add_argument("sheet")
    p.add_argument("--final", action="store_true", help="also refuse adjudication markers")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("agree", help="agreement between two sheets")
    p.add_argument("batch")
    p.add_argument("sheet_a")
    p.add_argument("sheet_b")
    p.set_defaults(func=cmd_agree)
    p = sub.add_parser("merge", help="write the adjudication sheet")
    p.add_argument("batch")
    p.add_argument("sheet_a")
    p.add_argument("sheet_b")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=cmd_merge)
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
