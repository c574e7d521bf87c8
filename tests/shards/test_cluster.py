"""A real Dask cluster: `dask scheduler` and two `dask worker` processes, and `newsevents extract` runs against it.

Over a mixed archive (HTML pages, WARC, JSONL.gz, a JSONL cut into byte ranges, a zip cut
into member ranges, a duplicate across shards) the sharded run must equal the local engine
as a set of event ids (of documents and document events too), also when a worker is killed
with SIGKILL mid-run, and ``--resume`` must finish a run whose driver was killed. The workers
load the real spaCy model once and keep it between the runs of the module.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.shards.archive import SMALL_SHARD_BYTES, build_mixed_archive

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DASK = str(Path(sys.executable).parent / "dask")
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


class Cluster:
    """A scheduler and its workers, each its own OS process."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.file = folder / "scheduler.json"
        self.log = (folder / "cluster.log").open("ab")
        self.scheduler = subprocess.Popen(
            [DASK, "scheduler", "--scheduler-file", str(self.file), "--port", "0", "--no-dashboard"],
            cwd=folder,
            env=ENV,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while not self.file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        self.address = json.loads(self.file.read_text(encoding="utf-8"))["address"]
        self.workers: list[subprocess.Popen[bytes]] = []

    def add_worker(self) -> subprocess.Popen[bytes]:
        # No nanny: a killed worker stays dead, as a lost machine would.
        worker = subprocess.Popen(
            [DASK, "worker", self.address, "--nthreads", "1", "--no-nanny", "--no-dashboard", "--death-timeout", "60"],
            cwd=self.folder,
            env=ENV,
            stdout=self.log,
            stderr=self.log,
        )
        self.workers.append(worker)
        return worker

    def wait_for_workers(self, n: int) -> None:
        from distributed import Client

        with Client(self.address, timeout="30s") as client:
            client.wait_for_workers(n, timeout=120)

    def alive(self) -> list[subprocess.Popen[bytes]]:
        return [w for w in self.workers if w.poll() is None]

    def close(self) -> None:
        for proc in [*self.workers, self.scheduler]:
            if proc.poll() is None:
                proc.terminate()
        for proc in [*self.workers, self.scheduler]:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.log.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    running = Cluster(tmp_path_factory.mktemp("cluster"))
    try:
        running.add_worker()
        running.add_worker()
        running.wait_for_workers(2)
        yield running
    finally:
        running.close()


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_mixed_archive(tmp_path_factory.mktemp("mixed"))


def extract(args: list[str], cwd: Path) -> subprocess.Popen[bytes]:
    with (cwd / "extract.log").open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "pipeline", "extract", *args, "--no-progress"],
            cwd=cwd,
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )


def finish(proc: subprocess.Popen[bytes], cwd: Path, timeout: float = 240) -> None:
    code = proc.wait(timeout=timeout)
    assert code in (0, 1), (cwd / "extract.log").read_text(encoding="utf-8")[-3000:]


def event_ids(path: Path) -> list[str]:
    return [json.loads(line)["event_id"] for line in path.read_text(encoding="utf-8").splitlines()]


def doc_ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def local(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("local")
    finish(extract([str(archive), "-o", "events.jsonl", "--documents", "docs.jsonl"], out), out)
    return out


def sharded_args(archive: Path, cluster: Cluster) -> list[str]:
    return [
        str(archive),
        "-o",
        "events.jsonl",
        "--documents",
        "docs.jsonl",
        "--engine",
        "dask",
        "--scheduler",
        cluster.address,
        "--shard-size",
        str(SMALL_SHARD_BYTES),
    ]


def assert_same_result(out: Path, local: Path) -> None:
    ids = event_ids(out / "events.jsonl")
    assert len(ids) == len(set(ids)), "an event was written twice"
    assert set(ids) == set(event_ids(local / "events.jsonl"))
    docs = doc_ids(out / "docs.jsonl")
    assert len(docs) == len(set(docs)) and set(docs) == set(doc_ids(local / "docs.jsonl"))
    doc_events = doc_ids(out / "events.jsonl.doc_events.jsonl")  # the companion the local JSONL sink writes
    assert doc_events and len(doc_events) == len(set(doc_events))
    assert set(doc_events) == set(doc_ids(local / "events.jsonl.doc_events.jsonl"))


def wait_for_done(stage: Path, n: int, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(list((stage / "done").glob("*.json"))) >= n:
            return
        time.sleep(0.05)
    raise AssertionError(f"fewer than {n} shards finished in {timeout} s")


def test_sharded_run_equals_the_local_engine(archive: Path, cluster: Cluster, local: Path, tmp_path: Path) -> None:
    finish(extract([*sharded_args(archive, cluster), "--report", "report.json"], tmp_path), tmp_path)
    assert_same_result(tmp_path, local)
    assert (tmp_path / "events.jsonl").read_bytes() == (local / "events.jsonl").read_bytes()  # and in the same order
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["engine"] == "dask" and report["workers"] == 2 and report["duplicates"] >= 1
    assert report["read"] == report["processed"] + report["duplicates"] + report["rejected"]
    plan = (tmp_path / "events.jsonl.shards" / "plan.jsonl").read_text(encoding="utf-8")
    assert {"files", "zip_members", "jsonl_range"} <= {json.loads(line)["kind"] for line in plan.splitlines()}


def test_resume_after_the_driver_is_killed(archive: Path, cluster: Cluster, local: Path, tmp_path: Path) -> None:
    args = sharded_args(archive, cluster)
    proc = extract(args, tmp_path)
    wait_for_done(tmp_path / "events.jsonl.shards", 3)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert not (tmp_path / "events.jsonl").exists()
    finish(extract([*args, "--resume", "--report", "report.json"], tmp_path), tmp_path)
    assert_same_result(tmp_path, local)
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["already_done"] > 0


def test_a_worker_killed_mid_run(archive: Path, cluster: Cluster, local: Path, tmp_path: Path) -> None:
    proc = extract(sharded_args(archive, cluster), tmp_path)
    wait_for_done(tmp_path / "events.jsonl.shards", 2)
    victim = cluster.alive()[0]
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    finish(proc, tmp_path)
    assert_same_result(tmp_path, local)
    assert not list((tmp_path / "events.jsonl.shards").rglob(".*tmp*"))
