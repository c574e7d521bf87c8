"""Sharded runs without a cluster or a model: planning, reading a shard, the duplicate pass, publishing, failures.

The NLP chain is replaced by a stand-in that makes one document per article (and an event
when the text says "arrest"), so these tests take seconds; tests/shards/test_cluster.py
runs the real pipeline on a real Dask cluster.
"""

from __future__ import annotations

import gzip
import json
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.chain import Processed
from pipeline.config import Config
from pipeline.errors import ConfigError
from pipeline.records import Article, DocumentRecord, Rejection, make_event_id
from pipeline.runner import RunOptions
from pipeline.shards import driver, task
from pipeline.shards.manifest import WORKER_DIED, ShardResult, Stage
from pipeline.shards.plan import Shard, plan_shards
from pipeline.shards.publish import PublishJob, publish
from pipeline.shards.read import count_lines, read_shard
from pipeline.shards.resolve import resolve_duplicates
from pipeline.shards.task import ShardJob, run_shard
from tests.records_factory import make_event
from tests.shards.archive import write_warc


def fake_process(items: Iterable[Article | Rejection], cfg: Config) -> Iterator[Processed | Rejection]:
    """One document per article; an arrest event when the text holds "arrest"."""
    for item in items:
        if isinstance(item, Rejection):
            yield item
            continue
        document = DocumentRecord(
            id=item.id,
            title=item.title,
            source=item.source,
            url=item.url,
            published=item.published,
            input=item.input,
            text=item.text,
            entities=[],
            counts={},
            metadata=item.metadata,
        )
        events = []
        if "arrest" in item.text:
            event = make_event(document, "arrest", "arrest")
            events.append(event.model_copy(update={"event_id": make_event_id(item.id, "arrest", 0, 6)}))
        yield document, events


@pytest.fixture(autouse=True)
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(task, "process_articles", fake_process)


class FakeFuture:
    def __init__(self, fn: Any, args: tuple[Any, ...]) -> None:
        self.fn, self.args = fn, args

    def result(self) -> Any:
        return self.fn(*self.args)

    def cancel(self) -> None:
        pass


class FakeClient:
    """Runs tasks in this process when their result is asked for."""

    cluster = None

    def __init__(self, fail: set[str] | None = None) -> None:
        self.fail = fail or set()

    def nthreads(self) -> dict[str, int]:
        return {"w1": 1, "w2": 1}

    def submit(self, fn: Any, *args: Any, **kwargs: Any) -> FakeFuture:
        if fn is run_shard and args[1].label() in self.fail:
            from distributed.scheduler import KilledWorker

            def dies(*_: Any) -> Any:
                raise KilledWorker("shard", "tcp://w1", 3)

            return FakeFuture(dies, args)
        return FakeFuture(fn, args)

    def gather(self, futures: list[FakeFuture]) -> list[Any]:
        return [f.result() for f in futures]

    def close(self) -> None:
        pass


@pytest.fixture
def fake_dask(monkeypatch: pytest.MonkeyPatch) -> FakeClient:
    client = FakeClient()
    monkeypatch.setattr(driver, "make_dask_client", lambda scheduler, workers: client)
    import distributed

    monkeypatch.setattr(distributed, "as_completed", lambda: _AsCompleted())
    return client


class _AsCompleted:
    def __init__(self) -> None:
        self.futures: list[FakeFuture] = []

    def add(self, future: FakeFuture) -> None:
        self.futures.append(future)

    def __iter__(self) -> Iterator[FakeFuture]:
        while self.futures:
            yield self.futures.pop(0)


def jsonl_line(i: int, text: str | None = None) -> str:
    body = text or f"Article number {i} says the police arrest people on day {i}, with detail enough to pass."
    return json.dumps({"id": f"doc-{i}", "text": body, "published": f"2024-{1 + i % 3:02d}-05"}) + "\n"


# -- planning and reading --------------------------------------------------------------------


def test_jsonl_ranges_cover_every_line_once_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text("".join(jsonl_line(i) for i in range(200)), encoding="utf-8")
    shards = list(plan_shards([str(path)], shard_bytes=3000))
    assert len(shards) > 5 and {s.kind for s in shards} == {"jsonl_range"}
    assert [s.index for s in shards] == list(range(len(shards)))
    numbered = driver._count_first_lines(FakeClient(), shards)
    assert numbered[0].first_line == 1
    assert sum(count_lines(str(path), s.start or 0, s.stop or 0) for s in shards) == 200
    seen = [item for shard in numbered for item in read_shard(shard, Config().ingest)]
    assert [a.input.line for a in seen] == list(range(1, 201))
    assert [a.id for a in seen if isinstance(a, Article)] == [f"doc-{i}" for i in range(200)]


