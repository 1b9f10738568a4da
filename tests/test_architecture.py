"""The rule of dependencies (docs/ARCHITECTURE.md): imports point one way, packages form no cycle, and no domain
module reads settings or keeps a module-level cache of domain objects."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Lower layers first; a module may import from its own layer's packages and from lower layers only.
LAYERS: list[set[str]] = [
    {"assistant.config", "assistant.errors", "assistant.privacy", "assistant.storage", "assistant.labels"},
    {"assistant.vocab", "assistant.retrieval", "assistant.untrusted", "assistant.prompts"},
    {"assistant.skills"},
    {"assistant.policy", "assistant.jobs", "assistant.resume"},
    {"assistant.eligibility"},
    {"assistant.market", "assistant.insights", "assistant.staff", "assistant.evaluation", "assistant.accounts"},
    {"assistant.tools"},
    {"assistant.chat"},
    {"assistant.app"},
    {"assistant.mcp"},
    {"assistant.cli", "web"},
]
ENTRY_POINTS = ("assistant.cli", "web", "assistant.app", "assistant.config")


def _modules() -> dict[str, Path]:
    files = [*(REPO / "assistant").rglob("*.py"), *(REPO / "web").rglob("*.py")]
    return {".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__"): p for p in files}


def _package(module: str) -> str:
    for layer in LAYERS:
        for package in layer:
            if module == package or module.startswith(package + "."):
                return package
    raise AssertionError(f"{module} belongs to no layer: add it to LAYERS")


def _level(module: str) -> int:
    package = _package(module)
    return next(i for i, layer in enumerate(LAYERS) if package in layer)


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in {"assistant", "web"}:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] in {"assistant", "web"})
    return {name for name in found if name != "assistant"}  # `from assistant import __version__`


def test_imports_point_from_entry_points_down_to_the_core() -> None:
    upward = []
    for module, path in _modules().items():
        if module == "assistant":
            continue
        for imported in _imports(path):
            if _level(imported) > _level(module):
                upward.append(f"{module} → {imported}")
    assert not upward, "imports against the layer order:\n" + "\n".join(sorted(upward))


def test_packages_form_no_cycle() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in _modules().items():
        if module == "assistant":
            continue
        for imported in _imports(path):
            if _package(imported) != _package(module):
                graph[_package(module)].add(_package(imported))

    def reachable(start: str) -> set[str]:
        seen, todo = set(), list(graph[start])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(graph[node])
        return seen

    cycles = sorted(package for package in list(graph) if package in reachable(package))
    assert not cycles, f"packages in an import cycle: {cycles}"


def test_only_entry_points_read_settings_from_the_environment() -> None:
    readers = [module for module, path in _modules().items()
               if "load_settings(" in path.read_text(encoding="utf-8") and not module.startswith(ENTRY_POINTS)]
    assert not readers, f"domain modules calling load_settings(): {readers}"


def test_no_module_level_caches_of_domain_objects() -> None:
    offenders = []
    for module, path in _modules().items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            target = node.target if isinstance(node, ast.AnnAssign) else (
                node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None)
            value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
            if isinstance(target, ast.Name) and isinstance(value, ast.Dict) and not value.keys \
                    and target.id.startswith("_"):
                offenders.append(f"{module}.{target.id}")  # an empty module-level dict filled at run time
            if isinstance(node, ast.Global):
                offenders.append(f"{module}: global {', '.join(node.names)}")
    assert not offenders, f"module-level caches: {offenders}"
