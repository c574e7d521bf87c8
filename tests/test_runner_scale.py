"""Archive-scale running: resumable JSONL output, ordered engines, dedup and resume in the runner.

The fast tests use hand-built records; those marked slow load the real spaCy model and
compare the worker-pool and Dask engines with one process, and kill a real run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.config import Config
from pipeline.errors import ConfigError, SinkError
from pipeline.ingest import DUPLICATE_REASON
from pipeline.records import (
    Article,
    DocumentRecord,
    EventRecord,
    InputRef,
    Provenance,
    Rejection,
    SentenceRef,
    Span,
    make_event_id,
)
from pipeline.runner import (
    Processed,
    Progress,
    RunOptions,
    Tally,
    _ordered,
    exit_code,
    prefilter,
    process_articles,
    results_for,
)
from pipeline.sinks.jsonl import JsonlSink, checkpoint_path

ROOT = Path(__file__).resolve().parents[1]
AG_NEWS = ROOT / "tests" / "fixtures" / "ag_news_300.jsonl"


def make_document(doc_id: str) -> DocumentRecord:
    return DocumentRecord(
        id=doc_id,
        title=None,
        source=None,
        url=None,
        published=None,
        input=InputRef(path="in.jsonl"),
        text="Police arrested two men.",
        entities=[],
        counts={},
    )


def make_event(doc_id: str) -> EventRecord:
    return EventRecord(
        event_id=make_event_id(doc_id, "arrest", 7, 15),
        type="arrest",
        trigger=Span(text="arrested", start=7, end=15),
        modality="asserted",
        arguments=[],
        time=None,
        count=None,
        confidence=0.9,
        provenance=Provenance(
            doc_id=doc_id,
            source=None,
            url=None,
            title=None,
            published=None,
            input=InputRef(path="in.jsonl"),
            sentence_index=0,
            sentence=SentenceRef(start=0, end=24),
            extractor="rules.v1",
            pipeline_version="0",
            model_versions={},
        ),
    )


def reject_of(label: str, reason: str = "empty") -> Rejection:
    return Rejection(input=InputRef(path=label), stage="ingest", reason=reason)


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


# -- the JSONL sink's checkpoint -------------------------------------------------------------


def test_jsonl_resume_truncates_to_the_last_commit(tmp_path: Path) -> None:
    dest, docs, rejects = tmp_path / "ev.jsonl", tmp_path / "docs.jsonl", tmp_path / "rej.jsonl"
    sink = JsonlSink(str(dest), documents=str(docs), rejects=str(rejects))
    sink.open()
    sink.write(make_document("d1"), [make_event("d1")])
    sink.write_rejection(reject_of("bad.txt"))
    sink.flush()
    sink.write(make_document("d2"), [make_event("d2")])  # never committed
    sink.flush = lambda: None  # type: ignore[method-assign]  # simulate kill -9: no final commit
    for fh in (sink._events, sink._documents, sink._rejects, sink._doc_events):
        assert fh is not None
        fh.flush()
        fh.write('{"partial": ')  # a torn trailing line
        fh.close()
    assert sink._checkpoint is not None
    sink._checkpoint.close()
    with checkpoint_path(str(dest)).open("a", encoding="utf-8") as cp:
        cp.write('{"sizes": {"events": 99')  # a torn checkpoint line is ignored

    resumed = JsonlSink(str(dest), documents=str(docs), rejects=str(rejects), resume=True)
    with resumed:
        assert resumed.done_ids() == {"d1"}
        resumed.write_rejection(reject_of("bad.txt"))  # already committed: not written again
        resumed.write(make_document("d2"), [make_event("d2")])
    assert [json.loads(line)["provenance"]["doc_id"] for line in lines(dest)] == ["d1", "d2"]
    assert [json.loads(line)["id"] for line in lines(docs)] == ["d1", "d2"]
    doc_events = tmp_path / "ev.jsonl.doc_events.jsonl"
    assert [json.loads(line)["provenance"]["doc_id"] for line in lines(doc_events)] == ["d1", "d2"]
    assert len(lines(rejects)) == 1
    assert JsonlSink(str(dest), resume=False).done_ids() == set()


def test_jsonl_fresh_run_overwrites_and_resume_without_checkpoint_is_refused(tmp_path: Path) -> None:
    dest = tmp_path / "ev.jsonl"
    dest.write_text("old\n", encoding="utf-8")
    with pytest.raises(SinkError, match="has no checkpoint"):
        JsonlSink(str(dest), resume=True).open()
    with JsonlSink(str(dest)) as sink:
        sink.write(make_document("d1"), [make_event("d1")])
    assert len(lines(dest)) == 1
    with pytest.raises(SinkError, match="same -o, --documents and --rejects"):
        JsonlSink(str(dest), documents=str(tmp_path / "docs.jsonl"), resume=True).open()
    with pytest.raises(SinkError, match="file output"):
        JsonlSink("-", resume=True).open()


# -- the runner's pieces ---------------------------------------------------------------------


def test_ordered_yields_in_input_order_with_bounded_pending() -> None:
    items: list[Article | Rejection] = [
        Article(id=f"a{i}", text="text of an article", input=InputRef(path="x", line=i))
        if i % 3
        else reject_of(f"r{i}")
        for i in range(20)
    ]
    in_flight: list[int] = []
    pending = 0

    def submit(articles: list[Article]) -> Callable[[], list[Processed | Rejection]]:
        nonlocal pending
        pending += 1
        in_flight.append(pending)

        def wait() -> list[Processed | Rejection]:
            nonlocal pending
            pending -= 1
            return [(make_document(a.id), []) for a in articles]

        return wait

    out = list(_ordered(iter(items), chunk_size=3, max_pending=2, submit=submit))
    labels = [o.input.path if isinstance(o, Rejection) else o[0].id for o in out]
    assert labels == [i.input.path if isinstance(i, Rejection) else i.id for i in items]
    assert max(in_flight) <= 2


def test_prefilter_marks_duplicates_and_skips_done_documents() -> None:
    text = "Police arrested two men on Monday."
    items: list[Article | Rejection] = [
        Article(id="a", text=text, input=InputRef(path="x", line=1)),
        Article(id="b", text=text.upper(), input=InputRef(path="x", line=2)),
        Article(id="c", text="Another article entirely.", input=InputRef(path="x", line=3)),
    ]
    tally = Tally()
    out = list(prefilter(items, Config(), done={"a"}, tally=tally))
    assert tally.already_done == 1
    assert [type(o).__name__ for o in out] == ["Rejection", "Article"]
    assert isinstance(out[0], Rejection) and out[0].reason == DUPLICATE_REASON and out[0].detail.endswith(" a")
    tally.add(out[0])
    report = tally.report("rules.v1")
    assert (report.read, report.duplicates, report.rejected, report.already_done) == (1, 1, 0, 1)
    assert exit_code(report) == 0


def test_run_options_are_checked() -> None:
    with pytest.raises(ConfigError, match="--workers"):
        RunOptions(workers=0).check()
    with pytest.raises(ConfigError, match="--engine dask"):
        RunOptions(scheduler="tcp://127.0.0.1:8786").check()


def test_progress_lines_when_not_a_terminal(tmp_path: Path) -> None:
    log_path = tmp_path / "log.txt"
    with log_path.open("w", encoding="utf-8") as log:
        tally = Tally()
        progress = Progress(tally, total=10, bar=False, log=log, log_every=0.0)
        tally.add((make_document("d"), [make_event("d")]))
        progress.update()
        progress.close()
    (line,) = lines(log_path)
    assert line.startswith("progress: read 1, processed 1, events 1, rejected 0, duplicates 0")
    assert "articles/s, ETA " in line


# -- the real pipeline: engines agree, runs resume -------------------------------------------


def ag_news_articles(n: int) -> list[Article]:
    out = []
    for i, line in enumerate(lines(AG_NEWS)[:n], 1):
        data = json.loads(line)
        out.append(
            Article(id=data["id"], text=data["title"] + ".\n\n" + data["text"], input=InputRef(path="ag", line=i))
        )
    return out


def dumped(results: list[Processed | Rejection]) -> list[str]:
    return [
        r.model_dump_json()
        if isinstance(r, Rejection)
        else json.dumps([r[0].model_dump(), [e.model_dump() for e in r[1]]])
        for r in results
    ]


@pytest.mark.slow
def test_worker_pool_matches_one_process() -> None:
    items: list[Article | Rejection] = [*ag_news_articles(12), reject_of("bad.txt")]
    cfg = Config()
    expected = dumped(list(process_articles(items, cfg)))
    pooled = dumped(list(results_for(items, cfg, RunOptions(workers=2, chunk_size=5))))
    assert pooled == expected


@pytest.mark.slow
def test_dask_local_cluster_matches_local_engine() -> None:
    items: list[Article | Rejection] = [*ag_news_articles(12), reject_of("bad.txt")]
    cfg = Config()
    expected = dumped(list(process_articles(items, cfg)))
    distributed = dumped(list(results_for(items, cfg, RunOptions(engine="dask", workers=2, chunk_size=5))))
    assert distributed == expected


def _extract(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "pipeline", "extract", *args, "--no-progress", "--checkpoint-every", "10"],
            stdout=subprocess.DEVNULL,
            stderr=err,
            cwd=ROOT,
        )


def _event_ids(path: Path) -> list[str]:
    return [json.loads(line)["event_id"] for line in lines(path)]


@pytest.mark.slow
def test_killed_run_resumes_without_loss_or_duplicates(tmp_path: Path) -> None:
    full = tmp_path / "full" / "events.jsonl"
    log = tmp_path / "stderr.txt"
    proc = _extract([str(AG_NEWS), "-o", str(full), "--documents", str(full.with_name("docs.jsonl"))], log)
    assert proc.wait(timeout=300) in (0, 1), log.read_text()

    out = tmp_path / "killed" / "events.jsonl"
    args = [str(AG_NEWS), "-o", str(out), "--documents", str(out.with_name("docs.jsonl"))]
    proc = _extract(args, log)
    checkpoint = checkpoint_path(str(out))
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if checkpoint.exists() and len(lines(checkpoint)) >= 6:  # header + 5 commits: mid-run
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    docs_before = len(lines(out.with_name("docs.jsonl")))
    assert 0 < docs_before < 300

    report = tmp_path / "report.json"
    proc = _extract([*args, "--resume", "--report", str(report)], log)
    assert proc.wait(timeout=300) in (0, 1), log.read_text()
    resumed = json.loads(report.read_text(encoding="utf-8"))
    assert resumed["already_done"] >= 40

    ids = _event_ids(out)
    assert len(ids) == len(set(ids)), "an event was written twice"
    assert set(ids) == set(_event_ids(full)), "events lost or invented"
    doc_ids = [json.loads(line)["id"] for line in lines(out.with_name("docs.jsonl"))]
    full_doc_ids = [json.loads(line)["id"] for line in lines(full.with_name("docs.jsonl"))]
    assert sorted(doc_ids) == sorted(full_doc_ids) and len(doc_ids) == len(set(doc_ids))
