"""scripts/check_imports.py on tiny synthetic packages: it finds cycles, and it passes on pipeline/."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "check_imports.py"


def load_script() -> ModuleType:
    """Import the script as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("check_imports", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_package(root: Path, files: dict[str, str]) -> Path:
    """Write a package ``pkg`` under ``root`` from {relative path: source}."""
    package = root / "pkg"
    for name, source in {"__init__.py": "", **files}.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return package


def run(package: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(package)], capture_output=True, text=True, check=False, cwd=ROOT
    )


def test_a_cycle_through_a_function_level_import_is_found(tmp_path: Path) -> None:
    package = make_package(
        tmp_path,
        {
            "a.py": "from pkg.b import f\n",
            "b.py": "def f():\n    from pkg import a\n    return a\n",
            "c.py": "import pkg.a\n",
        },
    )
    result = run(package)
    assert result.returncode == 1
    assert "import cycle: pkg.a -> pkg.b -> pkg.a" in result.stdout
    assert "1 import cycles" in result.stdout


def test_relative_imports_and_subpackages_are_resolved(tmp_path: Path) -> None:
    package = make_package(
        tmp_path,
        {
            "sub/__init__.py": "",
            "sub/x.py": "from ..y import g\n",
            "y.py": "from .sub import x\n",
        },
    )
    result = run(package)
    assert result.returncode == 1
    assert "import cycle: pkg.sub.x -> pkg.y -> pkg.sub.x" in result.stdout


def test_type_checking_imports_do_not_count(tmp_path: Path) -> None:
    package = make_package(
        tmp_path,
        {
            "a.py": "from pkg.b import f\n",
            "b.py": (
                "from typing import TYPE_CHECKING\n"
                "import typing\n"
                "if TYPE_CHECKING:\n    from pkg.a import A\n"
                "if typing.TYPE_CHECKING:\n    import pkg.a\n"
                "def f(): ...\n"
            ),
        },
    )
    result = run(package)
    assert result.returncode == 0, result.stdout
    assert "no import cycle" in result.stdout


def test_every_elementary_cycle_is_listed_once() -> None:
    script = load_script()
    graph = {"a": {"b", "c"}, "b": {"a", "c"}, "c": {"a"}, "d": {"a"}}
    assert script.find_cycles(graph) == [["a", "b"], ["a", "b", "c"], ["a", "c"]]


def test_not_a_package_is_a_usage_error(tmp_path: Path) -> None:
    assert run(tmp_path).returncode == 2


def test_the_pipeline_package_has_no_import_cycle() -> None:
    result = run(ROOT / "pipeline")
    assert result.returncode == 0, result.stdout
    assert "no import cycle" in result.stdout
