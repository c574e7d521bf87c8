"""Cross-document linking at scale: 10,000 and 100,000 synthetic-but-realistic document events.

    .venv/bin/python bench/link_scale.py --events out/reuters.jsonl.doc_events.jsonl
    .venv/bin/python bench/link_scale.py            # extracts the templates from tests/fixtures/ag_news_300.jsonl

Templates are real document events (what ``newsevents extract`` wrote beside its output).
Each synthetic real-world event copies a template (type, modality, trigger, sources,
provenance) and gives it a person drawn from a pool that grows with the archive (about
one person per four document events, so people are arrested or released again over the
years), a country and a date over ten years; it is then reported by one document or more
(Zipf-like: most events once, a few famous ones dozens of times), published 0 to 30 days
after it, each naming the person in one of the ways news does ("Jérôme Kerviel",
"Jerome Kerviel", "Mr. Kerviel", "J. Kerviel"), some with the event's date (a day, a
month or a year), some without, some a day off. Only linking is timed (:func:`pipeline.events.linking.link_events`,
sorting included). Target: 100k takes at most 12 times as long as 10k. The pairwise
precision and recall of the cross-document links against the known real-world events
are printed too (a sanity check, not the gold measure: docs/evaluation.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path

from pipeline.events.linking import link_events
from pipeline.records import DocumentEvent, Participant, TimeClaim, TriggerRef, content_hash

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "ag_news_300.jsonl"
TARGET_RATIO = 12.0
GIVEN = [
    "Jérôme", "María", "José", "Ana", "Bernard", "Raj", "Allen", "Dominique", "Sergey", "Laura", "Stern", "Rebekah",
    "Andy", "Mikhail", "Thomas", "Raymond", "Vladislav", "Nicolás", "Delcy", "Jorge", "Juan", "Ramón", "Ai", "Chen",
    "Liu", "Aung", "Yulia", "Alexei", "Ihar", "Ales", "Svetlana", "Nadia", "Omar", "Fatima", "Hassan", "Leila",
]  # fmt: skip
SURNAMES = [
    "Kerviel", "Rodríguez", "Madoff", "Rajaratnam", "Stanford", "Strauss-Kahn", "Aleynikov", "Pendergest-Holt",
    "Brooks", "Coulson", "Khodorkovsky", "Kwok", "Hayes", "Baumgertner", "Guanipa", "Machado", "Losik",
    "Bialiatski", "Navalny", "Tymoshenko", "Gupta", "Kumar", "Chiesi", "Goffer", "Adoboli", "Weiwei", "Xiaobo",
    "Hu", "Mubarak", "Nasheed", "Hariri", "Naseem", "Wasendorf", "Golubkov", "Iguchi", "Leeson",
]  # fmt: skip
COUNTRIES = ["US", "GB", "FR", "VE", "BY", "RU", "CN", "HK", "EG", "IN"]
#: Endings that make new surnames out of the list once every pairing of it is used.
_ENDINGS = ["", "son", "ez", "ova", "ski", "ani", "ov", "er", "ini", "ard", "in", "ley", "berg", "feld", "ic", "es"]


def _ascii(name: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def person_name(index: int) -> tuple[str, str]:
    """The given name and surname of pool person ``index`` (distinct for every index)."""
    given = GIVEN[index % len(GIVEN)]
    surname = SURNAMES[(index // len(GIVEN)) % len(SURNAMES)]
    generation = index // (len(GIVEN) * len(SURNAMES))
    first, second = divmod(generation, len(_ENDINGS))
    return given, surname + _ENDINGS[second] + ("" if not first else _ENDINGS[first % len(_ENDINGS)])


def variant(given: str, surname: str, rng: random.Random) -> str:
    """One way an article names the person."""
    form = rng.random()
    if form < 0.5:
        return f"{given} {surname}"
    if form < 0.7:
        return _ascii(f"{given} {surname}")
    if form < 0.85:
        return f"Mr. {surname}"
    return f"{given[0]}. {surname}"


def _value(day: dt.date, granularity: str) -> str:
    if granularity == "year":
        return f"{day.year:04d}"
    if granularity == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if granularity == "week":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return day.isoformat()


def synthesize(templates: Sequence[DocumentEvent], n: int, seed: int = 13) -> tuple[list[DocumentEvent], list[int]]:
    """Return ``n`` document events and, for each, the real-world event it reports."""
    from pipeline.events.names import name_key

    rng = random.Random(seed)
    usable = [t for t in templates if any(p.role in ("person", "speaker") for p in t.participants)] or list(templates)
    pool = max(50, n // 4)
    events: list[DocumentEvent] = []
    truth: list[int] = []
    real = 0
    start = dt.date(2006, 1, 1)
    while len(events) < n:
        template = rng.choice(usable)
        given, surname = person_name(rng.randrange(pool))
        when = start + dt.timedelta(days=rng.randrange(3650))
        granularity = rng.choice(["day", "day", "day", "month", "year"])
        country = rng.choice(COUNTRIES)
        reports = min(int(rng.paretovariate(1.6)), 60, n - len(events))
        for r in range(reports):
            published = when + dt.timedelta(days=rng.randrange(0, 31) if r else rng.randrange(0, 3))
            doc_id = content_hash("bench", str(real), str(r))
            role = "speaker" if template.type == "announcement" else "person"
            name = variant(given, surname, rng)
            mention_id = content_hash(doc_id, "m")
            participants = [
                Participant(
                    role=role,
                    name=name,
                    key=name_key(name, "PERSON"),
                    entity_id=content_hash(doc_id, name),
                    entity_type="PERSON",
                    mention_ids=[mention_id],
                ),
            ]
            has_time = rng.random() < 0.6
            day = when + dt.timedelta(days=rng.choice([0, 0, 0, 1, -1])) if has_time else when
            time_claim = (
                TimeClaim(
                    value=_value(day, granularity),
                    granularity=granularity,  # type: ignore[arg-type]
                    text="",
                    doc_id=doc_id,
                    mention_id=mention_id,
                )
                if has_time
                else None
            )
            place = Participant(role="place", name=country, key=f"named:{country.lower()}", country_code=country)
            trigger = template.triggers[0]
            events.append(
                DocumentEvent(
                    id=content_hash(doc_id, template.type, mention_id),
                    type=template.type,
                    modality=template.modality if template.modality != "generic" else "asserted",
                    participants=participants,
                    time=time_claim,
                    time_claims=[time_claim] if time_claim else [],
                    place=place,
                    count_claims=[],
                    sources=list(template.sources),
                    mention_ids=[mention_id],
                    triggers=[TriggerRef.model_validate({**trigger.model_dump(), "mention_id": mention_id})],
                    provenance=template.provenance.model_copy(
                        update={"doc_id": doc_id, "published": published.isoformat(), "url": None}
                    ),
                )
            )
            truth.append(real)
        real += 1
    return events, truth


def pairwise(events: Sequence[DocumentEvent], truth: Sequence[int], clusters: dict[str, str]) -> tuple[float, float]:
    """Precision and recall of the cross-document pairs (document events of different documents)."""
    by_truth: dict[int, list[int]] = {}
    by_cluster: dict[str, list[int]] = {}
    for i, event in enumerate(events):
        by_truth.setdefault(truth[i], []).append(i)
        by_cluster.setdefault(clusters[event.id], []).append(i)
    gold = {frozenset(p) for members in by_truth.values() for p in combinations(members, 2)}
    pred = {frozenset(p) for members in by_cluster.values() for p in combinations(members, 2)}
    common = len(gold & pred)
    return (common / len(pred) if pred else 1.0), (common / len(gold) if gold else 1.0)


def load_templates(path: Path | None) -> list[DocumentEvent]:
    """Real document events: from a file, or extracted from the AG News fixture."""
    if path is None:
        from pipeline.cli import main

        out = Path(tempfile.mkdtemp()) / "events.jsonl"
        if main(["extract", str(FIXTURE), "-o", str(out), "--no-progress"]) not in (0, 1):
            sys.exit("extraction of the templates failed")
        path = Path(str(out) + ".doc_events.jsonl")
    return [DocumentEvent.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines()]


def main() -> int:
    """Run the benchmark and print one line per size, then the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=Path, help="document events written by newsevents extract (templates)")
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 100_000], metavar=("SMALL", "LARGE"))
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (the fastest counts)")
    args = parser.parse_args()
    templates = load_templates(args.events)
    print(f"{len(templates)} real document events as templates")
    seconds: list[float] = []
    for size in args.sizes:
        events, truth = synthesize(templates, size)
        best = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            linked = link_events(events)
            best = min(best, time.perf_counter() - started)
        clusters = {member: c.id for c in linked for member in c.doc_event_ids}
        precision, recall = pairwise(events, truth, clusters)
        real = len(set(truth))
        print(
            f"{size:>7,} document events ({real:,} real-world events): {best:6.2f} s, "
            f"{size / best:,.0f} events/s, {len(linked):,} linked events; "
            f"cross-document pairs P {100 * precision:.1f} R {100 * recall:.1f}"
        )
        seconds.append(best)
    ratio = seconds[1] / seconds[0]
    scale = args.sizes[1] / args.sizes[0]
    print(f"time ratio {ratio:.1f} for {scale:.0f}x the events (target <= {TARGET_RATIO:.0f})")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
