"""Bombs, path traversal in archives, huge articles and hostile configs: rejected, bounded, nothing written.

These runs reject every input (or truncate one article), so most never load the spaCy
model and take about a second each.
"""

from __future__ import annotations

import gzip
import io
import json
import tarfile
import uuid
import zipfile
from pathlib import Path

import pytest

from tests.adversarial.conftest import (
    RSS_NO_MODEL_MB,
    RSS_WITH_MODEL_MB,
    check_records,
    check_report_adds_up,
    exit_code_for,
    files_under,
    read_jsonl,
    run_extract,
)

MB = 1_000_000
ARTICLE = "Police arrested two opposition leaders in the capital on Monday, the interior ministry said. "


def zeros_gzip(size: int, content: bytes = b"\0") -> bytes:
    """A gzip stream of about ``size`` bytes of ``content``, compressed in chunks (never held whole)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as gz:
        chunk = content * max(MB // len(content), 1)
        for _ in range(size // len(chunk)):
            gz.write(chunk)
    return out.getvalue()


def zip_bomb(members: int, member_size: int) -> bytes:
    """A zip of ``members`` members of ``member_size`` zero bytes each (each under max_item_bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for i in range(members):
            with archive.open(f"part{i}.txt", "w", force_zip64=True) as member:
                for _ in range(member_size // MB):
                    member.write(b" " * MB)
    return out.getvalue()


def tar_gz_bomb(members: int, member_size: int) -> bytes:
    """A .tar.gz of ``members`` members of ``member_size`` spaces each."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for i in range(members):
            info = tarfile.TarInfo(f"part{i}.txt")
            info.size = member_size
            archive.addfile(info, _Spaces(member_size))
    return out.getvalue()


class _Spaces(io.RawIOBase):
    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), self.left)
        buffer[:n] = b" " * n
        self.left -= n
        return n


def traversal_names(tag: str) -> list[str]:
    """Member names that would escape an extraction folder."""
    return [f"../../evil-{tag}.txt", f"/tmp/evil-{tag}/abs.txt", f"a/../../../evil-{tag}-2.jsonl"]


def traversal_zip(tag: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in traversal_names(tag):
            archive.writestr(name, "x\n" if name.endswith(".txt") else '{"text": "x"}\n')
    return out.getvalue()


def traversal_tar(tag: str) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        for name in traversal_names(tag):
            data = b"x\n" if name.endswith(".txt") else b'{"text": "x"}\n'
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("passwd.txt")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        archive.addfile(link)
        hard = tarfile.TarInfo("hard.txt")
        hard.type, hard.linkname = tarfile.LNKTYPE, "../../etc/shadow"
        archive.addfile(hard)
    return out.getvalue()


def test_bombs_and_traversal_are_rejected_and_nothing_is_written(tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:12]
    folder = tmp_path / "deep" / "er" / "in"
    folder.mkdir(parents=True)
    (folder / "zeros.txt.gz").write_bytes(zeros_gzip(100 * MB))
    # Lines of spaces are blank (skipped): only the budget stops them.
    blank = zeros_gzip(100 * MB, b" " * 999 + b"\n")
    (folder / "blank.jsonl.gz").write_bytes(gzip.compress(b'{"text": "x"}\n') + blank)
    bomb = zip_bomb(3, 20 * MB)
    (folder / "bomb.zip").write_bytes(bomb)
    nested = io.BytesIO()
    with zipfile.ZipFile(nested, "w") as archive:
        archive.writestr("inner.zip", bomb)
    (folder / "nested.zip").write_bytes(nested.getvalue())
    (folder / "bomb.tar.gz").write_bytes(tar_gz_bomb(3, 20 * MB))
    (folder / "traversal.zip").write_bytes(traversal_zip(tag))
    (folder / "traversal.tar").write_bytes(traversal_tar(tag))
    work = tmp_path / "deep" / "er" / "work"
    work.mkdir()
    out = tmp_path / "deep" / "er" / "out"
    before = files_under(tmp_path)

    run = run_extract([str(folder), "-o", str(out / "events.jsonl")], cwd=work, report=out / "report.json")

    assert run.report is not None, run.stderr
    rejects = read_jsonl(out / "events.jsonl.rejects.jsonl")
    check_report_adds_up(run.report, rejects)
    assert run.code == exit_code_for(run.report) == 7
    by_input: dict[str, list[str]] = {}
    for r in rejects:
        key = Path(r["input"]["path"]).name + ("!" + r["input"]["member"] if r["input"].get("member") else "")
        by_input.setdefault(key, []).append(r["reason"])
    for bomb_name in ("zeros.txt.gz", "bomb.zip", "nested.zip", "bomb.tar.gz"):
        assert by_input[bomb_name] == ["too_large"], (bomb_name, by_input)
    assert by_input["blank.jsonl.gz"] == ["empty", "too_large"]
    bomb_detail = next(r["detail"] for r in rejects if r["input"]["path"].endswith("zeros.txt.gz"))
    assert "max_expansion_ratio" in bomb_detail
    for name in traversal_names(tag):
        assert by_input[f"traversal.zip!{name}"] == ["empty"]
        assert by_input[f"traversal.tar!{name}"] == ["empty"]
    assert by_input["traversal.tar!passwd.txt"] == ["not_a_file"]
    assert by_input["traversal.tar!hard.txt"] == ["not_a_file"]

    created = {str(p) for p in files_under(tmp_path) - before}
    # The checkpoint is removed when the run finishes (nothing left to resume).
    assert created == {f"deep/er/out/{n}" for n in ("events.jsonl", "events.jsonl.rejects.jsonl", "report.json")}
    assert not list(Path("/tmp").glob(f"evil-{tag}*")), "an archive member was written outside the outputs"
    assert run.peak_rss_mb < RSS_NO_MODEL_MB, run.peak_rss_mb


def test_expansion_limits_are_configurable(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    # 30 MB of blank lines compresses about 1000x: past the default ratio, within a raised one.
    (folder / "big.jsonl.gz").write_bytes(zeros_gzip(30 * MB, b" " * 999 + b"\n"))
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "cfg.yaml").write_text("ingest:\n  max_expansion_ratio: 100000\n")
    strict = run_extract([str(folder), "-o", str(tmp_path / "a.jsonl")], cwd=work, report=tmp_path / "a.json")
    assert strict.report is not None and strict.report["rejected_by_reason"] == {"too_large": 1}
    loose = run_extract(
        [str(folder), "-o", str(tmp_path / "b.jsonl"), "--config", str(tmp_path / "cfg.yaml")],
        cwd=work,
        report=tmp_path / "b.json",
    )
    assert loose.report is not None and loose.report["read"] == 0 and loose.code == 0, loose.stderr


@pytest.mark.parametrize("fmt", ["jsonl", "txt"])
def test_twenty_megabyte_article_is_rejected_without_blowing_memory(tmp_path: Path, fmt: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = ARTICLE * (20 * MB // len(ARTICLE))
    if fmt == "jsonl":
        (folder / "big.jsonl").write_text(json.dumps({"id": "big", "text": text}) + "\n", encoding="utf-8")
    else:
        (folder / "big.txt").write_text(text, encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    run = run_extract([str(folder), "-o", str(tmp_path / "out.jsonl")], cwd=work, report=tmp_path / "r.json")
    assert run.report is not None and run.report["rejected_by_reason"] == {"too_long": 1}, run.stderr
    assert run.code == 7
    (reject,) = read_jsonl(tmp_path / "out.jsonl.rejects.jsonl")
    assert "nlp.max_chars" in reject["detail"] and "on_too_long" in reject["detail"]
    assert run.peak_rss_mb < 350, run.peak_rss_mb


def test_file_over_max_item_bytes_is_not_read_whole(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    with (folder / "huge.txt").open("wb") as fh:
        fh.truncate(3_000 * MB)  # sparse: 3 GB of NUL that costs no disk
    (folder / "oneline.jsonl").write_bytes(b"x" * (60 * MB))  # one line, no newline
    work = tmp_path / "work"
    work.mkdir()
    run = run_extract([str(folder), "-o", str(tmp_path / "out.jsonl")], cwd=work, report=tmp_path / "r.json")
    assert run.report is not None and run.report["rejected_by_reason"] == {"too_large": 2}, run.stderr
    assert run.peak_rss_mb < RSS_NO_MODEL_MB, run.peak_rss_mb


@pytest.mark.slow
def test_twenty_megabyte_article_is_truncated_when_configured(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = ARTICLE * (20 * MB // len(ARTICLE))
    (folder / "big.jsonl").write_text(json.dumps({"id": "big", "text": text}) + "\n", encoding="utf-8")
    (tmp_path / "cfg.yaml").write_text("nlp:\n  max_chars: 2000\n  on_too_long: truncate\n")
    work = tmp_path / "work"
    work.mkdir()
    out = tmp_path / "out"
    run = run_extract(
        [
            str(folder),
            "-o",
            str(out / "e.jsonl"),
            "--documents",
            str(out / "d.jsonl"),
            "--config",
            str(tmp_path / "cfg.yaml"),
        ],
        cwd=work,
        report=tmp_path / "r.json",
    )
    assert run.code == 0 and run.report is not None and run.report["processed"] == 1, run.stderr
    (doc,) = read_jsonl(out / "d.jsonl")
    assert len(doc["text"]) == 2000 and doc["metadata"]["truncated_from"] == len(text)
    check_records(read_jsonl(out / "e.jsonl"), [doc])
    assert run.peak_rss_mb < RSS_WITH_MODEL_MB, run.peak_rss_mb


def test_yaml_config_with_python_tags_is_refused(tmp_path: Path) -> None:
    marker = tmp_path / f"pwned-{uuid.uuid4().hex[:8]}"
    bad = tmp_path / "cfg.yaml"
    bad.write_text(f"nlp: !!python/object/apply:os.system ['touch {marker}']\n")
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": ARTICLE}) + "\n")
    work = tmp_path / "work"
    work.mkdir()
    run = run_extract([str(tmp_path / "a.jsonl"), "-o", str(tmp_path / "o.jsonl"), "--config", str(bad)], cwd=work)
    assert run.code == 2 and "not valid YAML" in run.stderr
    assert not marker.exists()
    assert not (tmp_path / "o.jsonl").exists()


def test_decompress_limits_do_not_stop_ordinary_archives(tmp_path: Path) -> None:
    """A normal gzip (ratio well under 100) of many small rejected lines is read to the end."""
    folder = tmp_path / "in"
    folder.mkdir()
    lines = b"".join(json.dumps({"text": f"{i}"}).encode() + b"\n" for i in range(20_000))
    (folder / "many.jsonl.gz").write_bytes(gzip.compress(lines))
    work = tmp_path / "work"
    work.mkdir()
    run = run_extract([str(folder), "-o", str(tmp_path / "o.jsonl")], cwd=work, report=tmp_path / "r.json")
    assert run.report is not None and run.report["rejected_by_reason"] == {"empty": 20_000}, run.stderr
