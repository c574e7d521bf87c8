"""One run over a folder of every kind of broken file: it finishes, rejects with reasons, loses nothing.

The folder holds empty and binary files with text suffixes, other encodings, odd Unicode,
a 50,000-character sentence, a table, bad JSONL, hostile HTML, a FIFO and symbolic link
loops. One child run (with the real spaCy model) reads it all; the tests check each input's
outcome, the report, the records and that nothing was written outside the output paths.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.adversarial.conftest import (
    RSS_WITH_MODEL_MB,
    Run,
    check_records,
    check_report_adds_up,
    exit_code_for,
    files_under,
    read_jsonl,
    run_extract,
)

pytestmark = pytest.mark.slow

ARTICLE = "Police arrested two opposition leaders in the capital on Monday, the interior ministry said."
#: Small enough to make a huge JSONL line cheap to write.
MAX_ITEM_BYTES = 200_000
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + "]>\n<html><head><title>Laughs</title></head><body><article><p>"
    + ARTICLE
    + " The crowd wrote &lol9; on the wall.</p><p>The men were held at a police station overnight, "
    "their lawyer said on Tuesday.</p></article></body></html>"
)


def jsonl_lines() -> list[str]:
    """Malformed lines, wrong types, a huge line, duplicate ids, NUL and deep nesting."""
    return [
        json.dumps({"id": "dup", "text": ARTICLE}),  # 1: processed
        "{broken json",  # 2: malformed_json
        '["not", "an", "object"]',  # 3: malformed_json
        json.dumps({"title": "no text"}),  # 4: missing_text
        json.dumps({"text": 42}),  # 5: bad_field
        json.dumps({"text": ARTICLE, "title": ["a", "list"]}),  # 6: bad_field
        json.dumps({"text": ARTICLE, "published": "last Tuesday"}),  # 7: bad_field
        json.dumps({"id": "huge", "text": "word " * (MAX_ITEM_BYTES // 5 + 10)}),  # 8: too_large
        json.dumps({"id": "dup", "text": "Soldiers detained the village chief on Friday, residents told reporters."}),
        json.dumps({"id": "copy", "text": ARTICLE.upper()}),  # 10: duplicate (same text)
        json.dumps({"id": "nul", "text": "Guards freed\u0000 three prisoners from the jail on Sunday, the army said."}),
        "[" * 50_000,  # 12: malformed_json (too deep)
        '{"text": 1' + "0" * 5000 + "}",  # 13: malformed_json (integer too long)
        "",  # blank: skipped, not an article
    ]


#: Expected outcome of each input: "document" or the rejection reason.
EXPECTED: dict[str, str] = {
    "empty.txt": "empty",
    "spaces.txt": "empty",
    "image.txt": "binary",
    "program.txt": "binary",
    "paper.txt": "binary",
    "nul.txt": "binary",
    "undecodable.txt": "encoding",
    "latin1.txt": "document",
    "utf16.txt": "document",
    "invalid_utf8.txt": "document",
    "controls.txt": "document",
    "unicode.txt": "document",
    "sentence.txt": "document",
    "table.txt": "document",
    "script.html": "no_main_text",
    "nested.html": "no_main_text",
    "laughs.html": "document",
    "fifo.txt": "not_a_file",
    "loop.txt": "not_a_file",
    "up": "not_a_file",
    "notes.md": "unsupported_format",
    "lines.jsonl:1": "document",
    "lines.jsonl:2": "malformed_json",
    "lines.jsonl:3": "malformed_json",
    "lines.jsonl:4": "missing_text",
    "lines.jsonl:5": "bad_field",
    "lines.jsonl:6": "bad_field",
    "lines.jsonl:7": "bad_field",
    "lines.jsonl:8": "too_large",
    "lines.jsonl:9": "duplicate_id",
    "lines.jsonl:10": "duplicate",
    "lines.jsonl:11": "document",
    "lines.jsonl:12": "malformed_json",
    "lines.jsonl:13": "malformed_json",
}


def write_inputs(folder: Path) -> None:
    """Write every hostile input into ``folder``."""
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "spaces.txt").write_bytes(b"  \n\t \r\n   ")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    (folder / "program.txt").write_bytes(b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 8)
    (folder / "paper.txt").write_bytes(
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Length 9>> stream\nx\x9c\xed\xbd endstream"
    )
    (folder / "nul.txt").write_bytes(ARTICLE.encode() + b"\x00" + ARTICLE.encode())
    (folder / "undecodable.txt").write_bytes(bytes((i * 97 + 13) % 128 + 128 for i in range(400)))
    (folder / "latin1.txt").write_bytes(f"Café owners in Zürich said: {ARTICLE}".encode("latin-1"))
    (folder / "utf16.txt").write_bytes(f"{ARTICLE} Protesters shouted «freedom» 😀.".encode("utf-16"))
    (folder / "invalid_utf8.txt").write_bytes(ARTICLE.encode() + b" \xff\xfe broken \xc3 bytes " + ARTICLE.encode())
    (folder / "controls.txt").write_text(f"\x07{ARTICLE}\x1b[31m red \x1b[0m\x08 {ARTICLE}", encoding="utf-8")
    (folder / "unicode.txt").write_text(
        "\u202eRTL override\u202c " + ARTICLE + " \u0627\u0644\u0634\u0631\u0637\u0629 اعتقلت رجلين. "
        "Cafe\u0301 e\u0301\u0301\u0301 \U0001f600\U0001f1fa\U0001f1f8 \u200b\u200d\ufeff freed " + ARTICLE,
        encoding="utf-8",
    )
    run_on = "police arrested the activist and the ministry announced that guards freed prisoners held in custody "
    (folder / "sentence.txt").write_text((run_on * 600)[:50_000], encoding="utf-8")
    (folder / "table.txt").write_text(
        "\n".join(" | ".join(f"{r * c * 3.5:.1f}" for c in range(8)) for r in range(400)), encoding="utf-8"
    )
    (folder / "script.html").write_text("<html><head><script>" + "var a = 1;" * 500 + "</script></head></html>")
    nested = "<div>" * 10_000 + ARTICLE + "</div>" * 10_000
    (folder / "nested.html").write_text(f"<html><body>{nested}</body></html>", encoding="utf-8")
    (folder / "laughs.html").write_text(BILLION_LAUGHS, encoding="utf-8")
    os.mkfifo(folder / "fifo.txt")
    (folder / "loop.txt").symlink_to("loop.txt")
    (folder / "up").symlink_to("..")
    (folder / "notes.md").write_text("not an article format")
    (folder / "lines.jsonl").write_text("\n".join(jsonl_lines()) + "\n", encoding="utf-8")


def outcome_key(input_ref: dict[str, Any]) -> str:
    """``name`` or ``name:line`` of an input reference."""
    name = Path(input_ref["path"]).name
    return f"{name}:{input_ref['line']}" if input_ref.get("line") else name


class Result:
    """The outputs of the shared run."""

    def __init__(self, run: Run, out: Path, before: set[Path], after: set[Path]) -> None:
        self.run = run
        self.report = run.report or {}
        self.events = read_jsonl(out / "events.jsonl")
        self.documents = read_jsonl(out / "documents.jsonl")
        self.rejects = read_jsonl(out / "events.jsonl.rejects.jsonl")
        self.created = after - before
        outcomes: dict[str, list[str]] = {}
        for d in self.documents:
            outcomes.setdefault(outcome_key(d["input"]), []).append("document")
        for r in self.rejects:
            outcomes.setdefault(outcome_key(r["input"]), []).append(r["reason"])
        self.outcomes = outcomes


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Result:
    """Run extract once over the hostile folder."""
    root = tmp_path_factory.mktemp("hostile")
    write_inputs(root / "in")
    (root / "cfg.yaml").write_text(f"ingest:\n  max_item_bytes: {MAX_ITEM_BYTES}\n")
    work = root / "work"
    work.mkdir()
    out = root / "out"
    before = files_under(root)
    run = run_extract(
        [
            str(root / "in"),
            "-o",
            str(out / "events.jsonl"),
            "--documents",
            str(out / "documents.jsonl"),
            "--config",
            str(root / "cfg.yaml"),
        ],
        cwd=work,
        report=out / "report.json",
    )
    return Result(run, out, before, files_under(root))


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_each_input_has_its_outcome(result: Result, key: str) -> None:
    assert result.outcomes.get(key) == [EXPECTED[key]], (key, result.outcomes.get(key), result.run.stderr[-2000:])


def test_nothing_unexpected_and_nothing_lost(result: Result) -> None:
    assert set(result.outcomes) == set(EXPECTED), set(result.outcomes) ^ set(EXPECTED)


def test_report_adds_up_and_exit_code_is_documented(result: Result) -> None:
    assert result.report, result.run.stderr[-3000:]
    check_report_adds_up(result.report, result.rejects)
    assert result.report["read"] == len(EXPECTED)
    assert result.run.code == exit_code_for(result.report) == 1


def test_records_validate_and_offsets_hold(result: Result) -> None:
    assert result.documents
    check_records(result.events, result.documents)


def test_other_encodings_are_decoded_and_recorded(result: Result) -> None:
    by_name = {Path(d["input"]["path"]).name: d for d in result.documents}
    assert by_name["latin1.txt"]["text"].startswith("Café owners in Zürich")
    assert by_name["latin1.txt"]["metadata"]["encoding"] == "cp1252"
    assert "«freedom» 😀" in by_name["utf16.txt"]["text"]
    assert by_name["utf16.txt"]["metadata"]["encoding"] == "utf-16"
    assert by_name["unicode.txt"]["metadata"]["encoding"] == "utf-8"
    assert by_name["invalid_utf8.txt"]["metadata"]["encoding"] not in ("utf-8", None)


def test_entities_are_not_expanded(result: Result) -> None:
    (laughs,) = [d for d in result.documents if d["input"]["path"].endswith("laughs.html")]
    assert "lollol" not in laughs["text"]
    assert len(laughs["text"]) < 2000


def test_nul_in_jsonl_text_is_kept(result: Result) -> None:
    (doc,) = [d for d in result.documents if d["input"].get("line") == 11]
    assert "freed\x00 three" in doc["text"]


def test_no_file_outside_the_outputs(result: Result) -> None:
    # No out/events.jsonl.checkpoint: a run that finishes removes it (nothing left to resume).
    allowed = {
        "out/events.jsonl",
        "out/events.jsonl.doc_events.jsonl",
        "out/documents.jsonl",
        "out/events.jsonl.rejects.jsonl",
        "out/report.json",
    }
    assert {str(p) for p in result.created} == allowed


def test_memory_stays_bounded(result: Result) -> None:
    assert result.run.peak_rss_mb < RSS_WITH_MODEL_MB, result.run.peak_rss_mb


def test_unreadable_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads chmod 000 files (CAP_DAC_OVERRIDE); the FIFO case covers unopenable files")
    folder = tmp_path / "in"
    folder.mkdir()
    locked = folder / "locked.txt"
    locked.write_text(ARTICLE)
    locked.chmod(0)
    work = tmp_path / "work"
    work.mkdir()
    run = run_extract([str(folder), "-o", str(tmp_path / "out" / "e.jsonl")], cwd=work, report=tmp_path / "r.json")
    assert run.code == 7
    (reject,) = read_jsonl(tmp_path / "out" / "e.jsonl.rejects.jsonl")
    assert reject["reason"] == "unreadable"
