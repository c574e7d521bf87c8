"""The command line speaks to users: help texts, usage errors, and what it says after Ctrl-C."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import main


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
