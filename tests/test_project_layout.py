"""Every app's tests run, and every app is installed as a package: an app added without its
line in pyproject.toml would have its tests silently left out of `make test` and CI."""

import tomllib
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _project_apps() -> set[str]:
    return {a.name for a in apps.get_app_configs() if Path(a.path).parent == ROOT}


def test_every_app_of_the_project_has_its_tests_collected():
    testpaths = set(CONFIG["tool"]["pytest"]["ini_options"]["testpaths"])
    with_tests = {name for name in _project_apps() if (ROOT / name / "tests").is_dir()}
    assert with_tests and with_tests <= testpaths


def test_every_app_of_the_project_is_packaged():
    packaged = {p.rstrip("*") for p in CONFIG["tool"]["setuptools"]["packages"]["find"]["include"]}
    assert _project_apps() <= packaged
