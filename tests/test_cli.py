"""The command line speaks to users: help texts, usage errors, and what it says after Ctrl-C."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline import runner
from pipeline.cli import main
from pipeline.cli.extract import resume_command
from pipeline.records import Article, DocumentRecord, Rejection
from pipeline.sinks.jsonl import checkpoint_path
from tests.records_factory import make_document

ROOT = Path(__file__).resolve().parents[1]
AG_NEWS = ROOT / "tests" / "fixtures" / "ag_news_300.jsonl"


def help_text(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """The help ``newsevents ARGV`` prints (it exits 0)."""
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 0
    return " ".join(capsys.readouterr().out.split())


def test_top_level_help_says_what_the_tool_does(capsys: pytest.CaptureFixture[str]) -> None:
    text = help_text(["-h"], capsys)
    assert "Extract arrest, release and announcement events from news articles" in text
    assert "provenance" in text
    for command in ("extract", "evaluate", "show", "report"):
        assert command in text
    # What it does, not how it is built.
    assert "thin layer" not in text and "Console script" not in text


def usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """The stderr of ``newsevents ARGV``, which must be a usage error (exit 2)."""
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "usage"),
    [
        (["extract", "in.txt", "-o", "out.jsonl", "--bogus", "x"], "usage: newsevents extract "),
        (["extract", "--bogus", "x", "-o", "out.jsonl"], "usage: newsevents extract "),
        (["evaluate", "--gold", "g.jsonl", "--bogus"], "usage: newsevents evaluate "),
        (["report", "events.jsonl", "--bogus"], "usage: newsevents report "),
        (["db", "init", "sqlite:///x.db", "--bogus"], "usage: newsevents db init "),
    ],
)
def test_a_wrong_option_prints_the_usage_of_its_subcommand(
    argv: list[str], usage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    err = usage_error(argv, capsys)
    assert err.startswith(usage)
    assert "unrecognized arguments: --bogus" in err
    assert "COMMAND ..." not in err  # not the top-level usage


def test_extract_help_names_database_urls_for_the_output(capsys: pytest.CaptureFixture[str]) -> None:
    text = help_text(["extract", "-h"], capsys)
    assert "sqlite:///FILE.db" in text and "postgresql://USER@HOST:PORT/DB" in text
    assert "Parquet" not in text  # not written yet: not promised


@pytest.mark.parametrize("dest", ["mysql://user@host/db", "MongoDB+srv://cluster/db", "s3://bucket/events.jsonl"])
def test_an_unsupported_output_url_is_a_usage_error(
    dest: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = usage_error(["extract", str(tmp_path), "-o", dest], capsys)
    assert err.startswith("usage: newsevents extract ")
    assert f"Unsupported output URL scheme {dest.split(':')[0].lower()!r}" in err
    assert "supported schemes: sqlite, postgresql, postgres" in err
    assert not list(tmp_path.iterdir()), "nothing may be written"


# --------------------------------------------------------------------------- Ctrl-C


def test_resume_command_adds_resume_once_and_quotes() -> None:
    assert resume_command(["extract", "my dir", "-o", "o.jsonl"]) == "newsevents extract 'my dir' -o o.jsonl --resume"
    assert resume_command(["extract", "in", "-o", "o.jsonl", "--resume"]) == "newsevents extract in -o o.jsonl --resume"
    assert resume_command(["extract", "in", "-o", "o", "--resu"], resuming=True) == "newsevents extract in -o o --resu"


def test_interrupted_extract_prints_the_summary_so_far_and_the_resume_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(4):
        (inputs / f"{i}.txt").write_text(f"Police arrested {i} people in the capital on Monday.", encoding="utf-8")

    def interrupted_after_two(items: Iterable[Article | Rejection], *args: Any) -> Iterator[Rejection]:
        for n, item in enumerate(items):
            if n == 2:
                raise KeyboardInterrupt  # what SIGINT raises in the main thread
            assert isinstance(item, Article)
            yield Rejection(input=item.input, stage="ner", reason="test_reason")

    monkeypatch.setattr(runner, "results_for", interrupted_after_two)
    out = tmp_path / "out" / "events.jsonl"
    argv = ["extract", str(inputs), "-o", str(out), "--no-progress"]
    assert main(argv) == 130
    err = capsys.readouterr().err
    assert "read 2, processed 0, duplicates 0, rejected 2" in err
    assert "rejected by reason: test_reason 2" in err
    assert f"To continue where it stopped, run:\n  {shlex.join(['newsevents', *argv, '--resume'])}\n" in err
    assert checkpoint_path(str(out)).is_file(), "--resume needs the checkpoint"


def test_a_clean_jsonl_run_leaves_no_checkpoint_and_no_empty_rejects_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text("Police arrested two people in the capital on Monday.", encoding="utf-8")

    def processed(items: Iterable[Article | Rejection], *args: Any) -> Iterator[tuple[DocumentRecord, list[Any]]]:
        for item in items:
            assert isinstance(item, Article)
            yield make_document(item.text), []

    monkeypatch.setattr(runner, "results_for", processed)
    out = tmp_path / "events.jsonl"
    assert main(["extract", str(inputs), "-o", str(out), "--no-progress"]) == 0
    assert "read 1, processed 1" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.jsonl", "in"]


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
def test_sigint_during_extract_then_the_printed_command_finishes_the_run(tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    argv = ["extract", str(AG_NEWS), "-o", str(out), "--no-progress", "--checkpoint-every", "10"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        # Ctrl-C as at a terminal: a suite started in the background (`make test &`, a CI
        # job) ignores SIGINT, and a child keeps an ignored SIGINT ignored.
        preexec_fn=_default_sigint,
    )
    checkpoint = checkpoint_path(str(out))
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        if checkpoint.exists() and len(checkpoint.read_text(encoding="utf-8").splitlines()) >= 4:  # mid-run
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted; the summary so far:" in err and "processed " in err
    command = err.split("To continue where it stopped, run:\n  ", 1)[1].splitlines()[0]
    assert command == shlex.join(["newsevents", *argv, "--resume"])
    resumed = subprocess.run(
        [sys.executable, "-m", "pipeline", *shlex.split(command)[1:]], capture_output=True, text=True, cwd=ROOT
    )
    assert resumed.returncode in (0, 1), resumed.stderr
    assert "already done" in resumed.stderr
    ids = [json.loads(line)["event_id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert ids and len(ids) == len(set(ids))
    assert not checkpoint.exists(), "a finished run leaves no checkpoint"
