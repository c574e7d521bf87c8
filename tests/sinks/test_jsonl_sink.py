"""The JSONL sink after a run: a finished run leaves no checkpoint and no empty rejects file."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import SinkError
from pipeline.records import InputRef, Rejection
from pipeline.sinks.jsonl import JsonlSink, checkpoint_path
from tests.records_factory import make_document, make_event


def outputs(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "events.jsonl", tmp_path / "events.jsonl.rejects.jsonl"


@pytest.mark.parametrize("rejected", [False, True])
def test_a_finished_run_removes_the_checkpoint_and_an_empty_rejects_file(tmp_path: Path, rejected: bool) -> None:
    dest, rejects = outputs(tmp_path)
    with JsonlSink(str(dest), rejects=str(rejects)) as sink:
        sink.write(make_document("Police arrested two men on Monday."), [])
        if rejected:
            sink.write_rejection(Rejection(input=InputRef(path="x.txt"), stage="ingest", reason="empty"))
        sink.flush()
        assert checkpoint_path(str(dest)).is_file()
        sink.finish()
    assert dest.is_file()
    assert not checkpoint_path(str(dest)).exists()
    assert rejects.is_file() == rejected


def test_an_unfinished_run_keeps_both_for_resume(tmp_path: Path) -> None:
    dest, rejects = outputs(tmp_path)
    with pytest.raises(KeyboardInterrupt), JsonlSink(str(dest), rejects=str(rejects)) as sink:
        sink.write(make_document("Police arrested two men on Monday."), [])
        raise KeyboardInterrupt  # no finish(): the runner calls it only when the run completes
    assert checkpoint_path(str(dest)).is_file() and rejects.is_file()
    with JsonlSink(str(dest), rejects=str(rejects), resume=True) as sink:
        assert len(sink.done_ids()) == 1
        sink.finish()
    assert not checkpoint_path(str(dest)).exists() and not rejects.exists()


def test_resuming_a_finished_run_says_there_is_nothing_to_resume(tmp_path: Path) -> None:
    dest, _ = outputs(tmp_path)
    with JsonlSink(str(dest)) as sink:
        document = make_document("Police arrested two men on Monday.")
        sink.write(document, [make_event(document, "arrest", "arrested")])
        sink.finish()
    with pytest.raises(SinkError, match="a run that finished removes it"):
        JsonlSink(str(dest), resume=True).open()
