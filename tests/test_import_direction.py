"""App imports point one way: objectives/ draws on milestones/ and measures/, never back, except
for the models their foreign keys name; risks/ reads objectives/'s models and no other app; and
no page cache or data-version row comes back."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ALLOWED_FROM_OBJECTIVES = {"objectives.models"}  # the foreign keys' targets


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def app_sources(app: str):
    return [p for p in (ROOT / app).rglob("*.py") if "tests" not in p.parts]


@pytest.mark.parametrize("app", ["milestones", "measures"])
def test_delivery_apps_do_not_import_objectives(app):
    offending = {}
    for path in app_sources(app):
        wrong = {
            name
            for name in imported_modules(path)
            if name.split(".")[0] == "objectives"
            and not any(name == ok or name.startswith(ok + ".") for ok in ALLOWED_FROM_OBJECTIVES)
        }
        if wrong:
            offending[str(path.relative_to(ROOT))] = sorted(wrong)
    assert offending == {}


def test_risks_reads_only_the_objectives_models():
    """risks/ links a risk to priorities and objectives, and lists its owners from the
    memberships: objectives/'s models and no more. Its form fields come from the project
    package, not from milestones/ (whose forms it used to borrow them from)."""
    other_apps = {
        "objectives",
        "milestones",
        "measures",
        "reporting",
        "editor",
        "api",
        "public",
        "sso",
    }
    offending = {}
    for path in app_sources("risks"):
        wrong = {
            name
            for name in imported_modules(path)
            if name.split(".")[0] in other_apps
            and not any(name == ok or name.startswith(ok + ".") for ok in ALLOWED_FROM_OBJECTIVES)
        }
        if wrong:
            offending[str(path.relative_to(ROOT))] = sorted(wrong)
    assert offending == {}


@pytest.mark.parametrize("app", ["objectives", "milestones", "measures", "strategy_tracker"])
def test_nothing_below_the_reporting_cycle_imports_it(app):
    offending = {
        str(path.relative_to(ROOT)): sorted(
            n for n in imported_modules(path) if n.split(".")[0] == "reporting"
        )
        for path in app_sources(app)
    }
    assert {path: names for path, names in offending.items() if names} == {}


def test_the_shared_status_vocabulary_imports_no_app():
    names = imported_modules(ROOT / "strategy_tracker" / "status.py")
    apps = {"objectives", "milestones", "measures"}
    assert not {n for n in names if n.split(".")[0] in apps}


def test_no_cache_of_rendered_pages():
    sources = [
        p
        for app in ("objectives", "milestones", "measures", "strategy_tracker")
        for p in (ROOT / app).rglob("*")
        if p.suffix in (".py", ".html") and "tests" not in p.parts and "migrations" not in p.parts
    ]
    for word in ("cached_body", "data_version", "{% cache "):
        assert not [p for p in sources if word in p.read_text()], word


@pytest.mark.parametrize(
    "app", ["objectives", "milestones", "measures", "reporting", "strategy_tracker"]
)
def test_the_editor_sits_on_top_and_nothing_imports_it(app):
    offending = {
        str(path.relative_to(ROOT)): sorted(
            n for n in imported_modules(path) if n.split(".")[0] == "editor"
        )
        for path in app_sources(app)
    }
    assert {path: names for path, names in offending.items() if names} == {}
