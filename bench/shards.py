"""Sharded runs on a real Dask cluster: speed-up of 2 workers over 1, the driver's CPU share and memory.

Builds WARC archives (50 pages a file) from real news pages (``shared/corpus/html``, 308
pages) and corpus articles rendered as simple HTML pages, starts ``dask scheduler`` and
``dask worker`` processes (one thread each, no nanny), warms the workers up (each loads the
model), then times ``newsevents extract ARCHIVE --engine dask --scheduler ...`` as a child
process:

* ``speed``: the same archive (``--pages``, default 600) with 1 and with 2 workers: articles/s
  and the ratio (target >= 1.8);
* the driver's CPU time (user + sys, ``os.wait4``) against the workers' (psutil, before and
  after) (target <= 10 %);
* ``memory``: the driver's peak RSS on ``--small`` and ``--large`` articles (default 1,000 and
  10,000, short Reuters 1987 wires; target: flat).

Usage (about 20 minutes on 2 cores)::

    .venv/bin/python bench/shards.py --json out/bench-shards.json
"""

from __future__ import annotations

import argparse
import gzip
import html
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

_REPO = Path(__file__).resolve().parents[1]
#: The shared corpus: beside the repository, or the project's shared folder.
SHARED = next((p for p in (_REPO.parent / "shared" / "corpus", Path("/work/shared/corpus")) if p.is_dir()), Path())
HTML_DIR = SHARED / "html"
FULL_ARTICLES = SHARED / "reuters_financial_2006_2013" / "reuters_financial_2006_2013.jsonl.gz"
SHORT_ARTICLES = SHARED / "reuters21578" / "reuters21578.jsonl.gz"
DASK = str(Path(sys.executable).parent / "dask")
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
PAGES_PER_WARC = 50
#: More options for every measured run (``--shard-size ...``).
EXTRA: list[str] = []


def render(item: dict[str, object]) -> bytes:
    """A simple news page for a corpus article."""
    title = html.escape(str(item.get("title") or ""))
    body = "".join(f"<p>{html.escape(p)}</p>" for p in str(item["text"]).split("\n\n"))
    published = item.get("published") or ""
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta property='article:published_time' content='{published}'></head><body><article><h1>{title}</h1>"
        f"{body}</article></body></html>"
    ).encode()


def pages(corpus: Path, real: bool) -> Iterator[tuple[str, bytes]]:
    """Yield (url, html): the real pages first (when ``real``), then rendered corpus articles."""
    if real:
        for path in sorted(HTML_DIR.rglob("*.html.gz")):
            yield f"https://example.org/{path.parent.name}/{path.name}", gzip.decompress(path.read_bytes())
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            item = json.loads(line)
            if len(str(item.get("text") or "")) > 200:
                yield f"https://example.org/corpus/{n}", render(item)


def write_archive(folder: Path, corpus: Path, n: int, real: bool) -> Path:
    """Write ``n`` pages as gzipped WARCs of :data:`PAGES_PER_WARC` pages each."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    folder.mkdir(parents=True)
    source = pages(corpus, real)
    for i in range(0, n, PAGES_PER_WARC):
        with (folder / f"crawl-{i // PAGES_PER_WARC:05d}.warc.gz").open("wb") as fh:
            writer = WARCWriter(fh, gzip=True)
            for _, (url, body) in zip(range(min(PAGES_PER_WARC, n - i)), source, strict=False):
                headers = StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
                )
                record = writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers
                )
                writer.write_record(record)
    return folder


def warm_up() -> None:
    """Load the model and the classifier in a worker process (one article through the chain)."""
    from pipeline.chain import process_articles
    from pipeline.config import Config
    from pipeline.records import Article, InputRef

    article = Article(id="warm", text="Police arrested two men in Paris on Monday.", input=InputRef(path="warm"))
    list(process_articles([article], Config()))


class Cluster:
    """``dask scheduler`` and worker processes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.file = folder / "scheduler.json"
        self.log = (folder / "cluster.log").open("ab")
        self.procs = [
            subprocess.Popen(
                [DASK, "scheduler", "--scheduler-file", str(self.file), "--port", "0", "--no-dashboard"],
                env=ENV,
                stdout=self.log,
                stderr=self.log,
            )
        ]
        while not self.file.exists():
            time.sleep(0.2)
        self.address = json.loads(self.file.read_text())["address"]
        self.workers: list[subprocess.Popen[bytes]] = []

    def start_workers(self, n: int) -> None:
        from distributed import Client

        for _ in range(n):
            self.workers.append(
                subprocess.Popen(
                    [DASK, "worker", self.address, "--nthreads", "1", "--no-nanny", "--no-dashboard"],
                    env=ENV,
                    stdout=self.log,
                    stderr=self.log,
                )
            )
        with Client(self.address) as client:
            client.wait_for_workers(len(self.workers), timeout=120)
            client.run(warm_up)  # every worker loads the model before the clock starts

    def worker_cpu(self) -> float:
        total = 0.0
        for proc in self.workers:
            times = psutil.Process(proc.pid).cpu_times()
            total += times.user + times.system
        return total

    def close(self) -> None:
        for proc in [*self.workers, *self.procs]:
            proc.terminate()
            proc.wait(timeout=30)
        self.log.close()


