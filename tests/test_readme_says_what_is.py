"""The README says what the code does: its settings tables, the size limit it tells a proxy
to copy, and the files "Where things live" sends a reader to. Each test reads the README's
own words and checks them against the code, so either changing without the other fails."""

import re
from pathlib import Path

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
