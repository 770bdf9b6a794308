"""The shape of the code as rules: layers import downwards, no cycles, small modules.

Layers, lowest first (a module may import from its own layer or any layer below):

0 library      jobfair.matching: pure Python + jieba + scikit-learn
1 foundation   config, extensions, database, errors, events, ids, masking, reference data,
               validation, transactions
2 models       jobfair.models.*, and formatting (labels of model values)
3 core         services every feature builds on: accounts and sessions, employers, positions
               and search, seekers, applications, fairs, notifications, audit, moderation,
               and the socket emit helpers (live.realtime, live.presence)
4 features     notifications' texts, recommendations, case work, reports, channels, the live
               layer's services, organiser work, demo data
5 interfaces   views, the JSON API, Socket.IO namespaces, Jinja helpers, CLI commands
6 factory      jobfair (create_app), jobfair.cli

Features reach each other sideways or through jobfair.events, never upwards.
"""

import ast
from pathlib import Path

import pytest

import jobfair

PACKAGE = Path(jobfair.__file__).resolve().parent
MAX_LINES = 800

LAYERS = ["library", "foundation", "models", "core", "features", "interfaces", "factory"]

# Most specific prefix wins. Names are module paths relative to "jobfair.".
RULES = {
    "matching": "library",
    "config": "foundation",
    "extensions": "foundation",
    "database": "foundation",
    "errors": "foundation",
    "events": "foundation",
    "ids": "foundation",
    "masking": "foundation",
    "reference": "foundation",
    "occupations": "core",
    "validation": "foundation",
    "crypto": "foundation",
    "transactions": "foundation",
    "models": "models",
    "formatting": "models",
    "security": "core",
    "audit": "core",
    "moderation": "core",
    "auth": "core",
    "employers": "core",
    "positions": "core",
    "positions.subscribers": "features",
    "jobs": "core",
    "seekers": "core",
    "display": "core",
    "applications": "core",
    "fairs": "core",
    "notifications": "core",
    "notifications.texts": "features",
    "notifications.subscribers": "features",
    "live.realtime": "core",
    "live.presence": "core",
    "live": "features",
    "recommendations": "features",
    "casework": "features",
    "casework.record_views": "interfaces",
    "reports": "features",
    "channels": "features",
    "alerts": "features",
    "interviews": "features",
    "gigs": "features",
    "onsite": "features",
    "policies": "features",
    "training": "features",
    "startups": "features",
    "organiser": "features",
    "main": "features",
    "seeding": "features",
    "templating": "interfaces",
    "api": "interfaces",
    "live.namespaces": "interfaces",
    "cli": "factory",
    "": "factory",
}
# Per-package modules that are entry points whatever the package's layer (and `demo`
# modules, which sit with the features).
INTERFACE_MODULES = {"views", "commands", "cli"}


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(name: str) -> str:
    rel = name.removeprefix("jobfair").removeprefix(".")
    last = rel.rsplit(".", 1)[-1]
    if "." in rel and last in INTERFACE_MODULES:
        return "interfaces"
    if "." in rel and last == "demo":
        return "features"  # demo data builds on a package's services, like a feature
    if rel == "cli":
        return "factory"
    best = ""
    for prefix in RULES:
        if prefix and (rel == prefix or rel.startswith(prefix + ".")) and len(prefix) > len(best):
            best = prefix
    return RULES[best]


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def _resolve(node: ast.ImportFrom, current: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = current.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(name: str, path: Path, known: dict) -> list[tuple[str, int, bool]]:
    """(imported jobfair module, line, inside a function) for every import in the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name in known:
                        found.append((alias.name, child.lineno, in_function))
            elif isinstance(child, ast.ImportFrom):
                base = _resolve(child, name, path.name == "__init__.py")
                for alias in child.names:
                    target = f"{base}.{alias.name}"
                    target = target if target in known else base
                    if target in known and target != name:
                        found.append((target, child.lineno, in_function))
            visit(child, nested)

    visit(tree, False)
    return found


def _own_submodule(name: str, target: str) -> bool:
    """A package importing its own submodules is wiring, not a dependency."""
    return target.startswith(name + ".")


def graph() -> dict[str, set[str]]:
    known = modules()
    edges: dict[str, set[str]] = {}
    for name, path in known.items():
        edges[name] = set()
        if layer_of(name) == "factory":
            continue  # the factory wires everything together by design
        for target, _line, _in_function in imports_of(name, path, known):
            if not _own_submodule(name, target):
                edges[name].add(target)
    return edges


def test_every_module_has_a_layer_and_the_map_names_real_modules():
    known = modules()
    assert all(layer_of(n) in LAYERS for n in known)
    for prefix in RULES:
        if prefix:
            assert any(
                n == f"jobfair.{prefix}" or n.startswith(f"jobfair.{prefix}.") for n in known
            ), f"RULES names jobfair.{prefix}, which does not exist"


def test_no_module_imports_a_higher_layer():
    known = modules()
    upward = []
    for name, path in known.items():
        here = LAYERS.index(layer_of(name))
        for target, line, _ in imports_of(name, path, known):
            if _own_submodule(name, target):
                continue
            there = LAYERS.index(layer_of(target))
            if there > here:
                upward.append(
                    f"{path.relative_to(PACKAGE.parent)}:{line} {name} ({LAYERS[here]}) "
                    f"imports {target} ({LAYERS[there]})"
                )
    assert not upward, "upward imports:\n" + "\n".join(upward)


def test_no_import_cycles():
    edges = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def strongconnect(v):  # Tarjan's strongly connected components, iteratively deep enough
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            strongconnect(v)
    assert not cycles, "import cycles:\n" + "\n".join(" ↔ ".join(c) for c in cycles)


def test_no_function_level_imports_outside_the_factory():
    """An import inside a function is how a cycle gets dodged; only the factory wires lazily."""
    known = modules()
    hidden = []
    for name, path in known.items():
        if layer_of(name) == "factory":
            continue
        for target, line, in_function in imports_of(name, path, known):
            if in_function and not _own_submodule(name, target):
                hidden.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}")
    assert not hidden, "function-level imports:\n" + "\n".join(hidden)


def test_nothing_is_optional():
    guarded = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                names = {n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)}
                if names & {"ImportError", "ModuleNotFoundError"}:
                    guarded.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert not guarded, "features made optional with except ImportError:\n" + "\n".join(guarded)


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_modules_are_readable_in_one_sitting(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE.parent)} has {lines} lines"


def test_the_rules_catch_what_they_claim():
    # Fixtures for the checker itself, so that a broken checker cannot pass everything.
    assert layer_of("jobfair.live.views") == "interfaces"
    assert layer_of("jobfair.live.desk") == "features"
    assert layer_of("jobfair.live.realtime") == "core"
    assert layer_of("jobfair.applications.services") == "core"
    assert layer_of("jobfair.matching.text") == "library"
    assert layer_of("jobfair") == "factory"
    known = modules()
    found = {(t, f) for t, _l, f in imports_of("jobfair.events", known["jobfair.events"], known)}
    assert ("jobfair.extensions", False) in found  # a module-level import is seen as one
