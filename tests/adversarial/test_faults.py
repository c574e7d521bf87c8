"""kill -9 at seeded points of JSONL, SQLite and PostgreSQL runs, and a full disk: --resume loses nothing.

Each sink gets one uninterrupted reference run, then a chain of runs each killed with
SIGKILL at a seeded point and resumed with ``--resume``, until a last resume completes.
The kill points are deterministic: a small wrapper around the CLI sends SIGKILL to its
own process at the N-th ``Sink.write`` (mid-batch) or inside the N-th commit (JSONL:
after the outputs are fsynced, before the checkpoint line is; SQL: after the batch's
rows are written, before the transaction commits).
"""

from __future__ import annotations

import json
import random
import resource
import signal
import uuid
from pathlib import Path
from typing import Any

import pytest

from pipeline.sinks.pgtemp import TemporaryPostgres
from pipeline.sinks.sql import read_documents, read_events
from tests.adversarial.conftest import AG_NEWS, RSS_WITH_MODEL_MB, check_records, read_jsonl, run_extract

pytestmark = pytest.mark.slow

ARTICLES = 40
CHECKPOINT_EVERY = "3"
KILLS_PER_SINK = 5

#: Runs the CLI with a SIGKILL armed at the point named by NEWSEVENTS_KILL_AT ("write:N" or "commit:N").
KILLER = """
import os, signal, sys
from pipeline.cli import main
from pipeline.sinks.jsonl import JsonlSink
from pipeline.sinks.sql import SqlSink

kind, n = os.environ["NEWSEVENTS_KILL_AT"].split(":")
calls = [0]

def arm(cls, name, after):
    original = getattr(cls, name)
    def patched(self, *args, **kwargs):
        calls[0] += 1
        if calls[0] == int(n) and not after:
            os.kill(os.getpid(), signal.SIGKILL)
        out = original(self, *args, **kwargs)
        if calls[0] == int(n) and after:
            os.kill(os.getpid(), signal.SIGKILL)
        return out
    setattr(cls, name, patched)

if kind == "write":
    arm(JsonlSink, "write", False)
    arm(SqlSink, "write", False)
else:
    arm(JsonlSink, "_commit_checkpoint_line", False)
    arm(SqlSink, "_write_rows", True)
sys.exit(main(sys.argv[1:]))
"""


def kill_points(seed: int) -> list[str]:
    """Seeded kill points; each run commits at most 6 documents, so every point is reached."""
    rng = random.Random(seed)
    return [rng.choice([f"write:{rng.randint(1, 6)}", f"commit:{rng.randint(1, 2)}"]) for _ in range(KILLS_PER_SINK)]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few dozen short real articles."""
    path = tmp_path_factory.mktemp("faults") / "ag.jsonl"
    lines = AG_NEWS.read_text(encoding="utf-8").splitlines()[:ARTICLES]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def jsonl_args(inputs: Path, out: Path) -> list[str]:
    return [
        str(inputs),
        "-o",
        str(out / "events.jsonl"),
        "--documents",
        str(out / "documents.jsonl"),
        "--checkpoint-every",
        CHECKPOINT_EVERY,
    ]


def jsonl_state(out: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Events and documents of a JSONL output; fails on a duplicate."""
    events, documents = read_jsonl(out / "events.jsonl"), read_jsonl(out / "documents.jsonl")
    assert len({e["event_id"] for e in events}) == len(events), "an event was written twice"
    assert len({d["id"] for d in documents}) == len(documents), "a document was written twice"
    check_records(events, documents)
    return sorted(events, key=lambda e: e["event_id"]), sorted(documents, key=lambda d: d["id"])