def extract(archive: Path, out: Path, address: str) -> dict[str, float]:
    """Run the driver as a child; return wall seconds, its CPU seconds and peak RSS, and the report."""
    report = out / "report.json"
    cmd = [sys.executable, "-m", "pipeline", "extract", str(archive), "-o", str(out / "events.jsonl")]
    cmd += ["--engine", "dask", "--scheduler", address, "--no-progress", "--report", str(report), *EXTRA]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    data = json.loads(report.read_text())
    return {
        "wall_s": round(wall, 2),
        "driver_cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "driver_peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "processed": data["processed"],
        "read": data["read"],
        "articles_per_s": round(data["processed"] / wall, 2),
        "exit": proc.returncode,
    }


def timed_run(cluster: Cluster, archive: Path, out: Path) -> dict[str, float]:
    """One measured run: the driver's figures and the workers' CPU time during it."""
    before = cluster.worker_cpu()
    load_before = os.getloadavg()[0]
    result = extract(archive, out, cluster.address)
    result["workers_cpu_s"] = round(cluster.worker_cpu() - before, 2)
    # Other jobs on the machine show here: the workers' CPU per wall second, and the load.
    result["workers_busy_cores"] = round(result["workers_cpu_s"] / result["wall_s"], 2)
    result["loadavg_1min_after"] = round(os.getloadavg()[0], 2)
    result["loadavg_1min_before"] = round(load_before, 2)
    result["driver_cpu_share"] = round(result["driver_cpu_s"] / max(result["workers_cpu_s"], 1e-9), 4)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10000)
    parser.add_argument("--skip", choices=("speed", "memory"), action="append", default=[])
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    results: dict[str, object] = {"cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if "speed" not in args.skip:
            archive = write_archive(root / "speed", FULL_ARTICLES, args.pages, real=True)
            for n in (1, 2):
                cluster = Cluster(root / f"cluster{n}")
                try:
                    cluster.start_workers(n)
                    results[f"speed_{n}_workers"] = timed_run(cluster, archive, root / f"speed{n}")
                finally:
                    cluster.close()
                print(n, "workers:", results[f"speed_{n}_workers"], flush=True)
            one, two = results["speed_1_workers"], results["speed_2_workers"]
            results["speedup"] = round(two["articles_per_s"] / one["articles_per_s"], 3)  # type: ignore[index]
            print("speed-up:", results["speedup"], flush=True)
        if "memory" not in args.skip:
            cluster = Cluster(root / "clusterm")
            try:
                cluster.start_workers(2)
                for size in (args.small, args.large):
                    archive = write_archive(root / f"mem{size}", SHORT_ARTICLES, size, real=False)
                    results[f"memory_{size}"] = timed_run(cluster, archive, root / f"memout{size}")
                    print(size, "articles:", results[f"memory_{size}"], flush=True)
            finally:
                cluster.close()
    print(json.dumps(results, indent=2))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
