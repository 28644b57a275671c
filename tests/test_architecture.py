"""The layout rules a reader relies on, checked on the source: no import cycle in analysis/ and
tui/, the dashboard screen sees the app only through its protocol, and no file over 400 lines or
function over 80 (product code: analysis/ and tui/).

Every import counts towards a cycle: module level, ``if TYPE_CHECKING`` blocks (a type-only cycle
still ties two modules together for a reader) and imports inside functions (deferred for start-up
time, but still a dependency), plus ``importlib.import_module("literal")``. An import of
``a.b.c`` is an edge to ``a.b.c`` (and to ``a.b`` when ``c`` is a name in it, not a module).
"""

import ast
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from analysis.config import Config
from tests.frozen_feed import FrozenFeed
from tui.screens.host import DashboardHost

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("analysis", "tui")

KNOWN_CYCLES: dict[frozenset[str], str] = {}
"""Cycles that are being removed elsewhere, each with the reason it is still here. Keep it short."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


def imported_names(path: Path, name: str) -> Iterator[str]:
    """Every module (or module.attribute) ``path`` imports, wherever the import statement is."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)
        elif (isinstance(node, ast.Call) and ast.unparse(node.func).endswith("import_module")
              and node.args and isinstance(node.args[0], ast.Constant)):
            yield str(node.args[0].value)


def import_graph() -> dict[str, set[str]]:
    modules = all_modules()
    return {name: {m for m in imported_names(path, name) if m in modules and m != name}
            for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_cycle_finder_sees_a_cycle_through_a_function_level_import():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [frozenset({"a", "b", "c"})]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_import_graph_sees_relative_deferred_and_type_only_imports():
    graph = import_graph()
    assert "tui.commands.args" in graph["tui.commands.scan"]  # module level
    assert "tui.screens.host" in graph["tui.screens.dashboard"]
    assert "tui.screens.help" in graph["tui.app"]  # inside a method
    assert "analysis.config" in graph["tui.app"]  # under TYPE_CHECKING


def test_analysis_and_tui_have_no_import_cycle():
    found = cycles(import_graph())
    assert [sorted(c) for c in found if c not in KNOWN_CYCLES] == [], "import cycles"
    assert [sorted(c) for c in KNOWN_CYCLES if c not in found] == [], "gone: drop from KNOWN_CYCLES"


def test_the_commands_never_import_the_command_line_entry():
    graph = import_graph()
    for name, imports in graph.items():
        if name.startswith("tui.commands."):
            assert "tui.cli" not in imports, name


def test_the_app_is_what_the_dashboard_screen_expects_of_its_host():
    from tui.app import BasewatchApp

    config = Config()
    app = BasewatchApp(config, lambda: FrozenFeed(config), auto_refresh=False,
                       now=lambda: datetime(2025, 12, 9, 21, 30, tzinfo=UTC))
    assert isinstance(app, DashboardHost)


def host_members() -> set[str]:
    tree = ast.parse((ROOT / "tui" / "screens" / "host.py").read_text(encoding="utf-8"))
    protocol = next(n for n in tree.body
                    if isinstance(n, ast.ClassDef) and n.name == "DashboardHost")
    names = {n.target.id for n in protocol.body if isinstance(n, ast.AnnAssign)}
    return names | {n.name for n in protocol.body if isinstance(n, ast.FunctionDef)}


def test_the_dashboard_screen_uses_only_what_the_host_protocol_names():
    """``self.app.X`` (or ``app.X`` after ``app = self.app``) in the screen: X is a member of the
    protocol."""
    tree = ast.parse((ROOT / "tui" / "screens" / "dashboard.py").read_text(encoding="utf-8"))
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and ast.unparse(node.value) in ("self.app", "app"):
            used.add(node.attr)
    assert used, "the screen reads nothing of the app? the check is looking at the wrong file"
    assert used - host_members() == set()


MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 80
SIZE_EXCEPTIONS: dict[tuple[str, str], str] = {}
"""(file, function; "" for the file's own length) over a limit, each with the reason. Short."""


def oversized() -> set[tuple[str, str]]:
    found = set()
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            text = path.read_text(encoding="utf-8")
            if len(text.splitlines()) > MAX_FILE_LINES:
                found.add((name, ""))
            for node in ast.walk(ast.parse(text)):
                if (isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES):
                    found.add((name, node.name))
    return found


def test_no_file_over_400_lines_and_no_function_over_80():
    found = oversized()
    assert sorted(found - set(SIZE_EXCEPTIONS)) == []
    stale = sorted(set(SIZE_EXCEPTIONS) - found)
    assert stale == [], f"no longer over the limit: remove from SIZE_EXCEPTIONS: {stale}"