def sql_state(url: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Events and documents of a database output (ids are primary keys: no duplicates possible)."""
    events = [e.model_dump(mode="json") for e in read_events(url)]
    documents = [d.model_dump(mode="json") for d in read_documents(url)]
    check_records(events, documents)
    return sorted(events, key=lambda e: e["event_id"]), sorted(documents, key=lambda d: d["id"])


def kill_and_resume(args: list[str], work: Path, seed: int) -> None:
    """Run ``args`` killed at each seeded point (resuming after the first), then resume to the end."""
    for i, point in enumerate(kill_points(seed)):
        run = run_extract(
            [*args, *(["--resume"] if i else [])],
            cwd=work,
            python_code=KILLER,
            env={"NEWSEVENTS_KILL_AT": point},
        )
        assert run.code == -signal.SIGKILL, (point, run.code, run.stderr[-2000:])
    final = run_extract([*args, "--resume"], cwd=work, report=work / "report.json")
    assert final.code == 0, final.stderr[-3000:]
    assert final.report is not None and final.report["already_done"] > 0
    assert final.report["read"] + final.report["already_done"] == ARTICLES
    assert final.peak_rss_mb < RSS_WITH_MODEL_MB


def test_jsonl_kill_9_then_resume_equals_uninterrupted(inputs: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    reference = tmp_path / "reference"
    assert run_extract(jsonl_args(inputs, reference), cwd=work).code == 0
    out = tmp_path / "out"
    kill_and_resume(jsonl_args(inputs, out), work, seed=1)
    assert jsonl_state(out) == jsonl_state(reference)


def test_sqlite_kill_9_then_resume_equals_uninterrupted(inputs: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    reference = f"sqlite:///{tmp_path / 'reference.db'}"
    assert run_extract([str(inputs), "-o", reference], cwd=work).code == 0
    url = f"sqlite:///{tmp_path / 'out.db'}"
    kill_and_resume([str(inputs), "-o", url, "--checkpoint-every", CHECKPOINT_EVERY], work, seed=2)
    assert sql_state(url) == sql_state(reference)


@pytest.mark.postgres
def test_postgres_kill_9_then_resume_equals_uninterrupted(
    inputs: Path, tmp_path: Path, postgres_server: TemporaryPostgres
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    reference = postgres_server.create_database(f"adv_ref_{uuid.uuid4().hex[:8]}")
    assert run_extract([str(inputs), "-o", reference], cwd=work).code == 0
    url = postgres_server.create_database(f"adv_{uuid.uuid4().hex[:8]}")
    kill_and_resume([str(inputs), "-o", url, "--checkpoint-every", CHECKPOINT_EVERY], work, seed=3)
    assert sql_state(url) == sql_state(reference)


FILE_LIMIT = 16_000


def _small_files() -> None:
    """In the child: writes past FILE_LIMIT bytes fail with EFBIG instead of killing it (SIGXFSZ)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))


def test_disk_full_is_a_sink_error_and_the_output_resumes(inputs: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    reference = tmp_path / "reference"
    assert run_extract(jsonl_args(inputs, reference), cwd=work).code == 0
    assert (reference / "documents.jsonl").stat().st_size > FILE_LIMIT

    out = tmp_path / "out"
    # RLIMIT_FSIZE limits every file of the child: py3langid unpacks its model into a
    # temporary file, so language identification is off in this run (it finds English anyway).
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text("ingest:\n  language:\n    enabled: false\n")
    args = [*jsonl_args(inputs, out), "--config", str(cfg)]
    full = run_extract(args, cwd=work, preexec_fn=_small_files)
    assert full.code == 5, full.stderr[-3000:]
    assert "Traceback" not in full.stderr
    assert "--resume" in full.stderr and "failed" in full.stderr
    # What was committed is valid: whole lines, records that validate.
    committed = json.loads((out / "events.jsonl.checkpoint").read_text().splitlines()[-1])
    assert 0 < committed["sizes"]["documents"] <= FILE_LIMIT

    resumed = run_extract([*args, "--resume"], cwd=work, report=work / "r.json")
    assert resumed.code == 0, resumed.stderr[-3000:]
    assert jsonl_state(out) == jsonl_state(reference)
