"""The import graph keeps its layers: eligibility is policy only, and no module cycles.

The imports are read with ``ast`` from the source (imports inside functions included, so a
cycle cannot hide behind a late import). Imports under ``if TYPE_CHECKING:`` are left out:
they are type names for the checker and never run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("applications", "eligibility", "portal")

# Cycles that cannot be broken, each with its reason. Keep it empty.
ALLOWED_CYCLES: dict[frozenset[str], str] = {}
# Applications modules eligibility may still import, each with its reason.
ALLOWED_UPWARD: dict[str, str] = {}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue  # generated; they import models only
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from (n for child in node.orelse for n in _imports_in(child))
            continue
        yield from _imports_in(node)


def _imports_in(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    else:
        yield from _imports(node)


def _targets(module: str, path: Path, node: ast.Import | ast.ImportFrom, known: set[str]) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            name = alias.name
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name:
                yield name
        return
    base = node.module or ""
    if node.level:
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    for alias in node.names:
        if f"{base}.{alias.name}" in known:
            yield f"{base}.{alias.name}"  # a submodule: `from applications import sections`
        elif base in known:
            yield base


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        graph[name] = {t for node in _imports(tree) for t in _targets(name, path, node, known) if t != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
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
                    found.append(sorted(component))
    return found


def test_eligibility_imports_nothing_from_applications():
    graph = import_graph()
    upward = sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        if module.split(".")[0] == "eligibility"
        for target in targets
        if target.split(".")[0] == "applications" and target not in ALLOWED_UPWARD
    )
    assert upward == [], "eligibility is policy only (docs/architecture.md); move the code or use eligibility.hooks"


def test_the_project_has_no_import_cycles():
    cycles = [c for c in _cycles(import_graph()) if frozenset(c) not in ALLOWED_CYCLES]
    assert cycles == [], "break each cycle: register effects/providers instead of importing upwards"


def _restated_state_groups(tree: ast.AST) -> list[int]:
    """Lines with a literal tuple, list or set of two or more ``State.X``."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            members = [
                e
                for e in node.elts
                if isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name) and e.value.id == "State"
            ]
            if len(members) >= 2:
                lines.append(node.lineno)
    return lines


# Modules that may still spell out groups of states, each with its reason.
ALLOWED_STATE_LISTS: dict[str, str] = {}


def test_named_groups_of_states_live_next_to_state():
    restated = [
        f"{name}:{line}"
        for name, path in sorted(_modules().items())
        if name != "applications.states" and name not in ALLOWED_STATE_LISTS
        for line in _restated_state_groups(ast.parse(path.read_text()))
    ]
    assert restated == [], "name the group in applications/states.py and import it"


def test_the_checker_sees_cycles_and_imports_inside_functions():
    """The graph reader itself: a late import and a relative one count, TYPE_CHECKING does not."""
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from portal import roles\n"
        "def f():\n    from . import states\n    import applications.workflow\n"
    )
    path = ROOT / "applications" / "x.py"
    known = {"portal.roles", "applications.states", "applications.workflow", "applications"}
    targets = {t for node in _imports(tree) for t in _targets("applications.x", path, node, known)}
    assert targets == {"applications.states", "applications.workflow"}
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _restated_state_groups(ast.parse("x = frozenset({State.A, State.B})\ny = (State.A,)")) == [1]


def _product_codes() -> dict[str, str]:
    """The policy's product codes, ``{"KANDAS_CARD": "kandas_card", ...}``, read from the source."""
    tree = ast.parse((ROOT / "eligibility" / "products.py").read_text())
    product = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Product")
    codes = {}
    for node in product.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple):
            first = node.value.elts[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                codes[node.targets[0].id] = first.value
    return codes


def _product_mentions(tree: ast.AST, codes: dict[str, str]) -> list[int]:
    """Lines that name a product: ``Product.KANDAS_CARD`` or the literal ``"kandas_card"``.

    Outside the product modules a product is never named: a comparison, a membership test,
    a dict keyed by product or a query for one product are all a branch on the product.
    """
    return sorted({node.lineno for node in ast.walk(tree) if _names_a_product(node, codes)})


def _names_a_product(node: ast.AST, codes: dict[str, str]) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr in codes
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in codes.values()


# Modules that may still name a product, each with its reason (migrations are not read).
ALLOWED_PRODUCT_NAMES: dict[str, str] = {
    "eligibility.products": "defines the policy's product codes",
    "eligibility.management.commands.seed_criteria": "seed data: the example criteria set of each product",
    "applications.demo_seed": "seed data: the demo queues, quotas and the mix of products in the demo pool",
}


def test_nothing_outside_the_product_modules_branches_on_a_product():
    codes = _product_codes()
    assert set(codes.values()) >= {"kandas_card", "skills_visa"}
    named = [
        f"{name}:{line}"
        for name, path in sorted(_modules().items())
        if not name.startswith("applications.products") and name not in ALLOWED_PRODUCT_NAMES
        for line in _product_mentions(ast.parse(path.read_text()), codes)
    ]
    assert named == [], "declare it in the product's module (applications/products/) and ask get_product(code)"


def test_no_template_names_a_product():
    codes = set(_product_codes().values())
    named = [
        str(path.relative_to(ROOT))
        for path in sorted(ROOT.glob("**/templates/**/*"))
        if path.is_file() and ".venv" not in path.parts and any(code in path.read_text() for code in codes)
    ]
    assert named == [], "a template shows what the product declares, it does not test which product it is"


def test_the_product_checker_sees_comparisons_lookups_and_literals():
    codes = {"KANDAS_CARD": "kandas_card", "SKILLS_VISA": "skills_visa"}
    source = (
        "if product == Product.KANDAS_CARD:\n    pass\n"
        "ok = app.product in ('skills_visa', 'x')\n"
        "TABLE = {Product.SKILLS_VISA: 3}\n"
        "label = 'Kandas Card'\n"
        "x = app.kandas_card_count\n"
    )
    assert _product_mentions(ast.parse(source), codes) == [1, 3, 4]
