"""The configured database as the PostgreSQL command-line tools want it."""

import os

from django.db import connection


def pg_env_and_name() -> tuple[dict[str, str], str]:
    settings = connection.settings_dict
    env = os.environ.copy()
    for key, var in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ]:
        if settings.get(key):
            env[var] = str(settings[key])
    return env, settings["NAME"]
