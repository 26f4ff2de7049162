"""Every public service that locks a row runs in a transaction of its own: a row lock outside
one is an error in PostgreSQL (select_for_update), and a multi-step write must be all or nothing.

The tests run inside a transaction, so a service that lost its ``@transaction.atomic`` (moved
onto a helper when the function was split) passes every test that calls it and fails only in a
real request: this reads the code instead."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCKS = {"lock", "lock_all", "locked", "locking"}


def _locks(function: ast.FunctionDef) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in LOCKS:
                return True
    return False


def _atomic(function: ast.FunctionDef) -> bool:
    if any("atomic" in ast.unparse(decorator) for decorator in function.decorator_list):
        return True
    return any(
        isinstance(node, ast.With) and any("atomic" in ast.unparse(i) for i in node.items)
        for node in ast.walk(function)
    )


def _services() -> list[Path]:
    files = []
    for app in ("registry", "mtr", "correspondence", "helpdesk", "assets", "core"):
        package = ROOT / app / "services"
        files += sorted(package.glob("*.py")) if package.is_dir() else []
        single = ROOT / app / "services.py"
        files += [single] if single.exists() else []
    files += [ROOT / "correspondence" / "signing.py"]
    files += sorted((ROOT / "core" / "intake" / "services").glob("*.py"))
    return files


@pytest.mark.parametrize("path", _services(), ids=lambda path: str(path.relative_to(ROOT)))
def test_a_public_service_that_locks_is_atomic(path):
    tree = ast.parse(path.read_text())
    bare = [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and not node.name.startswith("_")
        and _locks(node)
        and not _atomic(node)
    ]
    assert not bare, f"{path.name}: {bare} lock rows outside a transaction of their own"
