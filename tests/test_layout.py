"""The generator's layout: one package per stage, imports that run one way, modules and functions
small enough to read. Read from the source with ``ast``; nothing is imported."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

GENERATOR = Path(__file__).resolve().parent.parent / "generator"
STAGES = ("ingest", "recognize", "verify", "package", "publish")
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def module_name(path: Path) -> str:
    """generator/verify/base.py → ``generator.verify.base``; an __init__.py → its package."""
    parts = path.relative_to(GENERATOR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(GENERATOR.rglob("*.py"))
            if "__pycache__" not in p.parts}


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def imported(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The generator modules that ``name`` imports, anywhere in its code (inside functions
    too). ``from a import b`` is an edge to ``a.b`` when that is a module, else to ``a``; a
    package's ``__init__`` is an edge only when the import names the package itself."""
    package = name if is_package(path) else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + [node.module or ""]).strip(".")
            else:
                base = node.module or ""
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in known else base)
    return {m for m in found if m in known and m != name}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imported(name, path, known) for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (``a → b → … → a``) per strongly connected component of more than one module
    (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return [_one_cycle(component, edges) for component in components]


def _one_cycle(component: list[str], edges: dict[str, set[str]]) -> list[str]:
    """The shortest path from the component's first module back to itself (breadth first)."""
    members = set(component)
    start = component[0]
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(edges[node] & members):
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [start, *reversed(path[:-1]), start]
                if child not in came_from:
                    came_from[child] = node
                    following.append(child)
        frontier = following
    raise AssertionError(f"no cycle through {start}")  # pragma: no cover


def functions(path: Path):
    """(qualified name, first line, lines) of every function and method, nested ones too."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))

    def walk(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{prefix}{child.name}"
                yield name, child.lineno, child.end_lineno - child.lineno + 1
                yield from walk(child, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, f"{prefix}{child.name}.")
            else:
                yield from walk(child, prefix)

    yield from walk(tree, "")


def relative(path: Path) -> str:
    return str(path.relative_to(GENERATOR.parent))


# ------------------------------------------------------------------------------ the tests


def test_the_resolver_reads_every_form_of_import(tmp_path):
    """``from .pkg import module``, ``from ..x import name``, ``import generator.x`` and an
    import inside a function each give the edge they name; a package's __init__ is an edge
    only when the import names the package."""
    known = modules()
    assert "generator.verify" in known and "generator.package.codelists" in known
    pipeline = imported("generator.pipeline", known["generator.pipeline"], known)
    assert {"generator.parse", "generator.package.write", "generator"} <= pipeline
    assert "generator.package" not in pipeline  # it names the submodule package.write
    probe = tmp_path / "probe.py"
    probe.write_text("import generator.cache\nfrom .. import records\n"
                     "from ..verify import verify\nfrom .base import mk\n"
                     "def f():\n    from ..ingest import files\n", encoding="utf-8")
    assert imported("generator.verify.probe", probe, known) == {
        "generator.cache", "generator.records", "generator.verify", "generator.verify.base",
        "generator.ingest.files"}
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle():
    found = cycles(graph())
    assert not found, "import cycles among the generator's modules:\n" + "\n".join(
        " → ".join(cycle) for cycle in found)


def test_no_module_over_600_lines():
    long = {relative(p): n for p in modules().values()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_no_function_over_80_lines():
    long = [f"{relative(p)}:{line} {name} ({n} lines)" for p in modules().values()
            for name, line, n in functions(p) if n > MAX_FUNCTION_LINES]
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines:\n" + "\n".join(long)


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_package_says_what_goes_in_and_out(stage):
    init = GENERATOR / stage / "__init__.py"
    assert init.is_file(), f"generator/{stage}/ is not a package"
    docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    assert docstring, f"generator/{stage}/__init__.py has no docstring"


#: modules every stage may import: the shared words, records and numbers, and the atomic
#: file operations (a stage writes its output tree through them)
SHARED = {"generator", "generator.vocabulary", "generator.records", "generator.numbers",
          "generator.atomic"}


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_a_stage_imports_only_the_stages_before_it():
    """One-way pipeline: ingest ← recognize ← verify ← package ← publish. A stage imports its
    own modules, earlier stages and the shared modules, never a later stage nor the build
    (pipeline, parse, cache, cli …) that runs it."""
    wrong = []
    for name, targets in graph().items():
        stage = stage_of(name)
        if stage is None:
            continue
        for target in sorted(targets):
            other = stage_of(target)
            allowed = target in SHARED if other is None else STAGES.index(other) <= STAGES.index(stage)
            if not allowed:
                wrong.append(f"{name} → {target}")
    assert not wrong, "imports against the pipeline's direction:\n" + "\n".join(wrong)


def test_the_readme_table_names_every_module():
    """The README's tables of stages and shared modules match the tree: each stage row lists
    exactly the modules (and subpackages, with a trailing /) of its package, and every
    top-level module of generator/ has a row."""
    readme = (GENERATOR.parent / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| ")]
    for stage in STAGES:
        row = next((r for r in rows if f"`generator/{stage}/`" in r), None)
        assert row is not None, f"README has no row for generator/{stage}/"
        listed = set(row.split(f"`generator/{stage}/` (", 1)[1].split(")", 1)[0].split(", "))
        folder = GENERATOR / stage
        present = {p.stem for p in folder.glob("*.py") if p.stem not in ("__init__", "__main__")}
        present |= {f"{p.name}/" for p in folder.iterdir() if (p / "__init__.py").is_file()}
        assert listed == present, f"generator/{stage}/: README lists {sorted(listed - present)} " \
                                  f"that are not there and misses {sorted(present - listed)}"
    top = {p.name for p in GENERATOR.glob("*.py") if p.stem not in ("__init__", "__main__")}
    missing = sorted(n for n in top if f"`generator/{n}`" not in readme)
    assert not missing, f"top-level modules the README does not describe: {missing}"
