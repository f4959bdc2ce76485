"""Back up the whole database to one file: pg_dump on PostgreSQL, a copy on SQLite."""

import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from strategy_tracker.management.commands._database import pg_env_and_name


class Command(BaseCommand):
    help = "Back up the configured database to FILE (pg_dump on PostgreSQL, a copy on SQLite)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        file.parent.mkdir(parents=True, exist_ok=True)
        if connection.vendor == "postgresql":
            env, name = pg_env_and_name()
            result = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--file", str(file), name],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        elif connection.vendor == "sqlite":
            # SQLite's own online backup: an exact copy, taken safely while the app runs.
            connection.ensure_connection()
            with sqlite3.connect(file) as target:
                connection.connection.backup(target)
            target.close()
        else:
            raise CommandError(f"No backup method for {connection.vendor}.")
        self.stdout.write(f"Backed up to {file} ({file.stat().st_size:,} bytes).")
