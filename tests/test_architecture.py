"""The library's layers: no import loop, and no import from a lower layer to a higher one.

Every import counts, at the top of a module or inside a function (an import moved into
a function to dodge a loop is still a loop), and so do imports under TYPE_CHECKING.
The layers, from the ground floor up (README, "What is where"):
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "d2i_examples"

#: Each layer may import the layers below it; the rooms of one layer are independent
#: of each other (synth does not import tools, nor tools synth).
LAYERS: list[set[str]] = [
    {"", "_nbformat_import", "errors", "paths", "outputs"},
    {"spec"},
    {"settings"},
    {"datasets"},
    {"synth", "tools"},
    {"indicators", "ssd"},  # ssd: builds the SSD from the simulation (synth) and reads it
    {"charts", "tables"},
    {"runner"},
    {"own_data"},
    {"book"},
    {"cli"},
]
__doc__ += "\n".join(f"    {n}: {', '.join(sorted(r or '(package root)' for r in rooms))}"
                     for n, rooms in enumerate(LAYERS))


def modules(src: Path = SRC) -> dict[str, Path]:
    """Every module of the package, by dotted name (a package by its own name)."""
    found = {}
    for path in sorted((src / PACKAGE).rglob("*.py")):
        parts = path.relative_to(src).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that module ``name`` imports, wherever the import stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([node.module] if node.module else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            # `import a.b.c` also runs a and a.b: count the deepest module named
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph(src: Path = SRC) -> dict[str, set[str]]:
    """{module: the package's modules it imports}, package roots left out as targets
    when a module of the same package imports them (a package's face is not a loop)."""
    known = modules(src)
    return {name: imports(name, path, known) for name, path in known.items()}


def room(module: str) -> str:
    """The top-level room a module belongs to: 'datasets' for d2i_examples.datasets.years."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def layer_of(module: str) -> int | None:
    return next((n for n, rooms in enumerate(LAYERS) if room(module) in rooms), None)


def loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import loops: strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            # a package's __init__ re-exporting its own modules is its face, not a loop
            if node.startswith(other + "."):
                continue
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def upward(graph: dict[str, set[str]]) -> list[str]:
    """Imports that run from a lower layer to a higher one, or between rooms of one layer."""
    wrong = []
    for module, targets in sorted(graph.items()):
        here = layer_of(module)
        for target in sorted(targets):
            there = layer_of(target)
            if here is None or there is None or room(target) == room(module):
                continue
            if there > here or (there == here and room(target) != room(module) and here):
                wrong.append(f"{module} (layer {here}) imports {target} (layer {there})")
    return wrong


def test_every_room_has_a_layer():
    rooms = {room(m) for m in modules()}
    assert sorted(r for r in rooms if layer_of(f"{PACKAGE}.{r}" if r else PACKAGE) is None) == []


def test_no_import_loop():
    assert loops(import_graph()) == []


def test_no_import_runs_back_up():
    assert upward(import_graph()) == []


# --- the checks themselves, on a hand-made package -------------------------------------


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / PACKAGE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_a_loop_hidden_inside_a_function_is_found(tmp_path):
    src = _package(tmp_path, {
        "__init__.py": "",
        "datasets/__init__.py": "",
        "datasets/a.py": "from d2i_examples.datasets.b import x\n",
        "datasets/b.py": "def x():\n    from d2i_examples.datasets import a\n",
    })
    assert loops(import_graph(src)) == [["d2i_examples.datasets.a", "d2i_examples.datasets.b"]]


def test_a_package_face_is_not_a_loop(tmp_path):
    src = _package(tmp_path, {
        "__init__.py": "",
        "charts/__init__.py": "from d2i_examples.charts.base import show\n",
        "charts/base.py": "def show(): ...\n",
        "charts/ehcp.py": "from d2i_examples.charts.base import show\n",
    })
    assert loops(import_graph(src)) == []


@pytest.mark.parametrize(("importer", "text", "wrong"), [
    ("datasets/load.py", "from d2i_examples.own_data.run import x\n", True),
    ("runner/__init__.py", "from d2i_examples.own_data import outputs\n", True),
    ("tools/v.py", "from d2i_examples.synth.ssda903 import EXCUSED\n", True),
    ("own_data/run.py", "from d2i_examples.runner import run_notebooks\n", False),
    ("datasets/load.py", "from d2i_examples.settings.model import mapping_for\n", False),
])
def test_an_import_up_or_across_is_found(tmp_path, importer, text, wrong):
    src = _package(tmp_path, {"__init__.py": "", importer: text})
    for target in ("own_data/run.py", "own_data/__init__.py", "runner/__init__.py",
                   "synth/ssda903.py", "settings/model.py"):
        if not (src / PACKAGE / target).exists():
            (src / PACKAGE / target).parent.mkdir(parents=True, exist_ok=True)
            (src / PACKAGE / target).write_text("")
    assert bool(upward(import_graph(src))) is wrong
