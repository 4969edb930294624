"""The offline portal takes no rule and no label from the toolkit (issue 11, section 1).

A portal built from the toolkit's own code or catalogue would confirm the toolkit's mistakes instead
of catching them, so: every module of automation/stub imports nothing from `automation.` outside
`automation.stub`, and never mentions `selectors` (the catalogue's folder) in its code.
"""

from __future__ import annotations

import ast
from pathlib import Path

import automation.stub

STUB = Path(automation.stub.__file__).parent
MODULES = sorted(STUB.rglob("*.py"))


def imported_modules(tree: ast.AST, module: str) -> list[str]:
    """Every module `tree` imports, with relative imports resolved against `module`."""
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[: -node.level]
                found.append(".".join([*base, node.module] if node.module else base))
            else:
                found.append(node.module or "")
    return found


def module_name(path: Path) -> str:
    parts = path.relative_to(STUB.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_stub_has_modules_to_check() -> None:
    """Guards the two tests below against passing vacuously."""
    assert len(MODULES) > 10 and (STUB / "cas.py") in MODULES


def test_the_stub_imports_nothing_from_the_toolkit() -> None:
    """automation.stub.* may import automation.stub.* and third-party packages, nothing else of automation."""
    offenders = {}
    for path in MODULES:
        name = module_name(path)
        bad = [m for m in imported_modules(ast.parse(path.read_text(), str(path)), name)
               if (m == "automation" or m.startswith("automation.")) and not
               (m == "automation.stub" or m.startswith("automation.stub."))]
        if bad:
            offenders[name] = bad
    assert offenders == {}


def docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes of `tree`: prose that may explain the rule, not code that breaks it."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def words(node: ast.AST) -> str | None:
    """The text a node puts into the program: a string, a name, an attribute, an imported name."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.alias):
        return node.name
    return None


def test_the_stub_never_reads_the_selector_catalogue() -> None:
    """No string, name, attribute or import in the stub's code mentions "selectors" (the catalogue's
    folder, also a standard-library module the portal has no use for); docstrings and comments may."""
    offenders = []
    for path in MODULES:
        tree = ast.parse(path.read_text(), str(path))
        prose = docstrings(tree)
        offenders += [f"{path.name}:{getattr(node, 'lineno', '?')}" for node in ast.walk(tree)
                      if id(node) not in prose and "selectors" in (words(node) or "").lower()]
    assert offenders == []


def test_the_layering_checks_catch_a_violation() -> None:
    """The checks above are not blind: they flag a toolkit import and a catalogue path in sample code."""
    sample = ast.parse('from automation.dates import inactive_from\nopen("selectors/eulogin.toml")\n')
    assert imported_modules(sample, "automation.stub.x") == ["automation.dates"]
    assert any("selectors" in (words(node) or "") for node in ast.walk(sample))


def test_no_template_or_static_file_mentions_the_catalogue() -> None:
    """The templates and static files hold the portal's own labels; none points into selectors/."""
    files = [p for p in STUB.rglob("*") if p.is_file() and p.suffix in {".html", ".css", ".js"}]
    assert files and [p.name for p in files if "selectors/" in p.read_text()] == []