def test_zip_member_ranges_and_small_files_grouped(tmp_path: Path) -> None:
    archive = tmp_path / "in"
    archive.mkdir()
    with zipfile.ZipFile(archive / "b.zip", "w") as zf:
        for i in range(30):
            zf.writestr(f"m{i:02d}.txt", f"Member {i} text about an arrest in the city, long enough.\n" * 20)
    for i in range(3):
        (archive / f"a{i}.txt").write_text(f"Small file {i} about a release of prisoners today.", encoding="utf-8")
    shards = list(plan_shards([str(archive)], shard_bytes=4000))
    assert shards[0].kind == "files" and len(shards[0].paths) == 3
    ranges = [s for s in shards if s.kind == "zip_members"]
    assert len(ranges) > 2
    members = [a.input.member for s in ranges for a in read_shard(s, Config().ingest)]
    assert members == [f"m{i:02d}.txt" for i in range(30)]


def test_relative_paths_are_read_from_the_drivers_directory_and_kept_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text(jsonl_line(1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    (shard,) = plan_shards(["in"])
    monkeypatch.chdir("/")
    (article,) = read_shard(shard, Config().ingest, base=str(tmp_path))
    assert isinstance(article, Article) and article.input.path == "in/a.jsonl"


def test_wants_shards() -> None:
    assert driver.wants_shards(["dir/"], "out.jsonl", "dask", None)
    assert not driver.wants_shards(["dir/"], "out.jsonl", "local", None)
    assert not driver.wants_shards(["-"], "out.jsonl", "dask", None)
    assert not driver.wants_shards(["dir/"], "-", "dask", None)
    assert driver.wants_shards(["dir/"], "out.jsonl", "local", True)
    with pytest.raises(ConfigError, match="stdin and stdout"):
        driver.wants_shards(["-"], "out.jsonl", "dask", True)


# -- a whole sharded run, in process -----------------------------------------------------------


def build_inputs(root: Path) -> Path:
    """Three inputs whose shards repeat each other's texts and ids, and a damaged gzip and WARC."""
    archive = root / "in"
    archive.mkdir()
    with gzip.open(archive / "a.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(jsonl_line(i) for i in range(10))
    lines = [jsonl_line(i) for i in range(10, 40)]
    lines[5] = jsonl_line(3)  # the same text and id as a.jsonl.gz:4: a duplicate
    lines[9] = jsonl_line(4).replace("doc-4", "doc-new")  # same text, another id: a duplicate too
    lines[12] = jsonl_line(99).replace("doc-99", "doc-7")  # another text with a used id: duplicate_id
    (archive / "b.jsonl").write_text("".join(lines), encoding="utf-8")
    (archive / "c.jsonl.gz").write_bytes(gzip.compress(jsonl_line(50).encode() * 3)[:-12])  # truncated
    warc = root / "whole.warc"
    page = (
        b"<html><body><article><p>"
        + b"Police said they would arrest nobody today. " * 40
        + b"</p></article></body></html>"
    )
    write_warc(warc, [("https://example.org/a", page)], gzip=False)
    (archive / "d.warc").write_bytes(warc.read_bytes()[:-300])  # truncated inside the record
    return archive


def local_run(archive: Path, out: Path, dest: str = "events.jsonl") -> None:
    """Run the local engine into ``out/dest`` (with documents and rejects files for JSONL), or a database URL."""
    from pipeline import runner

    jsonl = dest.endswith(".jsonl")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(runner, "process_articles", fake_process)
        runner.run_extract(
            [str(archive)],
            dest if "://" in dest else str(out / dest),
            Config(),
            documents=str(out / "docs.jsonl") if jsonl else None,
            rejects=str(out / "rejects.jsonl") if jsonl else None,
        )


#: The document events file beside ``events.jsonl`` (pipeline.sinks.jsonl.doc_events_path).
DOC_EVENTS = "events.jsonl.doc_events.jsonl"
#: The files of a JSONL output a sharded run must write exactly as the local engine does.
SAME_FILES = ("events.jsonl", "docs.jsonl", DOC_EVENTS)


def sorted_lines(path: Path) -> list[str]:
    return sorted(path.read_text(encoding="utf-8").splitlines())


def sharded_run(archive: Path, out: Path, **kwargs: Any) -> Any:
    return driver.run_sharded(
        [str(archive)],
        str(out / "events.jsonl"),
        Config(),
        documents=str(out / "docs.jsonl"),
        rejects=str(out / "rejects.jsonl"),
        options=RunOptions(engine="dask", **kwargs),
        shard_bytes=1000,
    )


def test_a_sharded_run_equals_the_local_run(tmp_path: Path, fake_dask: FakeClient) -> None:
    archive = build_inputs(tmp_path)
    local_run(archive, tmp_path / "local")
    report = sharded_run(archive, tmp_path / "sharded")
    for name in SAME_FILES:
        assert (tmp_path / "sharded" / name).read_text() == (tmp_path / "local" / name).read_text(), name
    doc_events = [json.loads(line) for line in sorted_lines(tmp_path / "sharded" / DOC_EVENTS)]
    assert len(doc_events) == report.processed == 37  # one arrest per kept document, none of a dropped one
    assert len({e["provenance"]["doc_id"] for e in doc_events}) == 37
    assert not list((tmp_path / "sharded").glob("*.tmp*"))
    assert sorted_lines(tmp_path / "sharded" / "rejects.jsonl") == sorted_lines(tmp_path / "local" / "rejects.jsonl")
    rejects = [json.loads(line) for line in sorted_lines(tmp_path / "sharded" / "rejects.jsonl")]
    assert {r["reason"] for r in rejects} == {"duplicate", "duplicate_id", "corrupt"}
    assert (report.duplicates, report.rejected_by_reason) == (2, {"corrupt": 2, "duplicate_id": 1})
    assert report.read == report.processed + report.duplicates + report.rejected
    stage = Stage(tmp_path / "sharded" / "events.jsonl.shards")
    assert (stage.root / driver.FINISHED_NAME).exists() and not (stage.root / "parts").exists()
    for entry in stage.results("done").values():
        assert entry.counts.read >= 0 and entry.keys is not None


def test_resume_skips_done_shards_and_a_killed_task_leaves_nothing_half_written(
    tmp_path: Path, fake_dask: FakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = build_inputs(tmp_path)
    local_run(archive, tmp_path / "local")
    out = tmp_path / "sharded"
    calls: list[str] = []
    real_read = task.read_shard

    def dies_on_the_third(shard: Shard, *args: Any) -> Iterator[Article | Rejection]:
        calls.append(shard.id)
        if len(calls) == 3:
            for n, item in enumerate(real_read(shard, *args)):
                if n == 2:
                    raise KeyboardInterrupt  # the driver is stopped while this task writes
                yield item
        yield from real_read(shard, *args)

    monkeypatch.setattr(task, "read_shard", dies_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        sharded_run(archive, out)
    stage = Stage(out / "events.jsonl.shards")
    assert len(stage.results("done")) == 2
    assert not list(stage.root.rglob(".*tmp*")), "a temporary part survived its failed task"
    monkeypatch.setattr(task, "read_shard", real_read)
    damaged = min(stage.results("done").values(), key=lambda r: r.counts.processed)
    with (stage.root / damaged.parts[0].path).open("r+b") as fh:
        fh.write(b"X")  # a part that changed after its shard finished: the shard is done again
    assert not stage.check_done(damaged)
    report = sharded_run(archive, out, resume=True)
    assert report.already_done > 0
    for name in SAME_FILES:
        assert (out / name).read_text() == (tmp_path / "local" / name).read_text(), name


def test_a_shard_whose_worker_keeps_dying_is_reported_and_the_rest_completes(
    tmp_path: Path, fake_dask: FakeClient
) -> None:
    archive = build_inputs(tmp_path)
    plan = list(plan_shards([str(archive)], shard_bytes=1000))
    fake_dask.fail = {plan[1].label()}
    report = sharded_run(archive, tmp_path / "out")
    assert report.rejected_by_reason[WORKER_DIED] == 1
    from pipeline.runner import exit_code

    assert exit_code(report) == 1
    stage = Stage(tmp_path / "out" / "events.jsonl.shards")
    (failed,) = stage.results("failed").values()
    assert failed.reason == WORKER_DIED and "allowed-failures" in failed.detail
    rejects = [json.loads(line) for line in sorted_lines(tmp_path / "out" / "rejects.jsonl")]
    assert any(r["reason"] == WORKER_DIED and r["stage"] == "shard" for r in rejects)
    assert len(stage.results("done")) == len(plan) - 1
    assert not (stage.root / driver.FINISHED_NAME).exists()  # the parts are kept for --resume
    fake_dask.fail = set()
    resumed = sharded_run(archive, tmp_path / "out", resume=True)
    assert WORKER_DIED not in resumed.rejected_by_reason
    local_run(archive, tmp_path / "local")
    for name in SAME_FILES:
        assert (tmp_path / "out" / name).read_text() == (tmp_path / "local" / name).read_text(), name


def parquet_rows(root: Path, table: str, key: str) -> list[dict[str, Any]]:
    """The rows of one table of a Parquet dataset (with their month), sorted by ``key``."""
    import pyarrow.parquet as pq

    rows: list[dict[str, Any]] = pq.ParquetDataset(root / table, partitioning="hive").read().to_pylist()
    return sorted(rows, key=lambda row: str(row[key]))


def test_parquet_output_of_a_sharded_run_has_no_cross_shard_duplicate(tmp_path: Path, fake_dask: FakeClient) -> None:
    import pyarrow.parquet as pq

    archive = build_inputs(tmp_path)
    root = tmp_path / "out.parquet"
    driver.run_sharded(
        [str(archive)], str(root), Config(), options=RunOptions(engine="dask"), shard_bytes=1000, log=None
    )
    documents = pq.ParquetDataset(root / "documents", partitioning="hive").read()
    ids = documents["id"].to_pylist()
    assert len(ids) == len(set(ids)) == 37  # 10 + 30 - 2 duplicates - 1 reused id
    assert (root / "_SUCCESS").exists()
    reasons = pq.ParquetDataset(root / "rejects").read()["reason"].to_pylist()
    assert sorted(reasons) == ["corrupt", "corrupt", "duplicate", "duplicate", "duplicate_id"]
    # Equal to the local run: the same rows in the same months, document events included.
    local_run(archive, tmp_path / "local", dest="events.parquet")
    for table, key in (("mentions", "event_id"), ("documents", "id"), ("doc_events", "id")):
        assert parquet_rows(root, table, key) == parquet_rows(tmp_path / "local" / "events.parquet", table, key), table
    doc_events = parquet_rows(root, "doc_events", "id")
    assert len({e["provenance"]["doc_id"] for e in doc_events}) == len(doc_events) == 37
    local_run(archive, tmp_path / "local")
    from_jsonl = [json.loads(line) for line in sorted_lines(tmp_path / "local" / DOC_EVENTS)]
    assert sorted(e["id"] for e in from_jsonl) == [e["id"] for e in doc_events]


def test_the_second_pass_keeps_the_first_article_of_the_run(tmp_path: Path) -> None:
    archive = build_inputs(tmp_path)
    stage = Stage(tmp_path / "stage")
    stage.reset()
    job = ShardJob(stage=str(stage.root), parts="jsonl", cfg_json=Config().model_dump_json())
    plan = driver._count_first_lines(FakeClient(), list(plan_shards([str(archive)], shard_bytes=1000)))
    stage.write_plan({}, plan)
    results: list[ShardResult] = [run_shard(job, s) for s in plan]
    dropped = resolve_duplicates(str(stage.root), results)
    assert sum(r.duplicates for r in dropped.values()) == 2
    assert sum(r.duplicate_ids for r in dropped.values()) == 1
    assert all(index > 0 for index in dropped)  # never a shard of a.jsonl.gz, which comes first
    publish(PublishJob(stage=str(stage.root), kind="jsonl", dest=str(tmp_path / "e.jsonl")))
    local_run(archive, tmp_path / "local")
    assert (tmp_path / "e.jsonl").read_text() == (tmp_path / "local" / "events.jsonl").read_text()
    companion = tmp_path / "e.jsonl.doc_events.jsonl"
    assert companion.read_text() == (tmp_path / "local" / DOC_EVENTS).read_text()


def test_a_database_is_loaded_from_the_parts_by_the_final_step(tmp_path: Path, fake_dask: FakeClient) -> None:
    from pipeline.records import DocumentEvent
    from pipeline.sinks.sql import read_documents, read_events
    from pipeline.sinks.sql_events import read_doc_events

    archive = build_inputs(tmp_path)
    url = f"sqlite:///{tmp_path / 'events.db'}"
    report = driver.run_sharded(
        [str(archive)],
        url,
        Config(),
        options=RunOptions(engine="dask"),
        shard_bytes=1000,
        shard_dir=str(tmp_path / "st"),
    )
    local_run(archive, tmp_path / "local")
    local_events = sorted(json.loads(line)["event_id"] for line in sorted_lines(tmp_path / "local" / "events.jsonl"))
    assert sorted(e.event_id for e in read_events(url)) == local_events
    assert len({d.id for d in read_documents(url)}) == report.processed == 37
    # Document events as the SQL sink stores them in a local run, none of a dropped document.
    local_url = f"sqlite:///{tmp_path / 'local.db'}"
    local_run(archive, tmp_path / "local", dest=local_url)
    assert list(read_doc_events(url)) == list(read_doc_events(local_url))
    local_doc_events = [
        DocumentEvent.model_validate_json(line) for line in sorted_lines(tmp_path / "local" / DOC_EVENTS)
    ]
    assert sorted(e.id for e in read_doc_events(url)) == sorted(e.id for e in local_doc_events)
