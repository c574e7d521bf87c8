"""Peak memory does not grow with the archive: peak RSS of ``newsevents extract`` on N vs 10 N articles.

Writes the first N and 10 N articles of a JSONL(.gz) corpus to temporary files, runs
``python -m pipeline extract`` on each in a child process, and reports for each run:

* ``max_rss_mb``: the peak resident set of the largest process (the child, or one of its
  workers), from ``os.wait4``'s resource usage of that child;
* ``tree_rss_mb``: the peak of the summed RSS of the child and its workers, sampled
  every 0.2 s with psutil.

Usage (about 25 minutes on 2 CPUs with the defaults)::

    .venv/bin/python bench/memory.py --corpus /work/shared/corpus/reuters_financial_2006_2013/\
reuters_financial_2006_2013.jsonl.gz --small 2000 --large 20000 --workers 2

The target: the large run's peak differs from the small run's by less than 15 %.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

DEFAULT_CORPUS = "/work/shared/corpus/reuters_financial_2006_2013/reuters_financial_2006_2013.jsonl.gz"


def write_sample(corpus: str, n: int, dest: Path) -> int:
    """Copy the first ``n`` lines of ``corpus`` (.jsonl or .jsonl.gz) to ``dest``; return the count."""
    opener = gzip.open if corpus.endswith(".gz") else open
    count = 0
    with opener(corpus, "rt", encoding="utf-8") as src, dest.open("w", encoding="utf-8") as out:
        for line in src:
            if count >= n:
                break
            out.write(line)
            count += 1
    return count


def _sample_tree(pid: int, peak: list[float], stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            proc = psutil.Process(pid)
            procs = [proc, *proc.children(recursive=True)]
            total = sum(p.memory_info().rss for p in procs if p.is_running())
            peak[0] = max(peak[0], total / 2**20)
        except psutil.Error:
            pass
        stop.wait(0.2)


def measure(input_path: Path, out_dir: Path, workers: int) -> dict[str, float]:
    """Run one extraction in a child process and return its peak memory and duration."""
    cmd = [
        sys.executable,
        "-m",
        "pipeline",
        "extract",
        str(input_path),
        "-o",
        str(out_dir / "events.jsonl"),
        "--no-progress",
        "--workers",
        str(workers),
        "--report",
        str(out_dir / "report.json"),
    ]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = [0.0]
    stop = threading.Event()
    sampler = threading.Thread(target=_sample_tree, args=(proc.pid, peak, stop), daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    stop.set()
    sampler.join()
    report = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
    return {
        "exit_code": proc.returncode,
        "processed": report["processed"],
        "seconds": round(time.monotonic() - started, 1),
        "max_rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux reports KiB
        "tree_rss_mb": round(peak[0], 1),
    }


def main() -> int:
    """Measure both sizes and print the figures and their ratio as JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=DEFAULT_CORPUS, help="JSONL or JSONL.gz articles")
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="newsevents-memory-") as tmp:
        for n in (args.small, args.large):
            run_dir = Path(tmp) / str(n)
            run_dir.mkdir()
            count = write_sample(args.corpus, n, run_dir / "input.jsonl")
            result = measure(run_dir / "input.jsonl", run_dir, args.workers)
            result["articles"] = count
            results[n] = result
            print(json.dumps({"articles": n, **result}), flush=True)
    small, large = results[args.small], results[args.large]
    for key in ("max_rss_mb", "tree_rss_mb"):
        growth = (large[key] - small[key]) / small[key]
        print(f"{key}: {small[key]} MB ({args.small}) -> {large[key]} MB ({args.large}): {growth:+.1%}")
    ok = abs(large["max_rss_mb"] - small["max_rss_mb"]) / small["max_rss_mb"] < 0.15
    print("target (< 15 % difference):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
