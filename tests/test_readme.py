"""The Python example in README.md runs as written (real model)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.mark.slow
def test_readme_python_examples_run(capsys: pytest.CaptureFixture[str]) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    assert blocks, "README.md has no python example"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "arrest arrested 2021-02-28" in out


def layout_entries() -> set[str]:
    """The modules and packages README's Layout section lists under ``pipeline/``."""
    text = README.read_text(encoding="utf-8")
    block = text.split("## Layout", 1)[1].split("```", 2)[1]
    entries = set()
    inside = False
    for line in block.splitlines():
        if line.startswith("pipeline/"):
            inside = True
            continue
        if inside and not line.startswith(" "):
            break
        if inside and re.match(r"  \S", line):
            entries.add(line.split()[0])
    return entries


def test_readme_layout_matches_the_package() -> None:
    package = README.parent / "pipeline"
    tree = {p.name + ("/" if p.is_dir() else "") for p in package.iterdir() if not p.name.startswith("__")}
    tree = {name for name in tree if name.endswith((".py", "/"))}
    assert layout_entries() == tree
