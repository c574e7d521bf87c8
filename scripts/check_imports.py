"""List the import cycles among the modules of a package (default: ``pipeline/``); exit 1 if any.

Usage: ``python scripts/check_imports.py [PACKAGE_DIR]``. ``make test`` runs it.

The graph is built from the import statements of every module, read with :mod:`ast`
(nothing is imported or run):

- every ``import`` and ``from ... import`` counts, at module level and inside functions:
  a function-level import that closes a circle is still a circle, only a later one;
- imports under ``if TYPE_CHECKING:`` do not count: they never run, and they are the
  usual way for a module to name another's types in annotations without importing it;
- ``from pkg import name`` is an edge to the module ``pkg.name`` when there is one, else
  to ``pkg``; ``import a.b.c`` is an edge to ``a.b.c`` (or its longest prefix that is a
  module); relative imports are resolved against the importing module's package;
- only modules inside the package are nodes, and the implicit import of a parent
  package's ``__init__`` is not an edge (every submodule has one, and it is not a choice
  the code makes).
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

#: Cycles printed at most (the count is always printed).
MAX_CYCLES_SHOWN = 200


def module_names(package_dir: Path) -> dict[str, Path]:
    """Return ``{dotted module name: file}`` for every ``.py`` file under ``package_dir``.

    Args:
        package_dir: the package's directory; its name is the top-level package name.
    """
    root = package_dir.resolve()
    modules: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = [root.name, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    """True for ``TYPE_CHECKING`` and ``typing.TYPE_CHECKING`` (any module alias)."""
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Yield every import statement of a module, skipping ``if TYPE_CHECKING:`` bodies (not their ``else``)."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
            continue
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def _resolve_from(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """Return the absolute module name a ``from`` import reads from."""
    if node.level == 0:
        return node.module or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _known_prefix(name: str, modules: dict[str, Path]) -> str | None:
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        candidate = ".".join(parts[:n])
        if candidate in modules:
            return candidate
    return None


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Return ``{module: modules it imports}`` among ``modules`` (see the module docstring for the rules)."""
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        for node in _imports(tree):
            targets: list[str | None] = []
            if isinstance(node, ast.Import):
                targets = [_known_prefix(alias.name, modules) for alias in node.names]
            else:
                source = _resolve_from(name, is_package, node)
                for alias in node.names:
                    sub = f"{source}.{alias.name}"
                    targets.append(sub if sub in modules else _known_prefix(source, modules))
            graph[name].update(t for t in targets if t is not None and t != name)
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return every elementary cycle of ``graph``, each starting at its smallest module name.

    Args:
        graph: module -> imported modules.

    Returns:
        Cycles as module lists (the first module is not repeated at the end), sorted.
    """
    cycles: list[list[str]] = []
    nodes = sorted(graph)
    for start in nodes:
        # Only cycles whose smallest node is ``start``: each cycle is found once.
        allowed = {n for n in nodes if n >= start}
        path = [start]
        on_path = {start}
        iters = [iter(sorted(graph[start] & allowed))]
        while iters:
            nxt = next(iters[-1], None)
            if nxt is None:
                iters.pop()
                on_path.discard(path.pop())
                continue
            if nxt == start:
                cycles.append(list(path))
            elif nxt not in on_path:
                path.append(nxt)
                on_path.add(nxt)
                iters.append(iter(sorted(graph[nxt] & allowed)))
    return sorted(cycles)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the import cycles of a package; return 1 when there is one, else 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", nargs="?", default="pipeline", type=Path, help="package directory (pipeline)")
    args = parser.parse_args(argv)
    if not (args.package / "__init__.py").is_file():
        print(f"check_imports: {args.package} is not a package directory (no __init__.py).", file=sys.stderr)
        return 2
    modules = module_names(args.package)
    graph = import_graph(modules)
    cycles = find_cycles(graph)
    edges = sum(len(targets) for targets in graph.values())
    for cycle in cycles[:MAX_CYCLES_SHOWN]:
        print("import cycle: " + " -> ".join([*cycle, cycle[0]]))
    if len(cycles) > MAX_CYCLES_SHOWN:
        print(f"... and {len(cycles) - MAX_CYCLES_SHOWN} more")
    verdict = f"{len(cycles)} import cycles" if cycles else "no import cycle"
    print(f"{args.package.name}: {len(modules)} modules, {edges} imports between them, {verdict}")
    return 1 if cycles else 0


if __name__ == "__main__":
    raise SystemExit(main())
