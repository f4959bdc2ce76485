import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from milestones.models import Milestone
from objectives.strategy_json import (
    StrategyImportError,
    approver_notes,
    import_strategy,
    licence_words,
)


class _KeyTwice(ValueError):
    pass


def _each_key_once(pairs: list[tuple[str, object]]) -> dict:
    # json keeps the last of a key given twice: the first ("note": "Checked by finance",
    # "note": "") would be dropped without a word.
    keys = [key for key, _ in pairs]
    if twice := sorted({key for key in keys if keys.count(key) > 1}):
        raise _KeyTwice(", ".join(f'"{key}"' for key in twice))
    return dict(pairs)


def read_strategy_file(path: Path):
    """One strategy JSON file's data; CommandError with the reason if it cannot be read."""
    try:
        # Notepad and PowerShell write UTF-8 with a byte-order mark: read with or without.
        return json.loads(path.read_text(encoding="utf-8-sig"), object_pairs_hook=_each_key_once)
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file.") from None
    except _KeyTwice as twice:
        raise CommandError(
            f"{path}: an object gives the key {twice} twice, and only one could be read; "
            "nothing was loaded. Keep the one meant."
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"{path}: not a UTF-8 JSON file ({error}).") from None


def load_strategy_file(path: Path, data=None):
    """Read (unless its `data` is given) and load one strategy JSON file; CommandError with
    the reason if it cannot."""
    if data is None:
        data = read_strategy_file(path)
    try:
        return import_strategy(data)
    except StrategyImportError as error:
        raise CommandError(f"{path}: {error}") from None
    except (TypeError, AttributeError, ArithmeticError, ValueError) as error:
        # A value of a kind no check foresaw (a list where a name goes, "NaN" in a trajectory):
        # the load is one transaction, so nothing was written.
        raise CommandError(
            f"{path}: a value of the wrong kind ({type(error).__name__}: {error}); "
            "nothing was loaded."
        ) from None


class Command(BaseCommand):
    help = "Load one strategy from a JSON file (the shape export_strategy prints)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        data = read_strategy_file(file)
        strategy = load_strategy_file(file, data)
        self.stdout.write(f"Loaded {strategy.title} ({strategy.slug}).")
        if licence := licence_words(data):  # a public view's strategy.json
            self.stdout.write(licence)
        say_due_date_notes(self, strategy)
        for note in approver_notes(strategy):
            self.stdout.write(self.style.WARNING(f"Note: {note}"))


def say_due_date_notes(command: BaseCommand, strategy) -> None:
    """Milestones due outside the strategy's period are loaded as the file gives them (a
    document may date one after its period), and named (milestones/due_dates.py)."""
    for note in Milestone.objects.due_date_notes(strategy):
        command.stdout.write(command.style.WARNING(f"Note: {note} Loaded as the file gives it."))
