"""Restore a backup made by `backup`, replacing everything in the configured database."""

import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from strategy_tracker.management.commands._database import pg_env_and_name


class Command(BaseCommand):
    help = "Replace the configured database's contents with the backup in FILE."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, file: Path, yes: bool = False, **options):
        if file.is_dir():
            raise CommandError(f"{file} is a folder, not a backup file: nothing restored.")
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        if connection.vendor == "sqlite":
            _check_sqlite_backup(file)
        if not yes:
            answer = input(f"Replace every row in the database with {file}? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("Nothing restored.")
        if connection.vendor == "postgresql":
            env, name = pg_env_and_name()
            connection.close()
            result = subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                    name,
                    str(file),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True) as source:
                source.backup(connection.connection)
            source.close()
        else:
            raise CommandError(f"No restore method for {connection.vendor}.")
        connection.close()
        self.stdout.write(f"Restored {file}.")


def _check_sqlite_backup(file: Path) -> None:
    """Refuse, before anything is replaced, a file that is not this app's backup: SQLite
    opens an empty file (a backup that failed part way) as an empty database, and copying
    that over the live one would wipe every table."""
    with file.open("rb") as opened:
        header = opened.read(16)
    if header != b"SQLite format 3\x00":
        raise CommandError(
            f"{file} is not a backup of this app (not a SQLite database): nothing restored."
        )
    source = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
    try:
        found = source.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'objectives_strategy'"
        ).fetchone()
    except sqlite3.DatabaseError as error:
        raise CommandError(f"{file} cannot be read ({error}): nothing restored.") from None
    finally:
        source.close()
    if not found:
        raise CommandError(f"{file} holds none of this app's tables: nothing restored.")
