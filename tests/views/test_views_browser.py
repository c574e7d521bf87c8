"""Every HTML view rendered in headless Chromium: loads without errors or network, shows its parts.

Screenshots of the seed article, a 2,000-article report and an evaluation are written to
$NEWSEVENTS_ARTIFACTS (default: a temporary folder).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main
from pipeline.evaluation.load import Predictions, load_gold_entries
from pipeline.evaluation.metrics import evaluate
from pipeline.records import DocumentRecord, EventRecord, InputRef, Rejection
from pipeline.views.article import render_article_page
from pipeline.views.evaluation import render_evaluation
from pipeline.views.page import CSP
from pipeline.views.report import render_report, summarize
from pipeline.views.svg import esc
from tests.records_factory import make_document, make_event

ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = ROOT / "corpus" / "samples"
GOLD = ROOT / "corpus" / "gold" / "dev.jsonl"
PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'

PEOPLE = [
    f"{first} {last}" for first in ("Ana", "Luis", "María", "José", "Elena") for last in ("Pérez", "Rojas", "Díaz")
]
SOURCES = ["NY Times", "Reuters", "AP", "El Pais", "BBC", "Efecto Cocuyo", "Le Monde", "Guardian"]
REASONS = ["empty", "encoding", "too_long", "binary", "bad_field"]


def assert_clean(check: Any) -> None:
    assert check.errors == [], f"console errors on {check.url}: {check.errors}"
    assert check.network_requests == [], f"network requests from {check.url}: {check.network_requests}"


def count(chromium: Any, selector: str) -> int:
    return int(chromium.evaluate(f"document.querySelectorAll({selector!r}).length"))


def synthetic_run(n_articles: int = 2000) -> tuple[list[DocumentRecord], list[EventRecord], list[Rejection]]:
    """Hand-built records for ``n_articles`` articles over two years (no spaCy)."""
    rng = random.Random(8)
    documents, events = [], []
    for i in range(n_articles):
        person = rng.choice(PEOPLE)
        month = rng.randrange(24)
        published = f"{2024 + month // 12}-{month % 12 + 1:02d}-{rng.randrange(1, 28):02d}"
        n = rng.randrange(2, 200)
        text = (
            f"Police arrested {person} in Caracas on Monday. "
            f"Officials freed {n} prisoners, a rights group said. "
            f"The minister announced new measures."
        )
        document = make_document(
            text,
            doc_id=f"doc{i:05d}",
            title=f"Article {i}",
            source=rng.choice(SOURCES),
            published=published,
            entities={person: "PERSON", "Caracas": "GPE"},
        )
        documents.append(document)
        events.append(
            make_event(
                document,
                "arrest",
                "arrested",
                time=("Monday", published, "day"),
                modality=rng.choice(["asserted", "asserted", "uncertain"]),
                arguments=[("person", person), ("place", "Caracas")],
            )
        )
        if rng.random() < 0.7:
            events.append(
                make_event(
                    document,
                    "release",
                    "freed",
                    count=(str(n), n, False),
                    arguments=[("person", f"{n} prisoners"), ("source", "a rights group")],
                )
            )
        events.append(make_event(document, "announcement", "announced", modality=rng.choice(["asserted", "planned"])))
    rejections = [
        Rejection(input=InputRef(path=f"in/{i}.txt"), stage="ingest", reason=rng.choice(REASONS)) for i in range(57)
    ]
    return documents, events, rejections


@pytest.mark.slow
def test_seed_article_page(chromium: Any, artifacts: Path, tmp_path: Path) -> None:
    out = tmp_path / "seed.html"
    assert main(["show", str(SEED_DIR), "--html", str(out)]) == 0
    check = chromium.load(out, screenshot=artifacts / "seed-article.png")
    assert_clean(check)
    cards = count(chromium, ".card")
    assert cards >= 10
    assert count(chromium, ".para .spans") >= 10  # displaCy span markup, paragraph by paragraph
    claims = chromium.evaluate("[...document.querySelectorAll('.conflicts .claim .count')].map(e => e.textContent)")
    assert "116" in claims and "41" in claims
    text = chromium.evaluate("document.body.innerText")
    assert "RELEASE #" in text and "ARREST #" in text and "PERSON" in text
    assert check.screenshot is not None and check.screenshot.stat().st_size > 50_000


def test_report_of_2000_articles(chromium: Any, artifacts: Path, tmp_path: Path, jsonl: Any) -> None:
    documents, events, rejections = synthetic_run()
    events_path = jsonl(tmp_path / "events.jsonl", events)
    docs_path = jsonl(tmp_path / "docs.jsonl", documents)
    rejects_path = jsonl(tmp_path / "rejects.jsonl", rejections)
    out = tmp_path / "report.html"
    args = ["report", str(events_path), "--documents", str(docs_path), "--rejects", str(rejects_path)]
    assert main([*args, "--html", str(out)]) == 0
    check = chromium.load(out, screenshot=artifacts / "report-2000.png")
    assert_clean(check)
    assert chromium.evaluate("document.querySelector('.summary .total .n').textContent") == "2,000"
    assert count(chromium, "svg.column-chart") == 2
    assert count(chromium, "svg.column-chart rect") > 40
    assert count(chromium, "svg.stacked-bars g.bar") == len(SOURCES)
    assert count(chromium, "table.people tbody tr") == len(PEOPLE)
    assert count(chromium, "table.people .hist.arrest") > 0
    assert count(chromium, "svg.rejects g.bar") == len(REASONS)
    widths = chromium.evaluate("[...document.querySelectorAll('svg.chart')].map(s => s.getBoundingClientRect().width)")
    assert all(w > 100 for w in widths)
    # The events table filters in the page, without a script; people link to their timelines.
    rows = _visible(chromium, "tr.ev")
    assert rows > 100
    arrests = _visible(chromium, "tr.ev.t-arrest")
    chromium.evaluate("document.getElementById('f-t-arrest').click()")
    assert _visible(chromium, "tr.ev") == rows - arrests
    chromium.evaluate("document.getElementById('f-src-0').click()")
    assert 0 < _visible(chromium, "tr.ev") < rows - arrests
    anchors = chromium.evaluate("[...document.querySelectorAll('table.people a')].map(a => a.hash.slice(1))")
    assert anchors and all(count(chromium, f"section.person#{a}") == 1 for a in anchors)


def test_evaluation_page(chromium: Any, artifacts: Path, tmp_path: Path) -> None:
    gold = load_gold_entries([GOLD])
    preds = Predictions(by_doc={g.doc.id: [] for g in gold})
    for n, entry in enumerate(gold):
        document = make_document(entry.doc.text, doc_id=entry.doc.id)
        for k, event in enumerate(entry.doc.events):
            if (n + k) % 4 == 0:
                continue  # a false negative
            occurrence = entry.doc.text.count(event.trigger, 0, event.trigger_start)
            flipped = {"arrest": "release", "release": "arrest"}.get(event.type, event.type) if k % 7 == 3 else None
            record = make_event(document, flipped or event.type, event.trigger, occurrence=occurrence)
            if record.trigger.start == event.trigger_start:
                preds.by_doc[entry.doc.id].append(record)
    out = tmp_path / "evaluation.html"
    out.write_text(render_evaluation(evaluate(gold, preds, resamples=20)), encoding="utf-8")
    check = chromium.load(out, screenshot=artifacts / "evaluation.png")
    assert_clean(check)
    assert count(chromium, "svg.confusion") == 2
    assert count(chromium, "svg.confusion g.cell") >= 16
    assert count(chromium, "table.errors tr.error") > 10
    assert count(chromium, "table.errors mark") > 10


def test_markup_in_input_is_shown_as_text(chromium: Any, artifacts: Path, tmp_path: Path) -> None:
    text = f"Police arrested {PAYLOAD} in the capital. Officials freed 3 people and later released 5 people."
    document = make_document(text, title=PAYLOAD, source=PAYLOAD, entities={PAYLOAD: "PERSON", "capital": PAYLOAD})
    events = [
        make_event(document, "arrest", "arrested", arguments=[("person", PAYLOAD)]),
        make_event(document, "release", "freed", count=("3", 3, False)),
        make_event(document, "release", "released", count=("5", 5, False), arguments=[("source", PAYLOAD)]),
    ]
    rejection = Rejection(input=InputRef(path=PAYLOAD), stage="ingest", reason=PAYLOAD, detail=PAYLOAD)
    pages = {
        "xss-article": render_article_page([(document, events)]),
        "xss-report": render_report(summarize(events, [document], [rejection])),
    }
    for name, markup in pages.items():
        # Without the page's Content-Security-Policy, so escaping alone must keep the script inert.
        policy = f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">'
        assert policy in markup
        path = tmp_path / f"{name}.html"
        path.write_text(markup.replace(policy, ""), encoding="utf-8")
        check = chromium.load(path, screenshot=artifacts / f"{name}.png")
        assert_clean(check)
        assert chromium.evaluate("typeof window.__pwned") == "undefined"
        assert count(chromium, "script, img") == 0
        assert chromium.evaluate("document.body.innerText").count("<script>window.__pwned=1</script>") >= 1


def _visible(chromium: Any, selector: str) -> int:
    script = f"[...document.querySelectorAll({selector!r})].filter(e => getComputedStyle(e).display !== 'none').length"
    return int(chromium.evaluate(script))


def test_person_timeline_page(chromium: Any, artifacts: Path, tmp_path: Path) -> None:
    from pipeline.events.linking import link_events
    from pipeline.events.merge import document_events
    from pipeline.events.timelines import build_timelines
    from pipeline.views.timeline import person_anchor, render_timeline_page

    documents, events, _ = synthetic_run(300)
    by_doc: dict[str, list[EventRecord]] = {}
    for event in events:
        by_doc.setdefault(event.provenance.doc_id, []).append(event)
    doc_events = [e for d in documents for e in document_events(by_doc.get(d.id, []), d)]
    timelines = build_timelines(link_events(doc_events), doc_events)
    out = tmp_path / "people.html"
    out.write_text(render_timeline_page(timelines), encoding="utf-8")
    check = chromium.load(out, screenshot=artifacts / "people-timelines.png")
    assert_clean(check)
    assert count(chromium, "section.person") == len(timelines) == len(PEOPLE)
    first = timelines[0]
    assert count(chromium, f"#{person_anchor(first.person_key)} ol.changes li") == len(first.changes)
    labels = chromium.evaluate("[...document.querySelectorAll('.dated')].map(e => e.textContent)")
    assert any(label.startswith("event date") for label in labels)
    held = sum(1 for t in timelines if t.status == "held")
    assert _visible(chromium, "section.person") == len(timelines)
    chromium.evaluate("document.getElementById('f-status-held').click()")  # filter: no script in the page
    assert _visible(chromium, "section.person") == len(timelines) - held
    chromium.evaluate("document.getElementById('f-type-arrest').click()")
    assert _visible(chromium, "ol.changes li.arrest") == 0
