"""Every package the app needs (imported by its own code, named in its settings, or run by
`make serve`) is installed by `pip install -e .` (what `make run` and `make serve` install), not
only by the test extras `make test` adds: `requests`, imported
by the sign-in views but required by no declared package, once stopped `make run` on a fresh
clone while every test passed."""

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from django.conf import settings
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
APPS = [name.rstrip("*") for name in PROJECT["tool"]["setuptools"]["packages"]["find"]["include"]]


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _installed_by(requirements: list[str]) -> set[str]:
    """The distributions these requirements install, with everything they require in turn."""
    found, todo = set(), [(Requirement(r), set()) for r in requirements]
    while todo:
        requirement, extras = todo.pop()
        if requirement.marker and not any(
            requirement.marker.evaluate({"extra": extra}) for extra in extras or {""}
        ):
            continue
        name = _normal(requirement.name)
        if name in found:
            continue
        found.add(name)
        wanted = set(requirement.extras)
        todo += [(Requirement(r), wanted) for r in metadata.requires(requirement.name) or []]
    return found


def _product_files() -> list[Path]:
    files = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            parts = set(path.relative_to(ROOT).parts)
            if not parts & {"tests", "migrations"} and path.name != "test_settings.py":
                files.append(path)
    return files


def _top_level_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _named_in_settings() -> set[str]:
    """Top-level modules the settings name: each app, and the first part of each dotted path
    (middleware, storages, backends). Most are never imported by the app's own code."""
    names = set(app.split(".")[0] for app in settings.INSTALLED_APPS)

    def walk(value) -> None:
        if type(value) is str and _DOTTED.fullmatch(value):  # not a lazy object posing as one
            names.add(value.split(".")[0])
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple | set):
            for item in value:
                walk(item)

    for name in dir(settings):
        if name.isupper():
            walk(getattr(settings, name))
    return names


_DOTTED = re.compile(r"[a-z_][a-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+")
# Needed, and neither imported nor named in the settings.
ALSO_NEEDED = {
    "gunicorn": "`make serve` runs it",
    "defusedxml": "openpyxl reads uploaded workbooks through it when it is installed",
}


def test_every_package_the_app_imports_is_a_declared_dependency():
    installed = _installed_by(PROJECT["project"]["dependencies"])
    distributions = metadata.packages_distributions()
    own = set(APPS) | set(sys.stdlib_module_names)
    needed = {module: ["settings"] for module in _named_in_settings() if module in distributions}
    needed |= {module: [why] for module, why in ALSO_NEEDED.items()}
    for path in _product_files():
        for module in _top_level_imports(path):
            needed.setdefault(module, []).append(str(path.relative_to(ROOT)))
    missing = {}
    for module, where in needed.items():
        owners = {_normal(d) for d in distributions.get(module, [])}
        if module not in own and not owners & installed:
            missing[module] = where
    assert not missing, f"needed but installed only by the test extras, or not at all: {missing}"


def test_the_check_sees_a_package_only_the_test_extras_install():
    dev_only = _installed_by(PROJECT["project"]["optional-dependencies"]["dev"])
    assert "hypothesis" in dev_only - _installed_by(PROJECT["project"]["dependencies"])
