"""The layout's rules, measured from the source: no import circle between the modules of geodata/ and
dashboard/ (imports inside functions and under TYPE_CHECKING count too), no crash switch read from the
environment in shipped code, bench/ importing nothing from tests/, no function over 80 lines in geodata/ (text/
included) or dashboard/, at most 12 modules at the top of each package and only the settings reading the environment
in geodata/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("geodata", "dashboard")


def module_name(path: Path, root: Path = REPO) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path, name: str) -> set[str]:
    """Every module ``path`` imports anywhere in its body, as dotted names (relative imports resolved)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from pkg import module`
    return found


def import_graph(root: Path = REPO, packages: tuple[str, ...] = PACKAGES) -> dict[str, set[str]]:
    """Module -> the modules of ``packages`` it imports (a package's own submodules do not count as its parent)."""
    files = {module_name(p, root): p for package in packages for p in sorted((root / package).rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        targets = {t for t in imported_names(path, name) if t in files and t != name}
        graph[name] = {t for t in targets if not name.startswith(t + ".")}  # importing a submodule runs its parent
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_sees_a_circle_through_a_function_level_import(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg.b import thing\n")
    (package / "b.py").write_text("def thing():\n    from pkg import a\n    return a\n")
    (package / "c.py").write_text("from . import a\n")
    graph = import_graph(tmp_path, ("pkg",))
    assert graph["pkg.c"] == {"pkg.a"}
    assert cycles(graph) == [["pkg.a", "pkg.b"]]


@pytest.mark.parametrize("package", ["geodata.places", "geodata", "dashboard"])
def test_no_import_circle(package: str) -> None:
    graph = import_graph()
    assert graph, "no modules found"
    circles = [c for c in cycles(graph) if any(m == package or m.startswith(package + ".") for m in c)]
    assert circles == [], f"import circles: {circles}"


def test_no_crash_switch_in_shipped_code() -> None:
    shipped = [p for package in PACKAGES for p in (REPO / package).rglob("*.py")]
    offenders = [str(p.relative_to(REPO)) for p in shipped if "CRASH_AT" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_bench_imports_nothing_from_tests() -> None:
    offenders = [str(p.relative_to(REPO)) for p in sorted((REPO / "bench").rglob("*.py"))
                 if any(n == "tests" or n.startswith("tests.") for n in imported_names(p, module_name(p)))]
    assert offenders == []


MAX_FUNCTION_LINES = 80


def long_functions(paths: list[Path]) -> list[str]:
    """Every function (nested ones too) in ``paths`` longer than MAX_FUNCTION_LINES, as ``file:line name (n lines)``."""
    long = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name} ({lines} lines)")
    return long


def test_no_function_over_80_lines_in_geodata() -> None:
    """All of geodata/, its sub-packages (the text reader in geodata/text/ too) included."""
    assert long_functions(sorted((REPO / "geodata").rglob("*.py"))) == []


def test_no_function_over_80_lines_in_the_dashboard() -> None:
    assert long_functions(sorted((REPO / "dashboard").rglob("*.py"))) == []


def top_modules(package: str) -> list[str]:
    """The modules at the top of ``package``, not counting ``__init__`` and ``__main__``."""
    skip = {"__init__.py", "__main__.py"}
    return sorted(p.name for p in (REPO / package).glob("*.py") if p.name not in skip)


@pytest.mark.parametrize("package", ["geodata", "dashboard"])
def test_at_most_12_modules_at_the_top_of_a_package(package: str) -> None:
    assert len(top_modules(package)) <= 12, top_modules(package)


def test_only_the_settings_read_the_environment_in_geodata() -> None:
    readers = [str(p.relative_to(REPO)) for p in sorted((REPO / "geodata").rglob("*.py"))
               if p.name != "settings.py" and any(word in p.read_text(encoding="utf-8")
                                                   for word in ("os.environ", "getenv("))]
    assert readers == []


def test_no_module_builds_anything_on_attribute_access() -> None:
    """A module-level ``__getattr__`` (PEP 562) hides work behind a name: the dashboard's app is built by calling
    ``create_app`` or ``server_from_env``, never by reading ``dashboard.app.server``."""
    offenders = [str(p.relative_to(REPO)) for p in sorted((REPO / "dashboard").rglob("*.py"))
                 if any(isinstance(node, ast.FunctionDef) and node.name == "__getattr__"
                        for node in ast.parse(p.read_text(encoding="utf-8")).body)]
    assert offenders == []
