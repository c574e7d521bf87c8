"""`newsevents extract` on good and bad inputs: rejections are written, counted, never lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.ingest.text import parse_scraped
from pipeline.runner import EXIT_NOTHING_PROCESSED, EXIT_SOME_REJECTED


def write_bad_inputs(root: Path) -> None:
    (root / "empty.txt").write_text("   \n")
    (root / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    # Bytes in no charset detected with confidence (Latin-1 text is decoded: tests/adversarial).
    (root / "latin1.txt").write_bytes(bytes((i * 97 + 13) % 128 + 128 for i in range(400)))
    (root / "notes.md").write_text("not an article format")
    (root / "lines.jsonl").write_text(
        '{"text": "x"}\n'  # too short
        "{broken json\n"
        '["a list"]\n'
        '{"title": "no text"}\n'
        '{"text": 42}\n'
        '{"text": "Police arrested two men.", "published": "last Tuesday"}\n'
        "\n"
    )


def test_only_bad_inputs_are_all_rejected_with_reasons(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    write_bad_inputs(inputs)
    out = tmp_path / "out" / "events.jsonl"
    code = main(["extract", str(inputs), "-o", str(out)])
    assert code == EXIT_NOTHING_PROCESSED
    rejects = [json.loads(line) for line in Path(f"{out}.rejects.jsonl").read_text().splitlines()]
    reasons = sorted(r["reason"] for r in rejects)
    assert reasons == sorted(
        [
            "empty",
            "binary",
            "encoding",
            "unsupported_format",
            "empty",
            "malformed_json",
            "malformed_json",
            "missing_text",
            "bad_field",
            "bad_field",
        ]
    )
    lines = {r["input"]["line"] for r in rejects if r["input"]["path"].endswith("lines.jsonl")}
    assert lines == {1, 2, 3, 4, 5, 6}
    assert out.read_text() == ""
    summary = capsys.readouterr().err
    assert "read 10, processed 0, duplicates 0, rejected 10" in summary


def test_missing_input_is_an_input_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["extract", str(tmp_path / "nope"), "-o", str(tmp_path / "e.jsonl")])
    assert code == 3
    assert "does not exist" in capsys.readouterr().err


def test_bad_published_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["extract", str(tmp_path), "-o", "-", "--published", "yesterday"])
    assert code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.slow
def test_good_and_bad_together(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    write_bad_inputs(inputs)
    (inputs / "good.jsonl").write_text(
        json.dumps(
            {"id": "a1", "text": "Police arrested two protesters in Minsk on Sunday.", "published": "2021-03-01"}
        )
        + "\n"
        + json.dumps({"text": "The company announced record profits.", "source": "Wire", "desk": "business"})
        + "\n"
    )
    (inputs / "story.txt").write_text("Soldiers detained the village chief on Friday, residents said.")
    out = tmp_path / "events.jsonl"
    docs = tmp_path / "docs.jsonl"
    code = main(["extract", str(inputs), "-o", str(out), "--documents", str(docs), "--published", "2021-03-05"])
    assert code == EXIT_SOME_REJECTED
    documents = {d["id"]: d for d in map(json.loads, docs.read_text().splitlines())}
    assert len(documents) == 3
    assert documents["a1"]["published"] == "2021-03-01"
    others = [d for k, d in documents.items() if k != "a1"]
    assert all(d["published"] == "2021-03-05" for d in others)
    assert any(d["metadata"] == {"desk": "business"} for d in others)
    events = [json.loads(line) for line in out.read_text().splitlines()]
    by_doc = {e["provenance"]["doc_id"] for e in events}
    assert by_doc == set(documents)
    arrest = next(e for e in events if e["provenance"]["doc_id"] == "a1")
    assert arrest["time"]["value"] == "2021-02-28"
    assert arrest["provenance"]["input"]["line"] == 1


def test_plain_text_without_byline_is_kept_whole() -> None:
    assert parse_scraped("Just a story.\n\nWith two paragraphs.") is None


def test_scraped_layout_without_credit_line() -> None:
    page = parse_scraped(
        "Big Headline\n\nA standfirst here.\n\nBy Jane Roe | Daily Planet\n\nBody one.\n\nBody two.\n\nAdvertisement\n"
    )
    assert page is not None
    assert (page.title, page.source, page.author) == ("Big Headline", "Daily Planet", "Jane Roe")
    assert page.text == "A standfirst here.\n\nBody one.\n\nBody two."
