"""Every change to a model has its migration: `makemigrations --check` finds nothing to write."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_its_migration(settings):
    # `make test-fast` builds its database from the models (--no-migrations): read them here.
    settings.MIGRATION_MODULES = {}
    out = StringIO()
    try:
        call_command("makemigrations", check=True, dry_run=True, stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"A model changed without its migration:\n{out.getvalue()}")
