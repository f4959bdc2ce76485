"""The README says what the code does: its settings tables, the size limit it tells a proxy
to copy, and the files "Where things live" sends a reader to. Each test reads the README's
own words and checks them against the code, so either changing without the other fails."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def _readme_table_variables() -> set[str]:
    """Every `NAME` in the first column of the README's settings tables."""
    names = set()
    for line in README.splitlines():
        if line.startswith("| `"):
            first = line.split("|")[1]
            names |= set(re.findall(r"`([A-Z][A-Z0-9_]+)`", first))
    return names


def _variables_read(path: Path) -> set[str]:
    text = path.read_text()
    return set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', text)) | set(
        re.findall(r'os\.environ\.get\(\s*"([A-Z][A-Z0-9_]+)"', text)
    )


def test_every_variable_the_settings_read_is_in_the_readmes_tables():
    """README "Configuration": the table is the list of settings (DEFAULT_FROM_EMAIL, the
    sender of every e-mail, and LOG_LEVEL were read but listed nowhere)."""
    read = _variables_read(ROOT / "strategy_tracker" / "settings.py") | _variables_read(
        ROOT / "deploy" / "gunicorn.conf.py"
    )
    assert sorted(read - _readme_table_variables()) == []


def _settings_in_a_fresh_process(env: dict) -> dict:
    """The settings as they come from `env` alone: no .env file, and none of the variables
    asked about taken from the environment the tests run in."""
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps({'REQUEST_MAX_BYTES': settings.REQUEST_MAX_BYTES,"
        " 'ALLOWED_HOSTS': settings.ALLOWED_HOSTS,"
        " 'DEFAULT_FROM_EMAIL': settings.DEFAULT_FROM_EMAIL,"
        " 'LOG_LEVEL': settings.LOGGING['root']['level']}))"
    )
    asked = {
        "DEBUG",
        "MEASURE_IMPORT_MAX_BYTES",
        "WORKBOOK_MAX_BYTES",
        "ALLOWED_HOSTS",
        "DEFAULT_FROM_EMAIL",
        "LOG_LEVEL",
    }
    clean = {k: v for k, v in os.environ.items() if k not in asked}
    clean |= {"DJANGO_SETTINGS_MODULE": "strategy_tracker.settings", "ENV_FILE": os.devnull}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean | env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


MIB = 1024 * 1024


def _readmes_413_limit(csv_limit: int, workbook_limit: int) -> int:
    """The README's words: the largest of MEASURE_IMPORT_MAX_BYTES, WORKBOOK_MAX_BYTES and
    2.5 MiB (a form without files), plus 1 MiB."""
    return max(csv_limit, workbook_limit, int(2.5 * MIB)) + MIB


def _passages() -> list[str]:
    """The README's paragraphs, bullets and table rows, each as one line."""
    passages, current = [], []
    for line in README.splitlines():
        if not line.strip() or line.lstrip().startswith(("|", "- ", "**")):
            if current:
                passages.append(" ".join(current))
            current = []
        if line.strip():
            current.append(line.strip())
    return [*passages, " ".join(current)]


def test_every_passage_on_the_413_limit_gives_the_whole_rule():
    """The table, the proxy's bullet and Security: the limit was told as the CSV limit plus
    1 MiB, so a proxy set as told to refuses workbooks and forms the app accepts."""
    on_the_limit = [p for p in _passages() if "413" in p and re.search(r"\bbod(y|ies)\b", p)]
    assert len(on_the_limit) >= 3
    for passage in on_the_limit:
        for words in ("`MEASURE_IMPORT_MAX_BYTES`", "`WORKBOOK_MAX_BYTES`", "2.5 MiB", "1 MiB"):
            assert words in passage, (words, passage)
        assert "11 MiB by default" in passage, passage


@pytest.mark.slow  # a Python process each
@pytest.mark.parametrize(
    ("csv_limit", "workbook_limit"),
    [(None, None), (MIB, None), (MIB, MIB), (None, 20 * MIB), (30 * MIB, 20 * MIB)],
)
def test_the_413_limit_is_the_readmes_rule(csv_limit, workbook_limit):
    env = {}
    if csv_limit is not None:
        env["MEASURE_IMPORT_MAX_BYTES"] = str(csv_limit)
    if workbook_limit is not None:
        env["WORKBOOK_MAX_BYTES"] = str(workbook_limit)
    got = _settings_in_a_fresh_process(env)["REQUEST_MAX_BYTES"]
    assert got == _readmes_413_limit(csv_limit or 10 * MIB, workbook_limit or 10 * MIB)
    if not env:
        assert got == 11 * MIB  # "11 MiB by default"


def _models_the_readme_places() -> list[tuple[str, str]]:
    """(file, model) for every "`file` (the model `Model`)" in the README."""
    return re.findall(r"`([\w/]+\.py)` \(the model `(\w+)`\)", README)


def test_where_things_live_names_the_file_that_defines_each_model():
    """MeasureReading and DataQualityRating were placed in measures/readings.py and
    measures/quality_views.py; both are defined in measures/models.py."""
    placed = _models_the_readme_places()
    assert {model for _, model in placed} >= {"MeasureReading", "DataQualityRating"}
    for path, model in placed:
        assert f"class {model}(" in (ROOT / path).read_text(), (path, model)


def test_each_rule_the_roles_section_names_is_defined_in_the_file_it_gives():
    """'The rules live with the data they guard': each `rule()` is defined in the file named
    in the brackets after it (or listed inside them, after a colon). is_managed_by() was
    given as milestones/models.py's; it is NamesResponsiblePartner's, in objectives/models.py."""
    paragraph = next(p for p in _passages() if p.startswith("The rules live with the data"))
    checked, last = set(), 0
    for found in re.finditer(r"\(`([\w/]+\.py)`([^)]*)\)", paragraph):
        path, inside = found.groups()
        names = re.findall(r"`([\w.]+)\(\)`", paragraph[last : found.start()] + inside)
        source = (ROOT / path).read_text()
        for name in names:
            assert f"def {name.split('.')[-1]}(" in source, (name, path)
            checked.add(name.split(".")[-1])
        last = found.end()
    assert {"is_managed_by", "can_be_updated_by", "managed_by", "visible_to"} <= checked


def _readme_default(variable: str) -> str:
    """The first `value` in the Default column of `variable`'s row of the settings table."""
    row = next(line for line in README.splitlines() if line.startswith(f"| `{variable}` |"))
    return re.findall(r"`([^`]+)`", row.split("|")[2])[0]


@pytest.mark.slow  # a Python process each
@pytest.mark.parametrize(
    ("variable", "as_settings_read_it"),
    [
        ("ALLOWED_HOSTS", lambda text: text.split(",")),
        ("DEFAULT_FROM_EMAIL", str),
        ("LOG_LEVEL", str),
    ],
)
def test_the_readmes_default_is_the_settings_default_with_debug_on(variable, as_settings_read_it):
    """ALLOWED_HOSTS was given as `127.0.0.1,localhost`; the settings add `[::1]`."""
    got = _settings_in_a_fresh_process({"DEBUG": "on"})
    assert got[variable] == as_settings_read_it(_readme_default(variable))
