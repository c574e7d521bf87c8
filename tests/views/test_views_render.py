"""The HTML views without a browser: markup, escaping, conflicts, charts and the CLI."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.evaluation.load import Predictions as EvalPredictions
from pipeline.evaluation.load import load_gold_entries
from pipeline.evaluation.metrics import evaluate
from pipeline.records import DocumentRecord, EventRecord, InputRef, Rejection
from pipeline.views import svg
from pipeline.views.article import find_conflicts, render_article_page, split_tokens
from pipeline.views.evaluation import render_evaluation
from pipeline.views.report import parse_date, render_report, summarize, time_series
from tests.records_factory import make_document, make_event

SEED = (
    "On Monday morning, Venezuela's government announced that it had released 116 prisoners. "
    "But rights groups have counted only 41 releases since Mr. Maduro's downfall."
)
PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
GOLD = Path(__file__).resolve().parents[2] / "corpus" / "gold" / "dev.jsonl"


def seed_records() -> tuple[DocumentRecord, list[EventRecord]]:
    document = make_document(
        SEED,
        entities={"Venezuela": "GPE", "Nicolás Maduro": "PERSON"},
        mentions={"Nicolás Maduro": ["Maduro"]},
    )
    events = [
        make_event(document, "announcement", "announced", arguments=[("speaker", "Venezuela's government")]),
        make_event(
            document,
            "release",
            "released",
            count=("116", 116, False),
            arguments=[("person", "116 prisoners"), ("source", "Venezuela's government")],
        ),
        make_event(
            document, "release", "releases", count=("only 41", 41, False), arguments=[("source", "rights groups")]
        ),
    ]
    return document, events


def test_split_tokens_cuts_at_span_boundaries() -> None:
    text = "He said: freed (12) men."
    tokens = split_tokens(text, 0, len(text), [9, 14, 16, 18])
    assert [text[a:b] for a, b in tokens] == ["He", "said:", "freed", "(", "12", ")", "men."]


def test_conflicting_counts_are_grouped_by_type() -> None:
    _, events = seed_records()
    groups = find_conflicts(events)
    assert len(groups) == 1
    assert [e.count.value for e in groups[0]] == [116, 41]


def test_agreeing_counts_are_no_conflict() -> None:
    document = make_document("Police freed 12 men. Officials said 12 men were freed.")
    events = [
        make_event(document, "release", "freed", count=("12", 12, False)),
        make_event(document, "release", "freed", count=("12", 12, False), occurrence=1),
    ]
    assert find_conflicts(events) == []


def test_article_page_shows_cards_triggers_and_conflicts() -> None:
    document, events = seed_records()
    markup = render_article_page([(document, events)])
    assert markup.count('class="card ') == 3
    assert "RELEASE #2" in markup and "ANNOUNCEMENT #1" in markup
    assert 'class="conflicts"' in markup and ">116<" in markup and ">41<" in markup
    assert "Content-Security-Policy" in markup
    assert "http://" not in markup.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_every_view_escapes_markup_in_the_input() -> None:
    text = f"Police arrested {PAYLOAD} in the capital. Officials freed 3 people."
    document = make_document(text, title=PAYLOAD, source=PAYLOAD, entities={PAYLOAD: "PERSON", "capital": PAYLOAD})
    events = [
        make_event(document, "arrest", "arrested", arguments=[("person", PAYLOAD)]),
        make_event(document, "release", "freed", count=("3", 3, False)),
    ]
    article = render_article_page([(document, events)])
    rejection = Rejection(input=InputRef(path=PAYLOAD), stage="ingest", reason=PAYLOAD, detail=PAYLOAD)
    report = render_report(summarize(events, [document], [rejection]))
    for markup in (article, report):
        assert "<script" not in markup
        assert "<img" not in markup
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in markup


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026", (dt.date(2026, 1, 1), "year")),
        ("2026-05", (dt.date(2026, 5, 1), "month")),
        ("2026-W02", (dt.date(2026, 1, 5), "week")),
        ("2026-01-12", (dt.date(2026, 1, 12), "day")),
        ("2026-01-12T08:30:00Z", (dt.date(2026, 1, 12), "day")),
        ("soon", None),
        (None, None),
    ],
)
def test_parse_date(value: str | None, expected: tuple[dt.date, str] | None) -> None:
    assert parse_date(value) == expected


def test_time_series_fills_empty_months_and_counts_coarse_values() -> None:
    counter: Counter[tuple[str, str, str]] = Counter(
        {("2025-01-03", "day", "arrest"): 2, ("2025-06-01", "month", "release"): 1, ("2025-01-01", "year", "arrest"): 5}
    )
    axis, series, coarse, unit, outliers = time_series(counter)
    assert unit == "month" and outliers == 0
    assert axis == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    assert series["arrest"] == [2, 0, 0, 0, 0, 0] and series["release"] == [0, 0, 0, 0, 0, 1]
    assert coarse == 5


def test_charts_escape_labels() -> None:
    chart = svg.bar_chart([("<b>x</b>", 3)], title="t<")
    assert "<b>" not in chart and "&lt;b&gt;" in chart
    assert "nothing to show" in svg.stacked_columns([], {}, title="empty")


def test_the_rejected_tile_counts_rejections_not_duplicates() -> None:
    document, events = seed_records()
    reasons = ["empty", "duplicate", "duplicate", "encoding", "duplicate"]
    rejections = [Rejection(input=InputRef(path=f"{i}.txt"), stage="ingest", reason=r) for i, r in enumerate(reasons)]
    data = summarize(events, [document], rejections)
    assert (data.rejections, data.duplicates) == (2, 3)
    assert data.rejects_by_reason == Counter({"empty": 1, "encoding": 1})
    markup = render_report(data)
    assert '<div class="n">2</div><div class="what">rejected inputs</div>' in markup
    assert '<div class="n">3</div><div class="what">duplicates (processed once)</div>' in markup


def test_report_cli_writes_a_dashboard(tmp_path: Path, jsonl: Any) -> None:
    document, events = seed_records()
    events_path = jsonl(tmp_path / "events.jsonl", events)
    docs_path = jsonl(tmp_path / "docs.jsonl", [document])
    jsonl(
        tmp_path / "events.jsonl.rejects.jsonl", [Rejection(input=InputRef(path="x"), stage="ingest", reason="empty")]
    )
    out = tmp_path / "report.html"
    assert main(["report", str(events_path), "--documents", str(docs_path), "--html", str(out)]) == 0
    markup = out.read_text(encoding="utf-8")
    assert "Nicolás Maduro" in markup and "rejects" in markup and "empty" in markup


def test_report_cli_names_the_bad_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "events.jsonl"
    bad.write_text('{"event_id": 1}\n', encoding="utf-8")
    assert main(["report", str(bad), "--html", str(tmp_path / "r.html")]) == InputError.exit_code
    assert f"{bad}:1: field" in capsys.readouterr().err


def test_show_cli_from_saved_records(tmp_path: Path, jsonl: Any) -> None:
    document, events = seed_records()
    out = tmp_path / "show.html"
    code = main(
        [
            "show",
            "--documents",
            str(jsonl(tmp_path / "d.jsonl", [document])),
            "--events",
            str(jsonl(tmp_path / "e.jsonl", events)),
            "--html",
            str(out),
        ]
    )
    assert code == 0
    assert out.read_text(encoding="utf-8").count('class="card ') == 3


def test_show_cli_needs_something_to_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "--html", str(tmp_path / "x.html")]) == 2
    assert "pass INPUT files" in capsys.readouterr().err


def test_evaluation_html_has_confusion_chart_and_errors() -> None:
    gold = load_gold_entries([GOLD])
    ev = evaluate(gold, EvalPredictions(by_doc={g.doc.id: [] for g in gold}), resamples=0)
    markup = render_evaluation(ev)
    assert markup.count('class="chart heatmap confusion') == 2
    assert markup.count('<tr class="error">') == len(ev.errors) > 0


def test_the_date_axis_leaves_out_far_outliers() -> None:
    counter: Counter[tuple[str, str, str]] = Counter(
        {(f"2025-{m:02d}-10", "day", "arrest"): 5 for m in range(1, 13)} | {("1900-01-01", "day", "arrest"): 1}
    )
    axis, _, _, unit, outliers = time_series(counter)
    assert outliers == 1 and unit == "month"
    assert axis[0] == "2025-01" and axis[-1] == "2025-12"


def test_conflicts_compare_the_claims_of_one_event_only() -> None:
    from pipeline.events.merge import document_events

    document = make_document(
        "Police freed 12 men in Minsk. Months later officials freed 30 women in Gomel.",
        entities={"Minsk": "GPE", "Gomel": "GPE"},
    )
    events = [
        make_event(document, "release", "freed", count=("12", 12, False), time=("Minsk", "2025-01-02", "day")),
        make_event(
            document, "release", "freed", count=("30", 30, False), occurrence=1, time=("Gomel", "2025-06-02", "day")
        ),
    ]
    assert len(find_conflicts(events)) == 1  # by type alone: one group
    assert find_conflicts(events, document_events(events, document)) == []  # two events: nothing to compare
    seed_document, seed_events = seed_records()
    (group,) = find_conflicts(seed_events, document_events(seed_events, seed_document))
    assert [e.count.value for e in group if e.count] == [116, 41]


def test_several_articles_get_an_index_and_the_legend_explains_labels() -> None:
    first, events = seed_records()
    second = make_document(
        "Police detained Ana Perez.", doc_id="second", title="Second", entities={"Ana Perez": "PERSON"}
    )
    markup = render_article_page([(first, events), (second, [])])
    assert '<section class="index">' in markup and 'href="#d2"' in markup
    assert "geopolitical entities: countries, cities, states" in markup
    assert "index" not in render_article_page([(first, events)]).split("<main>")[1][:200]


def test_report_counts_one_arrest_per_real_world_event(tmp_path: Path, jsonl: Any) -> None:
    documents, events = [], []
    for day in range(11, 16):  # five articles about one arrest
        document = make_document(
            f"Federal agents arrested Bernard Madoff on Thursday. Story {day}.",
            published=f"2008-12-{day}",
            entities={"Bernard Madoff": "PERSON"},
        )
        documents.append(document)
        events.append(
            make_event(
                document,
                "arrest",
                "arrested",
                arguments=[("person", "Bernard Madoff")],
                time=("Thursday", "2008-12-11", "day"),
            )
        )
    events_path = jsonl(tmp_path / "events.jsonl", events)
    docs_path = jsonl(tmp_path / "docs.jsonl", documents)
    out = tmp_path / "r.html"
    assert main(["report", str(events_path), "--documents", str(docs_path), "--html", str(out)]) == 0
    markup = out.read_text(encoding="utf-8")
    row = markup.split('<table class="people">')[1].split("</tr>")[1]
    assert 'href="#p-bernard-madoff"' in row and "<td class='num'>1</td>" in row
    assert 'id="p-bernard-madoff"' in markup
    assert markup.count('<tr class="ev ') == 1  # one real-world event in the events table


def test_report_reads_a_database(tmp_path: Path) -> None:
    from pipeline.sinks.sql import SqlSink

    document, events = seed_records()
    url = f"sqlite:///{tmp_path / 'e.db'}"
    with SqlSink(url) as sink:
        sink.write(document, events)
        sink.write_rejection(Rejection(input=InputRef(path="x"), stage="ingest", reason="empty"))
    out = tmp_path / "r.html"
    assert main(["report", url, "--html", str(out)]) == 0
    markup = out.read_text(encoding="utf-8")
    assert "Nicolás Maduro" in markup and '<div class="n">1</div><div class="what">rejected inputs</div>' in markup
