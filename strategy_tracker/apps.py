from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StrategyTrackerConfig(AppConfig):
    name = "strategy_tracker"
    verbose_name = "Strategy Tracker"

    def ready(self) -> None:
        from strategy_tracker import lookups  # noqa: F401 - registers field__any_of
        from strategy_tracker.roles import ensure_role_groups_after_migrate

        # A data migration creates the groups; this keeps them after a test database flush.
        post_migrate.connect(ensure_role_groups_after_migrate, sender=self)
